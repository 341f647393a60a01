#!/usr/bin/env bash
# Configure an out-of-tree object dir from tinyconfig plus fragments.
# usage: kconfig.sh NAME FRAGMENT...   (fragments are names in configs/)
set -euo pipefail
. "$(dirname "$0")/common.sh"
name=$1; shift
obj=$(objdir "$name")
mkdir -p "$obj"
frags=()
for f in "$@"; do frags+=("$TOP/configs/$f.config"); done
sig=$(cat "${frags[@]}" | sha1sum | cut -c1-12)
if [ -f "$obj/.config" ] && [ "$(cat "$obj/.fragments" 2>/dev/null)" = "$sig" ]; then
	# Same fragments: refresh against the (possibly patched) Kconfig tree.
	make -s -C "$KSRC" O="$obj" olddefconfig
	exit 0
fi
log "configuring $name from tinyconfig + $*"
make -s -C "$KSRC" O="$obj" tinyconfig >/dev/null
(cd "$KSRC" && KCONFIG_CONFIG="$obj/.config" ./scripts/kconfig/merge_config.sh \
	-m -O "$obj" "$obj/.config" "${frags[@]}" >/dev/null)
make -s -C "$KSRC" O="$obj" olddefconfig
# Every fragment line must have survived (a typo or unmet dependency is a bug).
bad=0
for f in "${frags[@]}"; do
	while IFS= read -r line; do
		case "$line" in CONFIG_*=n) opt=${line%%=*}
			grep -q "^$opt=" "$obj/.config" && { echo "  $opt still set" >&2; bad=1; } ;;
		CONFIG_*) grep -qxF "$line" "$obj/.config" || { echo "  $line not applied" >&2; bad=1; } ;;
		esac
	done < "$f"
done
[ $bad -eq 0 ] || log "warning: some fragment options did not apply (see above)"
echo "$sig" > "$obj/.fragments"
