#!/usr/bin/env python3
"""Self-test of results.py: synthetic boots that must pass or fail.

usage: results_selftest.py KSRC    prints KTAP ("ok N ..." / "not ok N ...")

Each case writes a run directory (tests.log in the shape guest/plans/lib.sh
and the kselftest runner produce, console.log, meta.json) and checks the
passed / failed counts results.py gives it: a judge that cannot fail is no
judge.
"""
import contextlib
import io
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402

FINISHED = 'dio: plan finished\n'


def plan(*tests):
    return 'KTAP version 1\n# dio plan: t\n' + ''.join(tests) + FINISHED


def prog(n, name, body, result='ok'):
    lines = ['TAP version 13', f'# Subtest: {name}'] + body
    return ''.join('    ' + l + '\n' for l in lines) + f'{result} {n} {name}\n'


def kselftest(n, cases):
    inner = ['TAP version 13', f'1..{len(cases)}'] + \
        [f'{st} {i + 1} case{i + 1}' for i, st in enumerate(cases)]
    body = ['1..1', '# overriding timeout to 60', '# selftests: d: t'] + \
        ['# ' + l for l in inner]
    bad = 'not ok' in cases
    body.append(('not ok' if bad else 'ok') + ' 1 selftests: d: t' + (' # exit=1' if bad else ''))
    return prog(n, 'kselftest', body, 'not ok' if bad else 'ok')


CASES = [
    # (name, tests.log, console.log, meta rc, expected passed, expected failed)
    ('all pass', plan(prog(1, 'a', ['1..2', 'ok 1 x', 'ok 2 y'])), FINISHED, 0, 2, 0),
    ('a failing case', plan(prog(1, 'a', ['1..2', 'ok 1 x', 'not ok 2 y'], 'not ok')),
     FINISHED, 0, 1, 1),
    ('exit status without a failing case',
     plan(prog(1, 'a', ['1..1', 'ok 1 x'], 'not ok')), FINISHED, 0, 1, 1),
    ('crash: result lines missing', plan(prog(1, 'a', ['1..3', 'ok 1 x'], 'not ok')),
     FINISHED, 0, 1, 2),
    ('no KTAP from a program', plan(prog(1, 'a', ['hello'])), FINISHED, 0, 0, 1),
    ('kselftest runner nesting, all pass', plan(kselftest(1, ['ok', 'ok', 'ok'])),
     FINISHED, 0, 3, 0),
    ('kselftest runner nesting, one fails', plan(kselftest(1, ['ok', 'not ok', 'ok'])),
     FINISHED, 0, 2, 1),
    ('skip is a skip', plan(prog(1, 'a', ['1..2', 'ok 1 x', 'ok 2 y # SKIP no disk'])),
     FINISHED, 0, 1, 0),
    ('skip in a kunit-* rerun is a failure',
     plan(prog(1, 'kunit-s', ['1..2', 'ok 1 x', 'ok 2 y # SKIP no disk'])), FINISHED, 0, 1, 1),
    ('plan did not finish', plan(prog(1, 'a', ['1..1', 'ok 1 x'])).replace(FINISHED, ''),
     'boot\n', 0, 1, 1),
    ('kernel splat', plan(prog(1, 'a', ['1..1', 'ok 1 x'])),
     '[ 1.0] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x1/0x2\n' + FINISHED, 0, 1, 1),
    ('timeout', plan(prog(1, 'a', ['1..1', 'ok 1 x'])), FINISHED, 124, 1, 1),
    ('empty plan', 'KTAP version 1\n' + FINISHED, FINISHED, 0, 0, 1),
]


def main():
    ksrc = sys.argv[1]
    print('TAP version 13')
    print(f'1..{len(CASES)}')
    bad = 0
    for i, (name, tests, console, rc, want_p, want_f) in enumerate(CASES, 1):
        with tempfile.TemporaryDirectory() as run:
            for fname, text in (('tests.log', tests), ('console.log', console)):
                with open(os.path.join(run, fname), 'w') as f:
                    f.write(text)
            with open(os.path.join(run, 'meta.json'), 'w') as f:
                json.dump({'tag': 't', 'rc': rc, 'seconds': 1,
                           'machine': {'id': 't', 'iommu': 'off', 'memory_mib': 1,
                                       'timeout_s': 1}}, f)
            with contextlib.redirect_stdout(io.StringIO()):
                _, p, f, out, _ = results.judge_boot(ksrc, run)
        ok = (p, f) == (want_p, want_f)
        bad += not ok
        print(f"{'ok' if ok else 'not ok'} {i} results.py: {name}"
              + ('' if ok else f' (got {p} passed, {f} failed; want {want_p}, {want_f}: '
                 + '; '.join(o.strip() for o in out) + ')'))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
