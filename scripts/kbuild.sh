#!/usr/bin/env bash
# Build bzImage for kernel config NAME (its fragments: configs/kernels.json).
# usage: kbuild.sh NAME
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ $# -eq 1 ] || die "usage: kbuild.sh NAME (fragment lists live in configs/kernels.json)"
name=$1
mapfile -t frags < <("$(dirname "$0")/machine.py" kernel "$name")
[ ${#frags[@]} -gt 0 ] || die "no kernel config '$name' in configs/kernels.json"
"$(dirname "$0")/kconfig.sh" "$name" "${frags[@]}"
obj=$(objdir "$name")
log "building kernel '$name' in $obj (log: $obj/build.log)"
start=$(date +%s)
mkdir -p "$CACHE"
# One kernel build at a time on this machine (2 cores).
exec 9>"$CACHE/build.lock"
flock 9
if ! make -C "$KSRC" O="$obj" -j"$(nproc)" CC="ccache gcc" KBUILD_BUILD_TIMESTAMP=2000-01-01 \
	KBUILD_BUILD_USER=dio KBUILD_BUILD_HOST=dio bzImage >"$obj/build.log" 2>&1; then
	grep -E 'error|Error' "$obj/build.log" | head -30 >&2
	die "kernel build '$name' failed (full log: $obj/build.log)"
fi
grep -E 'warning:' "$obj/build.log" | head -20 >&2 || true
log "kernel '$name' built in $(( $(date +%s) - start )) s"
