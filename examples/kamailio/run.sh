#!/usr/bin/env bash
# Runs the example registrar in the foreground on 127.0.0.1:5080 (Ctrl-C stops it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rundir="$(mktemp -d -t sipline-kamailio.XXXXXX)"
trap 'rm -rf "$rundir"' EXIT
kamailio -DD -E -f "$here/kamailio.cfg" -Y "$rundir" -A "DBURL=\"text://$here/db\"" "$@"
