#!/usr/bin/env bash
# The backend comparison BENCHMARKS.md §7 reports: the pacing harness's line stack (real SIP calls
# of core lines, SIPp registrar and callee, baresip streaming beside them) on jainsip and on pjsip,
# one after the other for each run and call count, so that both meet the same machine.
#
#   benchmarks/scripts/run-backends.sh JAR PJSIP_NATIVE OUT_DIR [CALLS] [RUNS]
#
# JAR is a built benchmarks.jar (mvn -B -ntp -pl benchmarks -am package -DskipTests).
# PJSIP_NATIVE is the folder holding a libsiplinepj.so built against a pjproject whose
# PJSUA_MAX_ACC and PJSUA_MAX_CALLS (and PJSUA_MAX_CONF_PORTS: two per call) allow the largest
# call count, with epoll (see backend-pjsip/README.md, "Building it"). CALLS defaults to
# 1,100,500 and RUNS to 3. Every measured process runs under nice -n -5 (root, or CAP_SYS_NICE),
# so that other work on a shared machine takes less from it; the load is recorded before and
# after each phase in OUT_DIR/load.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
native="$2"
out="$3"
calls="${4:-1,100,500}"
runs="${5:-3}"
mkdir -p "$out"

note() {
  echo "$1: $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
}

for run in $(seq 1 "$runs"); do
  for n in ${calls//,/ }; do
    for backend in jainsip pjsip; do
      dir="$out/$backend-$n-$run"
      note "$backend $n calls run $run start"
      nice -n -5 java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain \
        --backend "$backend" --pjsip-native "$native" --calls "$n" --runs 1 --out "$dir" \
        > "$dir.log" 2>&1 || echo "$backend $n calls run $run failed: see $dir.log" >> "$out/load.txt"
      note "$backend $n calls run $run end"
    done
  done
done
echo "results in $out"
