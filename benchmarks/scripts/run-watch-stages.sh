#!/usr/bin/env bash
# Whose tail is WatchStatus's fan-out (issue 13, BENCHMARKS.md §8)? Runs 1000 watchers against a
# COPY of a server jar with stamps compiled in (watch-stages/: the delay since the status was
# recorded at which each watcher's entry was queued, handed to gRPC, and written to the socket),
# alternately with server and harness sharing all CPUs ("shared") and with the server on CPU 0 and
# the harness on CPU 1 ("split"). The harness's own figure is the entry's arrival in the client's
# observer. Compare "written" with the arrival: the gap is the client's share.
#
#   benchmarks/scripts/run-watch-stages.sh BENCHMARKS_JAR SERVER_JAR OUT_DIR [PAIRS] [STATUSES]
#
# SERVER_JAR must be built from this checkout (the stamps are a patch to its StatusWatch.java).
# PAIRS defaults to 2, STATUSES (timed, after 200 not counted) to 500. Needs sipp, javac, taskset.
set -euo pipefail
cd "$(dirname "$0")/../.."
bench="$(realpath "$1")"
server="$(realpath "$2")"
out="$3"
pairs="${4:-2}"
statuses="${5:-500}"
mkdir -p "$out"
out="$(realpath "$out")"
here=benchmarks/scripts/watch-stages

build="$out/stamped-src"
rm -rf "$build"
mkdir -p "$build/org/sipline/server" "$build/classes"
cp server/src/main/java/org/sipline/server/StatusWatch.java "$build/org/sipline/server/"
patch -s -d "$build" -p5 < "$here/StatusWatch-stamps.patch"
cp "$here/WatchTrace.java.txt" "$build/org/sipline/server/WatchTrace.java"
javac -nowarn -cp "$server" -d "$build/classes" "$build"/org/sipline/server/*.java
cp "$server" "$out/stamped.jar"
(cd "$build/classes" && jar uf "$out/stamped.jar" org/sipline/server/*.class)

for pair in $(seq 1 "$pairs"); do
  for mode in shared split; do
    run="$out/$mode-$pair"
    pin=()
    cpus=()
    if [ "$mode" = split ]; then
      pin=(taskset -c 1)
      cpus=(--server-cpus 0)
    fi
    echo "$mode-$pair start $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
    nice -n -5 "${pin[@]}" java -cp "$bench" org.sipline.benchmarks.watch.WatchMain --warmup 200 \
      --statuses "$statuses" --server-jar "$out/stamped.jar" "${cpus[@]}" \
      --server-jvm "-Dwatchtrace=$run.trace" --out "$run"
    echo "$mode-$pair end $(date -u +%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/load.txt"
  done
done
for mode in shared split; do
  for pair in $(seq 1 "$pairs"); do
    run="$out/$mode-$pair"
    echo "== $mode-$pair: arrival at the watcher (harness)"
    grep -E '^(load_start|delay_p50_ms|delay_p99_ms|first_watcher_p50_ms|last_watcher_p50_ms|last_watcher_p99_ms|server_cpu_us_per_delivery|harness_cpu_us_per_delivery)=' "$run/values.properties"
    echo "-- $mode-$pair: inside the server"
    python3 "$here/stages.py" "$run.trace" "$statuses"
  done
done | tee "$out/stages.txt"
