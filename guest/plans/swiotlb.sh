# make check's swiotlb=force boot: all DMA is bounce buffered, as in a
# confidential-computing guest, so long-term dma-buf mappings are refused up
# front (-EOPNOTSUPP).  The KUnit suites ran at boot (each passes or skips
# with its reason; iomap_bounce checks the refusal itself).  Here the
# selftests must pass or skip, and the refusals must have stayed quiet: no
# "swiotlb buffer is full" on the console.
export DMABUF_IO_DISK=/dev/nvme0n1
run_kselftests 600
run_test swiotlb_quiet sh -c '
	echo "TAP version 13"; echo "1..1"
	n=$(dmesg | grep -c "swiotlb buffer is full")
	if [ "$n" = 0 ]; then echo "ok 1 no swiotlb-full errors"
	else echo "not ok 1 $n swiotlb-full errors"; fi'
