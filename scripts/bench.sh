#!/usr/bin/env bash
# make bench: one boot per IOMMU mode (machines bench-off, bench-lazy,
# bench-strict) of the benchmark kernel; each runs the IOPS/throughput/
# registration matrix, the first one (DIO_BENCH_TABLE_MODES, default "off")
# also the 32x32 MB table.  Writes results/bench-DATE.{md,json}.  Fails only
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
mkdir -p "$TOP/results"
out=$TOP/results/bench-$(date -u +%Y%m%d-%H%M)
python3 "$S/bench_report.py" "$out" "${dirs[@]}"
cat "$out.md"
! grep -h '^ *not ok' "${dirs[@]/%//tests.log}"
