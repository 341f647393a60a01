# make bench: the 32x32 MB table on the pattern disk (dio.table=1) and the same
# 1 GiB from a file on ext4 (written on the host) and on XFS and f2fs (copied
# here; ITER_DMABUF and the status-quo methods for files only),
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
	# the file rows: ITER_DMABUF and the status-quo ways of loading a file
	export DIO_METHODS=dmabuf_uring_iter_dmabuf,dmabuf_rw_first,memfd_direct_rw,udmabuf_memfd_direct_rw,udmabuf_memfd_uring_fixed
	for fs in ext4 xfs f2fs; do
		if [ "$fs" != ext4 ] && [ -f /mnt/ext4/pattern.bin ] && [ -d /mnt/$fs ]; then
			dd if=/mnt/ext4/pattern.bin of=/mnt/$fs/pattern.bin bs=4M 2>/dev/null
			sync
		fi
		[ -f /mnt/$fs/pattern.bin ] || continue
		export DIO_DISK=/mnt/$fs/pattern.bin DIO_SOURCE=$fs
		run_test dmabuf_load_$fs /tests/dmabuf_load "${mib:-1024}" "${runs:-5}"
		unset DIO_DISK DIO_SOURCE
	done
	unset DIO_METHODS
fi
run_test iops /tests/iops "$(disk_by_serial dio1)"
