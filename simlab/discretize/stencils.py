"""Second-order finite-difference operators on one axis, lifted to the grid by Kronecker products.

Interior rows are central differences. At a Neumann or Robin end the ghost node is eliminated
with the condition ``du/dn = q`` (``q = g - alpha u`` for Robin), which leaves an affine part
proportional to ``q``:

* first derivative at the end: ``u_x = -q`` (lower) or ``+q`` (upper) exactly;
* second derivative: ``(2 u_1 - 2 u_0) / h^2 + 2 q / h`` (both ends, by symmetry).

Dirichlet end rows are zero (those nodes are not unknowns). Periodic axes wrap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps

DIRICHLET, NEUMANN, ROBIN, PERIODIC = "dirichlet", "neumann", "robin", "periodic"
FLUX_KINDS = (NEUMANN, ROBIN)


@dataclass(frozen=True)
class AxisOperator:
    """A 1-D operator matrix and the coefficient of the end flux ``q`` in its end rows."""

    matrix: sps.csr_matrix
    lower_flux: float
    upper_flux: float


def _tridiagonal(
    n: int, lower: np.ndarray, main: np.ndarray, upper: np.ndarray, corners: tuple[float, float]
) -> sps.csr_matrix:
    """``n x n`` tridiagonal matrix plus the periodic corners ``(A[0, n-1], A[n-1, 0])``."""
    rows = [np.arange(1, n), np.arange(n), np.arange(n - 1)]
    cols = [np.arange(n - 1), np.arange(n), np.arange(1, n)]
    vals = [lower, main, upper]
    if any(corners):
        rows += [np.array([0, n - 1])]
        cols += [np.array([n - 1, 0])]
        vals += [np.array(corners, dtype=float)]
    m = sps.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    m.eliminate_zeros()
    return m


def first_derivative(n: int, h: float, lower: str, upper: str) -> AxisOperator:
    """Central ``d/dx`` on ``n`` nodes with the given end kinds."""
    below, above = np.full(n - 1, -1.0), np.full(n - 1, 1.0)
    if lower == PERIODIC:
        return AxisOperator(_tridiagonal(n, below, np.zeros(n), above, (-1.0, 1.0)) / (2 * h), 0, 0)
    above[0] = 0.0  # end rows: the flux (Neumann/Robin) or nothing (Dirichlet)
    below[-1] = 0.0
    lower_flux = -1.0 if lower in FLUX_KINDS else 0.0
    upper_flux = 1.0 if upper in FLUX_KINDS else 0.0
    m = _tridiagonal(n, below, np.zeros(n), above, (0.0, 0.0)) / (2 * h)
    return AxisOperator(m.tocsr(), lower_flux, upper_flux)


def one_sided_derivatives(
    n: int, h: float, lower: str, upper: str
) -> tuple[sps.csr_matrix, sps.csr_matrix]:
    """Backward and forward ``d/dx`` (first order), end rows as in :func:`first_derivative`.

    Used for upwinding: backward where the flow runs towards +x, forward elsewhere. The end
    rows of a Neumann/Robin end take the flux exactly (the same affine part as the central
    operator), Dirichlet end rows are zero; periodic axes wrap.
    """
    ones = np.ones(n - 1)
    backward = sps.diags([np.ones(n), -ones], [0, -1], shape=(n, n)).tolil()
    forward = sps.diags([-np.ones(n), ones], [0, 1], shape=(n, n)).tolil()
    if lower == PERIODIC:
        backward[0, n - 1] = -1.0
        forward[n - 1, 0] = 1.0
    else:
        for m in (backward, forward):
            m[0, :] = 0.0
            m[n - 1, :] = 0.0
    return (backward / h).tocsr(), (forward / h).tocsr()


def second_derivative(n: int, h: float, lower: str, upper: str) -> AxisOperator:
    """Central ``d^2/dx^2`` on ``n`` nodes with the given end kinds."""
    below, main, above = np.full(n - 1, 1.0), np.full(n, -2.0), np.full(n - 1, 1.0)
    if lower == PERIODIC:
        return AxisOperator(_tridiagonal(n, below, main, above, (1.0, 1.0)) / h**2, 0.0, 0.0)
    lower_flux = upper_flux = 0.0
    if lower in FLUX_KINDS:
        above[0] = 2.0
        lower_flux = 2.0 / h
    else:
        main[0] = above[0] = 0.0
    if upper in FLUX_KINDS:
        below[-1] = 2.0
        upper_flux = 2.0 / h
    else:
        main[-1] = below[-1] = 0.0
    m = _tridiagonal(n, below, main, above, (0.0, 0.0)) / h**2
    return AxisOperator(m.tocsr(), lower_flux, upper_flux)


def lift(matrix: sps.spmatrix, axis: int, shape: tuple[int, ...]) -> sps.csr_matrix:
    """The 1-D ``matrix`` acting along ``axis`` of a C-ordered grid of ``shape``."""
    before = int(np.prod(shape[:axis], dtype=np.int64))
    after = int(np.prod(shape[axis + 1 :], dtype=np.int64))
    out = sps.csr_matrix(matrix)
    if after > 1:
        out = sps.kron(out, sps.identity(after, format="csr"), format="csr")
    if before > 1:
        out = sps.kron(sps.identity(before, format="csr"), out, format="csr")
    return out.tocsr()
