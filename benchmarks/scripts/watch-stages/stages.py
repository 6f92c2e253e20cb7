#!/usr/bin/env python3
"""Per-stage delays of a WatchStatus run with the stamped server (run-watch-stages.sh): for the
last TIMED sequence numbers, the delay since the status was recorded at which each watcher's entry
was queued, handed to gRPC, out of onNext, and written (the event-loop task after gRPC's flush);
pooled percentiles, and per status the first and the last watcher.

Usage: stages.py TRACE_FILE TIMED
"""
import struct
import sys

NAMES = ["queued (line's thread)", "handed to onNext", "onNext returned", "written (loop, after flush)"]


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    data = open(sys.argv[1], "rb").read()
    timed = int(sys.argv[2])
    off = 0
    stages = []
    for _ in NAMES:
        (n,) = struct.unpack_from(">i", data, off)
        off += 4
        stages.append(list(struct.iter_unpack(">iq", data[off:off + 12 * n])))
        off += 12 * n
    top = max(seq for st in stages for seq, _ in st)
    print(f"{'stage':30s} {'n':>8s} {'p50':>8s} {'p90':>8s} {'p99':>8s} {'max':>8s} "
          f"{'1st p50':>8s} {'last p50':>8s} {'last p99':>8s}  (ms since recorded)")
    for name, st in zip(NAMES, stages):
        per = {}
        all_ = []
        for seq, d in st:
            if seq > top - timed:
                all_.append(d / 1e6)
                lo, hi = per.get(seq, (float("inf"), float("-inf")))
                per[seq] = (min(lo, d / 1e6), max(hi, d / 1e6))
        all_.sort()
        first = sorted(v[0] for v in per.values())
        last = sorted(v[1] for v in per.values())
        print(f"{name:30s} {len(all_):8d} {pct(all_, 50):8.3f} {pct(all_, 90):8.3f} "
              f"{pct(all_, 99):8.3f} {all_[-1] if all_ else float('nan'):8.3f} "
              f"{pct(first, 50):8.3f} {pct(last, 50):8.3f} {pct(last, 99):8.3f}")


if __name__ == "__main__":
    main()
