"""Direct solves of the 5-point Laplacian on a rectangle by fast sine / cosine transforms.

The 1-D second difference with Dirichlet ends is diagonalised by the type-I discrete sine
transform, the cell-centred one with zero-flux ends by the type-II cosine transform; their
Kronecker sum (the 2-D 5-point operator) is diagonalised by the 2-D transforms. A solve is two
``scipy.fft`` transforms and a division: ``O(N log N)`` time and a few arrays of ``N`` floats,
exact to round-off (it solves the same linear system a sparse LU would).

Residuals are computed matrix-free with array slices, so no sparse matrix is ever assembled.
"""

from __future__ import annotations

import numpy as np
import scipy.fft as fft


def _dirichlet_eigenvalues(m: int, h: float) -> np.ndarray:
    """Eigenvalues of ``-d2/dx2`` (3-point, Dirichlet ends) on ``m`` interior nodes."""
    k = np.arange(1, m + 1)
    return 4.0 / h**2 * np.sin(k * np.pi / (2 * (m + 1))) ** 2


def _neumann_eigenvalues(m: int, h: float) -> np.ndarray:
    """Eigenvalues of ``-d2/dx2`` (3-point, cell centres, zero flux) on ``m`` cells."""
    k = np.arange(m)
    return 4.0 / h**2 * np.sin(k * np.pi / (2 * m)) ** 2


def solve_dirichlet(rhs: np.ndarray, hx: float, hy: float, kappa: float) -> np.ndarray:
    """``u`` with ``-kappa (Dxx + Dyy) u = rhs`` on the interior nodes (shape ``(mx, my)``)."""
    mx, my = rhs.shape
    mu = kappa * (_dirichlet_eigenvalues(mx, hx)[:, None] + _dirichlet_eigenvalues(my, hy)[None, :])
    spectral = fft.dstn(rhs, type=1, norm="ortho", workers=-1)
    spectral /= mu
    return fft.idstn(spectral, type=1, norm="ortho", workers=-1)


def solve_neumann(rhs: np.ndarray, hx: float, hy: float, kappa: float) -> tuple[np.ndarray, float]:
    """Zero-mean ``u`` and constant ``c`` with ``-kappa (Dxx + Dyy) u + c = rhs`` on cells.

    ``c`` is the mean of ``rhs``: the discrete compatibility defect of the pure Neumann problem.
    """
    mx, my = rhs.shape
    defect = float(np.mean(rhs))
    mu = kappa * (_neumann_eigenvalues(mx, hx)[:, None] + _neumann_eigenvalues(my, hy)[None, :])
    spectral = fft.dctn(rhs - defect, type=2, norm="ortho", workers=-1)
    mu[0, 0] = 1.0
    spectral /= mu
    spectral[0, 0] = 0.0
    return fft.idctn(spectral, type=2, norm="ortho", workers=-1), defect


def apply_dirichlet(u: np.ndarray, hx: float, hy: float, kappa: float) -> np.ndarray:
    """``-kappa (Dxx + Dyy) u`` on interior nodes, zero boundary values (matrix-free)."""
    padded = np.pad(u, 1)
    return _apply(padded, u, hx, hy, kappa)


def apply_neumann(u: np.ndarray, hx: float, hy: float, kappa: float) -> np.ndarray:
    """``-kappa (Dxx + Dyy) u`` on cell centres with zero flux through the faces."""
    padded = np.pad(u, 1, mode="edge")
    return _apply(padded, u, hx, hy, kappa)


def _apply(padded: np.ndarray, u: np.ndarray, hx: float, hy: float, kappa: float) -> np.ndarray:
    dxx = (padded[:-2, 1:-1] - 2.0 * u + padded[2:, 1:-1]) / hx**2
    dyy = (padded[1:-1, :-2] - 2.0 * u + padded[1:-1, 2:]) / hy**2
    return -kappa * (dxx + dyy)
