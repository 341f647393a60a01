# make bench, device memory: the same read from the pattern disk into a
# system-heap dma-buf and into one in another NVMe controller's memory
# buffer (tests/p2p_bench.c, dma-bufs from /dev/test_dmabuf_p2p), with the
# registration cost of each.
run_test p2p_bench /tests/p2p_bench $(disk_by_serial dio0) 16
