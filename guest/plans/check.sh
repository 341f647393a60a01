# make check: the workbench smoke test, KUnit suites that need the disk (run
# again from debugfs now that it has probed), then every series selftest
# shipped in /tests/selftests (built from tools/testing/selftests).
run_test smoke_odirect_fixed /tests/smoke_odirect_fixed
# fail_make_request is armed on the kernel command line (it only fails I/O
# on disks marked make-it-fail); no stack dumps for the forced failures now.
f=/sys/kernel/debug/fail_make_request
[ -d $f ] && echo 0 > $f/verbose
for suite in dma_buf_dio; do
	d=/sys/kernel/debug/kunit/$suite
	[ -d $d ] || continue
	run_test kunit-$suite sh -c "echo 1 > $d/run && cat $d/results"
done

for t in /tests/selftests/*; do
	[ -x "$t" ] || continue
	run_test_kmsg "$(basename "$t")" "$t"
done
