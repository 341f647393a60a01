#!/usr/bin/env bash
# Build the guest initramfs for kernel config NAME: busybox-static, /init,
# the plans, the workbench's own programs (guest/tests/Makefile) and the
# series' selftests, built and installed by the kselftest Makefile
# (TARGETS from guest/selftest-dirs) with its runner, linked statically.
set -euo pipefail
. "$(dirname "$0")/common.sh"
name=$1
obj=$(objdir "$name")
out=$BUILD/initramfs-$name.cpio.gz
root=$BUILD/initramfs-$name
hdr=$obj/usr/include
targets=$(tr '\n' ' ' < "$TOP/guest/selftest-dirs")

log "initramfs for '$name'"
make -s -C "$KSRC" O="$obj" headers >/dev/null
rm -rf "$root"; mkdir -p "$root"/{bin,sbin,usr/bin,proc,sys,dev,tmp,plans,tests,mnt}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$TOP/guest/init" "$root/init"; chmod +x "$root/init"
cp "$TOP"/guest/plans/*.sh "$root/plans/"
# run_kselftest.sh runs each test under coreutils' "timeout --foreground";
# busybox's timeout has the same semantics here (no job control in /init).
cat > "$root/usr/bin/timeout" <<'SH'
#!/bin/sh
[ "$1" = --foreground ] && shift
exec /bin/busybox timeout "$@"
SH
chmod +x "$root/usr/bin/timeout"

make -s -C "$TOP/guest/tests" OUT="$root/tests" KHDR="$hdr" \
	KSFT="$KSRC/tools/testing/selftests"
# The kselftest build goes to $obj/kselftest; the series' Makefiles are used
# as they are, static linking is the workbench's choice (USERLDFLAGS).
if [ -n "${targets// }" ]; then
	make -s -C "$KSRC/tools/testing/selftests" O="$obj" TARGETS="$targets" \
		USERLDFLAGS=-static KSFT_INSTALL_PATH="$root/kselftest" install >/dev/null
fi
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
log "initramfs: $out ($(du -h "$out" | cut -f1))"
