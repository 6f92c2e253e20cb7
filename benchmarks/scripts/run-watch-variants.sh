#!/usr/bin/env bash
# WatchStatus fan-out (issue 13, BENCHMARKS.md §8): any number of server variants side by side —
# a variant is a server jar and the server's JVM flags — run in rotation (v1, v2, ..., v1, v2, ...)
# in the same minutes, so the machine's load falls on all alike. 1000 watchers of one line over 8
# channels; each run's figures in OUT/NAME-PASS/values.properties, the load before and after each
# run in OUT/load.txt, a table of them all in OUT/variants.tsv.
#
#   benchmarks/scripts/run-watch-variants.sh BENCHMARKS_JAR OUT_DIR PASSES STATUSES \
#       NAME=JAR[=JVM_FLAGS] NAME=JAR[=JVM_FLAGS] ...
#
# e.g. loops1=server/target/sipline.jar=-Dio.grpc.netty.shaded.io.netty.eventLoopThreads=1
# SERVER_CPUS=0 HARNESS_CPUS=1 in the environment pins the server and the harness (taskset) as
# run-watch-ab.sh does. The measured processes run under nice -n -5 (as root), as §8's did.
set -euo pipefail
cd "$(dirname "$0")/../.."
bench="$(realpath "$1")"
out="$2"
passes="$3"
statuses="$4"
shift 4
mkdir -p "$out"
for pass in $(seq 1 "$passes"); do
  for variant in "$@"; do
    name="${variant%%=*}"
    rest="${variant#*=}"
    jar="${rest%%=*}"
    flags=""
    [ "$rest" != "$jar" ] && flags="${rest#*=}"
    run="$out/$name-$pass"
    pin=()
    cpus=()
    jvm=()
    [ -n "${SERVER_CPUS:-}" ] && cpus=(--server-cpus "$SERVER_CPUS")
    [ -n "${HARNESS_CPUS:-}" ] && pin=(taskset -c "$HARNESS_CPUS")
    [ -n "$flags" ] && jvm=(--server-jvm "$flags")
    echo "$name-$pass start $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
    nice -n -5 "${pin[@]}" java -cp "$bench" org.sipline.benchmarks.watch.WatchMain --warmup 200 \
      --statuses "$statuses" --server-jar "$jar" "${cpus[@]}" "${jvm[@]}" --out "$run"
    echo "$name-$pass end $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
  done
done
keys="load_start load_end server_cpus delay_p50_ms delay_p99_ms delay_p999_ms delay_max_ms last_watcher_p50_ms last_watcher_p99_ms server_cpu_us_per_delivery harness_cpu_us_per_delivery missing gaps"
{
  printf 'run'; for k in $keys; do printf '\t%s' "$k"; done; echo
  for variant in "$@"; do
    name="${variant%%=*}"
    for pass in $(seq 1 "$passes"); do
      d="$out/$name-$pass"
      printf '%s' "$name-$pass"
      for k in $keys; do printf '\t%s' "$(sed -n "s/^$k=//p" "$d/values.properties" 2>/dev/null)"; done
      echo
    done
  done
} > "$out/variants.tsv"
column -t -s $'\t' "$out/variants.tsv"
