# make demo: load the "model file" (the first N MiB of the NVMe disk) into
# 32 MB dma-bufs with every method this kernel supports and print the table.
mib=$(sed -n 's/.*dio\.mib=\([0-9]*\).*/\1/p' /proc/cmdline)
run_test dmabuf_load /tests/dmabuf_load "${mib:-1024}"
