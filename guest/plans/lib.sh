# Helpers for plans (sourced by /init).  A plan's output on ttyS1 is one KTAP
# document: /init prints its version line, and each run_test adds a subtest:
# the program's own KTAP, indented, named by a "# Subtest:" line after its
# version line, then a result line from its exit status (0 ok, 4 skip as in
# kselftest, anything else not ok).  scripts/results.py parses it with the
# kernel's KTAP parser (tools/testing/kunit/kunit_parser.py).
ktap_n=0
run_test() {
	name=$1; shift
	ktap_n=$((ktap_n + 1))
	echo "dio: test $name" > /dev/kmsg
	{ "$@" 2>&1; echo $? > /tmp/rc; } | ktap_nest "$name"
	rc=$(cat /tmp/rc)
	case $rc in
	0) echo "ok $ktap_n $name";;
	4) echo "ok $ktap_n $name # SKIP";;
	*) echo "not ok $ktap_n $name # exit status $rc";;
	esac
}
# Indent a program's output one KTAP level; copy the "#  RUN" line of each
# kselftest_harness case to the kernel log, so that a splat on the console
# names the case that ran.
ktap_nest() {
	hdr=0
	while IFS= read -r l; do
		echo "    $l"
		case $l in
		*"TAP version "*)
			[ $hdr = 0 ] && echo "    # Subtest: $1"
			hdr=1;;
		*"#  RUN "*) echo "dio: $1 #  RUN ${l##*#  RUN }" > /dev/kmsg;;
		esac
	done
}
# The series' selftests, through the kselftest runner (run_kselftest.sh,
# per-test timeout in seconds: the runner's default of 45 s is far too short
# for an emulated machine).
run_kselftests() {
	run_test kselftest /kselftest/run_kselftest.sh --override-timeout "$1"
}
# Mount the filesystem disks (NVMe serial fs-TYPE, made empty on the host by
# scripts/boot.py) at /mnt/TYPE, with the realtime device (serial rt-TYPE)
# where there is one; print the mount points, colon-separated.
mount_fs_disks() {
	dirs=
	for s in /sys/block/nvme*n1/device/serial; do
		[ -e "$s" ] || continue
		serial=$(tr -d ' ' < "$s")
		case $serial in fs-*) ;; *) continue;; esac
		t=${serial#fs-}
		dev=${s%/device/serial}
		opts=
		rt=$(disk_by_serial rt-$t) && opts="-o rtdev=$rt"
		mkdir -p /mnt/$t
		if mount -t $t $opts /dev/${dev##*/} /mnt/$t; then
			dirs=${dirs:+$dirs:}/mnt/$t
		else
			echo "dio: cannot mount ${dev##*/} ($t)" > /dev/kmsg
		fi
	done
	echo $dirs
}
# The block device of the NVMe disk with serial $1 (controllers probe
# asynchronously: their numbers are not their order on the command line).
disk_by_serial() {
	for s in /sys/block/nvme*n1/device/serial; do
		[ -e "$s" ] || continue
		if [ "$(tr -d ' ' < "$s")" = "$1" ]; then
			d=${s%/device/serial}
			echo /dev/${d##*/}
			return 0
		fi
	done
	return 1
}
