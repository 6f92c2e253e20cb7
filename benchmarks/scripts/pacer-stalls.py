#!/usr/bin/env python3
"""Lines up a pacing phase's largest stalls with what the load's pacer thread was doing.

A stall is a tick whose packets left late: per stream, an interval between consecutive frames
longer than 20 ms by more than the threshold, the worst per millisecond of capture time (the
interval after it is as much shorter and is not counted); late ticks less than 10 ms apart are
one stall. For each stall above the threshold it looks
in the load's JFR recording (record it with benchmarks/jfr/pacer-stalls.jfc, which keeps parks
from 1 ms) for a park of the "sipline-rtp-pacer" thread that ended within 1 ms of the late
packets, and prints how far that park overshot the timeout it asked for.

Usage: pacer-stalls.py PHASE_DIR [THRESHOLD_MS]   (PHASE_DIR holds capture.pcapng and load.jfr)
"""
import collections
import datetime
import re
import subprocess
import sys

UNITS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def sipline_port(capture):
    out = subprocess.run(["tshark", "-r", capture, "-n", "-T", "fields", "-e", "udp.dstport"],
                         capture_output=True, text=True, check=True).stdout.split()
    return collections.Counter(out).most_common(1)[0][0]


def stalls(capture, port, threshold_ms):
    out = subprocess.run(["tshark", "-r", capture, "-n", "-d", f"udp.port=={port},rtp",
                          "-Y", f"udp.dstport=={port}", "-T", "fields", "-e", "frame.time_epoch",
                          "-e", "udp.srcport", "-e", "rtp.timestamp"],
                         capture_output=True, text=True, check=True).stdout
    last = {}
    worst = collections.defaultdict(float)
    for line in out.splitlines():
        t, src, ts = line.split("\t")
        if not ts:
            continue
        t, ts = float(t), int(ts)
        if src in last and (ts - last[src][1]) & 0xFFFFFFFF == 160:
            deviation = (t - last[src][0] - 0.020) * 1000
            tick = round(t, 3)
            worst[tick] = max(worst[tick], deviation)
        last[src] = (t, ts)
    # A late pacer makes the next few ticks late too, each a little less: one stall.
    events = []
    for t, d in sorted((t, d) for t, d in worst.items() if d > threshold_ms):
        if events and t - events[-1][2] < 0.010:
            start, worst_d, _ = events[-1]
            events[-1] = (start, max(worst_d, d), t)
        else:
            events.append((t, d, t))
    return sorted(((start, d) for start, d, _ in events), key=lambda x: -x[1])


def millis(text):
    value, unit = text.split()
    return float(value) * UNITS[unit]


def pacer_parks(jfr):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ThreadPark", jfr],
                         capture_output=True, text=True, check=True).stdout
    parks, event = [], {}
    for line in out.splitlines():
        m = re.match(r"\s+(startTime|duration|timeout|eventThread) = (.+)", line)
        if m:
            event[m.group(1)] = m.group(2).strip()
        elif line.startswith("}"):
            if "sipline-rtp-pacer" in event.get("eventThread", "") and "timeout" in event \
                    and event["timeout"] != "N/A":
                parks.append(event)
            event = {}
    return parks


def main(phase, threshold_ms):
    capture, jfr = f"{phase}/capture.pcapng", f"{phase}/load.jfr"
    found = stalls(capture, sipline_port(capture), threshold_ms)
    parks = []
    for p in pacer_parks(jfr):
        # JFR prints the local wall-clock time of day; the capture uses the epoch (UTC here).
        day = datetime.datetime.utcfromtimestamp(found[0][0]).date() if found else None
        start = datetime.datetime.combine(day, datetime.time.fromisoformat(p["startTime"]),
                                          tzinfo=datetime.timezone.utc).timestamp() if day else 0
        end = start + millis(p["duration"]) / 1000
        parks.append((end, millis(p["duration"]) - millis(p["timeout"]), p))
    matched = 0
    print(f"{len(found)} stalls: ticks late by more than {threshold_ms} ms")
    for t, d in found:
        near = [x for x in parks if abs(x[0] - t) < 0.001]
        when = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%H:%M:%S.%f")
        if near:
            matched += 1
            over = max(x[1] for x in near)
            print(f"{when} late {d:6.2f} ms; pacer park ended within 1 ms, overshot by {over:.2f} ms")
        else:
            print(f"{when} late {d:6.2f} ms; no pacer park of >= 1 ms ended within 1 ms")
    print(f"{matched} of {len(found)} stalls follow a late-returning park of the pacer")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: pacer-stalls.py PHASE_DIR [THRESHOLD_MS]")
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 2.0)
