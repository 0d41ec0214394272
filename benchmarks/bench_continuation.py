"""Bratu 1D fold: time and error of simlab.diagnostics vs bice and pycont-lite.

Run: python benchmarks/bench_continuation.py [--quick]

Every tool gets the same 2nd-order finite-difference problem (n interior nodes,
h = 1/(n+1)), so two errors are reported for each row:
- err_discrete: |lam_fold - lam_h|, lam_h the fold of that discrete problem computed
  independently by shooting on the FD recurrence (simlab.diagnostics.references); this
  measures the locator. Its own round-off is ~1e-13 (n = 200) to ~1e-12 (n = 4000).
- err_continuum: |lam_fold - 3.513830719125161|, the Bratu fold; includes the O(h^2)
  discretisation error that every tool shares.
The "Richardson" row extrapolates simlab's discrete folds on four grids in h^2 (see
simlab.diagnostics.richardson) and is compared with the continuum value only.
Peers are optional (pip install ".[bench]"); a peer that fails is a row with its error.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from simlab.diagnostics import extrapolate_even, first_special_point
from simlab.diagnostics.problems import bratu_1d
from simlab.diagnostics.references import bratu_discrete_fold, bratu_fold_exact

LAM_C = bratu_fold_exact()[0]


def simlab_fold(n: int) -> float:
    s = bratu_1d(n)
    point = first_special_point(
        s.problem, s.u0, s.lam0, "fold", ds=0.1, ds_max=0.5, n_eigs=0, detect=("fold",)
    )
    return point.value


def simlab_richardson(levels: tuple[int, ...] = (16, 32, 64, 128)) -> float:
    hs, values = [], []
    for m in levels:
        hs.append(1.0 / m)
        values.append(simlab_fold(m - 1))
    return extrapolate_even(hs, values).value


def bice_fold(n: int) -> float:
    import scipy.sparse as sp
    from bice import Equation, Problem

    s = bratu_1d(n)

    class Bratu(Equation):
        def __init__(self) -> None:
            super().__init__()
            self.u = np.zeros(n)
            self.lam = 0.0

        def rhs(self, u: np.ndarray) -> np.ndarray:
            return s.problem.residual(u, self.lam)

        def jacobian(self, u: np.ndarray) -> sp.csc_matrix:
            return s.problem.jacobian(u, self.lam)

    class BratuProblem(Problem):
        def __init__(self) -> None:
            super().__init__()
            self.bratu = Bratu()  # not "eq": Problem.eq is bice's own attribute
            self.add_equation(self.bratu)
            self.continuation_parameter = (self.bratu, "lam")

    problem = BratuProblem()
    problem.settings.neigs = 4
    problem.settings.always_locate_bifurcations = True
    problem.continuation_stepper.ds = 0.1
    with contextlib.redirect_stdout(io.StringIO()):
        for _ in range(400):
            problem.continuation_step()
            sol = problem.bifurcation_diagram.current_solution()
            if sol.is_bifurcation():
                # the located point is the branch's new Solution; the problem state
                # itself is reset by bice to the step that overshot the fold
                return float(sol.p)
    raise RuntimeError("bice found no bifurcation in 400 steps")


def pycont_fold(n: int, lam_start: float = 3.0) -> float:
    """pycont-lite, started on the lower branch at lam_start (its converged state is given).

    pycont-lite cannot stop at a fold; a start near it and param_min just below lam_start
    end the run shortly after the fold. Starting at lam = 0 took 10x longer (125 s).
    """
    import pycont

    from simlab.diagnostics.corrector import newton_fixed_parameter

    s = bratu_1d(n)
    u_start = newton_fixed_parameter(s.problem, s.u0, lam_start)

    def residual(u: np.ndarray, lam: float) -> np.ndarray:
        return s.problem.residual(u, lam)

    settings = {
        "tolerance": 1e-10,
        "initial_directions": "increase_p",
        "param_min": lam_start - 0.1,
        "param_max": 4.0,
        "analyze_stability": False,
        "bifurcation_detection": False,
    }
    with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
        result = pycont.arclengthContinuation(
            residual,
            u_start,
            lam_start,
            1e-6,
            0.5,
            1e-3,
            2000,
            solver_parameters=settings,
            verbosity="off",
        )
    folds = [e.p for e in result.events if e.kind == "LP"]
    if not folds:
        raise RuntimeError(f"no LP event; events: {[e.kind for e in result.events]}")
    return float(folds[0])


def _label(dist: str) -> str:
    try:
        return f"{dist} {version(dist)}"
    except PackageNotFoundError:
        return f"{dist} (not installed)"


def timed(fn: Callable[[], float], repeat: int) -> tuple[float, float]:
    best, value = np.inf, np.nan
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return value, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the large-n rows")
    args = parser.parse_args()
    n_small, n_large = 200, 4000
    discrete = {n: bratu_discrete_fold(n) for n in (n_small, n_large)}
    rows: list[tuple[str, str, str, str, str]] = []

    def add(tool: str, n: int | None, fn: Callable[[], float], repeat: int = 3) -> None:
        label = "richardson" if n is None else str(n)
        try:
            value, seconds = timed(fn, repeat)
        except Exception as exc:  # a broken peer is a row, not a crash
            rows.append((tool, label, "-", "-", f"{type(exc).__name__}: {str(exc)[:60]}"))
            return
        err_d = "-" if n is None else f"{abs(value - discrete[n]):.1e}"
        rows.append((tool, label, f"{seconds:.3f}", err_d, f"{abs(value - LAM_C):.1e}"))

    add("simlab", n_small, lambda: simlab_fold(n_small))
    add("simlab", None, simlab_richardson)
    if not args.quick:
        add("simlab", n_large, lambda: simlab_fold(n_large), repeat=1)
    add(_label("bice"), n_small, lambda: bice_fold(n_small), repeat=1)
    if not args.quick:
        add(_label("bice"), n_large, lambda: bice_fold(n_large), repeat=1)
    add(_label("pycont-lite") + " from lam=3", n_small, lambda: pycont_fold(n_small), repeat=1)

    header = ("tool", "n", "time [s]", "err_discrete", "err_continuum")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    print(
        f"Bratu 1D fold, lam_c = {LAM_C!r}; discrete folds (shooting): "
        + ", ".join(f"n={n}: {v!r}" for n, v in discrete.items())
    )
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
