# Helpers for plans (sourced by /init).  Every test prints KTAP between a
# begin and an end marker that scripts/results.py reads.
run_test() {
	name=$1; shift
	echo "dio-test-begin: $name"
	"$@"
	echo "dio-test-end: $name rc=$?"
}
disk=/dev/nvme0n1
