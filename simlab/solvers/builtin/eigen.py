"""Eigenproblem adapter: ``a laplacian(psi) + (b lam + d) psi = 0`` on a rectangle.

Read from the residual: ``a`` the common coefficient of ``psi_xx`` and ``psi_yy``, and the
remainder linear in ``psi`` with a coefficient ``b lam + d`` affine in the spec's eigenvalue
symbol. With ``mu`` an eigenvalue of ``-laplacian``: ``lam = (a mu - d) / b``. Homogeneous
Dirichlet walls give the TM-type spectrum, homogeneous Neumann walls the TE-type spectrum
without its zero (constant) mode; ``eigenvalue(k)`` is the k-th smallest ``lam``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from simlab.certify.audit_checks import CheckResult
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.builtin._observe import Eigenvalue, kernel_requests
from simlab.solvers.builtin._problem import Box, plan_mismatch, read_box, read_plan, side_value
from simlab.solvers.builtin._structure import as_number, isotropic_laplacian, read_structure
from simlab.solvers.families import EIGENPROBLEM
from simlab.solvers.kernels.waveguide import solve_waveguide_cutoffs
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

RESIDUAL_RTOL = 1e-8
ORTHOGONALITY_ATOL = 1e-10
POLARISATION = {"dirichlet": "tm", "neumann": "te"}


@dataclass(frozen=True)
class EigenProblem:
    box: Box
    polarisation: str
    a: float
    b: float
    d: float
    count: int
    requests: list[Eigenvalue]

    def from_laplacian(self, mu: np.ndarray) -> np.ndarray:
        """The spec's eigenvalue for eigenvalues ``mu`` of ``-laplacian``."""
        return (self.a * np.asarray(mu) - self.d) / self.b


class LaplaceEigenSolver(SpecDrivenSolver[EigenProblem]):
    """Lowest eigenvalues of ``-laplacian`` on a rectangle (5-point, shift-invert), order 2."""

    name = "laplace_eigen_5point"
    discretization = "finite_difference"
    family = EIGENPROBLEM
    formal_order = 2.0
    resolutions = (16, 32, 64)
    max_resolution = 1024

    def analyse(self, problem: Problem) -> EigenProblem | str:
        eig = problem.eigenvalue
        if eig is None:
            return "no eigenvalue symbol declared (eigenvalue: {symbol: ..})"
        if problem.time is not None:
            return "time-dependent: not a stationary eigenproblem"
        structure = read_structure(problem)
        if isinstance(structure, str):
            return structure
        if len(structure.space) != 2:
            return f"{len(structure.space)}-D: the eigen kernel is 2-D (a rectangle)"
        a = isotropic_laplacian(structure)
        if isinstance(a, str):
            return a
        affine = _eigen_coefficient(structure.remainder, structure.u, problem.symbol(eig).name)
        if isinstance(affine, str):
            return affine
        b, d = affine
        if a / b < 0.0:
            return (
                f"{eig} decreases with the Laplacian eigenvalue (a/b = {a / b:g}): its "
                "spectrum is unbounded below, no smallest eigenvalues"
            )
        box = read_box(problem, structure.unknown)
        if isinstance(box, str):
            return box
        types = box.types()
        if len(types) != 1 or next(iter(types)) not in POLARISATION:
            return (
                f"boundary types {sorted(types)}; the kernel has all-Dirichlet or all-Neumann walls"
            )
        for side in box.sides.values():
            value = side_value(problem, side, box)
            if value != 0.0:
                return (
                    f"'{side.segment}' has value {side.condition.value}; walls must be homogeneous"
                )
        plan = read_plan(problem)
        if isinstance(plan, str):
            return plan
        mismatch = plan_mismatch(
            plan, ("finite_difference",), ("central_5_point",), "the eigen kernel"
        )
        if mismatch:
            return mismatch
        requests = kernel_requests(problem, structure.unknown, None, ("eigenvalue",))
        if isinstance(requests, str):
            return requests
        indices = (q.index for q in requests if isinstance(q, Eigenvalue))
        count = max([problem.eigen_count, *indices])
        polarisation = POLARISATION[next(iter(types))]
        eigen_requests = [q for q in requests if isinstance(q, Eigenvalue)]
        return EigenProblem(box, polarisation, a, b, d, count, eigen_requests)

    def solve(self, spec: Spec, resolution: int) -> Solution:
        p = self.problem(spec)
        sol = solve_waveguide_cutoffs(*p.box.lengths, p.box.cells(resolution), num_modes=p.count)
        mu = sol.fields[f"kc_{p.polarisation}"] ** 2
        lam = p.from_laplacian(mu)
        observables = {q.name: float(lam[q.index - 1]) for q in p.requests}
        meta = {
            **sol.meta,
            "kernel_observables": dict(sol.observables),
            "adapter": self.name,
            "boundary": "dirichlet" if p.polarisation == "tm" else "neumann (zero mode dropped)",
            "eigenvalues": lam.tolist(),
        }
        return self.remember(replace(sol, observables=observables, meta=meta))

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Eigenpair residual ``||A v - mu v|| / mu_max`` and orthonormality of the vectors."""
        p = self.problem(spec)
        mu = solution.fields[f"kc_{p.polarisation}"] ** 2
        residual = solution.meta["residual_norm"] / float(np.max(mu))
        vectors = solution.fields[f"psi_{p.polarisation}"].reshape(mu.size, -1)
        gram = vectors @ vectors.T
        defect = float(np.max(np.abs(gram - np.eye(mu.size))))
        return [
            CheckResult(
                "eigenpair residual",
                bool(residual <= RESIDUAL_RTOL),
                residual,
                RESIDUAL_RTOL,
                "S4",
                f"max ||A v - mu v|| / mu_max = {residual:.3g} over {mu.size} pairs "
                f"(allowed {RESIDUAL_RTOL:g})",
            ),
            CheckResult(
                "eigenvector orthonormality",
                bool(defect <= ORTHOGONALITY_ATOL),
                defect,
                ORTHOGONALITY_ATOL,
                "S4",
                f"max |V V^T - I| = {defect:.3g} (allowed {ORTHOGONALITY_ATOL:g})",
            ),
        ]


def _eigen_coefficient(remainder: sp.Expr, u: sp.Symbol, symbol: str) -> tuple[float, float] | str:
    """``(b, d)`` when ``remainder == (b lam + d) u`` with constants ``b != 0`` and ``d``."""
    lam = sp.Symbol(symbol, real=True)
    coefficient = sp.simplify(sp.diff(remainder, u))
    if coefficient.has(u) or sp.simplify(remainder - coefficient * u) != 0:
        return f"the term {remainder} is not linear and homogeneous in the eigenfunction"
    if not coefficient.is_polynomial(lam):
        return f"the eigenvalue enters nonlinearly ({coefficient})"
    poly = sp.Poly(coefficient, lam)
    if poly.degree() != 1:
        return f"the eigenvalue {symbol} does not enter linearly ({coefficient})"
    b, d = as_number(poly.coeff_monomial(lam)), as_number(poly.coeff_monomial(1))
    if b is None or d is None:
        return f"the coefficient {coefficient} depends on the coordinates (a potential term)"
    return b, d
