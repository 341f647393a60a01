#!/usr/bin/env bash
# Create build/linux: Debian's linux-source-6.12 as a git repo tagged 'base',
# with patches/*.patch applied by git am.  An existing tree is left alone
# unless --fresh is given (then it is recreated; object dirs stay warm because
# they live outside the source tree and make only rebuilds what changed).
set -euo pipefail
. "$(dirname "$0")/common.sh"

fresh=0
[ "${1:-}" = "--fresh" ] && fresh=1

if [ -d "$KSRC/.git" ]; then
	if [ $fresh -eq 0 ]; then
		log "kernel tree exists: $KSRC (use 'make tree-fresh' to re-apply patches/)"
		exit 0
	fi
	# Reset in place: git rewrites only the files that differ, so the mtimes
	# of everything else stay put and the object dirs rebuild incrementally.
	log "resetting $KSRC to base"
	git -C "$KSRC" am --abort >/dev/null 2>&1 || true
	git -C "$KSRC" checkout -q -f -B master base
	git -C "$KSRC" clean -q -fdx
else
	tarball=/usr/src/linux-source-6.12.tar.xz
	[ -f "$tarball" ] || die "$tarball missing (run scripts/deps.sh)"
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	mkdir -p "$BUILD" "$CACHE"
	pristine=$CACHE/base-$srcver.tar
	if [ ! -f "$pristine" ]; then
		log "extracting $tarball ($srcver) and creating the base commit (~2 min)"
		rm -rf "$KSRC.new" && mkdir -p "$KSRC.new"
		tar -C "$KSRC.new" --strip-components=1 -xJf "$tarball"
		# Debian's tarball .gitignore ends by ignoring the whole top level.
		sed -i '/^# Debian packaging/,$d' "$KSRC.new/.gitignore"
		(cd "$KSRC.new" &&
		 git init -q -b master &&
		 git config gc.auto 0 && git config maintenance.auto false &&
		 git add -A &&
		 git -c user.name="$IDENT_NAME" -c user.email="$IDENT_EMAIL" \
		     -c commit.gpgsign=false commit -q \
		     -m "base: Debian linux-source-6.12 $srcver" &&
		 git tag base &&
		 git repack -adq)
		# Keep the base repository for fast re-creation in fresh clones.
		tar -C "$KSRC.new" -cf "$pristine.tmp" .git && mv "$pristine.tmp" "$pristine"
		rm -rf "$KSRC"; mv "$KSRC.new" "$KSRC"
	else
		log "creating $KSRC from the cached base repository"
		rm -rf "$KSRC" && mkdir -p "$KSRC"
		tar -C "$KSRC" -xf "$pristine"
		git -C "$KSRC" checkout -q -f -B master base
	fi
fi
git -C "$KSRC" config user.name "$IDENT_NAME"
git -C "$KSRC" config user.email "$IDENT_EMAIL"

shopt -s nullglob
series=("$PATCHES"/0*.patch)
series=("${series[@]/*0000-cover-letter.patch}")
set -- $(printf '%s\n' "${series[@]}" | grep . || true)
if [ $# -gt 0 ]; then
	log "applying $# patches from patches/"
	git -C "$KSRC" am -q --keep-cr "$@" || {
		git -C "$KSRC" am --abort || true
		die "series does not apply to base"
	}
fi
log "tree ready at $KSRC ($(git -C "$KSRC" rev-list --count base..HEAD) patches)"
