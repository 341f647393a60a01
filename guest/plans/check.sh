# make check: the workbench smoke test, a program written only against
# mainline's io_uring dma-buf UAPI, the disk KUnit suite again (it has probed
# now), then the series' selftests through the kselftest runner.  The tests
# write the data they read themselves; DMABUF_IO_DISK names the disk they may
# write.
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
for suite in dma_buf_dio; do
	d=/sys/kernel/debug/kunit/$suite
	[ -d $d ] || continue
	run_test kunit-$suite sh -c "echo 1 > $d/run && cat $d/results"
done
run_kselftests 1800
# A selftest killed by its timeout skips its teardown: give the disk back.
echo 1 > /sys/bus/pci/rescan
echo 0 > /sys/block/nvme0n1/make-it-fail 2>/dev/null
