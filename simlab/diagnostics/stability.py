"""Leading eigenvalues of the Jacobian: linear stability of equilibria of du/dt = F(u, lam)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from simlab.diagnostics.errors import ConvergenceError
from simlab.diagnostics.types import Matrix

DENSE_LIMIT = 200
BANDED_LIMIT = 16
"""Widest half-bandwidth of a symmetric sparse Jacobian solved as a band (LAPACK ?sbevx)."""


@dataclass(frozen=True)
class Spectrum:
    """Computed eigenvalues at one point.

    Attributes:
        leading: the k computed eigenvalues with the largest real parts, descending.
        n_unstable_real: real eigenvalues with a positive real part.
        n_unstable_complex: non-real eigenvalues with a positive real part (pairs count 2).
        complete: True when every eigenvalue was computed (dense); False for a sparse
            shift-invert computation, which only sees eigenvalues near the shift.
    """

    leading: np.ndarray
    n_unstable_real: int
    n_unstable_complex: int
    complete: bool

    @property
    def n_unstable(self) -> int:
        """Number of computed eigenvalues with a positive real part."""
        return self.n_unstable_real + self.n_unstable_complex

    @property
    def critical_complex_real_part(self) -> float:
        """Largest real part among the computed non-real eigenvalues (-inf when none)."""
        cplx = self.leading[_is_complex(self.leading)]
        return float(cplx.real.max()) if cplx.size else -np.inf


def _is_complex(mu: np.ndarray) -> np.ndarray:
    return np.abs(mu.imag) > 1e-9 * (1.0 + np.abs(mu))


def spectrum(
    jac: Matrix,
    k: int = 6,
    *,
    sigma: float = 0.0,
    symmetric: bool = False,
    dense_limit: int = DENSE_LIMIT,
) -> Spectrum:
    """Eigenvalues of J: all of them up to ``dense_limit`` unknowns, else k near ``sigma``.

    For large sparse J, ARPACK shift-invert around ``sigma`` finds the k eigenvalues
    nearest it; eigenvalues with a large positive real part far from ``sigma`` are missed
    (``complete`` is False then).
    """
    n = jac.shape[0]
    band = _half_bandwidth(jac) if symmetric and sp.issparse(jac) else None
    if band is not None and band <= BANDED_LIMIT and n > 2 * band + k:
        mu = _banded_leading(sp.csr_matrix(jac), band, k).astype(complex)
        complete = True
    elif n <= dense_limit or n - 2 <= k:
        dense = jac.toarray() if sp.issparse(jac) else np.asarray(jac, dtype=float)
        mu = np.linalg.eigvalsh(dense).astype(complex) if symmetric else np.linalg.eigvals(dense)
        complete = True
    elif symmetric:
        mu, complete = _largest_symmetric(sp.csc_matrix(jac), k)
    else:
        mu = _shift_invert(sp.csc_matrix(jac), k, sigma, symmetric)
        complete = False
    mu = mu[np.argsort(-mu.real, kind="stable")]
    scale = 1e-12 * max(1.0, float(np.abs(mu).max(initial=0.0)))
    unstable = mu.real > scale
    cplx = _is_complex(mu)
    return Spectrum(
        leading=mu[:k].copy(),
        n_unstable_real=int(np.count_nonzero(unstable & ~cplx)),
        n_unstable_complex=int(np.count_nonzero(unstable & cplx)),
        complete=complete,
    )


def simple_real_spectrum(jac: Matrix) -> bool:
    """J is symmetric tridiagonal with no zero off-diagonal entry (unreduced).

    Such a matrix has real, SIMPLE eigenvalues (the discrete Sturm-Liouville property of every
    1-D scalar second-order problem with separated boundary conditions), so eigenvalues
    cross 0 one at a time and each crossing changes the sign of det J.
    """
    if not sp.issparse(jac) or jac.shape[0] < 2:
        return False
    csr = sp.csr_matrix(jac)
    if _half_bandwidth(csr) != 1:
        return False
    lower, upper = csr.diagonal(-1), csr.diagonal(1)
    return bool(np.all(lower != 0.0) and np.array_equal(lower, upper))


def _half_bandwidth(jac: sp.spmatrix) -> int:
    coo = sp.coo_matrix(jac)
    return int(np.max(np.abs(coo.row - coo.col), initial=0))


def _banded_leading(jac: sp.csr_matrix, band: int, k: int) -> np.ndarray:
    """The k largest eigenvalues of a symmetric band matrix, and every positive one.

    LAPACK's bisection (``eig_banded`` with ``select``) computes only the eigenvalues asked
    for, in ``O(n band^2)`` for the reduction plus ``O(n)`` per eigenvalue; the eigenvalues
    above round-off are all counted, so stability counts stay complete.
    """
    n = jac.shape[0]
    upper = np.zeros((band + 1, n))
    for offset in range(band + 1):
        upper[band - offset, offset:] = jac.diagonal(offset)
    top = la.eig_banded(upper, eigvals_only=True, select="i", select_range=(n - k, n - 1))
    scale = 1e-12 * max(1.0, float(np.abs(top).max(initial=0.0)))
    if top.min() > scale:  # more than k unstable: fetch all the positive ones
        top = la.eig_banded(upper, eigvals_only=True, select="v", select_range=(scale, np.inf))
    return top


def _largest_symmetric(jac: sp.csc_matrix, k: int) -> tuple[np.ndarray, bool]:
    """The k largest eigenvalues of a symmetric J, and every positive one.

    Shift-invert around Gershgorin's upper bound max_i (J_ii + sum_j!=i |J_ij|), above every
    eigenvalue, finds the largest ones first. (Around 0 it found the k nearest 0 and lost
    an unstable eigenvalue once it grew past them: 2-D Bratu's upper branch, where
    lam e^u is large, was reported stable.) While all k found are positive, k doubles, so the
    unstable count is complete.
    """
    n = jac.shape[0]
    diagonal = jac.diagonal()
    off = np.asarray(abs(jac).sum(axis=1)).ravel() - np.abs(diagonal)
    bound = float(np.max(diagonal + off))
    shift = bound + 1e-6 * max(abs(bound), float(np.abs(diagonal).max(initial=1.0)))
    while True:
        mu = _shift_invert(jac, min(k, n - 2), shift, True).real
        if mu.min() <= 0.0 or k >= n - 2:
            return np.sort(mu)[::-1].astype(complex), True
        k *= 2


def _shift_invert(jac: sp.csc_matrix, k: int, sigma: float, symmetric: bool) -> np.ndarray:
    """k eigenvalues nearest sigma; nudges sigma when J - sigma I is exactly singular."""
    shift = sigma
    for _ in range(3):
        try:
            if symmetric:
                return spla.eigsh(
                    jac, k=k, sigma=shift, which="LM", return_eigenvectors=False
                ).astype(complex)
            return spla.eigs(jac, k=k, sigma=shift, which="LM", return_eigenvectors=False)
        except (RuntimeError, spla.ArpackNoConvergence):
            shift = shift + 1e-6 * (1.0 + abs(shift))
    raise ConvergenceError("shift-invert eigenvalue computation failed three times")
