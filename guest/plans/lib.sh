# Helpers for plans (sourced by /init).  Every test prints KTAP between a
# begin and an end marker that scripts/results.py reads.
run_test() {
	name=$1; shift
	echo "dio-test-begin: $name"
	echo "dio: test $name" > /dev/kmsg
	"$@"
	echo "dio-test-end: $name rc=$?"
}
# run_test, and copy the "#  RUN" line of each kselftest_harness case to the
# kernel log, so that a splat on the console names the case that ran.  The
# program writes to a pipe then: only for programs that flush their output.
run_test_kmsg() {
	name=$1; shift
	echo "dio-test-begin: $name"
	echo "dio: test $name" > /dev/kmsg
	{ "$@"; echo $? > /tmp/rc; } 2>&1 | while IFS= read -r l; do
		echo "$l"
		case $l in "#  RUN "*) echo "dio: $name $l" > /dev/kmsg;; esac
	done
	echo "dio-test-end: $name rc=$(cat /tmp/rc)"
}
disk=/dev/nvme0n1
