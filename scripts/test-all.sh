#!/usr/bin/env bash
# Runs every test of sipline on a fresh Debian 12 machine: installs the SIP peers the tests
# start (Kamailio, SIPp, baresip, sox, espeak-ng, Python gRPC, tshark, Prometheus) when they are missing, then the whole
# Maven reactor.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v kamailio >/dev/null 2>&1 || need+=(kamailio)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v baresip >/dev/null 2>&1 || need+=(baresip-core)
command -v sox >/dev/null 2>&1 || need+=(sox)
# Opus calls go through Debian's libopus (JNA); the G.722 cross-check test reads libspandsp, which
# baresip-core's g722 module pulls in.
[ -e /usr/lib/x86_64-linux-gnu/libopus.so.0 ] || ldconfig -p 2>/dev/null | grep -q 'libopus.so.0' \
  || need+=(libopus0)
# The live-media tests and the example bot's test speak with espeak-ng.
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
# The Python client test uses Debian's own python3 (another python3 earlier on PATH may lack grpc).
if ! { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import grpc, grpc_tools' >/dev/null 2>&1; }; then
  need+=(python3 python3-grpcio python3-grpc-tools)
fi
# The benchmarks' quick mode times packets from kernel captures on lo.
command -v tshark >/dev/null 2>&1 || need+=(tshark)
# The metrics test scrapes sipline with Debian's Prometheus and checks the exposition with promtool.
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-all: installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # tshark's package asks whether non-root users may capture; answer it before installing.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo_cmd debconf-set-selections
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

exec mvn -B -ntp verify "$@"
