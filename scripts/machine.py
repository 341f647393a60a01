#!/usr/bin/env python3
"""Guest machines as data: machines/NAME.json -> the QEMU argv that boots it.

A machine description names the kernel config (configs/kernels.json), the
guest plan, the IOMMU mode, memory, CPUs, accelerator, disks and extra kernel
arguments.  "extends": "OTHER" starts from OTHER's description (keys given
here replace OTHER's).  boot.py boots one; check.sh, bench.sh and demo.sh pick
machines by name; everything downstream reads the meta.json boot.py writes.

usage: machine.py show NAME      print the resolved description (JSON)
       machine.py list [PREFIX]  machine names (abstract ones left out)
       machine.py kernel NAME    fragments of kernel config NAME, one a line
"""
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MACHINES = os.path.join(TOP, 'machines')
IOMMU_MODES = ('off', 'lazy', 'strict')
DISK_KINDS = ('pattern', 'null', 'fs')
FS_TYPES = ('ext4', 'xfs', 'f2fs', 'btrfs')
# Where the NVMe controllers sit: on the root complex, or each on a
# downstream port of one PCIe switch (x3130) under a root port, the layout
# in which Linux allows peer-to-peer DMA between them (one upstream bridge).
TOPOLOGIES = ('root', 'switch')
ACCELS = ('tcg', 'kvm')


class MachineError(Exception):
    pass


def kernels():
    with open(os.path.join(TOP, 'configs', 'kernels.json')) as f:
        return json.load(f)


def load(name, seen=()):
    """The description of machine NAME with its "extends" chain resolved."""
    if name in seen:
        raise MachineError(f'machine {name}: "extends" loops ({" -> ".join(seen)})')
    path = os.path.join(MACHINES, name + '.json')
    try:
        with open(path) as f:
            desc = json.load(f)
    except OSError as e:
        raise MachineError(f'machine {name}: {e.strerror} ({path})') from None
    except ValueError as e:
        raise MachineError(f'machine {name}: bad JSON in {path}: {e}') from None
    base = desc.pop('extends', None)
    if base:
        parent = load(base, seen + (name,))
        parent.pop('abstract', None)
        parent.pop('about', None)
        parent.update(desc)
        desc = parent
    desc['id'] = name
    return desc


def validate(m):
    """Raise MachineError unless m can be booted."""
    need = ('kernel', 'plan', 'iommu', 'memory_mib', 'cpus', 'accel', 'disks', 'timeout_s')
    missing = [k for k in need if k not in m]
    if missing:
        raise MachineError(f"machine {m['id']}: missing {', '.join(missing)}")
    if m['kernel'] not in kernels():
        raise MachineError(f"machine {m['id']}: unknown kernel config {m['kernel']!r} "
                           "(configs/kernels.json)")
    if m['iommu'] not in IOMMU_MODES:
        raise MachineError(f"machine {m['id']}: iommu must be one of {IOMMU_MODES}")
    if m['accel'] not in ACCELS:
        raise MachineError(f"machine {m['id']}: accel must be one of {ACCELS}")
    if m.get('topology', 'root') not in TOPOLOGIES:
        raise MachineError(f"machine {m['id']}: topology must be one of {TOPOLOGIES}")
    ids = set()
    for d in m['disks']:
        if d.get('kind') not in DISK_KINDS or 'id' not in d or 'size_mib' not in d:
            raise MachineError(f"machine {m['id']}: disk {d} needs id, size_mib and "
                               f"kind in {DISK_KINDS}")
        if d['kind'] == 'fs' and d.get('fstype') not in FS_TYPES:
            raise MachineError(f"machine {m['id']}: fs disk {d['id']} needs fstype in {FS_TYPES}")
        feats = d.get('features', [])
        if feats and (d['kind'] != 'fs' or d.get('content') or
                      not all(isinstance(f, str) and f.isidentifier() for f in feats)):
            raise MachineError(f"machine {m['id']}: disk {d['id']}: features are mkfs "
                               "feature names, for empty fs disks only")
        rt = d.get('rtdev_mib')
        if rt is not None and (d.get('fstype') != 'xfs' or d.get('content') or
                               not isinstance(rt, int) or rt < 16):
            raise MachineError(f"machine {m['id']}: disk {d['id']}: rtdev_mib (a realtime "
                               "device of >= 16 MiB) is for empty xfs disks only")
        if d['kind'] == 'fs' and d.get('content') not in (None, 'model'):
            raise MachineError(f"machine {m['id']}: fs disk {d['id']}: content must be 'model'")
        if d.get('content') == 'model' and (d['fstype'] != 'ext4' or d['size_mib'] < 2600):
            raise MachineError(f"machine {m['id']}: the model file system is ext4 of >= 2600 MiB")
        cmb = d.get('cmb_mib')
        # QEMU wants a power-of-two BAR, Linux a CMB aligned to 2 MiB
        if cmb is not None and (not isinstance(cmb, int) or cmb < 2 or cmb & (cmb - 1)):
            raise MachineError(f"machine {m['id']}: disk {d['id']}: cmb_mib (the controller "
                               "memory buffer) must be a power of two >= 2")
        if d.get('port', 'switch') not in ('switch', 'own'):
            raise MachineError(f"machine {m['id']}: disk {d['id']}: port is 'switch' or 'own'")
        if d.get('port') == 'own' and (m.get('topology') != 'switch' or d.get('rtdev_mib')):
            raise MachineError(f"machine {m['id']}: disk {d['id']}: port 'own' (a root port "
                               "outside the switch) is for disks of switch machines")
        if d['id'] in ids:
            raise MachineError(f"machine {m['id']}: two disks with id {d['id']}")
        ids.add(d['id'])


