#!/usr/bin/env python3
"""Summarises several latency runs (LatencyMain output directories) the way BENCHMARKS.md shows
them: per measurement, p50/p99/max of each run (nearest rank, as the harness computes them),
then the median over runs with the min-max beside it.

Usage: latency-summary.py RUN_DIR [RUN_DIR ...]
"""
import math
import statistics
import sys

NAMES = {
    "start_call_to_invite": "SipStartCall → INVITE on the wire",
    "play_to_audio": "SipPlayWavFiles → first packet of the new audio",
    "mute_to_silence": "SipMute → first silent packet",
    "play_in_to_audio": "SipPlayWavFiles on the wire → first packet of the new audio",
    "mute_in_to_silence": "SipMute on the wire → first silent packet",
    "status_round_trip": "SipGetSipStatus round trip",
    "health_round_trip": "gRPC health check round trip (transport baseline)",
}


def nearest_rank(sorted_values, percent):
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def read_run(directory):
    samples = {}
    unmatched = {}
    with open(f"{directory}/samples.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            name, _, nanos = line.rstrip("\n").split("\t")
            value = int(nanos)
            if value < 0:
                unmatched[name] = unmatched.get(name, 0) + 1
            else:
                samples.setdefault(name, []).append(value)
    return samples, unmatched


def spread(values):
    values = sorted(values)
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.3f}"
    return f"{median:.3f} ({values[0]:.3f}–{values[-1]:.3f})"


def main(directories):
    runs = [read_run(d) for d in directories]
    print("| measurement | runs × samples | p50 ms | p99 ms | max ms | unmatched |")
    print("|---|---|---|---|---|---|")
    for key, label in NAMES.items():
        p50, p99, top, counts, missing = [], [], [], [], 0
        for samples, unmatched in runs:
            values = sorted(samples.get(key, []))
            if not values:
                continue
            p50.append(nearest_rank(values, 50) / 1e6)
            p99.append(nearest_rank(values, 99) / 1e6)
            top.append(values[-1] / 1e6)
            counts.append(len(values))
            missing += unmatched.get(key, 0)
        if counts:
            print(f"| {label} | {len(counts)} × {min(counts)} | {spread(p50)} | {spread(p99)} "
                  f"| {spread(top)} | {missing} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: latency-summary.py RUN_DIR [RUN_DIR ...]")
    main(sys.argv[1:])
