#!/usr/bin/env bash
# make bench: one boot per IOMMU mode (machines bench-off, bench-lazy,
# bench-strict) of the benchmark kernel; each runs the IOPS/throughput/
# registration matrix, the first one (DIO_BENCH_TABLE_MODES, default "off")
# also the 32x32 MB table; then a boot of the p2p kernel (machine bench-p2p)
# reads into device memory.  Writes results/bench-DATE.{md,json}.  Fails only
# if a data check fails.
set -euo pipefail
. "$(dirname "$0")/common.sh"
S=$(dirname "$0")
mib=${DIO_BENCH_MIB:-1024}
runs=${DIO_BENCH_RUNS:-5}
"$S/kbuild.sh" bench
"$S/initramfs.sh" bench
table_modes=" ${DIO_BENCH_TABLE_MODES:-off} "
dirs=()
for mode in ${DIO_BENCH_MODES:-off lazy strict}; do
	table=0
	[[ $table_modes == *" $mode "* ]] && table=1
	"$S/boot.py" "bench-$mode" --disk-mib "$mib" --mem $((mib * 3 + 1024)) \
		--append "dio.mib=$mib dio.runs=$runs dio.table=$table" ||
		die "bench boot ($mode) failed"
	dirs+=("$BUILD/runs/bench-$mode")
done
# Device memory: the p2p kernel on a machine with an NVMe CMB behind a switch
# (DIO_BENCH_P2P=0 leaves it out).
if [ "${DIO_BENCH_P2P:-1}" != 0 ]; then
	"$S/kbuild.sh" p2p
	"$S/initramfs.sh" p2p
	"$S/boot.py" bench-p2p || die "bench boot (p2p) failed"
	dirs+=("$BUILD/runs/bench-p2p")
fi
mkdir -p "$TOP/results"
out=$TOP/results/bench-$(date -u +%Y%m%d-%H%M)
python3 "$S/bench_report.py" "$out" "${dirs[@]}"
cat "$out.md"
! grep -h '^ *not ok' "${dirs[@]/%//tests.log}"
