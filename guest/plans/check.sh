# make check: the workbench smoke test, then every series selftest shipped in
# /tests/selftests (built from the kernel tree's tools/testing/selftests).
run_test smoke_odirect_fixed /tests/smoke_odirect_fixed
for t in /tests/selftests/*; do
	[ -x "$t" ] || continue
	run_test "$(basename "$t")" "$t"
done
