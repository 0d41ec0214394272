"""Fourth-order finite-difference operators on one axis (wide 5-point stencils).

Interior rows are the central 5-point formulas
``u_x ~ (u_{i-2} - 8 u_{i-1} + 8 u_{i+1} - u_{i+2}) / 12h`` and
``u_xx ~ (-u_{i-2} + 16 u_{i-1} - 30 u_i + 16 u_{i+1} - u_{i+2}) / 12h^2``.
Rows whose centred stencil would leave the axis take one-sided weights on the nearest nodes,
chosen so that the truncation error is ``O(h^5)`` (the weights are the unique ones exact
for all polynomials of the stencil's degree, solved from the Taylor (Vandermonde) system):

* ``u_x``: 6 nodes, ``u_xx``: 7 nodes (one degree above the interior: see
  ``CLOSURE_POINTS``);
* at a Neumann or Robin end the boundary row uses the end slope ``u_x = -q`` (lower) or
  ``+q`` (upper): ``u_x`` there is the flux itself (exact), ``u_xx`` takes 6 nodes plus the
  slope. The slope's weight is returned as the flux coefficient of that
  row, so Robin ends (``q = g - alpha u``) work as in :mod:`simlab.discretize.stencils`.

Dirichlet end rows get one-sided rows too (the node is not an unknown of that field, but a
coupled field owning it may need the jet there). Periodic axes wrap. An axis with fewer than
``MIN_NODES`` nodes cannot hold these stencils: the caller falls back to second order.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import scipy.sparse as sps

from simlab.discretize.stencils import FLUX_KINDS, PERIODIC, AxisOperator

MIN_NODES = 8
"""The one-sided rows reach 7 nodes in from an end; with 8 the two ends never share a row."""


@cache
def taylor_weights(offsets: tuple[int, ...], order: int, slope_at: int | None = None) -> tuple:
    """Weights ``c_j`` on ``u(x + s_j h)`` (and ``d`` on ``h u'(x + slope_at h)``) such that
    ``sum c_j u_j + d h u'`` equals ``h^order u^(order)(x)`` for every polynomial of degree
    ``< len(offsets) + (slope_at is not None)``. Returns ``(c, d)``, ``d = 0`` without slope.
    """
    s = np.asarray(offsets, dtype=float)
    size = s.size + (slope_at is not None)
    rows = []
    for k in range(size):
        row = list(s**k)
        if slope_at is not None:
            row.append(k * float(slope_at) ** (k - 1) if k else 0.0)
        rows.append(row)
    rhs = np.zeros(size)
    rhs[order] = math.factorial(order)
    w = np.linalg.solve(np.array(rows), rhs)
    c = tuple(float(x) for x in w[: s.size])
    d = float(w[s.size]) if slope_at is not None else 0.0
    return c, d


_CENTRAL = {1: (-2, -1, 0, 1, 2), 2: (-2, -1, 0, 1, 2)}
CLOSURE_POINTS = {1: 6, 2: 7}
"""Nodes of a one-sided row (exact to degree 5 for ``u_x``, 6 for ``u_xx``: truncation
``O(h^5)``, one order above the interior); a Neumann/Robin row of ``u_xx`` takes one node
less plus the slope (also exact to degree 6). Measured with closures of the interior's own
order (5 and 6 nodes): their ``O(h^4)`` error had the opposite sign of the interior's, and the
error of the solution changed sign between 16 and 64 cells (specs 11-14, 40, 51: studies
pre-asymptotic at 16/32/64); one order above, it falls monotonically from 16 or 32 cells on.
Spectra: real and negative at Neumann ends; at a Dirichlet end complex pairs appear (the
imaginary parts up to 8-18 % of the largest modulus) with real parts still negative, so
Crank–Nicolson stays stable (A-stable); eigenproblems do not use these stencils."""


def _end_rows(n: int, order: int, kind: str) -> tuple[list[tuple[int, dict[int, float]]], float]:
    """Rows 0 and 1 at the lower end (node index -> weight, in units of ``h^-order``) and the
    coefficient of the flux ``q`` in row 0 (units of ``h^(1-order)``)."""
    rows: list[tuple[int, dict[int, float]]] = []
    flux = 0.0
    m = CLOSURE_POINTS[order]
    if kind in FLUX_KINDS and order == 1:
        rows.append((0, {}))  # u_x = -q exactly at the lower end
        flux = -1.0
    elif kind in FLUX_KINDS:
        c, d = taylor_weights(tuple(range(m - 1)), order, slope_at=0)
        rows.append((0, dict(enumerate(c))))
        flux = -d  # u_x(0) = -q
    else:
        c, _ = taylor_weights(tuple(range(m)), order)
        rows.append((0, dict(enumerate(c))))
    c, _ = taylor_weights(tuple(range(-1, m - 1)), order)
    rows.append((1, dict(enumerate(c))))
    return rows, flux


def _operator(n: int, h: float, order: int, lower: str, upper: str) -> AxisOperator:
    c, _ = taylor_weights(_CENTRAL[order], order)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    if lower == PERIODIC:
        idx = np.arange(n)
        for s, w in zip(_CENTRAL[order], c, strict=True):
            rows.append(idx)
            cols.append((idx + s) % n)
            vals.append(np.full(n, w))
        m = sps.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
        )
        m.eliminate_zeros()
        return AxisOperator(m / h**order, 0.0, 0.0)
    inner = np.arange(2, n - 2)
    for s, w in zip(_CENTRAL[order], c, strict=True):
        if w != 0.0:
            rows.append(inner)
            cols.append(inner + s)
            vals.append(np.full(inner.size, w))
    low_rows, low_flux = _end_rows(n, order, lower)
    up_rows, up_flux = _end_rows(n, order, upper)
    # the upper end mirrors the lower (node j -> n-1-j): a derivative of order k changes
    # sign by (-1)^k under the reflection
    parity = (-1.0) ** order
    for row, weights in low_rows:
        for j, w in weights.items():
            rows.append(np.array([row]))
            cols.append(np.array([j]))
            vals.append(np.array([w]))
    for row, weights in up_rows:
        for j, w in weights.items():
            rows.append(np.array([n - 1 - row]))
            cols.append(np.array([n - 1 - j]))
            vals.append(np.array([parity * w]))
    m = sps.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    m.eliminate_zeros()
    scale = h ** (order - 1)
    # mirrored: the slope in the reflected coordinate is -u_x = -q at the upper end, as
    # u_x = -q at the lower one, and the row carries the factor parity
    upper_flux = parity * up_flux if upper in FLUX_KINDS else 0.0
    return AxisOperator(m.tocsr() / h**order, low_flux / scale, upper_flux / scale)


def first_derivative4(n: int, h: float, lower: str, upper: str) -> AxisOperator:
    """Fourth-order ``d/dx`` on ``n >= MIN_NODES`` nodes with the given end kinds."""
    return _operator(n, h, 1, lower, upper)


def second_derivative4(n: int, h: float, lower: str, upper: str) -> AxisOperator:
    """Fourth-order ``d^2/dx^2`` on ``n >= MIN_NODES`` nodes with the given end kinds."""
    return _operator(n, h, 2, lower, upper)
