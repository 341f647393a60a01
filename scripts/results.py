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


def kunit_counts(ksrc, console, out):
    """Per-suite KUnit results from a console log, using kunit.py parse."""
    with tempfile.NamedTemporaryFile(suffix='.json', delete=False) as f:
        jpath = f.name
    subprocess.run([sys.executable, os.path.join(ksrc, 'tools/testing/kunit/kunit.py'),
                    'parse', '--json=' + jpath, os.path.abspath(console)],
                   stdout=open(os.path.join(os.path.dirname(console), 'kunit.txt'), 'w'),
                   stderr=subprocess.STDOUT, check=False)
    try:
        with open(jpath) as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    finally:
        os.unlink(jpath)
    passed = failed = 0

    def walk(group, prefix):
        nonlocal passed, failed
        for sub in group.get('sub_groups', []):
            p = f = 0
            for case in sub.get('test_cases', []):
                st = case.get('status')
                if st == 'PASS':
                    p += 1
                elif st in ('FAIL', 'TEST_CRASHED', 'NO_TESTS', 'FAILURE'):
                    f += 1
            if sub.get('test_cases'):
                out.append(f"  kunit {sub.get('name')}: {p} passed, {f} failed")
                passed += p
                failed += f
            walk(sub, prefix)
    walk(data, '')
    return passed, failed


def ktap_counts(tests_log, out):
    passed = failed = 0
    cur = None
    p = f = s = 0
    try:
        lines = open(tests_log, errors='replace').read().splitlines()
    except OSError:
        lines = []
    seen_end = set()
    for line in lines:
        m = re.match(r'dio-test-begin: (\S+)', line)
        if m:
            cur, p, f, s = m.group(1), 0, 0, 0
            continue
        m = re.match(r'dio-test-end: (\S+) rc=(\d+)', line)
        if m and cur:
            rc = int(m.group(2))
            if rc != 0 and f == 0:
                f += 1          # the program failed without a "not ok" line
            if p + f == 0 and s == 0:
                f += 1          # ran no test at all
            out.append(f"  selftest {cur}: {p} passed, {f} failed" + (f", {s} skipped" if s else ""))
            passed += p
            failed += f
            seen_end.add(cur)
            cur = None
            continue
        if cur is None:
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
    for run in runs:
        out = []
        console = os.path.join(run, 'console.log')
        name = os.path.basename(run.rstrip('/'))
        text = open(console, errors='replace').read() if os.path.exists(console) else ''
        p, f = kunit_counts(ksrc, console, out) if 'KTAP version' in text else (0, 0)
        p2, f2 = ktap_counts(os.path.join(run, 'tests.log'), out)
        p += p2
        f += f2
        splats = [l for l in text.splitlines() if SPLAT.search(l)]
        if splats:
            f += 1
            out.append(f"  FAIL {name}: kernel splat in {console}; first lines:")
            out.extend('    ' + l for l in splats[:8])
        if 'dio: plan finished' not in text:
            f += 1
            out.append(f"  FAIL {name}: the plan did not finish (hang, panic or timeout); "
                       f"last console lines:")
            out.extend('    ' + l for l in text.splitlines()[-15:])
        print(f"boot {name}: {p} passed, {f} failed")
        print('\n'.join(out))
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
