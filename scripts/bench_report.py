#!/usr/bin/env python3
"""Collect benchmark boots into OUT.md and OUT.json.

usage: bench_report.py OUT RUN_DIR...

Each RUN_DIR is a boot written by boot.py: meta.json says how it was booted
(machine, IOMMU mode, accelerator, CPUs, memory, host, kernel, series), and
tests.log holds the programs' "# |" table lines and "# JSON {...}" rows.
Rows are matched by their stable keys (test, kind_id; id), never by labels.
"""
import datetime
import json
import os
import sys


def load_run(run):
    with open(os.path.join(run, 'meta.json')) as f:
        meta = json.load(f)
    table, rows = [], []
    with open(os.path.join(run, 'tests.log'), errors='replace') as f:
        for line in f:
            line = line.strip()
            if line.startswith('# |'):
                table.append(line[2:])
            elif line.startswith('# ') and 'x32MB Read' in line and ' from ' in line:
                # a table's title: which disk or file it read
                table += ['', line[2:], '']
            elif line.startswith('# JSON '):
                rows.append(json.loads(line[7:]))
    return meta, table, rows


def describe_boot(meta):
    m = meta['machine']
    accel = 'KVM' if m['accel'] == 'kvm' else 'TCG (multi-threaded)'
    return (f"{m['cpus']} vCPUs, {m['memory_mib']} MiB, q35, {accel}, "
            f"{len(m['disks'])} emulated NVMe disk(s)")


# dmabuf_load's methods (row ids), in the table's order
LOAD_METHODS = [('dmabuf_uring_iter_dmabuf', 'ITER_DMABUF (this series)'),
                ('dmabuf_rw_first', 'read() into the dma-buf mmap'),
                ('memfd_direct_rw', 'O_DIRECT into user memory (memfd)'),
                ('udmabuf_memfd_direct_rw', 'O_DIRECT into udmabuf pages'),
                ('udmabuf_memfd_uring_fixed', 'io_uring fixed user buffers over udmabuf')]


def file_rows(boots):
    """The same 1 GiB from the raw namespace and from files (dmabuf_load rows
    whose id carries the source, "ext4:..."), per boot that ran them."""
    md = []
    for run, meta, table, rows in boots:
        by = {r['id']: r for r in rows if 'id' in r and 'mbps' in r}
        sources = [s for s in ('', 'ext4:', 'xfs:', 'f2fs:') if s + LOAD_METHODS[0][0] in by]
        if len(sources) < 2:
            continue
        names = [s[:-1] if s else 'raw namespace' for s in sources]
        md += [f"## The same 1 GiB from files, IOMMU {meta['machine']['iommu']}", '',
               'MB/s and guest CPU ms per GiB (medians), 32 x 32 MB buffers, page cache dropped '
               'before each method.', '',
               '| method | ' + ' | '.join(names) + ' |', '|---|' + '---|' * len(names)]
        for key, what in LOAD_METHODS:
            cells = []
            for s in sources:
                r = by.get(s + key)
                cells.append(f"{r['mbps']:.0f} MB/s, {r['cpu_ms']:.0f} ms" if r else 'n/a')
            md.append(f'| {what} | ' + ' | '.join(cells) + ' |')
        raw = by[LOAD_METHODS[0][0]]
        md.append('')
        for s in sources[1:]:
            mine = by[s + LOAD_METHODS[0][0]]
            quo = [by[s + k] for k, _ in LOAD_METHODS[1:] if s + k in by]
            best = min(quo, key=lambda r: r['cpu_ms']) if quo else None
            line = (f"- {s[:-1]}: ITER_DMABUF from the file at {100 * mine['mbps'] / raw['mbps']:.0f} % "
                    f"of the raw namespace's MB/s")
            if best:
                line += (f"; guest CPU {mine['cpu_ms']:.0f} ms vs {best['cpu_ms']:.0f} ms for the "
                         f"least CPU-hungry status-quo method on the same file ({best['method']}): "
                         f"{mine['cpu_ms'] / best['cpu_ms']:.2f}x")
            md.append(line)
        md.append('')
    return md


