#!/usr/bin/env bash
# Boot kernel config NAME in QEMU with an emulated NVMe disk and run a plan.
# usage: boot.sh NAME PLAN [--iommu off|lazy|strict] [--mem MiB] [--smp N]
#                [--disk MiB] [--timeout S] [--append "..."] [--tag T]
#                [--nulldev 1]   (a second NVMe disk on QEMU's null-co driver,
#                                 reads return zeroes: a fast device for IOPS)
#                [--faults 1]    (arm fail_make_request for disks marked
#                                 make-it-fail and the dma_buf_dio KUnit
#                                 fault-injection case, which runs at boot)
# Writes build/runs/TAG/{console.log,tests.log}; exit 0 when the plan ran to
# its end, 124 on timeout, 1 otherwise.  Judging results is results.py's job.
set -euo pipefail
. "$(dirname "$0")/common.sh"
name=$1 plan=$2; shift 2
iommu=off mem=2048 smp=2 disk=256 tmo=900 append="" tag="" nulldev=0 faults=0
while [ $# -gt 0 ]; do
	case $1 in
	--iommu) iommu=$2;; --mem) mem=$2;; --smp) smp=$2;; --disk) disk=$2;;
	--timeout) tmo=$2;; --append) append=$2;; --tag) tag=$2;;
	--nulldev) nulldev=$2;; --faults) faults=$2;;
	*) die "unknown option $1";;
	esac; shift 2
done
if [ "$faults" = 1 ]; then
	append="fail_make_request=1,100,0,-1 dma_buf_dio_kunit.inject_faults=1 $append"
fi
tag=${tag:-$plan-$iommu}
obj=$(objdir "$name")
run=$BUILD/runs/$tag
mkdir -p "$run"
img=$BUILD/nvme-$disk.img
if [ ! -f "$img" ]; then
	gcc -O2 -I "$TOP/guest/tests" -o "$BUILD/mkimage" "$TOP/guest/tests/mkimage.c"
	log "writing the $disk MiB pattern image $img"
	"$BUILD/mkimage" "$img.tmp" "$disk" && mv "$img.tmp" "$img"
fi
# Tests write to the disk: each boot starts from a pristine copy (reflink/sparse copy is cheap).
cp --reflink=auto "$img" "$run/nvme.img"

machine=(-machine q35 -cpu max)
# nvme0n1 is the scratch disk the series' KUnit suite may overwrite.
cmdline="console=ttyS0 panic=-1 oops=panic panic_on_warn=0 dio.plan=$plan dma_buf_dio_kunit.disk=nvme0n1"
case $iommu in
off)	cmdline+=" intel_iommu=off";;
lazy)	machine+=(-device intel-iommu,intremap=off); cmdline+=" intel_iommu=on iommu.strict=0";;
strict)	machine+=(-device intel-iommu,intremap=off); cmdline+=" intel_iommu=on iommu.strict=1";;
*)	die "bad --iommu $iommu";;
esac
extra=()
if [ "$nulldev" = 1 ]; then
	extra=(-drive driver=null-co,size=4G,read-zeroes=on,if=none,id=nul
	       -device nvme,serial=dio1,drive=nul)
fi
accel=(-accel tcg,thread=multi)
if [ "${DIO_KVM:-0}" = 1 ]; then accel=(-accel kvm); fi
log "booting '$name' plan=$plan iommu=$iommu mem=${mem}M smp=$smp (timeout ${tmo}s, logs in $run)"
start=$(date +%s)
rc=0
timeout --foreground -k 5 "$tmo" qemu-system-x86_64 "${accel[@]}" "${machine[@]}" \
	-smp "$smp" -m "$mem" -nographic -no-reboot -nodefaults \
	-kernel "$obj/arch/x86/boot/bzImage" -initrd "$BUILD/initramfs-$name.cpio.gz" \
	-append "$cmdline $append" \
	-serial "file:$run/console.log" -serial "file:$run/tests.log" \
	-drive "file=$run/nvme.img,if=none,id=nvm,format=raw,cache=unsafe" \
	-device nvme,serial=dio0,drive=nvm "${extra[@]}" </dev/null >"$run/qemu.log" 2>&1 || rc=$?
echo $(( $(date +%s) - start )) > "$run/seconds"
rm -f "$run/nvme.img"
if [ $rc -eq 124 ]; then
	log "TIMEOUT after ${tmo}s: guest hung ($run/console.log)"
	exit 124
fi
grep -q "dio: plan finished" "$run/console.log" || { log "plan did not finish (qemu rc=$rc)"; exit 1; }
log "boot '$tag' done in $(cat "$run/seconds") s"
