#!/usr/bin/env bash
# Generates the bot's Python modules from the repository's protos into gen/ (git-ignored):
# sipline.media.v1 (live audio) and ondewo.sip (register, session, hang up).
# Needs Debian's python3-grpcio and python3-grpc-tools, used through Debian's own python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
proto="$here/../../api/src/main/proto"
out="${1:-$here/gen}"
mkdir -p "$out"
/usr/bin/python3 -m grpc_tools.protoc -I "$proto" \
  --python_out="$out" --grpc_python_out="$out" \
  "$proto/sipline/media/v1/media.proto" "$proto/ondewo/sip/sip.proto"
echo "generated into $out"
