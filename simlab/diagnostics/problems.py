"""Finite-difference and normal-form problems with known bifurcations.

The ODE builders live in :mod:`simlab.diagnostics.problems_ode` and are re-exported here.
Every builder returns a :class:`Setup`: the :class:`ContinuationProblem`, its grid and a
starting solution. The discrete Laplacians are 2nd-order central differences on uniform
grids of interior nodes (Dirichlet data eliminated), stored as scipy.sparse matrices.
Overflow in exp or a negative square root during a Newton overshoot yields inf/nan, which
the corrector turns into a failed step (smaller step), never into a silently clipped value.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.problems_ode import brusselator, lorenz_equilibria, pitchfork, saddle_node
from simlab.diagnostics.types import ContinuationProblem, Setup

__all__ = [
    "Setup",
    "bratu_1d",
    "bratu_2d",
    "brusselator",
    "brusselator_1d",
    "chafee_infante",
    "elastica",
    "laplacian_1d",
    "lorenz_equilibria",
    "pitchfork",
    "saddle_node",
]


def _interior(n: int, minimum: int = 1) -> None:
    if not isinstance(n, int | np.integer) or n < minimum:
        raise DiagnosticsError(f"need an integer number of interior nodes >= {minimum}, got {n}")


def laplacian_1d(n: int, h: float) -> sp.csr_matrix:
    """Second difference (u[i-1] - 2u[i] + u[i+1]) / h^2 on n interior nodes, u = 0 outside."""
    return sp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(n, n), format="csr") / h**2


def _diff_1d(n: int, h: float) -> sp.csr_matrix:
    return sp.diags([-1.0, 1.0], [-1, 1], shape=(n, n), format="csr") / (2.0 * h)


class _PlusDiagonal:
    """A -> A + diag(d) reusing A's CSC structure (every diagonal entry of A is stored)."""

    def __init__(self, matrix: sp.spmatrix) -> None:
        self.matrix = sp.csc_matrix(matrix)
        self.matrix.sort_indices()
        n = self.matrix.shape[0]
        cols = np.repeat(np.arange(n), np.diff(self.matrix.indptr))
        self.positions = np.flatnonzero(self.matrix.indices == cols)
        if self.positions.size != n:
            raise DiagnosticsError("matrix must store every diagonal entry")

    def __call__(self, diagonal: np.ndarray) -> sp.csc_matrix:
        data = self.matrix.data.copy()
        data[self.positions] += diagonal
        m = self.matrix
        return sp.csc_matrix((data, m.indices, m.indptr), shape=m.shape)


