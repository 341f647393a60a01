# make boot PLAN=files: the file tests only (KUnit dma_buf_dio_fs, the files
# selftests and err.other_file), with the time each fixture takes.
DMABUF_IO_DIRS=$(mount_fs_disks)
export DMABUF_IO_DIRS DMABUF_IO_DISK=$(disk_by_serial dio0)
echo "dio: filesystems at $DMABUF_IO_DIRS" > /dev/kmsg
p=/sys/module/dma_buf_dio_kunit/parameters/dirs
old_dirs=$(cat $p 2>/dev/null)
[ -e $p ] && echo "$DMABUF_IO_DIRS" | tr : , > $p
d=/sys/kernel/debug/kunit/dma_buf_dio_fs
[ -d $d ] && run_test kunit-dma_buf_dio_fs sh -c "echo 1 > $d/run && cat $d/results"
[ -e $p ] && echo "$old_dirs" > $p
for f in files err; do
	t0=$(cut -d' ' -f1 /proc/uptime)
	run_test selftests-$f /kselftest/dmabuf_io/dmabuf_io_uring -f $f
	echo "dio: fixture $f took $(cut -d' ' -f1 /proc/uptime) - $t0 s" > /dev/kmsg
done
