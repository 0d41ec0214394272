"""Poisson 2-D at equal accuracy against scikit-fem (P1, P2), and the elliptic solve's scaling.

    python benchmarks/bench_poisson_skfem.py [--eps 1e-4] [--repeats 5] [--no-scaling]
        [--order 4] [--target eps] [--top 2048]

``--order 4`` certifies with ``order: 4`` in place of the spec's ``scheme: central_5_point``
(the engine's fourth-order stencils; the second-order FFT kernel gives way to it).
``--target eps`` asks every contender for the requested tolerance instead of simlab's
certified true error.

Problem: -laplacian(u) = 2 pi^2 sin(pi x) sin(pi y) on the unit square, u = 0 on the sides;
observable u(0.5, 0.5), exact 1; error metric: the relative error there, for everyone.

1. simlab certifies specs/dev/poisson_2d.md with its threshold set to ``eps`` (the whole
   ``certify_spec``). The TRUE error of its certified value is the target for everybody.
2. Each contender runs on the coarsest uniform grid of its family meeting the target (the
   centre is a node for all: n even). scikit-fem: ``MeshTri.init_tensor``, P1 or P2, assembly
   of stiffness and load, ``condense`` + ``solve`` (SuperLU), the centre value read from the
   vertex dof. A warm solve builds mesh, basis, matrices and solves from scratch, in a process
   where the imports are done; cold is the first such call.
3. Repeats interleaved, median [min-max].
Then the scaling of simlab's kernel (fast sine transform) from 256^2 to 2048^2: time and peak
traced memory (tracemalloc, the arrays numpy allocates).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _equal_accuracy import interleaved, print_table

from simlab.fem import fem_solution
from simlab.pipeline import certify_spec
from simlab.solvers.kernels.poisson import solve_poisson_2d
from simlab.spec import parse, parse_file

ROOT = Path(__file__).resolve().parents[1]


def source(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 2 * np.pi**2 * np.sin(np.pi * x) * np.sin(np.pi * y)


def simlab_kernel(n: int) -> float:
    return solve_poisson_2d(source, 0.0, 1.0, 1.0, n).observables["u_center"]


def skfem_solve(n: int, order: int) -> float:
    import skfem
    from skfem.helpers import dot, grad

    @skfem.BilinearForm
    def laplace(u, v, w):
        return dot(grad(u), grad(v))

    @skfem.LinearForm
    def load(v, w):
        x, y = w.x
        return 2 * np.pi**2 * np.sin(np.pi * x) * np.sin(np.pi * y) * v

    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, n + 1), np.linspace(0, 1, n + 1))
    element = skfem.ElementTriP1() if order == 1 else skfem.ElementTriP2()
    basis = skfem.Basis(mesh, element)
    a = skfem.asm(laplace, basis)
    b = skfem.asm(load, basis)
    u = skfem.solve(*skfem.condense(a, b, D=basis.get_dofs()))
    centre = int(np.argmin(np.hypot(mesh.p[0] - 0.5, mesh.p[1] - 0.5)))
    return float(u[centre])  # vertex dofs come first for P1 and P2


def coarsest(error_of: Callable[[int], float], target: float, top: int = 2048):
    n = 4
    while n <= top:
        err = error_of(n)
        if err <= target:
            return n, err
        n = n + max(2, 2 * round(n / 8))  # ~25 % steps, even
    return None, float("nan")


def scaling(sizes: tuple[int, ...] = (256, 512, 1024, 2048)) -> None:
    print("\nsimlab Poisson kernel (fast sine transform), one solve incl. sampling f and probes")
    print(f"{'n':>6} {'unknowns':>10} {'median s':>9} {'[min - max]':>20} {'peak MB':>8}")
    rows = []
    for n in sizes:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            simlab_kernel(n)
            times.append(time.perf_counter() - t)
        tracemalloc.start()
        simlab_kernel(n)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        med = statistics.median(times)
        rows.append((n, med))
        print(
            f"{n:6d} {(n - 1) ** 2:10d} {med:9.3f} [{min(times):.3f} - {max(times):.3f}] "
            f"{peak:8.0f}"
        )
    (n0, t0), (n1, t1) = rows[0], rows[-1]
    print(
        f"growth exponent in N = n^2 between {n0} and {n1}: "
        f"{math.log(t1 / t0) / math.log((n1 / n0) ** 2):.2f} (1 = O(N))"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eps", type=float, default=1e-4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--order", type=int, choices=(2, 4), default=None)
    parser.add_argument("--target", choices=("certified", "eps"), default="certified")
    parser.add_argument("--top", type=int, default=2048, help="largest grid searched")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    text = (ROOT / "specs" / "dev" / "poisson_2d.md").read_text()
    text = text.replace("threshold: 1.0e-4", f"threshold: {args.eps}")
    if args.order is not None:
        text = text.replace("scheme: central_5_point", f"order: {args.order}")

    def certified() -> float:
        r = certify_spec(parse(text))
        return next(o.value for o in r.certificate.observables if o.name == "u_center")

    # imports warm through ANOTHER problem, so the first certification below starts with this
    # spec's symbolic caches empty (its "cold" time); later calls reuse them (warm)
    certify_spec(parse_file(ROOT / "specs" / "dev" / "heat_1d.md"))
    t0 = time.perf_counter()
    result = certify_spec(parse(text))
    cold_cert = time.perf_counter() - t0
    value = next(o.value for o in result.certificate.observables if o.name == "u_center")
    achieved = abs(value - 1.0)
    target = achieved if args.target == "certified" else args.eps
    print(
        f"Poisson 2-D, u(0.5, 0.5); simlab certified {value!r} at eps = {args.eps:g} by "
        f"{result.certificate.solver} on {result.certificate.resolutions}: "
        f"{result.certificate.status.value}, true error {achieved:.2e}; target for everyone "
        f"{target:.2e} ({args.target})"
    )
    print(
        "  certificate timings [s]: " + ", ".join(f"{k} {v:.4f}" for k, v in result.timings.items())
    )
    spec = parse(text)
    contenders: dict[str, tuple[int, float, Callable[[], float], float]] = {}
    for label, fn in (
        ("simlab FD kernel (one solve)", simlab_kernel),
        ("simlab fem_p2 (one solve)", lambda n: fem_solution(spec, n, 2).observables["u_center"]),
        ("scikit-fem P1", lambda n: skfem_solve(n, 1)),
        ("scikit-fem P2", lambda n: skfem_solve(n, 2)),
    ):
        n, err = coarsest(lambda n, fn=fn: abs(fn(n) - 1.0), target, args.top)
        if n is None:
            print(f"  {label}: no grid up to {args.top} reaches {target:.2e}")
            continue
        t = time.perf_counter()
        fn(n)
        contenders[label] = (n, err, lambda fn=fn, n=n: fn(n), time.perf_counter() - t)
    contenders["simlab certify_spec (whole)"] = (0, achieved, certified, cold_cert)
    print_table(contenders, interleaved(contenders, args.repeats), "scikit")
    if not args.no_scaling:
        scaling()


if __name__ == "__main__":
    main()
