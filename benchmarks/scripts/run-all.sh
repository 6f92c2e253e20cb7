#!/usr/bin/env bash
# Builds the benchmarks and runs every measurement BENCHMARKS.md reports, writing each result and
# the facts needed to reproduce it (commit, date, machine, load) into one directory.
#
#   benchmarks/scripts/run-all.sh [OUT_DIR]
#
# Needs: Java 17, Maven, sipp, baresip, tshark (allowed to capture on lo, e.g. as root), and
# CAP_SYS_NICE (e.g. root) for the pacer's real-time scheduling the product asks for.
# Takes about an hour and three quarters on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-benchmarks/target/results-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"

# -am builds server/target/sipline.jar too, which the latency runs start.
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
jar="$out/benchmarks.jar"
cp benchmarks/target/benchmarks.jar "$jar"

{
  echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD || echo ' (with local changes)')"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "tshark: $(tshark -v | head -1)"
  echo "baresip: $(dpkg-query -W -f '${Version}' baresip-core 2>/dev/null || echo unknown)"
  echo "sipp: $(sipp -v 2>&1 | grep -m1 -o 'v[0-9.]*' || echo unknown)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"

# 1. Microbenchmarks: 3 forks (the runs), 3 warm-up and 5 measured iterations of 1 s each.
java -jar "$jar" -f 3 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$out/jmh.json" | tee "$out/jmh.log"
benchmarks/scripts/jmh-summary.py "$out/jmh.json" > "$out/jmh.md"

# 2. Pacing and capacity, baresip beside sipline: as shipped (the pacer asks for SCHED_FIFO
#    itself, media.realtime's default), then at normal priority for comparison.
java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 1,100,500,1000 --runs 3 \
  --out "$out/pacing-default"
java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 500,1000 --runs 3 \
  --realtime off --out "$out/pacing-normal-priority"
# The default runs again with JFR keeping every park, wait and VM pause from 1 ms, to line stalls up.
java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 500,1000 --runs 3 \
  --jfr benchmarks/jfr/pacer-stalls.jfc --out "$out/pacing-stalls"
# Issue 6's flood: 100 calls, a 30 s window idle, then one under 5,000 stranger INVITEs per second.
java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 100 --runs 3 --seconds 30 \
  --baresip false --flood 5000 --out "$out/pacing-flood"

# 3. Latency through the real stack, alone and beside 500 streaming calls; three runs each.
for run in 1 2 3; do
  java -cp "$jar" org.sipline.benchmarks.latency.LatencyMain --samples 200 \
    --server-jar server/target/sipline.jar --out "$out/latency-alone-$run"
  java -cp "$jar" org.sipline.benchmarks.latency.LatencyMain --samples 200 --beside-calls 500 \
    --server-jar server/target/sipline.jar --out "$out/latency-beside-500-$run"
done

benchmarks/scripts/latency-summary.py "$out"/latency-alone-? > "$out/latency-alone.md"
benchmarks/scripts/latency-summary.py "$out"/latency-beside-500-? > "$out/latency-beside-500.md"

# 4. Live media (MEDIA.md's table): every phase alone three times, then the stalled client beside
#    500 calls three times.
benchmarks/scripts/run-media.sh "$jar" "$out"

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
echo "results in $out"
