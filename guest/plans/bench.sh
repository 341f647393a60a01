# make bench: the 32x32 MB table on the pattern disk (dio.table=1), then IOPS and
# throughput on the null-co NVMe disk (nvme1n1: reads cost the guest only
# its own per-I/O work, no data movement in the emulated device).
mib=$(sed -n 's/.*dio\.mib=\([0-9]*\).*/\1/p' /proc/cmdline)
runs=$(sed -n 's/.*dio\.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
table=$(sed -n 's/.*dio\.table=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ "${table:-1}" = 1 ]; then
	run_test dmabuf_load /tests/dmabuf_load "${mib:-1024}" "${runs:-5}"
fi
run_test iops /tests/iops /dev/nvme1n1
