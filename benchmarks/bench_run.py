"""Certified-run cost per dev problem: finest solve, convergence study, whole run.

    python benchmarks/bench_run.py            # all dev specs
    python benchmarks/bench_run.py heat_1d    # a subset

For each dev spec: the finest solve's time, the whole certified run's time (judge, every
solve of the convergence study, certification) and their ratio, and the Judge's share of the
wall time. (The comparisons with peers at equal accuracy are in bench_heat_pypde.py,
bench_poisson_skfem.py and bench_continue_bice.py: the py-pde comparison that used to be here
timed py-pde's numba compilation on every call.)
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

from simlab.pipeline import certify_spec
from simlab.spec import parse_file

ROOT = Path(__file__).resolve().parents[1]


def certified_runs(names: list[str]) -> list[dict]:
    certify_spec(parse_file(ROOT / "specs" / "dev" / "heat_1d.md"))  # warm imports and caches
    rows = []
    for path in sorted((ROOT / "specs" / "dev").glob("*.md")):
        if names and path.stem not in names:
            continue
        spec = parse_file(path)
        t0 = time.perf_counter()
        result = certify_spec(spec)
        total = time.perf_counter() - t0
        t = result.timings
        rows.append(
            {
                "spec": path.stem,
                "status": result.certificate.status.value,
                "solves": len(result.study.records) if result.study else 0,
                "finest_s": t.get("finest_solve", float("nan")),
                "total_s": total,
                "ratio": total / t["finest_solve"] if t.get("finest_solve") else float("nan"),
                "study_ratio": t.get("solve", 0.0) / t["finest_solve"]
                if t.get("finest_solve")
                else float("nan"),
                # CPU time of the process: ms-scale wall times on a loaded machine are mostly
                # the scheduler's
                "study_cpu_ratio": t.get("solve_cpu", 0.0) / t["finest_solve_cpu"]
                if t.get("finest_solve_cpu")
                else float("nan"),
                "judge_pct": 100 * t.get("judge", 0.0) / total,
                "diag_pct": 100 * t.get("diagnostics", 0.0) / total,
                "dim": spec.domain.dimension,
            }
        )
    return rows


def main(argv: list[str]) -> None:
    warnings.simplefilter("ignore", UserWarning)
    rows = certified_runs(argv)
    header = (
        "spec",
        "dim",
        "status",
        "solves",
        "finest s",
        "study/finest",
        "cpu s/f",
        "total s",
        "total/finest",
        "judge %",
        "diag %",
    )
    print("{:16} {:>3} {:6} {:>6} {:>9} {:>12} {:>8} {:>8} {:>12} {:>8} {:>7}".format(*header))
    for r in rows:
        print(
            f"{r['spec']:16} {r['dim']:3d} {r['status']:6} {r['solves']:6d} {r['finest_s']:9.3f} "
            f"{r['study_ratio']:12.2f} {r['study_cpu_ratio']:8.2f} {r['total_s']:8.3f} "
            f"{r['ratio']:12.2f} "
            f"{r['judge_pct']:8.2f} {r['diag_pct']:7.2f}"
        )
    total = sum(r["total_s"] for r in rows)
    print(f"whole dev suite certified in {total:.1f} s")
    print(
        "study/finest = every solve of the convergence study / the finest solve; "
        "peer comparisons: benchmarks/bench_heat_pypde.py, bench_poisson_skfem.py, "
        "bench_continue_bice.py"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
