#!/usr/bin/env python3
"""Where a JVM's time went in a window of its JFR recording: execution samples per thread group
(the thread name without its number), per method at the top of the stack, and per method
anywhere on the stack (inclusive); monitor waits per monitor class and the method that waited.

Usage: jfr-hot.py RECORDING.jfr [FROM_EPOCH_S TO_EPOCH_S] [TOP]
"""
import collections
import json
import re
import subprocess
import sys
from datetime import datetime


def events(recording, kind):
    out = subprocess.run(["jfr", "print", "--json", "--events", kind, recording],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def epoch(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def frame_name(frame):
    method = frame["method"]
    cls = method["type"]["name"].split(".")[-1]
    return f"{cls}.{method['name']}"


def group(thread):
    name = (thread or {}).get("javaName") or (thread or {}).get("osName") or "?"
    return re.sub(r"[-#]?\d+$", "", name)


def main(recording, start, end, top):
    samples = [e for e in events(recording, "jdk.ExecutionSample")
               if start <= epoch(e["values"]["startTime"]) < end]
    by_thread = collections.Counter()
    self_time = collections.Counter()
    inclusive = collections.Counter()
    for e in samples:
        v = e["values"]
        by_thread[group(v["sampledThread"])] += 1
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if frames:
            self_time[frame_name(frames[0])] += 1
        for name in {frame_name(f) for f in frames}:
            inclusive[name] += 1
    n = max(1, len(samples))
    print(f"{len(samples)} execution samples")
    print("\nper thread group")
    for k, c in by_thread.most_common(top):
        print(f"  {100 * c / n:5.1f} %  {k}")
    print("\ntop of stack")
    for k, c in self_time.most_common(top):
        print(f"  {100 * c / n:5.1f} %  {k}")
    print("\non the stack (inclusive)")
    for k, c in inclusive.most_common(top):
        print(f"  {100 * c / n:5.1f} %  {k}")
    waits = [e for e in events(recording, "jdk.JavaMonitorEnter")
             if start <= epoch(e["values"]["startTime"]) < end]
    total = collections.Counter()
    count = collections.Counter()
    for e in waits:
        v = e["values"]
        frames = (v.get("stackTrace") or {}).get("frames") or []
        where = frame_name(frames[0]) if frames else "?"
        key = f"{v['monitorClass']['name'].split('.')[-1]} in {where} ({group(v['eventThread'])})"
        ms = parse_duration(v["duration"])
        total[key] += ms
        count[key] += 1
    print(f"\nmonitor waits over 0.1 ms: {len(waits)}")
    for k, ms in total.most_common(top):
        print(f"  {ms:8.1f} ms in {count[k]:6d} waits  {k}")


def parse_duration(value):
    # ISO-8601 duration as JFR's JSON prints it, e.g. "PT0.000123S"
    m = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", value)
    if not m:
        return 0.0
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: jfr-hot.py RECORDING.jfr [FROM_EPOCH_S TO_EPOCH_S] [TOP]")
    rec = sys.argv[1]
    lo = float(sys.argv[2]) if len(sys.argv) > 3 else 0.0
    hi = float(sys.argv[3]) if len(sys.argv) > 3 else float("inf")
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    main(rec, lo, hi, top)
