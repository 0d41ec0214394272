"""Separable operators: a matrix that is a Kronecker sum is solved by fast diagonalisation.

On a tensor-product grid, a linear operator with constant coefficients and no mixed
derivatives (Poisson, Helmholtz, screened Poisson, the Crank–Nicolson matrix ``I - θ dt J`` of
a constant-coefficient heat equation), whatever the boundary type on each face, is a
Kronecker sum ``A = Σ_a I ⊗ … ⊗ M_a ⊗ … ⊗ I`` of one small matrix ``M_a`` per axis. Then
``A = V Λ V⁻¹`` with ``V = ⊗ V_a`` from the eigenpairs of the ``M_a`` (Lynch, Rice & Thomas
1964, the fast diagonalisation method), and ``A⁻¹ b`` costs a few dense products per axis
instead of a sparse LU (whose fill-in grows like ``N^1.5`` in 2-D and ``N^2`` in 3-D).

The structure is read from the assembled matrix, not assumed: the ``M_a`` are taken from
the lines of nodes through the first node, and the matrix is accepted only if the Kronecker
sum they make reproduces it on a random probe vector to round-off, and if a probe solve's
backward error is at round-off level. Anything else (variable coefficients, a mixed
derivative, several coupled unknowns) returns ``None`` and is factorised by SuperLU.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.sparse as sps

from simlab.discretize.stencils import DIRICHLET
from simlab.discretize.system import Discretization
from simlab.problem.model import LOWER, UPPER

AGREEMENT = 1e-13
"""The Kronecker sum must reproduce ``A v`` to this fraction of ``max(|A| |v|)`` (round-off)."""
BACKWARD_ERROR = 1e-12
"""A probe solve's residual relative to ``|A| |x| + |b|`` must be below this."""
MAX_CONDITION = 1e8
"""Eigenvector matrices worse conditioned than this (strongly non-normal ``M_a``) lose too
many digits; such operators go to SuperLU."""


def kronecker_sum(matrix: sps.spmatrix, shape: tuple[int, ...]) -> list[np.ndarray] | None:
    """The per-axis matrices ``M_a`` with ``matrix == Σ_a I ⊗ M_a ⊗ I`` (C order), or None."""
    size = math.prod(shape)
    if len(shape) < 2 or matrix.shape != (size, size) or min(shape) < 2:
        return None
    a = sps.csr_matrix(matrix)
    strides = [math.prod(shape[k + 1 :]) for k in range(len(shape))]
    base = float(a[0, 0])
    others = (len(shape) - 1) / len(shape)
    blocks = []
    for axis, n in enumerate(shape):
        line = np.arange(n) * strides[axis]
        block = a[line][:, line].toarray()
        diagonal = np.diag(block).copy()
        np.fill_diagonal(block, diagonal - others * base)
        blocks.append(block)
    # one Gaussian probe: a matrix that differs from the sum agrees on it with probability 0
    v = np.random.default_rng(0).standard_normal(size)
    gap = np.max(np.abs(a @ v - _apply(blocks, v, shape)))
    if not gap <= AGREEMENT * np.max(np.abs(a) @ np.abs(v)):
        return None
    return blocks