def bratu_1d(n: int) -> Setup:
    """u'' + lam e^u = 0 on (0, 1), u(0) = u(1) = 0; functional max u (= u(1/2) for odd n)."""
    _interior(n)
    h = 1.0 / (n + 1)
    lap = laplacian_1d(n, h)
    plus_diag = _PlusDiagonal(lap)

    def exp_u(u: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.exp(u)

    return Setup(
        problem=ContinuationProblem(
            residual=lambda u, lam: lap @ u + lam * exp_u(u),
            jacobian=lambda u, lam: plus_diag(lam * exp_u(u)),
            dparam=lambda u, lam: exp_u(u),
            parameter="lam",
            functional=lambda u: float(np.max(u)),
            symmetric=True,
        ),
        grid=np.linspace(h, 1.0 - h, n),
        h=h,
        u0=np.zeros(n),
        lam0=0.0,
    )


def bratu_2d(n: int) -> Setup:
    """Delta u + lam e^u = 0 on the unit square, u = 0 on the boundary, n x n interior nodes."""
    _interior(n)
    h = 1.0 / (n + 1)
    lap1 = laplacian_1d(n, h)
    eye = sp.identity(n, format="csr")
    lap = (sp.kron(lap1, eye) + sp.kron(eye, lap1)).tocsr()
    plus_diag = _PlusDiagonal(lap)
    xs = np.linspace(h, 1.0 - h, n)

    def exp_u(u: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.exp(u)

    return Setup(
        problem=ContinuationProblem(
            residual=lambda u, lam: lap @ u + lam * exp_u(u),
            jacobian=lambda u, lam: plus_diag(lam * exp_u(u)),
            dparam=lambda u, lam: exp_u(u),
            parameter="lam",
            functional=lambda u: float(np.max(u)),
            symmetric=True,
        ),
        grid=np.stack(np.meshgrid(xs, xs, indexing="ij")),
        h=h,
        u0=np.zeros(n * n),
        lam0=0.0,
    )


def chafee_infante(n: int, lam0: float = 0.5) -> Setup:
    """u'' + lam (u - u^3) = 0 on (0, pi), Dirichlet; functional: RMS norm signed by u(h)."""
    _interior(n, 2)
    h = np.pi / (n + 1)
    lap = laplacian_1d(n, h)
    plus_diag = _PlusDiagonal(lap)
    return Setup(
        problem=ContinuationProblem(
            residual=lambda u, lam: lap @ u + lam * (u - u**3),
            jacobian=lambda u, lam: plus_diag(lam * (1.0 - 3.0 * u**2)),
            dparam=lambda u, lam: u - u**3,
            parameter="lam",
            functional=lambda u: float(np.sign(u[0]) * np.sqrt(np.mean(u**2))),
            symmetric=True,
        ),
        grid=np.linspace(h, np.pi - h, n),
        h=h,
        u0=np.zeros(n),
        lam0=lam0,
    )


def elastica(
    n: int, length: float = 1.0, stiffness: float = 1.0, load0: float | None = None
) -> Setup:
    """Pinned-pinned elastica EI y'' + P y sqrt(1 - y'^2) = 0, y(0) = y(L) = 0, parameter P.

    y(s) is the transverse deflection against arclength s: with x' = cos(theta),
    y' = sin(theta) and the moment balance EI theta' = -P y, this is exactly the elastica
    theta'' + (P/EI) sin(theta) = 0 for |theta| < pi/2, in a Dirichlet form whose
    linearisation EI y'' + P y = 0 loses stability at P_cr = pi^2 EI / L^2.
    Functional: the mid-span deflection (odd n) or max |y| signed.
    """
    _interior(n, 3)
    if length <= 0 or stiffness <= 0:
        raise DiagnosticsError(f"length and stiffness must be positive, got {length}, {stiffness}")
    h = length / (n + 1)
    lap, d1 = laplacian_1d(n, h), _diff_1d(n, h)

    def slope_terms(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        slope = d1 @ y
        with np.errstate(invalid="ignore"):
            return slope, np.sqrt(1.0 - slope**2)

    def residual(y: np.ndarray, p: float) -> np.ndarray:
        return stiffness * (lap @ y) + p * y * slope_terms(y)[1]

    def jacobian(y: np.ndarray, p: float) -> sp.csr_matrix:
        slope, cos_t = slope_terms(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            cross = sp.diags(-p * y * slope / cos_t) @ d1
        return (stiffness * lap + sp.diags(p * cos_t) + cross).tocsr()

    mid = n // 2
    p_cr = np.pi**2 * stiffness / length**2
    return Setup(
        problem=ContinuationProblem(
            residual=residual,
            jacobian=jacobian,
            dparam=lambda y, p: y * slope_terms(y)[1],
            parameter="P",
            functional=lambda y: float(y[mid]),
        ),
        grid=np.linspace(h, length - h, n),
        h=h,
        u0=np.zeros(n),
        lam0=0.5 * p_cr if load0 is None else load0,
    )


def brusselator_1d(
    n: int, a: float = 2.0, d1: float = 0.02, d2: float = 0.02, length: float = 1.0
) -> Setup:
    """Brusselator reaction-diffusion on (0, L) with x = a, y = b/a at both ends, parameter b.

    Unknowns [x_1..x_n, y_1..y_n]. The homogeneous state (a, b/a) solves the discrete
    problem for every b; its mode sin(pi s / L) has a Hopf point at
    b = 1 + a^2 + (d1 + d2) mu_1, mu_1 the first discrete Dirichlet eigenvalue of -D2,
    before any Turing mode when a > sqrt(d1 d2) mu_1 (see the tests).
    """
    _interior(n, 2)
    if a <= 0 or d1 <= 0 or d2 <= 0 or length <= 0:
        raise DiagnosticsError("need a, d1, d2 and length > 0")
    h = length / (n + 1)
    lap = laplacian_1d(n, h)
    ends = np.zeros(n)
    ends[[0, -1]] = 1.0 / h**2  # Dirichlet data enters the first and last rows

    def residual(v: np.ndarray, b: float) -> np.ndarray:
        x, y = v[:n], v[n:]
        fx = d1 * (lap @ x + a * ends) + a - (b + 1.0) * x + x * x * y
        fy = d2 * (lap @ y + (b / a) * ends) + b * x - x * x * y
        return np.concatenate([fx, fy])

    def jacobian(v: np.ndarray, b: float) -> sp.csc_matrix:
        x, y = v[:n], v[n:]
        return sp.bmat(
            [
                [d1 * lap + sp.diags(-(b + 1.0) + 2.0 * x * y), sp.diags(x * x)],
                [sp.diags(b - 2.0 * x * y), d2 * lap - sp.diags(x * x)],
            ],
            format="csc",
        )

    def dparam(v: np.ndarray, b: float) -> np.ndarray:
        x = v[:n]
        return np.concatenate([-x, x + d2 * ends / a])

    b0 = 1.0
    return Setup(
        problem=ContinuationProblem(
            residual, jacobian, dparam, "b", lambda v: float(v[n + n // 2])
        ),
        grid=np.linspace(h, length - h, n),
        h=h,
        u0=np.concatenate([np.full(n, a), np.full(n, b0 / a)]),
        lam0=b0,
    )
