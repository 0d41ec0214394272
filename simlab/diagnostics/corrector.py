"""Pseudo-arclength geometry: weighted inner product, Newton corrector and tangents.

A point is x = (u, lam) in R^(n+1). The arclength metric weights the state by 1/n,
<a, b> = (a_u . b_u) / n + a_lam b_lam, so that step sizes do not shrink with the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from simlab.diagnostics.bordered import BorderedLU, factor
from simlab.diagnostics.errors import ConvergenceError
from simlab.diagnostics.stability import Spectrum, spectrum
from simlab.diagnostics.types import ContinuationProblem, Matrix


@dataclass(frozen=True)
class Metric:
    """The weighted inner product of the arclength parametrisation."""

    theta: float

    @classmethod
    def for_size(cls, n: int) -> Metric:
        return cls(theta=1.0 / max(n, 1))

    def dot(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(self.theta * (a[:-1] @ b[:-1]) + a[-1] * b[-1])

    def norm(self, a: np.ndarray) -> float:
        return float(np.sqrt(self.dot(a, a)))

    def row(self, t: np.ndarray) -> np.ndarray:
        """The bordering row r with r . x = <t, x>."""
        r = t.copy()
        r[:-1] *= self.theta
        return r


@dataclass(frozen=True)
class Point:
    """A converged point with its oriented unit tangent and test-function data."""

    x: np.ndarray
    tangent: np.ndarray
    det_sign: float
    logabsdet: float
    spectrum: Spectrum | None
    jac_sign: float = 0.0
    jac_logabsdet: float = np.inf

    @property
    def u(self) -> np.ndarray:
        return self.x[:-1]

    @property
    def lam(self) -> float:
        return float(self.x[-1])


def bordered_lu(
    problem: ContinuationProblem, x: np.ndarray, t_row: np.ndarray, metric: Metric
) -> BorderedLU:
    """LU of [[J, dF/dlam], [<t_row, .>]] at x."""
    u, lam = x[:-1], float(x[-1])
    row = metric.row(t_row)
    return factor(problem.jacobian(u, lam), problem.dF_dparam(u, lam), row[:-1], row[-1])


EPS = float(np.finfo(float).eps)
ROUNDOFF_ULPS = 64
RESIDUAL_ULPS = 1024
"""A point is a solution when max|F| <= RESIDUAL_ULPS eps max(term scale): the rounding of
a sum of that many terms of that size, and nothing a non-solution can reach."""


def term_scale(
    problem: ContinuationProblem,
    u: np.ndarray,
    lam: float,
    f: np.ndarray,
    jac: Matrix,
    f_lam: np.ndarray | None = None,
) -> float:
    """max over equations of |J|(|u| + 1) + |dF/dlam|(|lam| + 1) + |F - J u - dF/dlam lam|.

    The size of the terms that cancel in F(u, lam) = 0 (for F = L u + lam g(u) + c: |L||u|,
    |lam g|, |c|, whatever the nonlinearity), so F can be judged relative to them; the 1s are
    a state and a parameter of unit size (continuation runs in scaled variables), so that the
    trivial solution u = 0 of a homogeneous problem, or a branch point where lam = 0, is
    judged on an absolute floor. F itself enters
    only through the remainder, with a factor eps: a residual comparable to the terms never
    passes.
    """
    if f_lam is None:
        f_lam = problem.dF_dparam(u, lam)
    size = np.abs(u) + 1.0
    linear = _abs_matvec(jac, size)
    rest = np.abs(f - jac @ u - f_lam * lam)
    return float(
        np.max(np.asarray(linear).ravel() + np.abs(f_lam) * (abs(lam) + 1.0) + rest, initial=0.0)
    )


def _abs_matvec(jac: Matrix, x: np.ndarray) -> np.ndarray:
    """|J| @ x without building |J| (CSC/CSR: one bincount over the stored entries)."""
    if not sp.issparse(jac):
        return np.abs(jac) @ x
    if jac.format not in ("csc", "csr"):
        jac = sp.csc_matrix(jac)
    outer = np.repeat(np.arange(jac.shape[1 if jac.format == "csc" else 0]), np.diff(jac.indptr))
    if jac.format == "csc":  # entry k sits in row indices[k], column outer[k]
        return np.bincount(jac.indices, np.abs(jac.data) * x[outer], minlength=jac.shape[0])
    return np.bincount(outer, np.abs(jac.data) * x[jac.indices], minlength=jac.shape[0])


def residual_threshold(problem: ContinuationProblem, u: np.ndarray, lam: float) -> float:
    """The largest max|F| at which (u, lam) counts as a solution (see :data:`RESIDUAL_ULPS`)."""
    f = np.asarray(problem.residual(u, lam), dtype=float)
    jac = problem.jacobian(u, lam)
    return RESIDUAL_ULPS * EPS * term_scale(problem, u, lam, f, jac)


def newton_correct(
    problem: ContinuationProblem,
    x_pred: np.ndarray,
    x_base: np.ndarray,
    t_base: np.ndarray,
    ds: float,
    metric: Metric,
    *,
    tol: float = 1e-10,
    maxiter: int = 10,
) -> tuple[np.ndarray, int]:
    """Solve F(x) = 0, <t_base, x - x_base> = ds by Newton from x_pred; (x, Newton updates).

    Converged when the arclength condition holds and the residual is a solution's: at
    round-off (max|F| <= ROUNDOFF_ULPS eps times the size of F's terms, :func:`term_scale`;
    near a singular point a further update only amplifies rounding), or under the threshold
    (RESIDUAL_ULPS eps times that size) after an update below tol (1 + |x|_inf). A small
    update alone is no proof: far up a branch where J is huge (Bratu's lam e^u) a tiny update
    leaves a huge residual.
    """
    x = x_pred.copy()
    small_update = False
    for it in range(maxiter + 1):
        u, lam = x[:-1], float(x[-1])
        f = np.asarray(problem.residual(u, lam), dtype=float)
        g = metric.dot(t_base, x - x_base) - ds
        if not (np.all(np.isfinite(f)) and np.isfinite(g)):
            raise ConvergenceError(f"residual not finite at {problem.parameter}={lam:.6g}")
        jac, f_lam = problem.jacobian(u, lam), problem.dF_dparam(u, lam)
        size_x = 1.0 + float(np.max(np.abs(x)))
        f_max = float(np.max(np.abs(f), initial=0.0))
        scale = term_scale(problem, u, lam, f, jac, f_lam)
        at_roundoff = f_max <= ROUNDOFF_ULPS * EPS * scale
        solved = f_max <= RESIDUAL_ULPS * EPS * scale
        if abs(g) <= max(tol, 64 * EPS) * size_x and (at_roundoff or (solved and small_update)):
            return x, it
        if it == maxiter:
            break
        row = metric.row(t_base)
        dx = factor(jac, f_lam, row[:-1], row[-1]).solve(-np.append(f, g))
        x = x + dx
        size = float(np.max(np.abs(dx)))
        if not np.isfinite(size) or size > 1e6 * (1.0 + float(np.max(np.abs(x)))):
            raise ConvergenceError("Newton corrector diverged")
        small_update = size <= tol * (1.0 + float(np.max(np.abs(x))))
    raise ConvergenceError(
        f"Newton corrector did not reach a solution's residual in {maxiter} iterations"
    )


def newton_fixed_parameter(
    problem: ContinuationProblem,
    u0: np.ndarray,
    lam: float,
    *,
    tol: float = 1e-10,
    maxiter: int = 20,
) -> np.ndarray:
    """Solve F(u, lam) = 0 at fixed lam (the starting point of a branch)."""
    e_lam = np.zeros(u0.size + 1)
    e_lam[-1] = 1.0
    x0 = np.append(np.asarray(u0, dtype=float), lam)
    # The constraint lam = const is the bordered row e_lam with zero step.
    x, _ = newton_correct(problem, x0, x0, e_lam, 0.0, Metric(theta=1.0), tol=tol, maxiter=maxiter)
    return x[:-1]


def make_point(
    problem: ContinuationProblem,
    x: np.ndarray,
    t_ref: np.ndarray,
    metric: Metric,
    *,
    n_eigs: int = 0,
    sigma: float = 0.0,
) -> Point:
    """The oriented tangent (<t, t_ref> > 0), determinant data and spectrum at x.

    det J comes free with the bordered LU: the tangent solves B z = e_(n+1), so by Cramer's
    rule z_lam = det J / det B, and sign det J = sign(z_lam) sign det B,
    log|det J| = log|z_lam| + log|det B|.
    """
    lu = bordered_lu(problem, x, t_ref, metric)
    rhs = np.zeros(x.size)
    rhs[-1] = 1.0
    z = lu.solve(rhs)
    tangent = z / metric.norm(z)
    spec = None
    if n_eigs > 0:
        jac = problem.jacobian(x[:-1], float(x[-1]))
        spec = spectrum(jac, n_eigs, sigma=sigma, symmetric=problem.symmetric)
    z_lam = float(z[-1])
    return Point(
        x=x,
        tangent=tangent,
        det_sign=lu.sign,
        logabsdet=lu.logabsdet,
        spectrum=spec,
        jac_sign=float(np.sign(z_lam)) * lu.sign,
        jac_logabsdet=(np.log(abs(z_lam)) + lu.logabsdet) if z_lam else -np.inf,
    )
