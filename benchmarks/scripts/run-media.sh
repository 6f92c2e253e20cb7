#!/usr/bin/env bash
# The live media measurements BENCHMARKS.md §6 reports (MEDIA.md's table), each result with the
# machine's load next to it. run-all.sh runs this as its fourth part.
#
#   benchmarks/scripts/run-media.sh JAR OUT_DIR
#
# JAR is a built benchmarks.jar (mvn -B -ntp -pl benchmarks -am package -DskipTests, which also
# builds server/target/sipline.jar). Needs sipp and tshark (allowed to capture on lo, e.g. as
# root). About an hour on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
out="$2"
mkdir -p "$out"

note() {
  echo "$1: $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/media-load.txt"
}

# Every phase but the stall on an otherwise idle server, three times (about 9 minutes each).
for run in 1 2 3; do
  note "media-alone-$run start"
  java -cp "$jar" org.sipline.benchmarks.media.MediaMain \
    --server-jar server/target/sipline.jar --out "$out/media-alone-$run"
  note "media-alone-$run end"
done
# The client that stops reading for 60 s, beside 500 calls a load process streams (about 5
# minutes each).
for run in 1 2 3; do
  note "media-stall-beside-500-$run start"
  java -cp "$jar" org.sipline.benchmarks.media.MediaMain --phases stall --beside-calls 500 \
    --server-jar server/target/sipline.jar --out "$out/media-stall-beside-500-$run"
  note "media-stall-beside-500-$run end"
done
# 500 bidirectional calls on one server (--lines 500), each Converse echoing its caller (about
# 6 minutes each, most of it setting up the calls).
for run in 1 2 3; do
  note "many-500-$run start"
  java -cp "$jar" org.sipline.benchmarks.media.MediaMain --calls 500 \
    --server-jar server/target/sipline.jar --out "$out/many-500-$run"
  note "many-500-$run end"
done
benchmarks/scripts/media-summary.py "$out"/media-alone-? > "$out/media-alone.md"
benchmarks/scripts/media-summary.py "$out"/media-stall-beside-500-? > "$out/media-stall-beside-500.md"
benchmarks/scripts/media-summary.py "$out"/many-500-? > "$out/many-500.md"
