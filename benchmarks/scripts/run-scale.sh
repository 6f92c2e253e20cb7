#!/usr/bin/env bash
# Issue 13's measurements that BENCHMARKS.md §8 reports: 500 calls over 500 lines of one server,
# the WatchStatus fan-out to 1000 watchers, 1000 idle lines, and failover behind Kamailio's
# dispatcher; issue 14's metrics on/off at 500 calls (§10); each
# result with the machine's load next to it. The measured processes run under nice -n -5 (as
# root), as the recorded runs did.
#
#   benchmarks/scripts/run-scale.sh JAR OUT_DIR
#
# JAR is a built benchmarks.jar (mvn -B -ntp -pl benchmarks -am package -DskipTests, which also
# builds server/target/sipline.jar). Needs sipp, kamailio (with kamcmd) and tshark (allowed to
# capture on lo). About 40 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$1"
out="$2"
mkdir -p "$out"

note() {
  echo "$1: $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/scale-load.txt"
}

# 1000 watchers of one line, 1000 statuses timed after 300 not counted (about 1.5 minutes each).
for run in 1 2 3; do
  note "watch-1000-$run start"
  nice -n -5 java -cp "$jar" org.sipline.benchmarks.watch.WatchMain \
    --server-jar server/target/sipline.jar --out "$out/watch-1000-$run"
  note "watch-1000-$run end"
done
# 1 and 1000 idle lines registered at boot (--register-rate 20), 60 s of idle CPU each with the
# registrar granting 120 s, so refreshes fall into the window (about 5 minutes).
note "idle start"
nice -n -5 java -cp "$jar" org.sipline.benchmarks.idle.IdleMain --lines 1,1000 \
  --register-rate 20 --expires 120 --seconds 60 --server-jar server/target/sipline.jar \
  --out "$out/idle"
note "idle end"
# A node killed behind kamailio, seven times (about 2 minutes).
note "failover start"
nice -n -5 java -cp "$jar" org.sipline.benchmarks.failover.FailoverMain \
  --server-jar server/target/sipline.jar --out "$out/failover"
note "failover end"
# 500 calls on one server (--lines 500), each playing a 40 s WAV with SipPlayWavFiles, looped
# (about 6 minutes each, most of it setting up the calls).
for run in 1 2 3; do
  note "many-500-play-$run start"
  nice -n -5 java -cp "$jar" org.sipline.benchmarks.media.MediaMain --calls 500 --many-audio play \
    --server-jar server/target/sipline.jar --out "$out/many-500-play-$run"
  note "many-500-play-$run end"
done
benchmarks/scripts/media-summary.py "$out"/many-500-play-? > "$out/many-500-play.md"
# Issue 14: the server's meters on and off in the pacing load, 500 calls, alternating (about
# 8 minutes a run; 60 s windows, so that four 15 s scrapes fall into each).
note "metrics start"
nice -n -5 java -cp "$jar" org.sipline.benchmarks.pacing.PacingMain --calls 500 --runs 3 \
  --metrics on,off --baresip false --seconds 60 --out "$out/metrics-500"
note "metrics end"
