# make bench: the 32x32 MB table on the pattern disk (dio.table=1) and the same
# 1 GiB from a file on ext4 (written on the host) and on XFS (copied here),
# then IOPS and throughput on the null-co NVMe disk (serial dio1: reads cost
# the guest only its own per-I/O work, no data movement in the emulated
# device).
mib=$(sed -n 's/.*dio\.mib=\([0-9]*\).*/\1/p' /proc/cmdline)
runs=$(sed -n 's/.*dio\.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
table=$(sed -n 's/.*dio\.table=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ "${table:-1}" = 1 ]; then
	run_test dmabuf_load /tests/dmabuf_load "${mib:-1024}" "${runs:-5}"
	dirs=$(mount_fs_disks)
	echo "dio: filesystems at $dirs" > /dev/kmsg
	if [ -f /mnt/ext4/pattern.bin ] && [ -d /mnt/xfs ]; then
		dd if=/mnt/ext4/pattern.bin of=/mnt/xfs/pattern.bin bs=4M 2>/dev/null
		sync
	fi
	for fs in ext4 xfs; do
		[ -f /mnt/$fs/pattern.bin ] || continue
		export DIO_DISK=/mnt/$fs/pattern.bin DIO_SOURCE=$fs
		run_test dmabuf_load_$fs /tests/dmabuf_load "${mib:-1024}" "${runs:-5}"
		unset DIO_DISK DIO_SOURCE
	done
fi
run_test iops /tests/iops "$(disk_by_serial dio1)"
