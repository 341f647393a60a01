#!/usr/bin/env python3
"""Judge one or more guest boots (build/runs/TAG/, written by boot.py).

usage: results.py KSRC RUN_DIR...

Every boot's results are KTAP, parsed by one parser, the kernel's own
(tools/testing/kunit/kunit_parser.py): the KUnit suites that ran at boot
(console.log, before /init), and the plan's document (tests.log: a subtest
per test the plan ran, guest/plans/lib.sh), in which the kselftest runner's
"# "-prefixed nesting is first rewritten to KTAP's indentation.  Boots are
named by their meta.json (machine id and tag), never by directory names.
Kernel splats, a plan that did not finish and a boot that timed out are
failures.  Prints per-group lines and a final "N passed, N failed"; exits 1
if anything failed.  DIO_HYGIENE names the hygiene.sh output to count too;
DIO_T0 (epoch seconds) prints the wall time since then before the count.
"""
import contextlib
import io
import json
import os
import re
import sys
import time

SPLAT = re.compile(
    r'(WARNING: CPU:|WARNING: .*(locking|lock held|suspicious|possible)|BUG:|'
    r'KASAN:|UBSAN:|Kernel panic|Oops:|general protection fault|'
    r'unreferenced object 0x|INFO: task .* blocked|DMA-API: .* (driver|device)|'
    r'Call Trace:)')


def splat_indexes(lines):
    """Indexes of splat lines, leaving out the stack dumps fault injection
    prints on purpose (from 'FAULT_INJECTION: forcing a failure' to the end
    of its trace)."""
    in_fault = False
    for i, line in enumerate(lines):
        if 'FAULT_INJECTION: forcing a failure' in line:
            in_fault = True
            continue
        if in_fault:
            if '</TASK>' in line:
                in_fault = False
            continue
        if SPLAT.search(line):
            yield i


def find_splats(text):
    """Splat lines of a console log."""
    lines = text.splitlines()
    return [lines[i] for i in splat_indexes(lines)]


# A splat report ends at the end of its stack dump or its closing rule.
SPLAT_END = re.compile(r'(</TASK>|---\[ end trace|^\[[ 0-9.]+\] ={20,}$)')


def splat_report(text, limit=40):
    """The first splat of a console log in full (up to limit lines), after
    the last 'dio: ...' marker before it, which names the test that ran."""
    lines = text.splitlines()
    for i in splat_indexes(lines):
        marker = [l for l in lines[:i] if ' dio: ' in l or l.startswith('dio: ')]
        out = marker[-1:] or ['(no test had started yet)']
        # Where in the boot: early timestamps can mislead (the clock may
        # start late), the lines before the report do not.
        out.append(f'... console line {i + 1}, after:')
        out.extend(lines[max(0, i - 3):i])
        for l in lines[i:i + limit]:
            out.append(l)
            if SPLAT_END.search(l):
                break
        return out
    return []


KTAP_LINE = re.compile(r'((K?TAP version \d+)|(\d+\.\.\d+)|((not )?ok \d+)|(#( |$)))')
KSFT_TEST = re.compile(r'# selftests: (\S+): (\S+)$')


def kselftest_to_ktap(lines):
    """kselftest's runner nests a test program's KTAP under a "# " prefix
    (after a "# selftests: DIR: NAME" line); KTAP v1 nests by indentation
    under "# Subtest: NAME".  Rewrite the former into the latter, so that
    one parser reads both."""
    out = []
    pending = None          # name from the last "# selftests:" line
    for line in lines:
        body = line.lstrip(' ')
        indent = len(line) - len(body)
        depth = 0
        # Peel "# " prefixes that wrap KTAP (not a diagnostic's own "# ").
        while body.startswith('# ') and KTAP_LINE.match(body[2:]):
            body = body[2:]
            depth += 1
        m = KSFT_TEST.match(body.lstrip())
        if m:
            pending = f'selftests: {m.group(1)}: {m.group(2)}'
        pad = ' ' * (indent + 4 * depth)
        out.append(pad + body)
        if depth and pending and re.match(r'K?TAP version \d+', body):
            out.append(pad + '# Subtest: ' + pending)
            pending = None
    return out


def parse_ktap(ksrc, lines, logname):
    """The kernel's KTAP parser over lines; its report goes to logname."""
    sys.path.insert(0, os.path.join(ksrc, 'tools/testing/kunit'))
    import kunit_parser     # noqa: E402  pylint: disable=import-outside-toplevel
    import kunit_printer    # noqa: E402  pylint: disable=import-outside-toplevel
    buf = io.StringIO()
    saved = kunit_printer.stdout._output       # pylint: disable=protected-access
    kunit_printer.stdout._output = buf         # pylint: disable=protected-access
    try:
        with contextlib.redirect_stdout(buf):
            test = kunit_parser.parse_run_tests(lines)
    finally:
        kunit_printer.stdout._output = saved   # pylint: disable=protected-access
    with open(logname, 'w') as f:
        f.write(buf.getvalue())
    return test, kunit_parser.TestStatus


