#!/usr/bin/env bash
# The quiet-machine pass of BENCHMARKS.md §8's "500 calls over 500 lines of one server" (issue 13):
# the run §8 reports once, twice more with the server jar under test, and, when a second server
# jar is given, once with it — the jar of a commit before core's PromptCache (bf1097f), since the
# cache has no switch (a static 64 MB cache of decoded prompts in core's Line) — so that the cache's
# share and the quiet machine's can be told apart. Run it only on a quiet machine (the load before
# and after each run goes to OUT/quiet-load.txt); the measured processes under nice -n -5 (root).
#
#   benchmarks/scripts/run-many-500-quiet.sh BENCHMARKS_JAR SERVER_JAR OUT_DIR [NO_CACHE_SERVER_JAR]
#
# About 6 minutes a run. Needs sipp and tshark (allowed to capture on lo).
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
server="$2"
out="$3"
nocache="${4:-}"
mkdir -p "$out"

one() {
  echo "$1 start $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/quiet-load.txt"
  nice -n -5 java -cp "$jar" org.sipline.benchmarks.media.MediaMain --calls 500 --many-audio play \
    --server-jar "$2" --out "$out/$1"
  echo "$1 end $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/quiet-load.txt"
}

one many-500-play-quiet-1 "$server"
if [ -n "$nocache" ]; then
  one many-500-play-quiet-nocache "$nocache"
fi
one many-500-play-quiet-2 "$server"
benchmarks/scripts/media-summary.py "$out"/many-500-play-quiet-* > "$out/many-500-play-quiet.md"
cat "$out/many-500-play-quiet.md"
