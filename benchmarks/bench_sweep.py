"""A certified sweep of the heat problem on a LocalCluster: scaling with 1 and 2 workers.

    python benchmarks/bench_sweep.py              # 200 points, 1 and 2 workers
    python benchmarks/bench_sweep.py --points 40  # quicker

Each point of kappa in [0.1, 2] m^2/s (specs/dev/heat_1d.md) is judged, solved on a grid
sequence, certified (diagnostics included) and bundled; the analytic answer
u(1 m, 0.5 s) = exp(-kappa pi^2 0.5 / 4) K checks every certified bound. Wall time includes
the cluster's start (worker processes importing simlab); ``warm`` excludes it (from the first
finished point to the last). The machine is shared: run it twice and read the spread.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from simlab.spec import parse_file
from simlab.sweep import parse_range, run_sweep

ROOT = Path(__file__).resolve().parents[1]


def one(points: int, workers: int) -> dict:
    spec = parse_file(ROOT / "specs/dev/heat_1d.md")
    arrivals: list[float] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        result = run_sweep(
            spec,
            [parse_range(f"kappa=0.1:2:{points}")],
            out=out,
            workers=workers,
            progress=False,
            on_result=lambda row, client: arrivals.append(time.perf_counter()),
        )
        wall = time.perf_counter() - t0
        table = result.table
    exact = np.exp(-table["kappa"] * np.pi**2 * 0.5 / 4.0)
    covered = int(np.sum(np.abs(table["value"] - exact) <= table["error_bound"]))
    warm = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
    return {
        "workers": workers,
        "points": int(table["point"].nunique()),
        "status": result.counts(),
        "bound_covers": covered,
        "wall": wall,
        "warm": warm,
        "warm_rate": (len(arrivals) - 1) / warm if warm == warm and warm > 0 else float("nan"),
        "median_point": statistics.median(table["seconds"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rows = [one(args.points, w) for w in args.workers]
    print(f"heat_1d certified sweep, kappa = 0.1 ... 2 m^2/s, {args.points} points")
    print(
        f"{'workers':>7} {'points':>6} {'status':>14} {'bound ok':>8} {'wall s':>8} "
        f"{'warm s':>8} {'points/s':>8} {'point s':>8} {'speedup':>8}"
    )
    base = rows[0]["warm"]
    for r in rows:
        status = ",".join(f"{k}{v}" for k, v in sorted(r["status"].items()))
        print(
            f"{r['workers']:>7} {r['points']:>6} {status:>14} {r['bound_covers']:>8} "
            f"{r['wall']:>8.1f} {r['warm']:>8.1f} {r['warm_rate']:>8.2f} "
            f"{r['median_point']:>8.3f} {base / r['warm']:>8.2f}"
        )


if __name__ == "__main__":
    main()
