#!/usr/bin/env bash
# Runs every test of sipline on a fresh Debian 12 machine: installs the SIP peers the tests
# start (Kamailio, SIPp, baresip, sox) when they are missing, then the whole Maven reactor.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v kamailio >/dev/null 2>&1 || need+=(kamailio)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v baresip >/dev/null 2>&1 || need+=(baresip-core)
command -v sox >/dev/null 2>&1 || need+=(sox)
python3_debian=/usr/bin/python3
if [ -x "$python3_debian" ] && ! "$python3_debian" -c 'import grpc_tools' >/dev/null 2>&1; then
  need+=(python3-grpcio python3-grpc-tools)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "test-all: installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

exec mvn -B -ntp verify "$@"
