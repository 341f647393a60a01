#!/usr/bin/env python3
"""Boot one guest machine (machines/NAME.json) in QEMU and run its plan.

usage: boot.py MACHINE [--tag T] [--plan P] [--iommu off|lazy|strict]
               [--mem MiB] [--disk-mib MiB] [--append "ARGS"] [--timeout S]

The options override the description for this boot (--disk-mib: the first
pattern disk; --append adds to the machine's kernel arguments).  DIO_KVM=1
boots with KVM instead of TCG.  Prints the QEMU command line, and writes
build/runs/TAG/ (TAG defaults to MACHINE): console.log (ttyS0), tests.log
(ttyS1: the plan's KTAP), qemu.log, meta.json (the machine as booted, the
argv, kernel config and fragments, git describe of the series and of the
workbench, exit status, seconds).  Exit status: 0 when the plan ran to its
end, 124 on timeout, 1 otherwise; judging results is results.py's job.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machine as mach  # noqa: E402

TOP = mach.TOP
BUILD = os.environ.get('BUILD', os.path.join(TOP, 'build'))
KSRC = os.environ.get('KSRC', os.path.join(BUILD, 'linux'))


def log(msg):
    print(f'==> {msg}', file=sys.stderr, flush=True)


def describe(repo, *extra):
    r = subprocess.run(['git', '-C', repo, 'describe', '--always', '--dirty', *extra],
                       capture_output=True, text=True, check=False)
    return r.stdout.strip() or None


def host():
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    qemu = subprocess.run(['qemu-system-x86_64', '--version'], capture_output=True,
                          text=True, check=False).stdout.splitlines()[:1]
    return {'name': platform.node(), 'cpu': cpu, 'cores': os.cpu_count(),
            'qemu': qemu[0] if qemu else ''}


def pattern_image(size_mib):
    """The pristine pattern image of size_mib MiB (written once, kept)."""
    img = os.path.join(BUILD, f'nvme-{size_mib}.img')
    if not os.path.exists(img):
        tool = os.path.join(BUILD, 'mkimage')
        subprocess.run(['gcc', '-O2', '-I', os.path.join(TOP, 'guest/tests'), '-o', tool,
                        os.path.join(TOP, 'guest/tests/mkimage.c')], check=True)
        log(f'writing the {size_mib} MiB pattern image {img}')
        subprocess.run([tool, img + '.tmp', str(size_mib)], check=True)
        os.rename(img + '.tmp', img)
    return img


# Empty filesystems, made fresh for every boot: the tests create their files.
MKFS = {
    # no lazy inode table / journal init: no background writes in the guest
    'ext4': ['mkfs.ext4', '-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0'],
    'xfs': ['mkfs.xfs', '-q', '-f'],
    'f2fs': ['mkfs.f2fs', '-q', '-f'],
    'btrfs': ['mkfs.btrfs', '-q', '-f'],
}


def host_tool(name):
    """Build a host tool from guest/tests/NAME.c (if its sources changed)."""
    tool = os.path.join(BUILD, name)
    srcs = [os.path.join(TOP, 'guest/tests', f) for f in (f'{name}.c', 'pattern.h', 'safetensors.h')]
    if not os.path.exists(tool) or any(os.path.getmtime(f) > os.path.getmtime(tool) for f in srcs):
        subprocess.run(['gcc', '-O2', '-I', os.path.join(TOP, 'guest/tests'), '-o', tool, srcs[0]],
                       check=True)
    return tool


def model_image(size_mib):
    """The pristine ext4 image of the demo (written once, kept): a safetensors
    model file (mksafetensors) and a 1 GiB pattern file (mkimage) for the
    32x32 MB table, put in by mke2fs -d."""
    img = os.path.join(BUILD, f'ext4-model-{size_mib}.img')
    tools = [host_tool('mksafetensors'), host_tool('mkimage')]
    if os.path.exists(img) and all(os.path.getmtime(t) < os.path.getmtime(img) for t in tools):
        return img
    tmp = os.path.join(BUILD, 'model-root')
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    log(f'writing the demo model file system {img} (safetensors model + 1 GiB pattern file)')
    subprocess.run([tools[0], os.path.join(tmp, 'model.safetensors')], check=True)
    subprocess.run([tools[1], os.path.join(tmp, 'pattern.bin'), '1024'], check=True)
    with open(img + '.tmp', 'wb') as f:
        f.truncate(size_mib << 20)
    subprocess.run(MKFS['ext4'] + ['-d', tmp, img + '.tmp'], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(tmp)
    os.rename(img + '.tmp', img)
    return img


def fs_image(path, d):
    """The image of filesystem disk d for one boot: empty (the tests create
    their files), or the demo's model file system.  An XFS disk with
    rtdev_mib gets its realtime device in PATH-rt.img (returned second)."""
    if d.get('content') == 'model':
        subprocess.run(['cp', '--reflink=auto', model_image(d['size_mib']), path], check=True)
        return path, None
    rt = path[:-4] + '-rt.img' if d.get('rtdev_mib') else None
    with open(path, 'wb') as f:
        f.truncate(d['size_mib'] << 20)
    extra = []
    if rt:
        with open(rt, 'wb') as f:
            f.truncate(d['rtdev_mib'] << 20)
        extra = ['-r', f'rtdev={rt}']
    feats = ['-O', ','.join(d['features'])] if d.get('features') else []
    subprocess.run(MKFS[d['fstype']] + feats + extra + [path], check=True,
                   stdout=subprocess.DEVNULL)
    return path, rt


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('machine')
    ap.add_argument('--tag')
    ap.add_argument('--plan')
    ap.add_argument('--iommu', choices=mach.IOMMU_MODES)
    ap.add_argument('--mem', type=int)
    ap.add_argument('--disk-mib', type=int)
    ap.add_argument('--append', default='')
    ap.add_argument('--timeout', type=int)
    opt = ap.parse_args()

    try:
        m = mach.load(opt.machine)
        if m.get('abstract'):
            raise mach.MachineError(f'machine {opt.machine} is abstract (a base for others)')
        overrides = {}
        for key, val in (('plan', opt.plan), ('iommu', opt.iommu), ('memory_mib', opt.mem),
                         ('timeout_s', opt.timeout)):
            if val is not None:
                overrides[key] = val
        if opt.append.strip():
            overrides['append'] = list(m.get('append', [])) + opt.append.split()
        if os.environ.get('DIO_KVM') == '1':
            overrides['accel'] = 'kvm'
        m.update(overrides)
        if opt.disk_mib:
            first = next((d for d in m['disks'] if d['kind'] == 'pattern'), None)
            if not first:
                raise mach.MachineError(f'machine {opt.machine} has no pattern disk')
            first['size_mib'] = opt.disk_mib
            overrides['disk_mib'] = opt.disk_mib
        mach.validate(m)
    except mach.MachineError as e:
        sys.exit(f'ERROR: {e}')

    kname = m['kernel']
    obj = os.path.join(BUILD, f'obj-{kname}')
    kernel_image = os.path.join(obj, 'arch/x86/boot/bzImage')
    initrd = os.path.join(BUILD, f'initramfs-{kname}.cpio.gz')
    for f in (kernel_image, initrd):
        if not os.path.exists(f):
            sys.exit(f'ERROR: {f} missing (scripts/kbuild.sh {kname}; scripts/initramfs.sh {kname})')
    tag = opt.tag or opt.machine
    run = os.path.join(BUILD, 'runs', tag)
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    # Tests write to the disks: each boot starts from a pristine copy.
    disk_files = {}
    for d in m['disks']:
        if d['kind'] == 'pattern':
            disk_files[d['id']] = os.path.join(run, f"{d['id']}.img")
            subprocess.run(['cp', '--reflink=auto', pattern_image(d['size_mib']),
                            disk_files[d['id']]], check=True)
        elif d['kind'] == 'fs':
            disk_files[d['id']], rt = fs_image(os.path.join(run, f"{d['id']}.img"), d)
            if rt:
                disk_files[f"{d['id']}-rt"] = rt
    args = mach.argv(m, kernel_image, initrd, run, disk_files)
    try:
        with open(os.path.join(obj, 'include/config/kernel.release')) as f:
            release = f.read().strip()
    except OSError:
        release = None
    meta = {
        'tag': tag,
        'machine': m,
        'overrides': overrides,
        'argv': args,
        'kernel': {'config': kname, 'fragments': mach.kernels()[kname]['fragments'],
                   'release': release},
        'series': describe(KSRC, '--tags'),
        'workbench': describe(TOP),
        'host': host(),
        'started': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
        'rc': None,
        'seconds': None,
    }

    def write_meta():
        with open(os.path.join(run, 'meta.json'), 'w') as f:
            json.dump(meta, f, indent=1)
            f.write('\n')

    write_meta()
    log(f"booting machine {opt.machine} as {tag}: kernel {kname}, plan {m['plan']}, "
        f"iommu {m['iommu']}, {m['memory_mib']} MiB, {m['cpus']} CPUs, {m['accel']} "
        f"(timeout {m['timeout_s']} s, logs in {run})")
    print('    ' + shlex.join(args), file=sys.stderr, flush=True)
    start = time.monotonic()
    with open(os.path.join(run, 'qemu.log'), 'w') as qlog:
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=qlog, stderr=subprocess.STDOUT)
        try:
            qrc = p.wait(timeout=m['timeout_s'])
        except subprocess.TimeoutExpired:
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            qrc = 124
    meta['seconds'] = round(time.monotonic() - start, 1)
    meta['qemu_rc'] = qrc
    for f in disk_files.values():
        os.unlink(f)
    try:
        with open(os.path.join(run, 'console.log'), errors='replace') as f:
            finished = 'dio: plan finished' in f.read()
    except OSError:
        finished = False
    if qrc == 124:
        meta['rc'] = 124
        log(f"TIMEOUT after {m['timeout_s']} s: guest hung ({run}/console.log)")
    elif not finished:
        meta['rc'] = 1
        log(f'plan did not finish (qemu exit status {qrc})')
    else:
        meta['rc'] = 0
        log(f"boot {tag} done in {meta['seconds']:.0f} s")
    write_meta()
    return meta['rc']


if __name__ == '__main__':
    sys.exit(main())
