"""Judge time per spec: ``python benchmarks/bench_judge.py [FILES...] [--runs N]``.

Each spec is parsed once and judged ``runs`` times, each from a fresh judge context (the gates
redo all their symbolic and numeric work; process-wide imports are warmed up by one untimed
run). "warm" keeps sympy's global memoisation cache, "cold" clears it before every run, as for
a spec the process has never seen. Medians of wall-clock ms, and of CPU ms (process time, which
other processes on a busy machine disturb less). The target is 50 ms per dev spec.
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import statistics
import sys
import time
from pathlib import Path

from sympy.core.cache import clear_cache

from simlab.judge import judge
from simlab.spec import parse_file

TARGET_MS = 50.0


def _time(fn: object, runs: int, cold: bool) -> tuple[float, float]:
    """Median wall-clock ms and median CPU ms (process time) of ``runs`` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            clear_cache()  # a spec the process has never seen: no memoised sympy results
        w0, c0 = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        wall.append((time.perf_counter() - w0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return statistics.median(wall), statistics.median(cpu)


def bench(paths: list[str], runs: int) -> list[dict]:
    rows = []
    for path in paths:
        spec = parse_file(path)
        report = judge(spec)  # warm-up: imports (scipy, pint), lambdify's printers
        warm_wall, _ = _time(lambda spec=spec: judge(spec), runs, cold=False)
        cold_wall, cold_cpu = _time(lambda spec=spec: judge(spec), runs, cold=True)
        family = report.classification.family if report.classification else "-"
        rows.append(
            {
                "spec": Path(path).name,
                "family": family,
                "accepted": report.accepted,
                "warm": warm_wall,
                "cold": cold_wall,
                "cold_cpu": cold_cpu,
            }
        )
    return rows


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", help="spec files (default: specs/dev/*.md)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--set",
        choices=("dev", "adversarial", "all"),
        default="dev",
        help="bundled set when no files are given (all = dev + adversarial)",
    )
    parser.add_argument("--summary", action="store_true", help="only the summary lines")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    sets = ["dev", "adversarial"] if args.set == "all" else [args.set]
    paths = args.files or sorted(
        p for name in sets for p in glob.glob(str(root / "specs" / name / "*.md"))
    )
    rows = bench(paths, args.runs)
    width = max(len(r["spec"]) for r in rows)
    head = (
        f"{'spec':<{width}}  {'family':<20} {'accepted':>8} {'warm ms':>8} {'cold ms':>8}"
        f" {'cold cpu ms':>11}"
    )
    print(head)
    print("-" * len(head))
    for r in [] if args.summary else rows:
        flag = "" if r["cold_cpu"] <= TARGET_MS else "  > target"
        print(
            f"{r['spec']:<{width}}  {r['family']:<20} {r['accepted']!s:>8} {r['warm']:8.1f}"
            f" {r['cold']:8.1f} {r['cold_cpu']:11.1f}{flag}"
        )
    print("-" * len(head))
    for label, agg in (("total", sum), ("median", statistics.median)):
        print(
            f"{label:<{width}}  {'':<20} {'':>8} {agg([r['warm'] for r in rows]):8.1f}"
            f" {agg([r['cold'] for r in rows]):8.1f} {agg([r['cold_cpu'] for r in rows]):11.1f}"
        )
    for label, q in (("p90", 0.9), ("max", 1.0)):
        print(
            f"{label:<{width}}  {'':<20} {'':>8} {_quantile([r['warm'] for r in rows], q):8.1f}"
            f" {_quantile([r['cold'] for r in rows], q):8.1f}"
            f" {_quantile([r['cold_cpu'] for r in rows], q):11.1f}"
        )
    within = sum(r["cold_cpu"] <= TARGET_MS for r in rows)
    print(f"target: median <= {TARGET_MS:.0f} ms per spec (cold, CPU); {within}/{len(rows)} within")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
