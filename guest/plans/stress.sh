# Hunting an intermittent failure: run the disk KUnit suite and every series
# selftest dio.rounds= times (default 3).
# dio.only=NAME runs just the selftest case NAME (kselftest -t), no KUnit.
#   make boot PLAN=stress IOMMU=strict [APPEND="dio.rounds=5 dio.only=..."]
rounds=$(sed -n 's/.*dio\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
only=$(sed -n 's/.*dio\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
export DMABUF_IO_DISK=/dev/nvme0n1
f=/sys/kernel/debug/fail_make_request
[ -d $f ] && echo 0 > $f/verbose
i=0
while [ $i -lt "${rounds:-3}" ]; do
	i=$((i + 1))
	d=/sys/kernel/debug/kunit/dma_buf_dio
	[ -z "$only" ] && [ -d $d ] &&
		run_test kunit-dma_buf_dio-$i sh -c "echo 1 > $d/run && cat $d/results"
	if [ -n "$only" ]; then
		run_test dmabuf_io_uring-$i /kselftest/dmabuf_io/dmabuf_io_uring -t "$only"
	else
		run_test kselftest-$i /kselftest/run_kselftest.sh --override-timeout 1800
	fi
done
