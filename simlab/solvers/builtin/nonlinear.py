"""Nonlinear stationary adapter: the Bratu problem ``a u_xx + a lam exp(u) = 0`` in 1-D.

Read from the residual: ``a`` the constant coefficient of ``u_xx`` and the remainder divided
by ``a exp(u)`` must be a positive constant ``lam``. On ``[x0, x0 + L]`` the substitution
``x = x0 + L s`` gives the kernel's unit-interval problem with ``lam L^2``; grid and ``h``
are reported in the spec's coordinate again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from simlab.certify import audit_checks as audit
from simlab.certify.audit_checks import CheckResult
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.builtin._observe import PointValue, Request, kernel_requests, node_or_spline
from simlab.solvers.builtin._problem import (
    Box,
    numpy_function,
    plan_mismatch,
    read_box,
    read_plan,
    side_value,
)
from simlab.solvers.builtin._structure import as_number, describe, read_structure
from simlab.solvers.families import NONLINEAR_STATIONARY
from simlab.solvers.kernels.bratu import solve_bratu_1d
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

NEWTON_RTOL = 1e-9


@dataclass(frozen=True)
class BratuProblem:
    box: Box
    lam: float
    initial_guess: Callable[[np.ndarray], np.ndarray] | float
    requests: list[Request]

    @property
    def length(self) -> float:
        return self.box.lengths[0]

    @property
    def scaled_lambda(self) -> float:
        """``lam L^2``: the parameter of the same problem on the unit interval."""
        return self.lam * self.length**2


class BratuNewtonSolver(SpecDrivenSolver[BratuProblem]):
    """``u'' + lam e^u = 0``, zero Dirichlet ends: 3-point differences + Newton, order 2."""

    name = "bratu_newton"
    discretization = "finite_difference"
    family = NONLINEAR_STATIONARY
    formal_order = 2.0
    resolutions = (32, 64, 128)
    max_resolution = 1 << 16

    def analyse(self, problem: Problem) -> BratuProblem | str:
        if problem.time is not None:
            return "time-dependent: the Bratu kernel is stationary"
        structure = read_structure(problem)
        if isinstance(structure, str):
            return structure
        if len(structure.space) != 1:
            return f"{len(structure.space)}-D: the Bratu kernel is 1-D"
        x = structure.space[0]
        if structure.nonlinear:
            return f"nonlinear in the derivatives ({', '.join(structure.nonlinear)})"
        extra = structure.keys_other_than(((x, 2),))
        if extra:
            return f"derivatives the Bratu kernel lacks: {', '.join(map(describe, extra))}"
        a = structure.constant((x, 2))
        if not a:
            return f"no constant-coefficient d^2/d{x}^2 term"
        ratio = sp.simplify(structure.remainder / (a * sp.exp(structure.u)))
        lam = as_number(ratio)
        if lam is None or lam <= 0.0:
            return (
                f"the term {structure.remainder} is not lam*exp(u) with a constant lam > 0: "
                "not supported by the built-in kernels"
            )
        box = read_box(problem, structure.unknown)
        if isinstance(box, str):
            return box
        for side in box.sides.values():
            value = side_value(problem, side, box)
            if side.kind != "dirichlet" or value != 0.0:
                return (
                    f"'{side.segment}' has {side.kind} = {side.condition.value}; the "
                    "Bratu kernel has u = 0 at both ends"
                )
        plan = read_plan(problem)
        if isinstance(plan, str):
            return plan
        mismatch = plan_mismatch(
            plan,
            ("finite_difference",),
            ("central_3_point_newton", "central_3_point", "newton"),
            "the Bratu kernel (3-point differences, Newton)",
        )
        if mismatch:
            return mismatch
        guess = _initial_guess(problem, structure.unknown, box)
        if isinstance(guess, str):
            return guess
        requests = kernel_requests(problem, structure.unknown, box, ("point",))
        if isinstance(requests, str):
            return requests
        return BratuProblem(box, lam, guess, requests)

    def solve(self, spec: Spec, resolution: int) -> Solution:
        p = self.problem(spec)
        sol = solve_bratu_1d(p.scaled_lambda, int(resolution), u_init=p.initial_guess)
        x = sol.grid["x"] * p.length
        observables = {
            q.name: node_or_spline((x,), sol.fields["u"], q.point)
            for q in p.requests
            if isinstance(q, PointValue)
        }
        meta = {
            **sol.meta,
            "kernel_observables": dict(sol.observables),
            "adapter": self.name,
            "lambda_unit_interval": p.scaled_lambda,
        }
        return self.remember(
            replace(sol, grid={"x": x}, h=sol.h * p.length, observables=observables, meta=meta)
        )

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Newton residual, positivity (``u'' < 0`` with zero ends), stability of the branch."""
        p = self.problem(spec)
        u = solution.fields["u"]
        scale = p.scaled_lambda * float(np.exp(np.max(u)))
        residual = solution.meta["residual_norm"] / scale
        stability = solution.meta["stability_eigenvalue"]
        return [
            CheckResult(
                "Newton residual",
                bool(residual <= NEWTON_RTOL),
                residual,
                NEWTON_RTOL,
                "S4",
                f"max |u'' + lam e^u| / (lam max e^u) = {residual:.3g} after "
                f"{solution.meta['iterations']} Newton steps (allowed {NEWTON_RTOL:g})",
            ),
            audit.positivity(u, atol=1e-12 * max(float(np.max(np.abs(u))), 1e-300)),
            CheckResult(
                "stable (lower) branch",
                bool(stability > 0.0),
                stability,
                0.0,
                "S2",
                f"smallest eigenvalue of -J = {stability:.6g} (> 0 on the stable lower branch; "
                "< 0 means Newton found the unstable upper solution)",
            ),
        ]


def _initial_guess(
    problem: Problem, unknown: str, box: Box
) -> Callable[[np.ndarray], np.ndarray] | float | str:
    """The spec's initial iterate as a function of the unit-interval coordinate (default 0)."""
    guess = dict(problem.initial_guess).get(unknown)
    if guess is None:
        return 0.0
    fn = numpy_function(problem, guess, box.names)
    if isinstance(fn, str):
        return f"initial guess: {fn}"
    lower, length = box.lower[0], box.lengths[0]
    return lambda s: fn(lower + length * np.asarray(s))
