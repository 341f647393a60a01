# PCI peer-to-peer DMA into an NVMe controller memory buffer (CMB).
# make p2p-probe (p2p kernel): which devices published p2pmem, then
# O_DIRECT between the pattern disk and a piece of that memory
# (tests/p2p_probe.c: the status quo path, user pages of ZONE_DEVICE
# memory).  make check (machine check-p2p, check kernel): the same probe,
# then the series' path: the dma_buf_dio_p2p KUnit suite and the p2p
# selftests, with dma-bufs of that memory from lib/test_dmabuf_p2p.c, a
# disk on a root port of its own (serial far0), which cannot reach it, and
# an ext4 disk behind the switch for p2p.file.
for d in /sys/bus/pci/devices/*; do
	echo "dio: $(basename $d) $(cat $d/vendor):$(cat $d/device) class $(cat $d/class)" > /dev/kmsg
done
disk=$(disk_by_serial dio0)
far=$(disk_by_serial far0 || true)
run_test p2p_probe /tests/p2p_probe $disk
k=/sys/kernel/debug/kunit/dma_buf_dio_p2p
if [ -d $k ]; then
	# the suite ran at boot with disk=nvme0n1, maybe not this disk: name
	# the disks by serial and run it again, then put the knobs back
	p=/sys/module/dma_buf_dio_kunit/parameters
	old_disk=$(cat $p/disk) old_far=$(cat $p/far)
	echo ${disk#/dev/} > $p/disk
	echo ${far#/dev/} > $p/far
	run_test kunit-dma_buf_dio_p2p sh -c "echo 1 > $k/run && cat $k/results"
	echo "$old_disk" > $p/disk
	echo "$old_far" > $p/far
fi
if [ -x /kselftest/dmabuf_io/dmabuf_io_uring ]; then
	# p2p.file reads a file of the first file system into device memory
	DMABUF_IO_DIRS=$(mount_fs_disks)
	export DMABUF_IO_DISK=$disk DMABUF_IO_FAR=$far DMABUF_IO_DIRS
	run_test selftests-p2p /kselftest/dmabuf_io/dmabuf_io_uring -f p2p
fi
