#!/usr/bin/env python3
"""Collect the bench boots' output into OUT.md and OUT.json.

usage: bench_report.py RUNS_DIR OUT MODE...   (reads RUNS_DIR/bench-MODE/tests.log)
"""
import datetime
import json
import os
import platform
import subprocess
import sys


def machine():
    cpu = ''
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    qemu = subprocess.run(['qemu-system-x86_64', '--version'], capture_output=True,
                          text=True).stdout.splitlines()[:1]
    return {'host': platform.node(), 'cpu': cpu, 'cores': os.cpu_count(),
            'qemu': qemu[0] if qemu else '', 'accel': 'TCG (multi-threaded)',
            'guest': '2 vCPUs, q35, emulated NVMe'}


def main():
    runs, out, modes = sys.argv[1], sys.argv[2], sys.argv[3:]
    data = {'machine': machine(), 'modes': {}}
    md = ['# ITER_DMABUF benchmark', '',
          f"Machine: {data['machine']['cpu']} ({data['machine']['cores']} cores), "
          f"{data['machine']['qemu']}, {data['machine']['accel']}; guest "
          f"{data['machine']['guest']}. Date {datetime.date.today()}. "
          "32x32 MB table: median of RUNS runs per method; IOPS and registration: "
          "medians of 5 runs (min-max).", '']
    iops = {}
    reg = {}
    nruns = set()       # the table may run in any subset of the modes
    for mode in modes:
        log = os.path.join(runs, f'bench-{mode}', 'tests.log')
        table, rows = [], []
        for line in open(log, errors='replace'):
            line = line.rstrip('\n')
            if line.startswith('# |') or line.startswith('# JSON'):
                if line.startswith('# |'):
                    table.append(line[2:])
                else:
                    rows.append(json.loads(line[7:]))
        data['modes'][mode] = rows
        nruns |= {r['runs'] for r in rows if 'runs' in r}
        if table:
            md += [f'## 32x32 MB, IOMMU {mode}', ''] + table + ['']
        for r in rows:
            if 'iops_median' in r:
                iops.setdefault((r['test'], r['kind']), {})[mode] = r
            elif 'register_ms_median' in r:
                reg.setdefault((r['test'], r['kind']), {})[mode] = r
    md[2] = md[2].replace('RUNS', '/'.join(str(n) for n in sorted(nruns)) or '?')
    if iops:
        md += ['## IOPS and throughput (null-co NVMe)', '',
               '| test | buffer | ' + ' | '.join(f'IOMMU {m}: IOPS (min-max), MB/s, CPU us/IO'
                                                   for m in modes) + ' |',
               '|---|---|' + '---|' * len(modes)]
        for (test, kind), per in iops.items():
            cells = []
            for m in modes:
                r = per.get(m)
                cells.append(f"{r['iops_median']:.0f} ({r['iops_min']:.0f}-{r['iops_max']:.0f}), "
                             f"{r['mbps_median']:.0f}, {r['cpu_us_per_io_median']:.1f}"
                             if r else 'n/a')
            md.append(f'| {test} | {kind} | ' + ' | '.join(cells) + ' |')
        md.append('')
        md += ['Ratio fixed dma-buf / fixed user buffer (median IOPS, same boot):', '']
        for test in sorted({t for t, _ in iops}):
            a = iops.get((test, 'fixed dma-buf (ITER_DMABUF)'), {})
            b = iops.get((test, 'fixed user buffer'), {})
            cells = [f"{m}: {a[m]['iops_median'] / b[m]['iops_median']:.2f}x"
                     for m in modes if m in a and m in b]
            md.append(f"- {test}: " + (', '.join(cells) if cells else 'n/a'))
        md.append('')
    if reg:
        md += ['## Registration cost (one buffer, register + unregister, ms)', '',
               'The unmap of a dma-buf slot runs from a workqueue after unregister returns.', '',
               '| buffer | ' + ' | '.join(f'IOMMU {m}: register (min-max) / unregister'
                                          for m in modes) + ' |',
               '|---|' + '---|' * len(modes)]
        for (test, kind), per in reg.items():
            cells = []
            for m in modes:
                r = per.get(m)
                cells.append(f"{r['register_ms_median']:.2f} ({r['register_ms_min']:.2f}-"
                             f"{r['register_ms_max']:.2f}) / {r['unregister_ms_median']:.2f}"
                             if r else 'n/a')
            md.append(f'| {test} {kind} | ' + ' | '.join(cells) + ' |')
        md.append('')
    with open(out + '.json', 'w') as f:
        json.dump(data, f, indent=1)
    with open(out + '.md', 'w') as f:
        f.write('\n'.join(md))


if __name__ == '__main__':
    main()
