# make boot PLAN=hotplug: only the selftests that reset and remove the disk's
# NVMe controller (with reads in flight), then rescan the bus for it.
export DMABUF_IO_DISK=/dev/nvme0n1 DMABUF_IO_HOTPLUG=1
run_test dmabuf_io_uring-hotplug /kselftest/dmabuf_io/dmabuf_io_uring -f hotplug
