#!/usr/bin/env bash
# Build bzImage for one config: kbuild.sh NAME FRAGMENT...
set -euo pipefail
. "$(dirname "$0")/common.sh"
name=$1
"$(dirname "$0")/kconfig.sh" "$@"
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
