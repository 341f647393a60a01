#!/usr/bin/env bash
# make demo: build the benchmark kernel, boot it with a 1 GiB "model file" on
# an emulated NVMe disk, load it into 32 x 32 MB dma-bufs with each method the
# kernel supports, verify every byte and print the table.
set -euo pipefail
. "$(dirname "$0")/common.sh"
S=$(dirname "$0")
mib=${DIO_DEMO_MIB:-1024}
if [ "${DIO_KVM:-0}" != 1 ]; then
	log "running under QEMU TCG (software emulation): absolute numbers are those of an"
	log "emulated CPU and NVMe device; compare rows with each other, not with real hardware"
fi
"$S/kbuild.sh" bench guest iommu
"$S/initramfs.sh" bench
"$S/boot.sh" bench demo --disk "$mib" --mem $((mib * 3 + 1024)) --timeout 3000 \
	--append "kunit.enable=0 dio.mib=$mib" --tag demo || die "demo boot failed (see build/runs/demo)"
echo
sed -n 's/^# \(|.*\)$/\1/p; s/^# \([0-9]*x32MB.*\)$/\1/p' "$BUILD/runs/demo/tests.log"
if grep -q '^not ok' "$BUILD/runs/demo/tests.log"; then
	grep -E 'MISMATCH|FAILED|^not ok' "$BUILD/runs/demo/tests.log" >&2
	die "a method returned wrong data"
fi
DIO_HYGIENE= "$S/results.py" "$KSRC" "$BUILD/runs/demo" >/dev/null || die "kernel splat or failure in the demo boot (build/runs/demo/console.log)"
