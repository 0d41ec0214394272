"""Heat 1-D at equal accuracy: simlab (certified and uncertified) against py-pde's steppers.

    python benchmarks/bench_heat_pypde.py [--eps 1e-4] [--repeats 5] [--order 4] [--target eps]

``--order 4`` certifies with ``order: 4`` in the spec's Discretization section (the engine's
fourth-order stencils and Crank-Nicolson extrapolated in time; the second-order heat kernel
gives way to it). ``--target eps`` asks every peer for the requested tolerance instead of
simlab's (smaller) certified true error.

Problem: u_t = u_xx on [0, 1], u(0) = u(1) = 0, u0 = sin(pi x); the observable is u(0.5, 0.1),
exact exp(-pi^2 / 10); the error metric is the relative error at that point for everyone.

1. simlab certifies the spec at tolerance ``eps`` (the whole ``certify_spec``: Judge, reading
   the spec, every solve of the convergence study, certificate, diagnostics). The TRUE
   relative error of its certified value is the accuracy target for everybody.
2. Each contender runs on the coarsest grid of its own family that meets the target, with the
   probe on a grid point: simlab's nodes (n even), py-pde's cell centres (n odd).
   py-pde: explicit Euler (numba and numpy backends), implicit Euler and Crank-Nicolson
   (numba; py-pde solves their steps by fixed-point iteration, which diverges beyond a
   diffusion number of about 1, so they get the explicit step too), all with dt = 0.4 h^2 (a
   whole number of steps); scipy BDF (solve_ivp, numpy backend, rtol 1e-10, atol 1e-13).
   py-pde's grid search uses the numpy backend (same numerics) so numba compiles once, for
   the chosen grid.
   The value is read from the cell's data (``field.interpolate`` builds an interpolator on
   every call, which cost py-pde ~2.7 s per call in an earlier version of this benchmark).
3. Cold = the first call (py-pde: make_stepper, numba compilation included; simlab: a fresh
   process is not measured, only the first in-process call). Warm = the stepper (or kernel)
   called again on a fresh copy of the initial state. Repeats are interleaved (every
   contender once per round) and reported as median [min-max].
"""

from __future__ import annotations

import argparse
import math
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _equal_accuracy import interleaved, print_table

from simlab.pipeline import certify_spec
from simlab.solvers.kernels.heat import solve_heat_1d
from simlab.spec import parse, parse_file

T_END, X_PROBE = 0.1, 0.5
EXACT = math.exp(-(math.pi**2) * T_END)

SPEC = """# Specification: heat 1-D benchmark
## Domain
geometry: interval
coordinates:
  x: {{range: [0, 1]}}
time: {{range: [0, 0.1]}}
boundaries:
  left: x = 0
  right: x = 1
## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [t, x]}}
equations:
  - diff(u, t) = diff(u, x, 2)
## Boundary Conditions
left: {{type: dirichlet, value: 0}}
right: {{type: dirichlet, value: 0}}
## Initial Conditions
u: sin(pi*x)
## Observables
u_mid: {{definition: "u(t=0.1, x=0.5)"}}
## Tolerance
metric: relative_error
threshold: {eps}
reference:
  kind: analytic
  value: exp(-pi**2*t)*sin(pi*x)
"""


def rel_error(value: float) -> float:
    return abs(value - EXACT) / EXACT


def simlab_kernel(n: int) -> float:
    sol = solve_heat_1d(1.0, 1.0, T_END, lambda x: np.sin(np.pi * x), n, probes=[X_PROBE])
    return sol.observables["u_mid"]


def pypde_runner(kind: str, n: int, backend: str) -> Callable[[], float]:
    """A warm callable for one py-pde configuration (the stepper is built once)."""
    import pde

    grid = pde.CartesianGrid([[0, 1]], [n])
    state = pde.ScalarField.from_expression(grid, "sin(pi * x)")
    eq = pde.DiffusionPDE(diffusivity=1.0, bc={"value": 0})
    h = 1.0 / n
    steps = math.ceil(T_END / (0.4 * h * h))
    dt = T_END / steps
    if kind == "euler":
        solver = pde.EulerSolver(eq, backend=backend)
    elif kind == "implicit":  # py-pde iterates its implicit steps by fixed point: dt ~ h^2
        solver = pde.ImplicitSolver(eq, backend=backend)
    elif kind == "crank-nicolson":
        solver = pde.CrankNicolsonSolver(eq, backend=backend)
    else:
        solver = pde.ScipySolver(eq, backend=backend, method="BDF", rtol=1e-10, atol=1e-13)
    stepper = solver.make_stepper(state, dt=dt)
    centre = n // 2
    if abs(grid.axes_coords[0][centre] - X_PROBE) > 1e-12:
        raise ValueError(f"x = {X_PROBE} is not a cell centre of py-pde's grid with n = {n}")

    def run() -> float:
        field = state.copy()
        reached = stepper(field, 0.0, T_END)
        if abs(reached - T_END) > 1e-9 * T_END:
            raise RuntimeError(f"py-pde stopped at t = {reached}")
        return float(field.data[centre])  # the probe is this cell's centre (n odd)

    return run


