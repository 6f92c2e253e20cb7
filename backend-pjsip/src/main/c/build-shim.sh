#!/bin/sh
# Builds sipline's own pjsua shim, libsiplinepj.so, into the folder given as $1 when an
# installed pjproject is found; otherwise says why and succeeds, so that the module builds on
# every machine and its provider reports itself unavailable. It never builds PJSIP itself.
set -eu
out="$1"
here=$(cd "$(dirname "$0")" && pwd)

if [ -n "${SIPLINE_PJPROJECT_PREFIX:-}" ]; then
    PKG_CONFIG_PATH="$SIPLINE_PJPROJECT_PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    export PKG_CONFIG_PATH
fi
if ! command -v pkg-config >/dev/null 2>&1; then
    echo "[sipline] pkg-config missing: libsiplinepj.so not built; the pjsip backend will report itself unavailable"
    exit 0
fi
if ! pkg-config --exists libpjproject; then
    echo "[sipline] pjproject not found by pkg-config (set SIPLINE_PJPROJECT_PREFIX to its install prefix): libsiplinepj.so not built; the pjsip backend will report itself unavailable"
    exit 0
fi
echo "[sipline] building libsiplinepj.so against pjproject $(pkg-config --modversion libpjproject) in $(pkg-config --variable=prefix libpjproject)"
exec make -s -C "$here" OUT="$out"
