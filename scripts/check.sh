#!/usr/bin/env bash
# make check: everything CI runs.  Ends with "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/common.sh"
S=$(dirname "$0")
t0=$(date +%s)
"$S/deps.sh"
"$S/tree.sh"
if [ -n "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] ||
   [ "$(git -C "$KSRC" format-patch --stdout base..HEAD | git patch-id --stable | cut -d' ' -f1 | sort)" != \
     "$(cat "$PATCHES"/0*.patch 2>/dev/null | git patch-id --stable | cut -d' ' -f1 | sort)" ]; then
	log "NOTE: build/linux differs from patches/ -- testing the tree as it is; run 'make export'"
fi
mkdir -p "$BUILD/runs"
log "series hygiene (apply to pristine base, checkpatch --strict)"
"$S/hygiene.sh" > "$BUILD/runs/hygiene.txt" 2>&1 || echo "not ok hygiene script failed" >> "$BUILD/runs/hygiene.txt"
"$S/kbuild.sh" check guest iommu debug kunit
"$S/initramfs.sh" check
rm -rf "$BUILD/runs/check-off" "$BUILD/runs/check-strict" "$BUILD/runs/check-swiotlb"
# KUnit suites run at boot in the first boot only; the IOMMU boot repeats the data tests.
# fail_make_request armed for the fault-injection KUnit case (dma_buf_dio).
"$S/boot.sh" check check --iommu off --mem 8192 --timeout 2400 --faults 1 || true
# The IOMMU boot repeats the data tests only (KUnit: the disk suite).
"$S/boot.sh" check check --iommu strict --mem 8192 --timeout 2400 --faults 1 \
	--append "kunit.filter_glob=dma_buf_dio" || true
# All DMA bounce buffered (a confidential-computing guest): mappings are
# refused up front; every suite passes or skips, the console stays quiet.
"$S/boot.sh" check swiotlb --iommu off --mem 2048 --timeout 900 \
	--append "swiotlb=force" --tag check-swiotlb || true
log "check wall time: $(( $(date +%s) - t0 )) s"
DIO_HYGIENE=$BUILD/runs/hygiene.txt "$S/results.py" "$KSRC" "$BUILD/runs/check-off" "$BUILD/runs/check-strict" \
	"$BUILD/runs/check-swiotlb"
