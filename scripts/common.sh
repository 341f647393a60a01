# Sourced by the scripts: paths and small helpers shared by all of them.
# shellcheck shell=bash
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
KSRC=${KSRC:-$BUILD/linux}
PATCHES=$TOP/patches
KVER_PIN=${KVER_PIN:-6.12.117-1~deb12u1}
IDENT_NAME=${IDENT_NAME:-"Dmabuf DIO Developers"}
IDENT_EMAIL=${IDENT_EMAIL:-"dev@dmabuf-dio.example.org"}
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/dmabuf-dio/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export CCACHE_BASEDIR=$BUILD
# Kernel build outputs are keyed by config so incremental builds stay warm.
objdir() { echo "$BUILD/obj-$1"; }
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
CACHE=${CACHE:-/var/cache/dmabuf-dio}