def _apply(blocks: list[np.ndarray], v: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``Σ_a (I ⊗ M_a ⊗ I) v``."""
    grid = v.reshape(shape)
    out = np.zeros_like(grid)
    for axis, block in enumerate(blocks):
        out += _along(block, grid, axis)
    return out.ravel()


def _along(m: np.ndarray, grid: np.ndarray, axis: int) -> np.ndarray:
    """``m`` applied along one axis of a tensor (``(I ⊗ m ⊗ I) vec(grid)``)."""
    moved = np.moveaxis(grid, axis, -1)
    return np.moveaxis(moved @ m.T, -1, axis)


def fast_solver(
    matrix: sps.spmatrix, shape: tuple[int, ...]
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]] | None:
    """``(b -> A⁻¹ b, b -> A⁻ᵀ b)`` by fast diagonalisation, or None if ``A`` is not separable
    (or its eigenvectors are too ill-conditioned, or it is singular)."""
    blocks = kronecker_sum(matrix, shape)
    if blocks is None:
        return None
    pairs = []
    for m in blocks:
        if np.allclose(m, m.T, rtol=0.0, atol=1e-14 * np.max(np.abs(m))):
            lam, v = np.linalg.eigh(m)
            pairs.append((lam, v, v.T))
            continue
        lam, v = np.linalg.eig(m)
        if np.linalg.cond(v) > MAX_CONDITION:
            return None
        if np.max(np.abs(lam.imag)) <= 1e-14 * np.max(np.abs(lam)):
            lam, v = lam.real, v.real
        pairs.append((lam, v, np.linalg.inv(v)))
    total = np.zeros(shape, dtype=np.result_type(*(lam for lam, _, _ in pairs)))
    for axis, (lam, _, _) in enumerate(pairs):
        index = [np.newaxis] * len(shape)
        index[axis] = slice(None)
        total = total + lam[tuple(index)]
    if not np.all(np.abs(total) > 1e-13 * np.max(np.abs(total))):
        return None  # singular (e.g. flux conditions only): SuperLU reports it with the reason

    def transform(grid: np.ndarray, which: int, transpose: bool) -> np.ndarray:
        for axis, pair in enumerate(pairs):
            m = pair[which].T if transpose else pair[which]
            grid = _along(m, grid, axis)
        return grid

    def solve(b: np.ndarray, transpose: bool = False) -> np.ndarray:
        # A = V Λ W (W = V⁻¹): A⁻¹ = V Λ⁻¹ W;  A⁻ᵀ = Wᵀ Λ⁻¹ Vᵀ
        first, last = (2, 1) if not transpose else (1, 2)  # pairs hold (Λ, V, W)
        x = transform(np.asarray(b, dtype=float).reshape(shape), first, transpose) / total
        x = transform(x, last, transpose)
        return np.real(x).ravel() if np.iscomplexobj(x) else x.ravel()

    a = sps.csr_matrix(matrix)
    probe = np.random.default_rng(1).standard_normal(a.shape[0])
    x = solve(probe)
    size = abs(a) @ np.abs(x) + np.abs(probe)
    if not np.all(np.abs(a @ x - probe) <= BACKWARD_ERROR * np.maximum(size, 1e-300)):
        return None
    return solve, lambda b: solve(b, transpose=True)


def eigenvalues(a: sps.spmatrix, b: sps.spmatrix, shape: tuple[int, ...]) -> np.ndarray | None:
    """Every eigenvalue of ``A x = λ B x`` when ``A`` is a Kronecker sum and ``B = β I``.

    The eigenvalues of ``Σ_a I ⊗ M_a ⊗ I`` are the sums ``Σ_a λ_a(i_a)`` of the per-axis
    eigenvalues, so the whole spectrum comes from one small dense eigenproblem per axis."""
    diagonal = b.diagonal()
    beta = float(diagonal[0]) if diagonal.size else 0.0
    off = sps.csr_matrix(b) - beta * sps.identity(b.shape[0], format="csr")
    if beta == 0.0 or (off.nnz and np.max(np.abs(off.data)) > 1e-14 * abs(beta)):
        return None
    blocks = kronecker_sum(a, shape)
    if blocks is None:
        return None
    total = np.zeros(shape, dtype=complex)
    for axis, m in enumerate(blocks):
        index = [np.newaxis] * len(shape)
        index[axis] = slice(None)
        total = total + np.linalg.eigvals(m)[tuple(index)]
    return total.ravel() / beta


def active_shape(disc: Discretization) -> tuple[int, ...] | None:
    """Nodes per axis of the state when it is one unknown on a tensor-product node set.

    Dirichlet faces remove whole planes of nodes, so the active nodes of one unknown are a
    product of per-axis ranges, flattened in C order like the grid."""
    if len(disc.layouts) != 1 or disc.geometry.dimension < 2:
        return None
    (lay,) = disc.layouts.values()
    shape = tuple(
        n - sum(lay.kinds.get((a, end)) == DIRICHLET for end in (LOWER, UPPER))
        for a, n in enumerate(disc.grid.shape)
    )
    return shape if math.prod(shape) == lay.count else None
