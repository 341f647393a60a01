# make bench, device memory and movable mappings: the same reads from the
# pattern disk into a system-heap dma-buf (static), a system-memory dma-buf
# of a dynamic exporter (movable mapping) and one in another NVMe
# controller's memory buffer (tests/p2p_bench.c, the last two from
# /dev/test_dmabuf_p2p), with the registration cost of each.
run_test p2p_bench /tests/p2p_bench $(disk_by_serial dio0) 16
