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


def first_derivative(n: int, h: float, lower: str, upper: str) -> AxisOperator:
    """Central ``d/dx`` on ``n`` nodes with the given end kinds."""
    if lower == PERIODIC:
        m = sps.diags([np.full(n - 1, 1.0), np.full(n - 1, -1.0)], [1, -1], shape=(n, n))
        m = m.tolil()
        m[0, n - 1] = -1.0
        m[n - 1, 0] = 1.0
        return AxisOperator((m / (2 * h)).tocsr(), 0.0, 0.0)
    m = sps.diags([np.full(n - 1, 1.0), np.full(n - 1, -1.0)], [1, -1], shape=(n, n)).tolil()
    for row in (0, n - 1):
        m[row, :] = 0.0
    lower_flux = -1.0 if lower in FLUX_KINDS else 0.0
    upper_flux = 1.0 if upper in FLUX_KINDS else 0.0
    return AxisOperator((m / (2 * h)).tocsr(), lower_flux, upper_flux)


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
    main, off = np.full(n, -2.0), np.full(n - 1, 1.0)
    m = sps.diags([off, main, off], [-1, 0, 1], shape=(n, n)).tolil()
    if lower == PERIODIC:
        m[0, n - 1] = 1.0
        m[n - 1, 0] = 1.0
        return AxisOperator((m / h**2).tocsr(), 0.0, 0.0)
    lower_flux = upper_flux = 0.0
    if lower in FLUX_KINDS:
        m[0, 1] = 2.0
        lower_flux = 2.0 / h
    else:
        m[0, :] = 0.0
    if upper in FLUX_KINDS:
        m[n - 1, n - 2] = 2.0
        upper_flux = 2.0 / h
    else:
        m[n - 1, :] = 0.0
    return AxisOperator((m / h**2).tocsr(), lower_flux, upper_flux)


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
