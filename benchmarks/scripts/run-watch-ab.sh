#!/usr/bin/env bash
# WatchStatus fan-out (BENCHMARKS.md §8), two server jars side by side: 1000 watchers of one line
# over 8 channels, runs alternating A, B, A, B, ... in the same hour so that the machine's load
# falls on both alike; the load before and after each run in OUT/ab-load.txt, each run's figures
# in OUT/watch-{A,B}-N/values.properties and a table of them all in OUT/ab.tsv. The measured processes run under nice -n -5 (as root), as §8's did.
#
#   benchmarks/scripts/run-watch-ab.sh BENCHMARKS_JAR A_JAR B_JAR OUT_DIR [PAIRS] [STATUSES]
#
# BENCHMARKS_JAR is a built benchmarks.jar; A_JAR / B_JAR are server jars (sipline.jar) of the
# two versions. PAIRS defaults to 3, STATUSES (timed, after 200 not counted) to 500: about 1.5
# minutes a run. Needs sipp.
#
# SERVER_CPUS=0 HARNESS_CPUS=1 in the environment runs the server on CPU 0 and the harness (its
# 1000 client streams) on CPU 1 (taskset), so that the clients do not take the server's CPU: on
# 2 cores, sharing them doubled the server's CPU per delivery (BENCHMARKS.md §8, "Whose tail").
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
a="$2"
b="$3"
out="$4"
pairs="${5:-3}"
statuses="${6:-500}"
mkdir -p "$out"

for pair in $(seq 1 "$pairs"); do
  for side in A B; do
    server="$a"
    [ "$side" = B ] && server="$b"
    run="$out/watch-$side-$pair"
    echo "$side-$pair start $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/ab-load.txt"
    pin=()
    cpus=()
    if [ -n "${SERVER_CPUS:-}" ]; then
      cpus=(--server-cpus "$SERVER_CPUS")
    fi
    if [ -n "${HARNESS_CPUS:-}" ]; then
      pin=(taskset -c "$HARNESS_CPUS")
    fi
    nice -n -5 "${pin[@]}" java -cp "$jar" org.sipline.benchmarks.watch.WatchMain --warmup 200 \
      --statuses "$statuses" --server-jar "$server" "${cpus[@]}" --out "$run"
    echo "$side-$pair end $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/ab-load.txt"
  done
done
keys="load_start load_end server_cpus delay_p50_ms delay_p99_ms delay_p999_ms delay_max_ms last_watcher_p50_ms last_watcher_p99_ms server_cpu_share harness_cpu_share server_cpu_us_per_delivery harness_cpu_us_per_delivery missing gaps"
{
  printf 'run'; for k in $keys; do printf '\t%s' "$k"; done; echo
  for d in "$out"/watch-?-*; do
    printf '%s' "$(basename "$d")"
    for k in $keys; do printf '\t%s' "$(sed -n "s/^$k=//p" "$d/values.properties")"; done
    echo
  done
} > "$out/ab.tsv"
cat "$out/ab.tsv"
