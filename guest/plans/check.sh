# make check: the workbench smoke test, a program written only against
# mainline's io_uring dma-buf UAPI, the disk KUnit suite again (it has probed
# now, and the filesystems are mounted), then the series' selftests through
# the kselftest runner.  The tests
# write the data they read themselves; DMABUF_IO_DISK names the disk they may
# write.
# The tests below write to nvme0n1: it must be the pattern disk (serial dio0),
# not one of the filesystem disks (controllers probe asynchronously).
run_test disk_names sh -c 'echo "TAP version 13"; echo 1..1; s=$(tr -d " " < /sys/block/nvme0n1/device/serial); if [ "$s" = dio0 ]; then echo "ok 1 nvme0n1 is the pattern disk"; else echo "not ok 1 nvme0n1 has serial $s, not dio0"; fi'
run_test smoke_odirect_fixed /tests/smoke_odirect_fixed
run_test mainline_abi /tests/mainline_abi /dev/nvme0n1
export DMABUF_IO_DISK=/dev/nvme0n1
# The hotplug selftests (last in dmabuf_io_uring) reset nvme0 and remove its
# PCI function with reads in flight, then rescan: nothing runs after them.
export DMABUF_IO_HOTPLUG=1
# fail_make_request is armed on the kernel command line (it only fails I/O
# on disks marked make-it-fail); no stack dumps for the forced failures now.
f=/sys/kernel/debug/fail_make_request
[ -d $f ] && echo 0 > $f/verbose
# Empty ext4, XFS (its realtime device on another controller), f2fs and
# btrfs filesystems on NVMe controllers of their own: the file tests (KUnit
# dirs=, selftests DMABUF_IO_DIRS) create their files there.
DMABUF_IO_DIRS=$(mount_fs_disks)
export DMABUF_IO_DIRS
echo "dio: filesystems at $DMABUF_IO_DIRS" > /dev/kmsg
p=/sys/module/dma_buf_dio_kunit/parameters/dirs
old_dirs=$(cat $p 2>/dev/null)
[ -e $p ] && echo "$DMABUF_IO_DIRS" | tr : , > $p
suites=dma_buf_dio
# the file suite only where the machine has file systems to give it
[ -n "$DMABUF_IO_DIRS" ] && suites="$suites dma_buf_dio_fs"
for suite in $suites; do
	d=/sys/kernel/debug/kunit/$suite
	[ -d $d ] || continue
	run_test kunit-$suite sh -c "echo 1 > $d/run && cat $d/results"
done
[ -e $p ] && echo "$old_dirs" > $p
# dio.fixtures=a,b.v on the kernel command line (a machine's "append"):
# only those fixtures of the series' selftests (b.v: variant v of fixture
# b), one run each; otherwise all of them through the kselftest runner.
fixtures=$(sed -n 's/.*dio\.fixtures=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$fixtures" ]; then
	for f in $(echo "$fixtures" | tr , ' '); do
		case $f in
		*.*) args="-f ${f%%.*} -v ${f#*.}";;
		*) args="-f $f";;
		esac
		run_test selftests-$f /kselftest/dmabuf_io/dmabuf_io_uring $args
	done
else
	run_kselftests 1800
fi
# A selftest killed by its timeout skips its teardown: give the disk back.
echo 1 > /sys/bus/pci/rescan
echo 0 > /sys/block/nvme0n1/make-it-fail 2>/dev/null
