"""Sparse finite-difference building blocks: second differences, 2-D Laplacians, probes.

2-D arrays use ``indexing="ij"``: ``u[i, j] = u(x_i, y_j)``, flattened in C order (``j`` fastest).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp

Boundary = Literal["dirichlet", "neumann_cell", "neumann_node", "periodic"]


def second_difference(m: int, h: float, boundary: Boundary) -> sp.csr_matrix:
    """The 1-D operator ``u'' ~ (u[k-1] - 2 u[k] + u[k+1]) / h^2`` on ``m`` unknowns.

    ``dirichlet``: interior nodes, boundary values moved to the right-hand side.
    ``neumann_cell``: cell centres, zero flux through the end faces (symmetric).
    ``neumann_node``: nodes including the ends, zero slope by a mirrored ghost node.
    ``periodic``: ``m`` nodes on a circle.
    """
    main = np.full(m, -2.0)
    upper = np.ones(m - 1)
    lower = np.ones(m - 1)
    if boundary == "neumann_cell":
        main[[0, -1]] = -1.0
    elif boundary == "neumann_node":
        upper[0] = 2.0
        lower[-1] = 2.0
    op = sp.diags([lower, main, upper], [-1, 0, 1], shape=(m, m), format="lil")
    if boundary == "periodic":
        op[0, m - 1] += 1.0
        op[m - 1, 0] += 1.0
    return (op / h**2).tocsr()


def laplacian_2d(dxx: sp.spmatrix, dyy: sp.spmatrix) -> sp.csr_matrix:
    """The 2-D Laplacian ``dxx (x) I + I (x) dyy`` for arrays flattened with ``j`` fastest."""
    nx, ny = dxx.shape[0], dyy.shape[0]
    return (sp.kron(dxx, sp.identity(ny)) + sp.kron(sp.identity(nx), dyy)).tocsr()


def trapezoid_weights(m: int, h: float) -> np.ndarray:
    """Quadrature weights of the trapezoidal rule on ``m`` equally spaced nodes."""
    weights = np.full(m, h)
    weights[[0, -1]] = 0.5 * h
    return weights


def interpolation_rows(nodes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Dense rows of linear-interpolation weights from equally spaced ``nodes`` to ``points``."""
    points = np.clip(np.asarray(points, dtype=float), nodes[0], nodes[-1])
    spacing = nodes[1] - nodes[0]
    left = np.clip(np.floor((points - nodes[0]) / spacing).astype(int), 0, nodes.size - 2)
    frac = (points - nodes[left]) / spacing
    rows = np.zeros((points.size, nodes.size))
    rows[np.arange(points.size), left] = 1.0 - frac
    rows[np.arange(points.size), left + 1] += frac
    return rows


def interpolation_matrix_2d(x: np.ndarray, y: np.ndarray, points: np.ndarray) -> sp.csr_matrix:
    """Bilinear interpolation from a tensor grid (``ij`` order) to ``points`` of shape (k, 2)."""
    points = np.atleast_2d(np.asarray(points, dtype=float))
    wx = interpolation_rows(x, points[:, 0])
    wy = interpolation_rows(y, points[:, 1])
    rows = np.einsum("pi,pj->pij", wx, wy).reshape(points.shape[0], -1)
    return sp.csr_matrix(rows)
