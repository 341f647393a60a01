# make p2p-probe: does PCI peer-to-peer DMA work in this machine?  Which
# devices published p2pmem, then O_DIRECT between the pattern disk and a
# piece of that memory (tests/p2p_probe.c).
for d in /sys/bus/pci/devices/*; do
	echo "dio: $(basename $d) $(cat $d/vendor):$(cat $d/device) class $(cat $d/class)" > /dev/kmsg
done
run_test p2p_probe /tests/p2p_probe $(disk_by_serial dio0)
