#!/usr/bin/env bash
# Export build/linux base..HEAD to patches/ (numbered, with a cover letter
# whose subject and body come from docs/cover-letter.txt).
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ -d "$KSRC/.git" ] || die "no kernel tree at $KSRC"
[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] ||
	die "uncommitted changes in $KSRC: commit them first"
n=$(git -C "$KSRC" rev-list --count base..HEAD)
rm -f "$PATCHES"/*.patch
mkdir -p "$PATCHES"
[ "$n" -gt 0 ] || { log "no patches on top of base"; exit 0; }
git -C "$KSRC" config branch."$(git -C "$KSRC" rev-parse --abbrev-ref HEAD)".description \
	"$(cat "$TOP/docs/cover-letter.txt")"
git -C "$KSRC" format-patch -q -o "$PATCHES" --cover-letter --cover-from-description=subject \
	--zero-commit --no-signature --numbered base..HEAD >/dev/null
log "exported $n patches + cover letter to patches/"
