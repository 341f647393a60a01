# ITER_DMABUF workbench: build, boot, test and benchmark the patch series in
# patches/ on Debian's linux-source-6.12.  See README.md.
SHELL := /bin/bash
S := scripts

.PHONY: help demo check bench deps tree tree-fresh export kernel initramfs boot soak p2p-probe machines hygiene clean distclean

help:                           ## this list
	@grep -E "^[a-z0-9-]+:.*##" Makefile | sed "s/:.*##/\t/"

demo: deps tree                 ## build, boot, load a 1 GiB model file into dma-bufs, print the table
	$(S)/demo.sh

bench: deps tree                ## 32x32 MB table + IOPS in three IOMMU modes -> results/
	$(S)/bench.sh

check: deps                     ## everything CI runs; ends with "N passed, N failed"
	$(S)/check.sh

deps:                           ## install missing Debian packages
	$(S)/deps.sh

tree:                           ## create build/linux (base + patches/) if missing
	$(S)/tree.sh

tree-fresh:                     ## reset build/linux to base and re-apply patches/ (drops local commits!)
	$(S)/tree.sh --fresh

export:                         ## write build/linux base..HEAD back to patches/
	$(S)/export.sh

KERNEL ?= check
kernel:                         ## build a kernel (KERNEL=check|bench, configs/kernels.json)
	$(S)/kbuild.sh $(KERNEL)

initramfs:                      ## build the initramfs for KERNEL
	$(S)/initramfs.sh $(KERNEL)

MACHINE ?= dev
PLAN ?= check
IOMMU ?= off
APPEND ?=
TIMEOUT ?= 3600
boot: kernel initramfs          ## boot a machine: make boot [MACHINE=dev] PLAN=check IOMMU=strict [APPEND=...]
	$(S)/boot.py $(MACHINE) --plan $(PLAN) --iommu $(IOMMU) --timeout $(TIMEOUT) \
		--append "$(APPEND)" --tag $(MACHINE)-$(PLAN)-$(IOMMU) || true
	$(S)/results.py build/linux build/runs/$(MACHINE)-$(PLAN)-$(IOMMU)

ROUNDS ?= 3
soak: kernel initramfs          ## long soak, not in make check: KUnit + selftests ROUNDS times, strict IOMMU
	$(S)/boot.py dev --plan stress --iommu strict --timeout $$(( $(ROUNDS) * 600 + 600 )) \
		--append "dio.rounds=$(ROUNDS) $(APPEND)" --tag soak || true
	$(S)/results.py build/linux build/runs/soak

p2p-probe: deps tree            ## not in make check: does PCI P2P DMA into an NVMe CMB work in QEMU (machine p2p-probe)
	$(S)/kbuild.sh p2p
	$(S)/initramfs.sh p2p
	$(S)/boot.py p2p-probe --tag p2p-probe || true
	$(S)/results.py build/linux build/runs/p2p-probe

machines:                       ## list the machine descriptions (machines/*.json)
	@for m in $$($(S)/machine.py list); do \
		printf '%-14s %s\n' $$m "$$($(S)/machine.py show $$m | python3 -c 'import json,sys; print(json.load(sys.stdin).get("about", ""))')"; done

hygiene:                        ## series applies + checkpatch --strict
	$(S)/hygiene.sh

clean:                          ## drop object dirs and runs (keeps the tree and ccache)
	rm -rf build/obj-* build/runs build/initramfs-*

distclean:
	rm -rf build
