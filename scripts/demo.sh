#!/usr/bin/env bash
# make demo: build the benchmark kernel, boot it with a 1 GiB "model file" on
# an emulated NVMe disk, load it into a system-heap dma-buf through
# ITER_DMABUF (progress shown live), verify it, then compare with the
# status-quo ways of loading it (32 x 32 MB buffers, every method the kernel
# supports, every byte verified).
set -euo pipefail
. "$(dirname "$0")/common.sh"
S=$(dirname "$0")
mib=${DIO_DEMO_MIB:-1024}
runs=${DIO_DEMO_RUNS:-1}
run=$BUILD/runs/demo
if [ "${DIO_KVM:-0}" = 1 ]; then
	log "using KVM (DIO_KVM=1)"
elif [ ! -w /dev/kvm ]; then
	log "NOTE: /dev/kvm is missing: the guest runs under QEMU TCG (software emulation), slower;"
	log "absolute numbers are those of an emulated CPU and NVMe device: compare rows, not hardware"
else
	log "NOTE: running under QEMU TCG (Linux guests hang under nested KVM on this machine kind;"
	log "DIO_KVM=1 tries KVM); absolute numbers are those of an emulated CPU and NVMe device"
fi
step() { log "step: $*"; }
step "build the benchmark kernel (guest + iommu config)"
"$S/kbuild.sh" bench || die "kernel build failed (see build/obj-bench/build.log)"
step "build the initramfs (busybox, test programs)"
"$S/initramfs.sh" bench || die "initramfs build failed"
step "boot: write a $mib MiB model file (verifiable pattern) to the NVMe disk, load it, compare"
rm -f "$run/tests.log"
mkdir -p "$run"
: >"$run/tests.log"
tail -n +1 -F "$run/tests.log" 2>/dev/null |
	sed -u -n 's/^ *# \(progress:.*\)$/    \1/p; s/^ *# \(model_load: .*\)$/    \1/p; s/^ *# \(safetensors_load: .*\)$/    \1/p' &
tailer=$!
trap 'kill $tailer 2>/dev/null || true' EXIT
"$S/boot.py" demo --disk-mib "$mib" --mem $((mib * 3 + 1024)) \
	--append "dio.mib=$mib dio.runs=$runs" || die "demo boot failed (see $run/console.log)"
sleep 1
kill $tailer 2>/dev/null || true
log=$run/tests.log
grep -q '^ *ok 1 model load' "$log" || die "the ITER_DMABUF model load failed (see $log)"
grep -q '^ *ok 1 safetensors model load' "$log" ||
	die "the safetensors model load from ext4 failed (see $log)"
echo
python3 - "$log" "$run/meta.json" <<'PY'
import json, sys
rows = {}
meta = json.load(open(sys.argv[2]))
m = meta['machine']
print(f"Guest: {m['cpus']} vCPUs, {m['memory_mib']} MiB, {'KVM' if m['accel'] == 'kvm' else 'QEMU TCG'}, "
      f"IOMMU {m['iommu']}; kernel {meta['kernel']['release']}, series {meta['series']}; "
      f"boot took {meta['seconds']:.0f} s.")
for line in open(sys.argv[1], errors='replace'):
    line = line.strip()
    if line.startswith('# JSON '):
        r = json.loads(line[7:])
        rows[r['id']] = r
m = rows.get('model_load')
print(f"Loaded {m['mib']} MiB of the raw NVMe namespace into one system-heap dma-buf through ITER_DMABUF:")
print(f"  {m['mbps']:.0f} MB/s, guest CPU {m['cpu_ms']:.0f} ms, every byte verified.")
s = rows.get('safetensors_load')
if s:
    print(f"Loaded a safetensors model file from ext4 ({s['tensors']} tensors, {s['mib']:.0f} MiB) into one")
    print(f"system-heap dma-buf, tensor by tensor, through ITER_DMABUF: {s['mbps']:.0f} MB/s "
          f"({100 * s['mbps'] / m['mbps']:.0f} % of the raw namespace), guest CPU {s['cpu_ms']:.0f} ms")
    print(f"  (header and tensors; allocating the buffer took {s.get('alloc_ms', 0):.0f} ms more, registering it "
          f"{s.get('register_ms', 0):.1f} ms),")
    print("  every tensor's checksum verified.")
print()
for src, title in [('ext4:', 'A 1 GiB file on ext4'), ('', 'The raw namespace (first 1 GiB)')]:
    print(f"{title} into 32 MB buffers (page cache dropped before each method):")
    print(f"  {'method':<28} {'MB/s':>6} {'CPU-ms':>7}")
    for key, what in [('dmabuf_uring_iter_dmabuf', 'this series'),
                      ('dmabuf_rw_first', 'status quo: read() into the dma-buf mmap'),
                      ('memfd_direct_rw', 'status quo: O_DIRECT into user memory (memfd)'),
                      ('udmabuf_memfd_direct_rw', 'status quo: O_DIRECT into udmabuf pages (GUP per I/O)'),
                      ('udmabuf_memfd_uring_fixed', 'status quo: io_uring fixed user buffers over udmabuf')]:
        r = rows.get(src + key)
        if r:
            print(f"  {r['method']:<28} {r['mbps']:6.0f} {r['cpu_ms']:7.0f}   {what}")
    print()
PY
echo
echo "Full table (the upstream thread's columns):"
sed -n 's/^ *# \(|.*\)$/\1/p; s/^ *# \([0-9]*x32MB.*\)$/\1/p' "$log"
if grep -q '^ *not ok' "$log"; then
	grep -E 'MISMATCH|FAILED|^ *not ok' "$log" >&2
	die "a method returned wrong data"
fi
"$S/results.py" "$KSRC" "$run" >/dev/null ||
	die "kernel splat or failure in the demo boot ($run/console.log)"
log "demo done; logs in $run"