def main():
    out, run_dirs = sys.argv[1], sys.argv[2:]
    boots = [(run,) + load_run(run) for run in run_dirs]
    if not boots:
        sys.exit('bench_report.py: no runs')
    first = boots[0][1]
    host = first['host']
    data = {'host': host, 'series': first.get('series'), 'workbench': first.get('workbench'),
            'kernel': first.get('kernel'), 'boots': {}}
    modes = []
    md = ['# ITER_DMABUF benchmark', '']
    iops, reg = {}, {}
    labels = {}
    nruns = set()       # the table may run in any subset of the boots
    guests = set()
    p2p = []
    for run, meta, table, rows in boots:
        mode = meta['machine']['iommu']
        guests.add(describe_boot(meta))
        data['boots'][meta['tag']] = {'machine': meta['machine'], 'argv': meta['argv'],
                                      'seconds': meta['seconds'], 'rows': rows}
        if any('p2p_bench' in r for r in rows):
            # the device-memory boot has a section of its own
            p2p.append((meta, [r for r in rows if 'p2p_bench' in r]))
            continue
        modes.append(mode)
        nruns |= {r['runs'] for r in rows if 'runs' in r}
        if table:
            md += [f'## 32x32 MB, IOMMU {mode}', ''] + table + ['']
        for r in rows:
            key = (r.get('test'), r.get('kind_id'))
            labels[key] = f"{r.get('test')} | {r.get('kind')}"
            if 'iops_median' in r:
                iops.setdefault(key, {})[mode] = r
            elif 'register_ms_median' in r:
                reg.setdefault(key, {})[mode] = r
    md[1:1] = ['', f"Host: {host['cpu']} ({host['cores']} cores), {host['qemu']}; guest "
               f"{'; '.join(sorted(guests))}. Series {first.get('series')}, kernel "
               f"{first['kernel']['release']} ({first['kernel']['config']}). "
               f"Date {datetime.date.today()}. 32x32 MB table: median of "
               f"{'/'.join(str(n) for n in sorted(nruns)) or '?'} runs per method; IOPS and "
               "registration: medians of 5 runs (min-max)."]
    if iops:
        md += ['## IOPS and throughput (null-co NVMe)', '',
               '| test | buffer | ' + ' | '.join(f'IOMMU {m}: IOPS (min-max), MB/s, CPU us/IO'
                                                   for m in modes) + ' |',
               '|---|---|' + '---|' * len(modes)]
        for key, per in iops.items():
            cells = []
            for m in modes:
                r = per.get(m)
                cells.append(f"{r['iops_median']:.0f} ({r['iops_min']:.0f}-{r['iops_max']:.0f}), "
                             f"{r['mbps_median']:.0f}, {r['cpu_us_per_io_median']:.1f}"
                             if r else 'n/a')
            md.append(f'| {labels[key]} | ' + ' | '.join(cells) + ' |')
        md.append('')
        md += ['Ratio fixed dma-buf / fixed user buffer (median IOPS, same boot):', '']
        for test in sorted({t for t, _ in iops}):
            a = iops.get((test, 'fixed_dmabuf'), {})
            b = iops.get((test, 'fixed_user'), {})
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
        for key, per in reg.items():
            cells = []
            for m in modes:
                r = per.get(m)
                cells.append(f"{r['register_ms_median']:.2f} ({r['register_ms_min']:.2f}-"
                             f"{r['register_ms_max']:.2f}) / {r['unregister_ms_median']:.2f}"
                             if r else 'n/a')
            md.append(f"| {labels[key].replace(' | ', ' ')} | " + ' | '.join(cells) + ' |')
        md.append('')
    files = file_rows(boots)
    if files:
        md += files
    for meta, rows in p2p:
        by = {r['kind_id']: r for r in rows}
        first = by[next(iter(by))]
        small = 'small_iops_median' in first
        md += [f"## Device memory (P2P) and movable mappings, IOMMU {meta['machine']['iommu']}", '',
               f"{first['bytes'] >> 20} MiB read from the pattern disk with READ_FIXED (1 MiB "
               "requests, QD 4) into a dma-buf in system memory from the system heap (a static "
               "exporter: pinned mapping), into one in system memory from a dynamic exporter "
               "(the test exporter's DMABUF_P2P_SYSMEM: unpinned mapping that follows moves, "
               "each bio holding its placement; nothing moves here), and into one in a second "
               "NVMe controller's memory buffer behind the same PCIe switch (QEMU "
               "`cmb_size_mb`, PCI bus addresses); every byte checked afterwards."
               + (f" Then {first['small_bytes'] // 1024} KiB random reads at QD "
                  f"{first['small_qd']} into the same buffers: IOPS and guest CPU per I/O."
                  if small else '')
               + f" Medians of {first['runs']} runs (min-max).", '',
               '| buffer | read MB/s | ' + ('4 KiB IOPS | CPU us/IO | ' if small else '')
               + 'register ms | unregister ms |',
               '|---|---|' + ('---|---|' if small else '') + '---|---|']
        for r in rows:
            md.append(f"| {r['kind']} | {r['mbps_median']:.0f} ({r['mbps_min']:.0f}-"
                      f"{r['mbps_max']:.0f}) | "
                      + (f"{r['small_iops_median']:.0f} ({r['small_iops_min']:.0f}-"
                         f"{r['small_iops_max']:.0f}) | {r['small_cpu_us_median']:.1f} | "
                         if small else '')
                      + f"{r['register_ms_median']:.2f} ({r['register_ms_min']:.2f}-"
                      f"{r['register_ms_max']:.2f}) | {r['unregister_ms_median']:.2f} |")
        if 'heap' in by and 'sysdyn' in by and small:
            h, d = by['heap'], by['sysdyn']
            md += ['', "Movable / static mapping of system memory (same boot): register "
                   f"{d['register_ms_median'] / h['register_ms_median']:.2f}x, 1 MiB MB/s "
                   f"{d['mbps_median'] / h['mbps_median']:.2f}x, 4 KiB IOPS "
                   f"{d['small_iops_median'] / h['small_iops_median']:.2f}x, CPU per 4 KiB I/O "
                   f"{d['small_cpu_us_median'] / h['small_cpu_us_median']:.2f}x.  The static "
                   "mapping's holds are an inline flag test; the movable one counts in one "
                   "atomic word per bio (a compare-and-exchange when it is built, another when "
                   "it is freed)."]
        if 'heap' in by and 'p2p' in by:
            md += ['', f"Device memory / system memory: {by['p2p']['mbps_median'] / by['heap']['mbps_median']:.2f}x "
                   "the MB/s.  QEMU 7.2 emulates the CMB as MMIO (by a reading of its source, the "
                   "disk's DMA into it goes through one bounce page and small device callbacks), so "
                   "this ratio says what QEMU costs, not what a switch between two real devices does."]
        md.append('')
    with open(out + '.json', 'w') as f:
        json.dump(data, f, indent=1)
    with open(out + '.md', 'w') as f:
        f.write('\n'.join(md))


if __name__ == '__main__':
    main()
