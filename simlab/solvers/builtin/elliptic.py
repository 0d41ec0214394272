"""Elliptic adapter: ``a laplacian(u) + rest(x, y) = 0`` on a rectangle with Dirichlet data.

Read from the residual: ``a`` is the common constant coefficient of ``u_xx`` and ``u_yy``; the
kernel solves ``-kappa laplacian(u) = f`` with ``kappa = |a|`` and ``f = sign(a) rest``. A term
in ``u`` itself (Helmholtz, reaction), a variable coefficient (``div(k(x) grad u)`` gives first
derivatives) or a Neumann side does not fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from simlab.certify import audit_checks as audit
from simlab.certify.audit_checks import CheckResult
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.builtin._observe import PointValue, Request, kernel_requests, node_or_spline
from simlab.solvers.builtin._problem import (
    Box,
    dirichlet_function,
    numpy_function,
    plan_mismatch,
    read_box,
    read_plan,
)
from simlab.solvers.builtin._structure import isotropic_laplacian, read_structure
from simlab.solvers.families import ELLIPTIC
from simlab.solvers.kernels.poisson import solve_poisson_2d
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

FieldFn = Callable[..., np.ndarray]
RESIDUAL_RTOL = 1e-10
SYMMETRY_RTOL = 1e-10


@dataclass(frozen=True)
class PoissonProblem:
    box: Box
    kappa: float
    source: FieldFn
    boundary: FieldFn
    requests: list[Request]


class PoissonSolver(SpecDrivenSolver[PoissonProblem]):
    """``-kappa laplacian(u) = f`` on a rectangle, Dirichlet data: 5-point stencil, order 2."""

    name = "poisson_5point"
    discretization = "finite_difference"
    family = ELLIPTIC
    formal_order = 2.0
    resolutions = (16, 32, 64)
    max_resolution = 2048

    def analyse(self, problem: Problem) -> PoissonProblem | str:
        if problem.time is not None:
            return "time-dependent: the Poisson kernel is stationary"
        if problem.eigenvalue is not None:
            return "an eigenproblem, not a boundary-value problem"
        structure = read_structure(problem)
        if isinstance(structure, str):
            return structure
        if len(structure.space) != 2:
            return f"{len(structure.space)}-D: the Poisson kernel is 2-D (a rectangle)"
        a = isotropic_laplacian(structure)
        if isinstance(a, str):
            return a
        rest = structure.remainder
        if rest.has(structure.u):
            return (
                f"the term {rest} contains the unknown (reaction / Helmholtz term): not "
                "supported by the Poisson kernel"
            )
        box = read_box(problem, structure.unknown)
        if isinstance(box, str):
            return box
        plan = read_plan(problem)
        if isinstance(plan, str):
            return plan
        mismatch = plan_mismatch(
            plan, ("finite_difference",), ("central_5_point",), "the Poisson kernel"
        )
        if mismatch:
            return mismatch
        source = numpy_function(problem, math.copysign(1.0, a) * rest, box.names)
        if isinstance(source, str):
            return f"source: {source}"
        boundary = dirichlet_function(problem, box)
        if isinstance(boundary, str):
            return boundary
        requests = kernel_requests(problem, structure.unknown, box, ("point",))
        if isinstance(requests, str):
            return requests
        return PoissonProblem(box, abs(a), box.shifted(source), boundary, requests)

    def solve(self, spec: Spec, resolution: int) -> Solution:
        p = self.problem(spec)
        sol = solve_poisson_2d(
            p.source,
            p.boundary,
            *p.box.lengths,
            p.box.cells(resolution),
            kappa=p.kappa,
            bc="dirichlet",
        )
        axes = (sol.grid["x"], sol.grid["y"])
        observables = {
            q.name: node_or_spline(axes, sol.fields["u"], q.point)
            for q in p.requests
            if isinstance(q, PointValue)
        }
        meta = {**sol.meta, "kernel_observables": dict(sol.observables), "adapter": self.name}
        return self.remember(replace(sol, observables=observables, meta=meta))

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Discrete residual of the linear solve; mirror symmetry where the data have it.

        Symmetry about a mid-line is checked only when the sampled source and boundary data
        are themselves symmetric under that reflection (computed, not assumed); the discrete
        problem is then symmetric, so the solution must be too, to round-off.
        """
        p = self.problem(spec)
        checks = [
            audit.residual_norm(
                [solution.meta["relative_residual"]],
                tol=RESIDUAL_RTOL,
                name="discrete residual ||A u - b|| / ||b||",
            )
        ]
        x, y = solution.grid["x"], solution.grid["y"]
        xx, yy = np.meshgrid(x, y, indexing="ij")
        source = p.source(xx, yy)
        boundary = p.boundary(xx, yy)
        rim = np.ones(xx.shape, dtype=bool)
        rim[1:-1, 1:-1] = False
        for axis, coord in enumerate(p.box.names):
            if _mirror_symmetric(source, axis) and _mirror_symmetric(
                np.where(rim, boundary, 0.0), axis
            ):
                checks.append(
                    audit.symmetry(
                        solution.fields["u"],
                        axis=axis,
                        rtol=SYMMETRY_RTOL,
                        name=f"mirror symmetry in {coord}",
                    )
                )
        return checks


def _mirror_symmetric(data: np.ndarray, axis: int) -> bool:
    scale = float(np.max(np.abs(data))) if data.size else 0.0
    return bool(np.max(np.abs(data - np.flip(data, axis=axis))) <= 1e-12 * max(scale, 1e-300))
