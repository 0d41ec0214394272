"""A second Fisher-KPP solver, for the cross-solve only: method of lines with BDF.

The built-in Fisher-KPP kernel splits (exact logistic half steps around Crank-Nicolson
diffusion). This one does not split: second-order finite differences on nodes with mirrored
zero-flux ends, integrated as one stiff system by scipy's variable-order BDF with a sparse
Jacobian and a tolerance tied to ``h^2`` (so the time error stays below the space error and
the order in ``h`` is 2). The front speed is measured as the kernel defines it: the level
crossing (rightmost, linear interpolation) over ``[t0 + T/2, t_end]``.

Hand-written (40 lines) because the general engine does not evaluate ``front_speed``; it is
not registered, so the registry never chooses it to answer a spec, only to check one.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp

from simlab.errors import SolverError
from simlab.solvers.protocol import YES, Fit, SpecSolver
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec


class FrontMolSolver(SpecSolver):
    """Fisher-KPP front speeds by method of lines + BDF (cross-solve only)."""

    family = "parabolic"
    formal_order = 2.0
    resolutions = (400, 800, 1600)
    max_resolution = 6400

    def __init__(self) -> None:
        self.name = "front_mol_bdf"  # an instance attribute: never registered

    def _problem(self, spec: Spec) -> object | str:
        from simlab.solvers.builtin.parabolic import FisherKppSolver

        return FisherKppSolver().analyse(replace(spec, discretization=None))

    def fit(self, spec: Spec) -> Fit:
        from simlab.solvers.builtin._observe import FrontSpeed

        problem = self._problem(spec)
        if isinstance(problem, str):
            return Fit.no(problem)
        if not any(isinstance(q, FrontSpeed) for q in problem.requests):  # type: ignore[attr-defined]
            return Fit.no("no front-speed observable")
        return YES

    def solve(self, spec: Spec, resolution: int) -> Solution:
        from simlab.solvers.builtin._observe import FrontSpeed
        from simlab.solvers.kernels.fisher_kpp import front_position

        p = self._problem(spec)
        if isinstance(p, str):
            raise SolverError(p)
        rd, r = p.rd, p.r  # type: ignore[attr-defined]
        n = int(resolution)
        length = rd.box.lengths[0]
        x = np.linspace(0.0, length, n + 1)
        h = length / n
        main = np.full(n + 1, -2.0)
        upper = np.ones(n)
        lower = np.ones(n)
        upper[0] = lower[-1] = 2.0  # mirrored ghost nodes: zero flux at both ends
        lap = sp.diags([lower, main, upper], [-1, 0, 1], format="csr") * (rd.kappa / h**2)
        u0 = np.asarray(p.u0(x), dtype=float) * np.ones_like(x)  # type: ignore[attr-defined]
        middle = rd.t0 + 0.5 * rd.duration
        with np.errstate(all="ignore"):
            sol = solve_ivp(
                lambda _t, u: lap @ u + r * u * (1.0 - u),
                (rd.t0, rd.t_end),
                u0,
                method="BDF",
                jac=lambda _t, u: lap + sp.diags(r * (1.0 - 2.0 * u)),
                t_eval=[middle, rd.t_end],
                rtol=1e-3 * h**2,
                atol=1e-3 * h**2,
            )
        if not sol.success:
            raise SolverError(f"BDF failed: {sol.message}")
        observables = {}
        for q in p.requests:  # type: ignore[attr-defined]
            if isinstance(q, FrontSpeed):
                a = front_position(x, sol.y[:, 0], q.level)
                b = front_position(x, sol.y[:, 1], q.level)
                observables[q.name] = (b - a) / (rd.t_end - middle)
        return Solution(
            grid={"x": x},
            fields={"u": sol.y[:, 1]},
            resolution=n,
            h=h,
            order=self.formal_order,
            observables=observables,
            meta={"method": "method of lines, BDF", "steps": int(sol.t.size)},
        )