def coarsest(candidates: list[int], error_of: Callable[[int], float], target: float):
    for n in candidates:
        err = error_of(n)
        if err <= target:
            return n, err
    return None, float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eps", type=float, default=1e-4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--order", type=int, choices=(2, 4), default=None)
    parser.add_argument("--target", choices=("certified", "eps"), default="certified")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    spec_text = SPEC.format(eps=args.eps)
    if args.order is not None:
        spec_text += f"\n## Discretization\norder: {args.order}\n"

    # imports warm through ANOTHER problem, so the first certification below starts with this
    # spec's symbolic caches empty (its "cold" time); later calls reuse them (warm)
    certify_spec(parse_file(Path(__file__).resolve().parents[1] / "specs/dev/poisson_2d.md"))
    t0 = time.perf_counter()
    result = certify_spec(parse(spec_text))
    cert_seconds = time.perf_counter() - t0
    value = result.certificate.observables[0].value
    achieved = rel_error(value)
    target = achieved if args.target == "certified" else args.eps
    print(
        f"heat 1-D, u(0.5, 0.1); simlab certified {value!r} at eps = {args.eps:g} by "
        f"{result.certificate.solver} on {result.certificate.resolutions}: "
        f"{result.certificate.status.value}, true relative error {achieved:.2e}; "
        f"target for everyone {target:.2e} ({args.target})"
    )
    print(
        "  certificate timings [s]: " + ", ".join(f"{k} {v:.4f}" for k, v in result.timings.items())
    )

    contenders: dict[str, tuple[int, float, Callable[[], float], float]] = {}
    n, err = coarsest([2**k for k in range(3, 13)], lambda n: rel_error(simlab_kernel(n)), target)
    if n is not None:
        t = time.perf_counter()
        simlab_kernel(n)
        contenders["simlab CN kernel (one solve)"] = (
            n,
            err,
            lambda n=n: simlab_kernel(n),
            time.perf_counter() - t,
        )
    contenders["simlab certify_spec (whole)"] = (
        0,
        achieved,
        lambda: certify_spec(parse(spec_text)).certificate.observables[0].value,
        cert_seconds,
    )
    try:
        import pde
    except ImportError:
        pde = None
    if pde is not None:
        odd = [2**k - 1 for k in range(3, 11)]
        for kind, backend in (
            ("euler", "numba"),
            ("euler", "numpy"),
            ("implicit", "numba"),
            ("crank-nicolson", "numba"),
            ("scipy-bdf", "numpy"),
        ):
            label = f"py-pde {kind} ({backend})"
            try:
                search = "numpy" if kind != "scipy-bdf" else backend
                grids = odd if kind != "scipy-bdf" else odd[:5]  # BDF: finite-difference Jacobian
                n, err = coarsest(
                    grids, lambda n, k=kind, b=search: rel_error(pypde_runner(k, n, b)()), target
                )
                if n is None:
                    finest = pypde_runner(kind, grids[-1], backend)
                    finest()  # compile once
                    t = time.perf_counter()
                    err = rel_error(finest())
                    print(
                        f"  {label}: no grid up to {grids[-1]} reaches {target:.2e}; at "
                        f"{grids[-1]}: error {err:.2e} in {time.perf_counter() - t:.4f} s "
                        "(a lower bound on its cost at the target)"
                    )
                    continue
                t = time.perf_counter()
                run = pypde_runner(kind, n, backend)
                run()
                cold = time.perf_counter() - t
                contenders[label] = (n, rel_error(run()), run, cold)
            except Exception as exc:  # a peer's failure is a row, not a crash
                print(f"  {label}: {type(exc).__name__}: {str(exc)[:80]}")

    print_table(contenders, interleaved(contenders, args.repeats), "py-pde")


if __name__ == "__main__":
    main()
