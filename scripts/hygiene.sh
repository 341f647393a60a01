#!/usr/bin/env bash
# Series hygiene: patches/ applies to a pristine base (in a scratch worktree,
# the working tree is not touched) and every patch passes checkpatch --strict
# without errors.  Prints "ok"/"not ok" lines for results.py.
set -euo pipefail
. "$(dirname "$0")/common.sh"
shopt -s nullglob
series=()
for p in "$PATCHES"/0*.patch; do
	case $p in *0000-cover-letter.patch) ;; *) series+=("$p");; esac
done
echo "# series: ${#series[@]} patches"
[ ${#series[@]} -gt 0 ] || { echo "ok series-empty # SKIP no patches yet"; exit 0; }
wt=$BUILD/series-check
git -C "$KSRC" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
git -C "$KSRC" worktree prune
git -C "$KSRC" worktree add -q --detach "$wt" base
if git -C "$wt" am -q "${series[@]}" >"$BUILD/series-am.log" 2>&1; then
	echo "ok series applies to base"
else
	echo "not ok series applies to base (see $BUILD/series-am.log)"
	git -C "$wt" am --abort >/dev/null 2>&1 || true
fi
for p in "${series[@]}"; do
	# Debian python for spdxcheck (git, ply), not a pyenv one.
	out=$(cd "$wt" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse --no-summary --show-types "$p" || true)
	if grep -q ': ERROR:' <<<"$out"; then
		echo "not ok checkpatch $(basename "$p")"
	else
		echo "ok checkpatch $(basename "$p")"
	fi
	[ -z "$out" ] || sed 's/^/#   /' <<<"$out"
done
git -C "$KSRC" worktree remove --force "$wt"
