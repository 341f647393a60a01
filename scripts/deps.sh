#!/usr/bin/env bash
# Install the Debian packages the workbench needs, only when something is missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

pkgs=(build-essential flex bison bc libelf-dev libssl-dev cpio kmod rsync xz-utils
      python3 python3-git python3-ply ccache qemu-system-x86 busybox-static liburing-dev git
      e2fsprogs xfsprogs f2fs-tools btrfs-progs)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
want_src="linux-source-6.12"
have_src=$(dpkg-query -W -f='${Version}' "$want_src" 2>/dev/null || true)
[ "$have_src" = "$KVER_PIN" ] || missing+=("src")

[ ${#missing[@]} -eq 0 ] && exit 0
log "installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt_pkgs=("${missing[@]/src/}")
if [ "$have_src" != "$KVER_PIN" ]; then
	# Not "madison | grep -q": with pipefail, grep's early exit fails the pipe.
	versions=$(apt-cache madison "$want_src" || true)
	if grep -qF "$KVER_PIN" <<<"$versions"; then
		apt_pkgs+=("$want_src=$KVER_PIN")
	else
		printf '\n!!!!!!!!!!\n!! WARNING: %s %s is gone from the archive;\n!! falling back to the newest available version. Results may differ.\n!!!!!!!!!!\n\n' \
			"$want_src" "$KVER_PIN" >&2
		apt_pkgs+=("$want_src")
	fi
fi
# shellcheck disable=SC2046
apt-get install -y -qq --allow-downgrades $(printf '%s\n' "${apt_pkgs[@]}" | grep .) >/dev/null
