#!/usr/bin/env bash
# Build the guest initramfs for kernel config NAME: busybox-static, /init,
# the plans, the workbench's own test/bench programs and every selftest of the
# series (tools/testing/selftests/$SELFTEST_DIRS), all linked statically.
set -euo pipefail
. "$(dirname "$0")/common.sh"
name=$1
obj=$(objdir "$name")
out=$BUILD/initramfs-$name.cpio.gz
root=$BUILD/initramfs-$name
hdr=$obj/usr/include
# Selftest directories the series adds (empty until it has some).
SELFTEST_DIRS=${SELFTEST_DIRS:-$(cat "$TOP/guest/selftest-dirs" 2>/dev/null || true)}

log "initramfs for '$name'"
make -s -C "$KSRC" O="$obj" headers >/dev/null
rm -rf "$root"; mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,plans,tests/selftests,mnt}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$TOP/guest/init" "$root/init"; chmod +x "$root/init"
cp "$TOP"/guest/plans/*.sh "$root/plans/"

CFLAGS=(-O2 -g0 -static -Wall -isystem "$hdr"
	-I "$KSRC/tools/testing/selftests" -I "$TOP/guest/tests")
for src in "$TOP"/guest/tests/*.c; do
	b=$(basename "$src" .c)
	[ "$b" = mkimage ] && continue
	gcc "${CFLAGS[@]}" -o "$root/tests/$b" "$src" -luring -lpthread
done
for d in $SELFTEST_DIRS; do
	for src in "$KSRC/tools/testing/selftests/$d"/*.c; do
		[ -f "$src" ] || continue
		b=$(basename "$src" .c)
		# Helper sources (no main) are linked into the tests of their dir.
		grep -qE '^(int main|TEST_HARNESS_MAIN)' "$src" || continue
		helpers=$(grep -LE '^(int main|TEST_HARNESS_MAIN)' "$KSRC/tools/testing/selftests/$d"/*.c || true)
		gcc "${CFLAGS[@]}" -I "$KSRC/tools/testing/selftests/$d" -o "$root/tests/selftests/$b" \
			"$src" $helpers -luring -lpthread
	done
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
log "initramfs: $out ($(du -h "$out" | cut -f1))"
