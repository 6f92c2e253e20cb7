#!/usr/bin/env python3
"""Summarises several media runs (MediaMain output directories) the way BENCHMARKS.md shows them:
per delay, p50/p99/max of each run (nearest rank, as the harness computes them), then the median
over runs with the min-max beside it; per single value (CPU, bytes, heap, pacing, load, steal),
the median over runs with the min-max.

Usage: media-summary.py RUN_DIR [RUN_DIR ...]
"""
import math
import statistics
import sys


def nearest_rank(sorted_values, percent):
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def read_samples(directory):
    samples, unmatched, order = {}, {}, []
    with open(f"{directory}/samples.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            name, _, nanos = line.rstrip("\n").split("\t")
            if name not in order:
                order.append(name)
            value = int(nanos)
            if value == -1:
                unmatched[name] = unmatched.get(name, 0) + 1
            else:
                samples.setdefault(name, []).append(value)
    return samples, unmatched, order


def read_labels(directory):
    """Labels from summary.md's table, in the harness's order."""
    labels = []
    with open(f"{directory}/summary.md", encoding="utf-8") as f:
        for line in f:
            if line.startswith("| ") and not line.startswith("| measurement"):
                labels.append(line.split(" | ")[0][2:])
    return labels


def read_values(directory):
    values = {}
    with open(f"{directory}/values.properties", encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            values[key] = value
    return values


def spread(values, fmt="{:.3f}"):
    values = sorted(values)
    median = statistics.median(values)
    if len(values) == 1:
        return fmt.format(median)
    return f"{fmt.format(median)} ({fmt.format(values[0])}–{fmt.format(values[-1])})"


def main(directories):
    runs = [read_samples(d) for d in directories]
    labels = dict(zip(runs[0][2], read_labels(directories[0])))
    print("| measurement | runs × samples | p50 ms | p99 ms | max ms | unmatched |")
    print("|---|---|---|---|---|---|")
    for key in runs[0][2]:
        p50, p99, top, counts, missing = [], [], [], [], 0
        for samples, unmatched, _ in runs:
            values = sorted(samples.get(key, []))
            missing += unmatched.get(key, 0)
            if not values:
                continue
            p50.append(nearest_rank(values, 50) / 1e6)
            p99.append(nearest_rank(values, 99) / 1e6)
            top.append(values[-1] / 1e6)
            counts.append(len(values))
        if counts:
            print(f"| {labels.get(key, key)} | {len(counts)} × {min(counts)}"
                  f"{'' if min(counts) == max(counts) else '–' + str(max(counts))} "
                  f"| {spread(p50)} | {spread(p99)} | {spread(top)} | {missing} |")
    print()
    all_values = [read_values(d) for d in directories]
    print("| value | median (min–max) over runs |")
    print("|---|---|")
    for key in all_values[0]:
        texts = [v.get(key, "") for v in all_values]
        try:
            numbers = [float(t) for t in texts if t != ""]
            print(f"| {key} | {spread(numbers, '{:.4g}')} |")
        except ValueError:
            print(f"| {key} | {' / '.join(texts)} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: media-summary.py RUN_DIR [RUN_DIR ...]")
    main(sys.argv[1:])
