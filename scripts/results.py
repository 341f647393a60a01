#!/usr/bin/env python3
"""Judge one or more guest runs: KUnit (via the kernel's kunit.py parse),
kselftest KTAP between dio-test markers, and kernel splats.

usage: results.py KSRC RUN_DIR...    prints per-suite lines and a final
"N passed, N failed"; exits 1 if anything failed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

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


def kunit_counts(ksrc, text, out, logname, label='kunit', skip_fails=False):
    """Per-suite KUnit results from KTAP text, using the kernel's kunit.py parse.

    With skip_fails, a skipped case counts as failed (the rerun of a suite
    after /init must run everything: nothing it needs is missing then)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'ktap.log')
        jpath = os.path.join(tmp, 'k.json')
        with open(src, 'w') as f:
            f.write(text)
        with open(logname, 'w') as log:
            subprocess.run([sys.executable, os.path.join(ksrc, 'tools/testing/kunit/kunit.py'),
                            'parse', '--json=' + jpath, src],
                           stdout=log, stderr=subprocess.STDOUT, check=False)
        try:
            with open(jpath) as f:
                data = json.load(f)
        except (OSError, ValueError):
            data = {}
    passed = failed = 0

    def walk(group, prefix=''):
        nonlocal passed, failed
        for sub in group.get('sub_groups', []):
            name = prefix + sub.get('name', '?')
            p = f = sk = 0
            for case in sub.get('test_cases', []):
                st = case.get('status')
                if st == 'PASS':
                    p += 1
                elif st in ('SKIP', 'SKIPPED') and not skip_fails:
                    sk += 1
                else:
                    f += 1
                    out.append(f"    FAIL {label} {name}.{case.get('name')}: {st}")
            if sub.get('test_cases'):
                out.append(f"  {label} {name}: {p} passed, {f} failed"
                           + (f", {sk} skipped" if sk else ''))
                passed += p
                failed += f
            walk(sub, name + '.')
    walk(data)
    return passed, failed


def ktap_counts(ksrc, run, tests_log, out):
    passed = failed = 0
    cur = None
    p = f = s = 0
    try:
        lines = open(tests_log, errors='replace').read().splitlines()
    except OSError:
        lines = []
    block = []
    for line in lines:
        m = re.match(r'dio-test-begin: (\S+)', line)
        if m:
            cur, p, f, s = m.group(1), 0, 0, 0
            block = []
            continue
        m = re.match(r'dio-test-end: (\S+) rc=(\d+)', line)
        if m and cur and cur.startswith('kunit-'):
            # A KUnit suite run again from debugfs: its results file is KTAP.
            p, f = kunit_counts(ksrc, '\n'.join(block) + '\n', out,
                                os.path.join(run, cur + '.txt'), 'kunit(rerun)',
                                skip_fails=True)
            if p + f == 0:
                f = 1
                out.append(f"  FAIL {cur}: no results")
            passed += p
            failed += f
            cur = None
            continue
        if m and cur:
            rc = int(m.group(2))
            if rc != 0 and f == 0:
                f += 1          # the program failed without a "not ok" line
            if p + f == 0 and s == 0:
                f += 1          # ran no test at all
            out.append(f"  selftest {cur}: {p} passed, {f} failed" + (f", {s} skipped" if s else ""))
            passed += p
            failed += f
            cur = None
            continue
        if cur is None:
            continue
        block.append(line)
        if cur.startswith('kunit-'):
            continue
        if re.match(r'not ok \d+', line):
            f += 1
            out.append(f"    FAIL {cur}: {line}")
        elif re.match(r'ok \d+ .*# SKIP', line):
            s += 1
        elif re.match(r'ok \d+', line):
            p += 1
    if cur is not None:
        out.append(f"  selftest {cur}: did not finish (crash or timeout)")
        failed += 1
    return passed, failed


def main():
    ksrc, runs = sys.argv[1], sys.argv[2:]
    total_p = total_f = 0
    hyg = os.environ.get('DIO_HYGIENE')
    if hyg and os.path.exists(hyg):
        p = f = 0
        lines = open(hyg).read().splitlines()
        for line in lines:
            if line.startswith('not ok '):
                f += 1
            elif line.startswith('ok ') and '# SKIP' not in line:
                p += 1
        print(f"series hygiene: {p} passed, {f} failed")
        for line in lines:
            if line.startswith('not ok ') or ': ERROR:' in line:
                print('  ' + line)
        total_p += p
        total_f += f
    details = []
    for run in runs:
        out = []
        console = os.path.join(run, 'console.log')
        name = os.path.basename(run.rstrip('/'))
        text = open(console, errors='replace').read() if os.path.exists(console) else ''
        # Suites built in run at boot, before /init; later reruns are in tests.log.
        boot = text.split('Run /init as init process')[0]
        p, f = (kunit_counts(ksrc, boot, out, os.path.join(run, 'kunit.txt'))
                if 'KTAP version' in boot else (0, 0))
        p2, f2 = ktap_counts(ksrc, run, os.path.join(run, 'tests.log'), out)
        p += p2
        f += f2
        splats = find_splats(text)
        if splats:
            f += 1
            out.append(f"  FAIL {name}: kernel splat ({len(splats)} lines) in {console}; "
                       f"first report below")
            details.append(f"first kernel splat of boot {name}:")
            details.extend('    ' + l for l in splat_report(text))
        tests_text = ''
        try:
            tests_text = open(os.path.join(run, 'tests.log'), errors='replace').read()
        except OSError:
            pass
        if 'dio: no such plan' in tests_text:
            f += 1
            out.append(f"  FAIL {name}: the initramfs has no such plan")
        if 'dio: plan finished' not in text:
            f += 1
            out.append(f"  FAIL {name}: the plan did not finish (hang, panic or timeout); "
                       f"last console lines:")
            out.extend('    ' + l for l in text.splitlines()[-15:])
        print(f"boot {name}: {p} passed, {f} failed")
        print('\n'.join(out))
        total_p += p
        total_f += f
    # Last, so that it shows in the tail of a CI log.
    if details:
        print('\n'.join(details))
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
