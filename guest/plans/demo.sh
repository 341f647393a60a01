# make demo: (1) load the "model file" (the first N MiB of the NVMe disk)
# into one system-heap dma-buf through io_uring + ITER_DMABUF, with progress
# lines, and verify it; (2) load it into 32 MB buffers with every method
# this kernel supports, for the comparison table.
mib=$(sed -n 's/.*dio\.mib=\([0-9]*\).*/\1/p' /proc/cmdline)
runs=$(sed -n 's/.*dio\.runs=\([0-9]*\).*/\1/p' /proc/cmdline)
run_test model_load /tests/model_load "${mib:-1024}"
run_test dmabuf_load /tests/dmabuf_load "${mib:-1024}" "${runs:-1}"
