#!/usr/bin/env bash
# The call-rate ramp BENCHMARKS.md §11 reports (issue 16 item 2): the server jar with many lines,
# Kamailio and SIPp, calls in and out at each rate; each run's summary.md gives per rate the failed
# calls, the set-up p50/p99 both ways and the server's CPU, and the knee (the first rate whose
# set-up p99 passed 50 ms). The server runs with JFR, so that what limits at the knee can be read
# with benchmarks/scripts/jfr-hot.py RECORDING FROM TO (the step's times are in run.log).
#
#   benchmarks/scripts/run-callrate.sh JAR OUT_DIR [RATES] [RUNS]
#
# JAR is a built benchmarks.jar (mvn -B -ntp -pl benchmarks -am package -DskipTests, which also
# builds server/target/sipline.jar). RATES defaults to 20,50,100,150,200 and RUNS to 1. The load
# is recorded before and after each run in OUT_DIR/load.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
out="$2"
rates="${3:-20,50,100,150,200}"
runs="${4:-1}"
mkdir -p "$out"

note() {
  echo "$1: $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
}

for run in $(seq 1 "$runs"); do
  dir="$out/callrate-$run"
  mkdir -p "$dir"
  note "run $run start"
  java -cp "$jar" org.sipline.benchmarks.callrate.CallRateMain --rates "$rates" --out "$dir" \
    --server-jvm "-XX:StartFlightRecording=filename=$(realpath "$dir")/server.jfr,settings=profile" \
    > "$dir/run.log" 2>&1 || echo "run $run failed: see $dir/run.log" >> "$out/load.txt"
  note "run $run end"
done
echo "results in $out"