def cmdline(m):
    """Kernel command line of machine m."""
    args = ['console=ttyS0', 'panic=-1', 'oops=panic', 'panic_on_warn=0',
            f"dio.plan={m['plan']}",
            # The first controller's namespace is the scratch disk the disk
            # KUnit suite may overwrite (the plans name it to the selftests).
            'dma_buf_dio_kunit.disk=nvme0n1']
    if m['iommu'] == 'off':
        args.append('intel_iommu=off')
    else:
        args += ['intel_iommu=on', f"iommu.strict={1 if m['iommu'] == 'strict' else 0}"]
    if m.get('faults'):
        # fail_make_request fails I/O only on disks marked make-it-fail; the
        # dma_buf_dio KUnit fault-injection case runs at boot.
        args += ['fail_make_request=1,100,0,-1', 'dma_buf_dio_kunit.inject_faults=1']
    return ' '.join(args + list(m.get('append', [])))


def serial(d):
    """The NVMe serial number of disk d.  A filesystem disk's says what to
    mount (fs-TYPE): the guest mounts it at /mnt/TYPE.  An XFS disk's realtime
    device is on a controller of its own, serial rt-xfs."""
    if d['kind'] == 'fs':
        return f"fs-{d['fstype']}"
    return d.get('serial', d['id'])


def argv(m, kernel_image, initrd, run_dir, disk_files):
    """The QEMU argv booting machine m.  disk_files maps a pattern disk's id
    to the image file this boot uses; serial ports 1 and 2 go to files in
    run_dir (kernel console, test output)."""
    accel = ['-accel', 'kvm'] if m['accel'] == 'kvm' else ['-accel', 'tcg,thread=multi']
    a = ['qemu-system-x86_64'] + accel + ['-machine', 'q35', '-cpu', 'max']
    if m['iommu'] != 'off':
        a += ['-device', 'intel-iommu,intremap=off']
    a += ['-smp', str(m['cpus']), '-m', str(m['memory_mib']),
          '-nographic', '-no-reboot', '-nodefaults',
          '-kernel', kernel_image, '-initrd', initrd, '-append', cmdline(m),
          '-serial', f"file:{os.path.join(run_dir, 'console.log')}",
          '-serial', f"file:{os.path.join(run_dir, 'tests.log')}"]
    ports = iter(())
    switch = m.get('topology') == 'switch'
    if switch:
        # A disk with "port": "own" sits on a root port of its own, after
        # the switch: reaching the switch's devices means going through the
        # host bridge, which Linux does not trust for P2P on q35.
        sw = [d for d in m['disks'] if d.get('port') != 'own']
        n = len(sw) + sum(1 for d in sw if d.get('rtdev_mib'))
        a += ['-device', 'pcie-root-port,id=rp0,bus=pcie.0,chassis=1,slot=1',
              '-device', 'x3130-upstream,id=sw0,bus=rp0']
        for i in range(n):
            a += ['-device', f'xio3130-downstream,id=dp{i},bus=sw0,chassis={2 + i},slot=0']
        ports = iter([f',bus=dp{i}' for i in range(n)])
        own = [d['id'] for d in m['disks'] if d.get('port') == 'own']
        for j, i in enumerate(own):
            a += ['-device', f'pcie-root-port,id=rp{i},bus=pcie.0,chassis={64 + j},slot={2 + j}']
    for d in m['disks']:
        if d['kind'] in ('pattern', 'fs'):
            drive = f"file={disk_files[d['id']]},if=none,id={d['id']},format=raw,cache=unsafe"
        else:
            drive = (f"driver=null-co,size={d['size_mib']}M,read-zeroes=on,"
                     f"if=none,id={d['id']}")
        cmb = f",cmb_size_mb={d['cmb_mib']}" if d.get('cmb_mib') else ''
        port = f",bus=rp{d['id']}" if d.get('port') == 'own' else next(ports, '')
        a += ['-drive', drive,
              '-device', f"nvme,serial={serial(d)},drive={d['id']}{cmb}{port}"]
        if d.get('rtdev_mib'):
            rt = f"{d['id']}-rt"
            a += ['-drive', f"file={disk_files[rt]},if=none,id={rt},format=raw,cache=unsafe",
                  '-device', f"nvme,serial=rt-{d['fstype']},drive={rt}{next(ports, '')}"]
    return a


def names(prefix=''):
    out = []
    for f in sorted(os.listdir(MACHINES)):
        if f.endswith('.json') and f.startswith(prefix):
            name = f[:-5]
            if not load(name).get('abstract'):
                out.append(name)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    try:
        if sys.argv[1] == 'show' and len(sys.argv) == 3:
            m = load(sys.argv[2])
            validate(m)
            print(json.dumps(m, indent=1))
        elif sys.argv[1] == 'list':
            print('\n'.join(names(sys.argv[2] if len(sys.argv) > 2 else '')))
        elif sys.argv[1] == 'kernel' and len(sys.argv) == 3:
            k = kernels().get(sys.argv[2])
            if not k:
                raise MachineError(f'unknown kernel config {sys.argv[2]!r} (configs/kernels.json)')
            print('\n'.join(k['fragments']))
        else:
            sys.exit(__doc__)
    except MachineError as e:
        sys.exit(f'ERROR: {e}')


if __name__ == '__main__':
    main()
