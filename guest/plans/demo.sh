# make demo: (1) load the "model file" (the first N MiB of the NVMe disk)
# into one system-heap dma-buf through io_uring + ITER_DMABUF, with progress
# lines, and verify it; (2) load a safetensors model file from ext4 the same
# way, tensor by tensor, and check every tensor's checksum; (3) load a 1 GiB
# file on ext4 into 32 MB buffers with every method this kernel supports, for
# the comparison table (and the raw disk again, for the file-vs-disk ratio).
mib=$(sed -n 's/.*dio\.mib=\([0-9]*\).*/\1/p' /proc/cmdline)
runs=$(sed -n 's/.*dio\.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
run_test model_load /tests/model_load "${mib:-1024}"
dirs=$(mount_fs_disks)
echo "dio: filesystems at $dirs" > /dev/kmsg
run_test safetensors_load /tests/safetensors_load /mnt/ext4/model.safetensors
export DIO_DISK=/mnt/ext4/pattern.bin DIO_SOURCE=ext4
run_test dmabuf_load_ext4 /tests/dmabuf_load "${mib:-1024}" "${runs:-1}"
unset DIO_DISK DIO_SOURCE
run_test dmabuf_load /tests/dmabuf_load "${mib:-1024}" "${runs:-1}"
