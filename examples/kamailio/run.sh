#!/usr/bin/env bash
# Runs the example registrar in the foreground on 127.0.0.1:5080; Ctrl-C (or SIGTERM to this
# script) stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rundir="$(mktemp -d -t sipline-kamailio.XXXXXX)"
kamailio -DD -E -f "$here/kamailio.cfg" -Y "$rundir" -A "DBURL=\"text://$here/db\"" "$@" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' INT TERM
trap 'rm -rf "$rundir"' EXIT
wait "$pid" || true
wait "$pid" 2>/dev/null || true
