#!/usr/bin/env bash
# Issue 15's call benchmarks that BENCHMARKS.md §9 reports: 500 calls of plain PCMU, SRTP PCMU,
# G.722 and SRTP G.722 in turn (pacing p99 and CPU side by side, baresip beside each), then how
# many Opus calls keep pacing p99 under 1 ms; each result with the machine's load next to it.
#
#   benchmarks/scripts/run-codecs.sh JAR OUT_DIR
#
# JAR is a built benchmarks.jar (mvn -B -ntp -pl benchmarks -am package -DskipTests). Needs sipp,
# baresip, tshark (allowed to capture on lo) and libopus0. About 25 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
out="$2"
mkdir -p "$out"

note() {
  echo "$1: $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/codecs-load.txt"
}

note "codecs-500 start"
java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 500 \
  --codec pcmu,g722 --srtp off,require --runs 3 --out "$out/codecs-500"
note "codecs-500 end"
note "opus start"
java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 50,100,125,150,200 \
  --codec opus --runs 3 --out "$out/opus"
note "opus end"
