# ITER_DMABUF workbench: build, boot, test and benchmark the patch series in
# patches/ on Debian's linux-source-6.12.  See README.md.
SHELL := /bin/bash
S := scripts

.PHONY: help demo check bench deps tree tree-fresh export kernel initramfs boot kunit hygiene clean distclean

help:                           ## this list
	@grep -E "^[a-z-]+:.*##" Makefile | sed "s/:.*##/\t/"

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

kernel:                         ## build the test kernel (config: guest + iommu + debug)
	$(S)/kbuild.sh check guest iommu debug kunit

initramfs:                      ## build the test initramfs
	$(S)/initramfs.sh check

PLAN ?= check
IOMMU ?= off
APPEND ?=
TIMEOUT ?= 3600
boot: kernel initramfs          ## boot the test kernel: make boot PLAN=check IOMMU=strict [APPEND=...]
	$(S)/boot.sh check $(PLAN) --iommu $(IOMMU) --mem 8192 --timeout $(TIMEOUT) --faults 1 --append "$(APPEND)"
	DIO_HYGIENE= $(S)/results.py build/linux build/runs/$(PLAN)-$(IOMMU)

hygiene:                        ## series applies + checkpatch --strict
	$(S)/hygiene.sh

clean:                          ## drop object dirs and runs (keeps the tree and ccache)
	rm -rf build/obj-* build/runs build/initramfs-*

distclean:
	rm -rf build