def tally(test, status, out, label, path=(), strict_skip=False):
    """(passed, failed, skipped) test cases (tests without subtests) under
    test; a group's own failure (a program that exited non-zero or crashed
    with no failing case, no case at all, a parse error at its level) counts
    one failure.  A group named kunit-* is a KUnit suite rerun after the disk
    probed: a skip there is a failure (nothing it needs is missing then)."""
    p = f = s = 0
    name = '.'.join(n or '(missing)' for n in path) or test.name
    if not test.subtests:
        if test.status == status.SUCCESS and len(path) == 1:
            # A test of the plan that printed no KTAP at all.
            out.append(f'    FAIL {label} {name}: exited 0 without reporting a test')
            return 0, 1, 0
        if test.status == status.SUCCESS:
            return 1, 0, 0
        if test.status == status.SKIPPED and not strict_skip:
            return 0, 0, 1
        out.append(f'    FAIL {label} {name}: {test.status.name}')
        return 0, 1, 0
    leaves = [t for t in test.subtests if not t.subtests]
    for sub in test.subtests:
        sp, sf, ss = tally(sub, status, out, label, path + (sub.name,),
                           strict_skip or sub.name.startswith('kunit-'))
        p, f, s = p + sp, f + sf, s + ss
    own_errors = test.counts.errors - sum(t.counts.errors for t in test.subtests)
    if f == 0 and own_errors > 0:
        f += 1
        out.append(f'    FAIL {label} {name}: {own_errors} KTAP parse error(s) (missing or '
                   'misnumbered result lines: a crash or a timeout)')
    elif f == 0 and path and test.status in (status.FAILURE, status.TEST_CRASHED):
        f += 1
        out.append(f'    FAIL {label} {name}: {test.status.name} without a failing case '
                   '(exit status, crash or timeout)')
    if leaves and path:
        lp = sum(t.status == status.SUCCESS for t in leaves)
        ls = 0 if strict_skip else sum(t.status == status.SKIPPED for t in leaves)
        out.append(f'  {label} {name}: {lp} passed, {len(leaves) - lp - ls} failed'
                   + (f', {ls} skipped' if ls else ''))
    return p, f, s


def judge_boot(ksrc, run):
    """(name, passed, failed, report lines, splat details) of one boot."""
    out, details = [], []
    try:
        with open(os.path.join(run, 'meta.json')) as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        meta = {}
    name = meta.get('tag') or os.path.basename(run.rstrip('/'))
    machine = meta.get('machine', {})
    try:
        with open(os.path.join(run, 'console.log'), errors='replace') as fh:
            text = fh.read()
    except OSError:
        text = ''
    try:
        with open(os.path.join(run, 'tests.log'), errors='replace') as fh:
            tests = fh.read().splitlines()
    except OSError:
        tests = []
    p = f = 0
    # Suites built in run at boot, before /init.
    boot = text.split('Run /init as init process')[0]
    if 'KTAP version' in boot:
        test, status = parse_ktap(ksrc, boot.splitlines(), os.path.join(run, 'kunit.txt'))
        bp, bf, _ = tally(test, status, out, 'kunit')
        p, f = p + bp, f + bf
    if tests:
        test, status = parse_ktap(ksrc, kselftest_to_ktap(tests),
                                  os.path.join(run, 'ktap.txt'))
        if test.subtests:
            tp, tf, _ = tally(test, status, out, 'plan')
        else:
            tp, tf = 0, 1
            out.append('  FAIL plan: no test ran')
        p, f = p + tp, f + tf
    splats = find_splats(text)
    if splats:
        f += 1
        out.append(f'  FAIL {name}: kernel splat ({len(splats)} lines) in {run}/console.log; '
                   'first report below')
        # The splat lines themselves here too: a report's head is what a
        # truncated CI log cuts off.
        out.extend('    ' + l.strip() for l in splats[:4])
        details.append(f'first kernel splat of boot {name}:')
        details.extend('    ' + l for l in splat_report(text))
    if meta.get('rc') == 124:
        f += 1
        out.append(f"  FAIL {name}: timed out after {machine.get('timeout_s')} s")
    if 'dio: plan finished' not in text:
        f += 1
        out.append(f'  FAIL {name}: the plan did not finish (hang, panic or timeout); '
                   'last console lines:')
        out.extend('    ' + l for l in text.splitlines()[-15:])
    title = f'boot {name}'
    if machine:
        title += (f" (machine {machine.get('id')}: iommu {machine.get('iommu')}, "
                  f"{machine.get('memory_mib')} MiB, {meta.get('seconds')} s)")
    return title, p, f, out, details


def main():
    ksrc, runs = sys.argv[1], sys.argv[2:]
    total_p = total_f = 0
    hyg = os.environ.get('DIO_HYGIENE')
    if hyg and os.path.exists(hyg):
        p = f = 0
        with open(hyg) as fh:
            lines = fh.read().splitlines()
        for line in lines:
            if line.startswith('not ok '):
                f += 1
            elif line.startswith('ok ') and '# SKIP' not in line:
                p += 1
        print(f'hygiene (series, results.py self-test): {p} passed, {f} failed')
        for line in lines:
            if line.startswith('not ok ') or ': ERROR:' in line:
                print('  ' + line)
        total_p += p
        total_f += f
    details = []
    for run in runs:
        title, p, f, out, det = judge_boot(ksrc, run)
        print(f'{title}: {p} passed, {f} failed')
        if out:
            print('\n'.join(out))
        details += det
        total_p += p
        total_f += f
    # Last, so that it shows in the tail of a CI log.
    if details:
        print('\n'.join(details))
    t0 = os.environ.get('DIO_T0')
    if t0:
        print(f'wall time: {int(time.time()) - int(t0)} s')
    print(f'{total_p} passed, {total_f} failed')
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
