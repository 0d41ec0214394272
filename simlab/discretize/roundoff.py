"""Round-off of a discrete solve, estimated from the solve's own linear algebra.

A computed solution ``x`` of ``A x = b`` (LU, Krylov) satisfies the componentwise forward
error bound of LAPACK's refinement routines (xGERFS's FERR; Arioli, Demmel & Duff 1989 for
sparse systems; Higham, *Accuracy and Stability*, 2002, sections 7.2 and 15.4)::

    |x - x_exact| <= |A^-1| (|r| + (nz + 1) eps (|A| |x| + |b|)),     r = b - A x,

``nz`` the most entries in a row. Its infinity norm is estimated by Hager and Higham's method
(``scipy.sparse.linalg.onenormest``, a few solves with the factors in hand), or found with a
single solve when ``A`` is a (signed) M-matrix, whose inverse has one sign. That bound scales
with the conditioning of the discrete problem (``~ (L/h)^k`` for a k-th order operator), which
a fixed multiple of eps cannot: a quadratic membrane that second-order differences solve
exactly differed by 1.7e-15 between 32 and 64 cells, above ``64 eps |w|`` (1.4e-15) when
SuperLU's ordering changed, and was called "diverging".

Observables see the state's error through their functional: :func:`observable_noise`
evaluates each functional on the field moved by the bound, smoothly and as a checkerboard (the
two extremes of a linear functional's weights; cubic-spline weights alternate in sign).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from simlab.discretize.linear import Factorization

EPS = float(np.finfo(float).eps)

Solve = Callable[[np.ndarray], np.ndarray]


def _row_terms(matrix: sps.spmatrix) -> int:
    """Most stored entries in a row, plus one (the ``nz + 1`` of the FERR bound)."""
    csr = sps.csr_matrix(matrix)
    return int(np.max(np.diff(csr.indptr), initial=0)) + 1


def _signed_m_matrix(matrix: sps.spmatrix) -> float:
    """+1 or -1 when ``sign * A`` is a Z-matrix with a positive diagonal, else 0."""
    coo = sps.coo_matrix(matrix)
    off = coo.row != coo.col
    diag = coo.data[~off]
    for sign in (1.0, -1.0):
        if diag.size and np.all(sign * diag > 0) and np.all(sign * coo.data[off] <= 0):
            return sign
    return 0.0


def solve_error(
    matrix: sps.spmatrix,
    solve: Solve,
    x: np.ndarray,
    rhs: np.ndarray,
    *,
    transposed: Solve | None = None,
    blocks: Mapping[str, slice] | None = None,
    rhs_terms: np.ndarray | None = None,
) -> dict[str, float]:
    """Bound on ``max |x - x_exact|`` over each block of unknowns (default: one block ``""``).

    ``rhs_terms`` is the size of the terms the right side was summed from (``|J||u| + |b|``
    for ``b = J u + b``) when it is smaller than they are: its rounding is relative to them.

    ``solve`` applies the computed ``A^-1``; ``transposed`` applies ``A^-T`` (needed for the
    Hager-Higham estimate unless ``A`` is a signed M-matrix; without it a symmetric ``A`` is
    assumed only if it is symmetric, else the estimate falls back to random-sign samples).
    """
    blocks = dict(blocks or {"": slice(0, x.size)})
    if x.size == 0:
        return {name: 0.0 for name in blocks}
    a = sps.csr_matrix(matrix)
    residual = rhs - a @ x
    terms = np.abs(rhs) if rhs_terms is None else np.maximum(np.abs(rhs), rhs_terms)
    weight = np.abs(residual) + _row_terms(a) * EPS * (abs(a) @ np.abs(x) + terms)
    sign = _signed_m_matrix(a)
    if sign:
        # inverse of a nonsingular M-matrix is >= 0: |A^-1| w = |A^-1 w| (one solve); A^-1 w
        # with w > 0 positive everywhere proves A is one (Berman & Plemmons, condition I27)
        z = sign * solve(weight) if np.any(weight) else np.zeros_like(weight)
        if np.all(z >= 0):
            return {name: float(np.max(z[s], initial=0.0)) for name, s in blocks.items()}
    scale = np.ones_like(x)
    for s in blocks.values():
        scale[s] = max(float(np.max(np.abs(x[s]), initial=0.0)), 1e-300)
    if transposed is None and abs(a - a.T).max(initial=0.0) <= 1e-14 * abs(a).max(initial=1.0):
        transposed = solve
    relative = _scaled_inverse_norm(solve, transposed, weight, scale)
    return {name: relative * float(scale[s].max(initial=0.0)) for name, s in blocks.items()}


def _scaled_inverse_norm(
    solve: Solve, transposed: Solve | None, weight: np.ndarray, scale: np.ndarray
) -> float:
    """``|| D^-1 |A^-1| w ||_inf`` (D = diag(scale)): Hager-Higham on ``diag(w) A^-T D^-1``."""
    n = weight.size
    if transposed is not None:
        op = spla.LinearOperator(
            (n, n),
            matvec=lambda v: weight * transposed(np.ravel(v) / scale),
            rmatvec=lambda v: solve(weight * np.ravel(v)) / scale,
            dtype=float,
        )
        return float(spla.onenormest(op))
    # no transposed solve (a nonsymmetric Krylov solve): random signs give a typical, not a
    # worst-case, value; a few samples and their maximum
    rng = np.random.default_rng(0)
    samples = [solve(weight * rng.choice((-1.0, 1.0), n)) / scale for _ in range(3)]
    return float(max(np.max(np.abs(s)) for s in samples))


def observable_noise(
    evaluate: Callable[[np.ndarray], float], field: np.ndarray, size: float
) -> float:
    """How far a functional of ``field`` moves when the field moves by ``size`` (max norm).

    Two moves: every node up by ``size``, and a checkerboard of ``+-size``; the larger change
    is the noise (for a linear functional these are the sum of its weights and, for the
    alternating weights of a spline or a difference quotient, their absolute sum).
    """
    if size <= 0.0 or field.size == 0:
        return 0.0
    base = evaluate(field)
    checker = np.indices(field.shape).sum(axis=0) % 2 * 2.0 - 1.0 if field.ndim else 1.0
    moves = [evaluate(field + size), evaluate(field + size * checker)]
    return float(max(abs(m - base) for m in moves))


def linearized_error(
    factor: Factorization,
    x: np.ndarray,
    correction_rhs: np.ndarray,
    blocks: Mapping[str, slice],
    rhs_terms: np.ndarray | None = None,
) -> dict[str, float]:
    """Forward error of ``x`` from a Newton-type solve ``M d = g`` (``factor`` holds ``M``).

    At the computed ``x`` the system is ``M x = M x - g``: the bound of :func:`solve_error`
    with that right side, whose terms are at least ``|M||x|``.
    """
    rhs = factor.matrix @ x - correction_rhs
    return solve_error(
        factor.matrix,
        factor.solve,
        x,
        rhs,
        transposed=factor.transposed,
        blocks=blocks,
        rhs_terms=rhs_terms,
    )
