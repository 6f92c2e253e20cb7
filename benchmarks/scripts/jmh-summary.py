#!/usr/bin/env python3
"""Turns a JMH JSON result (-rf json) into the Markdown table BENCHMARKS.md shows.

Each fork is one run: its score is the mean of its measurement iterations. The table gives the
median over forks with the min-max beside it, so a run disturbed by the machine shows as spread
instead of hiding in a mean. Usage: jmh-summary.py result.json
"""
import json
import statistics
import sys


def fork_scores(result):
    raw = result["primaryMetric"]["rawData"]
    return [statistics.fmean(iterations) for iterations in raw]


def fmt(value):
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def main(path):
    with open(path, encoding="utf-8") as f:
        results = json.load(f)
    print("| benchmark | params | mode | forks | median (min–max) | unit |")
    print("|---|---|---|---|---|---|")
    for r in results:
        scores = fork_scores(r)
        name = r["benchmark"].rsplit(".", 2)
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items()) or "–"
        spread = f"{fmt(statistics.median(scores))} ({fmt(min(scores))}–{fmt(max(scores))})"
        print(f"| {name[-2]}.{name[-1]} | {params} | {r['mode']} | {len(scores)} | {spread} "
              f"| {r['primaryMetric']['scoreUnit']} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: jmh-summary.py result.json")
    main(sys.argv[1])
