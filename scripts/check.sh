#!/usr/bin/env bash
# make check: everything CI runs.  Boots every machine named check-*
# (machines/check-*.json: adding a boot is adding a file there), then judges
# hygiene and all boots together.  Ends with "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/common.sh"
S=$(dirname "$0")
export DIO_T0=${DIO_T0:-$(date +%s)}
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
# The judge itself: synthetic boots it must pass and fail.
"$S/results_selftest.py" "$KSRC" >> "$BUILD/runs/hygiene.txt" 2>&1 ||
	echo "not ok results.py self-test failed" >> "$BUILD/runs/hygiene.txt"
mapfile -t machines < <("$S/machine.py" list check-)
kernels=$(for m in "${machines[@]}"; do "$S/machine.py" show "$m" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["kernel"])'; done | sort -u)
for k in $kernels; do
	"$S/kbuild.sh" "$k"
	"$S/initramfs.sh" "$k"
done
runs=()
for m in "${machines[@]}"; do
	# A failed boot is judged (and counted) by results.py with the others.
	"$S/boot.py" "$m" || true
	runs+=("$BUILD/runs/$m")
done
DIO_HYGIENE=$BUILD/runs/hygiene.txt "$S/results.py" "$KSRC" "${runs[@]}"
