"""Certified-run cost per dev problem, and heat 1D against py-pde at equal accuracy.

    python benchmarks/bench_run.py            # all dev specs
    python benchmarks/bench_run.py heat_1d    # a subset

For each dev spec: the finest solve's time, the whole certified run's time (judge, every
solve of the convergence study, certification) and their ratio, and the Judge's share of the
wall time. Then the 1D heat equation solved by simlab's Crank–Nicolson kernel and by py-pde
(optional dependency) at the same accuracy, as a speed ratio measured in the same run.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

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
                "judge_pct": 100 * t.get("judge", 0.0) / total,
                "diag_pct": 100 * t.get("diagnostics", 0.0) / total,
                "dim": spec.domain.dimension,
            }
        )
    return rows


def heat_vs_pypde(target: float = 1e-4) -> list[dict]:
    """u_t = u_xx on [0, 1], u0 = sin(pi x), u = 0 at the ends; error of u(0.5, 0.1)."""
    from simlab.solvers.kernels.heat import solve_heat_1d

    exact = np.exp(-(np.pi**2) * 0.1)
    rows = []
    n = 8
    while True:
        t0 = time.perf_counter()
        sol = solve_heat_1d(1.0, 1.0, 0.1, lambda x: np.sin(np.pi * x), n, probes=[0.5])
        seconds = time.perf_counter() - t0
        err = abs(sol.observables["u_mid"] - exact) / exact
        if err <= target or n > 4096:
            rows.append({"code": "simlab CN", "n": n, "error": err, "seconds": seconds})
            break
        n *= 2
    try:
        import pde
    except ImportError:
        rows.append({"code": "py-pde", "n": 0, "error": float("nan"), "seconds": float("nan")})
        return rows
    for solver, dt_of in (
        ("euler", lambda n: 0.25 / n**2),
        ("crank-nicolson", lambda n: 1.0 / n**2),
    ):
        n = 8
        while True:
            grid = pde.CartesianGrid([[0, 1]], [n])
            state = pde.ScalarField.from_expression(grid, "sin(pi * x)")
            eq = pde.DiffusionPDE(diffusivity=1.0, bc={"value": 0})
            dt = 0.1 / np.ceil(0.1 / dt_of(n))
            # the first call compiles py-pde's operators with numba: time a second, warm call
            try:
                eq.solve(state, t_range=dt * 4, dt=dt, solver=solver, tracker=None)
                t0 = time.perf_counter()
                result = eq.solve(state, t_range=0.1, dt=dt, solver=solver, tracker=None)
                seconds = time.perf_counter() - t0
            except Exception as exc:  # a peer's failure is a row, not a crash
                rows.append(
                    {
                        "code": f"py-pde {solver} ({type(exc).__name__})",
                        "n": n,
                        "error": float("nan"),
                        "seconds": float("nan"),
                    }
                )
                break
            err = abs(float(result.interpolate([0.5])) - exact) / exact
            if err <= target or n > 2048:
                rows.append({"code": f"py-pde {solver}", "n": n, "error": err, "seconds": seconds})
                break
            n *= 2
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
        "total s",
        "total/finest",
        "judge %",
        "diag %",
    )
    print("{:16} {:>3} {:6} {:>6} {:>9} {:>12} {:>8} {:>12} {:>8} {:>7}".format(*header))
    for r in rows:
        print(
            f"{r['spec']:16} {r['dim']:3d} {r['status']:6} {r['solves']:6d} {r['finest_s']:9.3f} "
            f"{r['study_ratio']:12.2f} {r['total_s']:8.3f} {r['ratio']:12.2f} "
            f"{r['judge_pct']:8.2f} {r['diag_pct']:7.2f}"
        )
    total = sum(r["total_s"] for r in rows)
    print(f"whole dev suite certified in {total:.1f} s")
    if not argv or "heat_1d" in argv:
        print()
        print("heat 1D, relative error of u(0.5, 0.1) <= 1e-4")
        peer = heat_vs_pypde()
        for r in peer:
            print(f"  {r['code']:16} n={r['n']:5d} error={r['error']:.2e} {r['seconds']:.4f} s")
        best = min((r["seconds"] for r in peer[1:] if np.isfinite(r["seconds"])), default=None)
        if best is not None:
            print(f"  speed ratio fastest py-pde / simlab: {best / peer[0]['seconds']:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
