#!/usr/bin/env bash
# SipStartCall → INVITE alone with the server's heap watched (issue 16): two server jars
# alternating, ROUNDS times, each run `LatencyMain --only start-call --samples 1000 --warmup 1000`
# with the server's GC log (-Xlog:gc) and one live-heap histogram of the server (jmap -histo:live)
# 30 s after it started (a quiet run of 2000 calls can end before 60 s). Per run
# OUT/<round>-<a|b>/ holds stdout.txt (the percentiles table), gc.log, histo.txt and the load
# before and after.
#
#   benchmarks/scripts/run-startcall-heap-ab.sh BENCH_JAR JAR_A JAR_B OUT [ROUNDS]
#
# The histogram's full GC pauses the server once (~1-2 s at load): one measured sample in each run
# of both jars, which does not move a p99 of 1000 samples.
set -euo pipefail
cd "$(dirname "$0")/../.."
bench="$1"
jars=("$2" "$3")
out="$4"
rounds="${5:-2}"
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
  for i in 0 1; do
    jar="${jars[$i]}"
    d="$out/$r-$([ "$i" = 0 ] && echo a || echo b)"
    mkdir -p "$d"
    echo "$jar" > "$d/jar.txt"
    uptime > "$d/load-before.txt"
    java -cp "$bench" org.sipline.benchmarks.latency.LatencyMain --only start-call \
      --samples 1000 --warmup 1000 --server-jar "$jar" --server-jvm "-Xlog:gc:file=$d/gc.log" \
      --out "$d/out" > "$d/stdout.txt" 2> "$d/stderr.txt" &
    run=$!
    pid=""
    for _ in $(seq 1 300); do
      pid=$(pgrep -f -- "Xlog:gc:file=$d/gc.log.*-jar" | head -1 || true)
      [ -n "$pid" ] && break
      sleep 1
    done
    sleep 30
    [ -n "$pid" ] && jmap -histo:live "$pid" > "$d/histo.txt" 2>&1 || true
    wait "$run"
    uptime > "$d/load-after.txt"
    echo "$d: $(grep '| SipStartCall → INVITE' "$d/stdout.txt")"
    echo "$d: live heap $(tail -1 "$d/histo.txt" | awk '{printf "%.1f MB", $3/1048576}')," \
      "ended calls $(grep -E 'OutgoingSipCall$' "$d/histo.txt" | awk '{n=$2} END {print n+0}')," \
      "caller-audio histories $(grep -E 'InboundHistory$' "$d/histo.txt" | awk '{n=$2} END {print n+0}')"
  done
done
