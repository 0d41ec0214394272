"""Functionals of a field on the node grid: point values, extrema, mean, integral, L2 norm.

A point value is the node value when the point is a node, else a tensor spline through the
nodes around it: cubic (O(h^4)) under a second-order scheme, quintic (O(h^6)) under a
fourth-order one, so interpolation stays below the scheme's error (an interpolation error of
the scheme's order has a constant that changes with the point's place in its cell, which
spoils the observed order). Extrema are polished on the same spline. Integrals use the
trapezoidal rule (O(h^2)) under a second-order scheme and Gregory's end-corrected trapezoidal
rule (O(h^4)) under a fourth-order one; periodic axes sum (spectrally accurate).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.interpolate import make_interp_spline
from scipy.optimize import minimize

from simlab.discretize.grid import Grid
from simlab.problem.model import Functional
from simlab.solvers.kernels.fisher_kpp import front_position

NODE_TOLERANCE = 1e-9


def _closed(grid: Grid, field: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Axes and field with the periodic wrap node appended (so every axis spans its range)."""
    axes = list(grid.axes)
    out = field
    for a, per in enumerate(grid.periodic):
        if per:
            axes[a] = np.append(axes[a], grid.geometry.upper[a])
            first = np.take(out, [0], axis=a)
            out = np.concatenate([out, first], axis=a)
    return tuple(axes), out


WINDOW = 8
"""Nodes per axis of the local tensor spline (not-a-knot cubic: exact for cubics, O(h^4))."""


def spline_value(
    axes: tuple[np.ndarray, ...], values: np.ndarray, point: np.ndarray, degree: int = 3
) -> float:
    """A local tensor-product spline (odd ``degree``) through the nodes around ``point``."""
    sub = values
    local_axes = []
    for a, (axis, p) in enumerate(zip(axes, point, strict=True)):
        m = min(WINDOW, axis.size)
        cell = int(np.clip(np.searchsorted(axis, p) - 1, 0, axis.size - 2))
        start = int(np.clip(cell - m // 2 + 1, 0, axis.size - m))
        sub = np.take(sub, range(start, start + m), axis=a)
        local_axes.append(axis[start : start + m])
    for a in reversed(range(len(local_axes))):
        k = min(degree, local_axes[a].size - 1)
        sub = make_interp_spline(local_axes[a], sub, k=k, axis=a)(point[a])
    return float(sub)


def spline_degree(order: int) -> int:
    """The interpolation degree that keeps a point value below a scheme of ``order``."""
    return 5 if order >= 4 else 3


def point_value(grid: Grid, field: np.ndarray, point: tuple[float, ...], order: int = 2) -> float:
    if not grid.axes:
        return float(np.asarray(field).ravel()[0])
    axes, values = _closed(grid, field)
    index = []
    for axis, p in zip(axes, point, strict=True):
        h = axis[1] - axis[0]
        k = (p - axis[0]) / h
        nearest = round(k)
        if 0 <= nearest < axis.size and math.isclose(k, nearest, abs_tol=NODE_TOLERANCE):
            index.append(int(nearest))
        else:
            index.append(None)
    if all(i is not None for i in index):
        return float(values[tuple(index)])
    return spline_value(axes, values, np.array(point, dtype=float), spline_degree(order))


def extremum(grid: Grid, field: np.ndarray, sign: float, order: int = 2) -> float:
    """The max (``sign = 1``) or min (``-1``) of the spline through the nodes."""
    k = int(np.argmax(sign * field))
    best = sign * float(field.flat[k])
    if not grid.axes:
        return float(field.flat[k])
    start = np.array([c[k] for c in grid.coordinates])
    axes, values = _closed(grid, field)
    g = grid.geometry
    bounds = [
        (max(lo, s - h), min(hi, s + h))
        for s, h, lo, hi in zip(start, grid.h, g.lower, g.upper, strict=True)
    ]
    res = minimize(
        lambda p: -sign * spline_value(axes, values, p, spline_degree(order)),
        start,
        bounds=bounds,
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-13},
    )
    polished = -float(res.fun)
    return sign * max(best, polished)


GREGORY_ENDS = np.array([3.0 / 8.0, 7.0 / 6.0, 23.0 / 24.0])
"""Gregory's end weights (in units of h) that make the trapezoidal rule O(h^4)."""


def quadrature_weights(nodes: int, h: float, order: int) -> np.ndarray:
    """Weights of a closed rule on ``nodes`` equispaced nodes: trapezoidal, or Gregory's
    fourth-order correction of it when ``order >= 4`` (needs 6 nodes; fewer: trapezoidal)."""
    w = np.full(nodes, h)
    if order >= 4 and nodes >= 2 * GREGORY_ENDS.size:
        w[: GREGORY_ENDS.size] = h * GREGORY_ENDS
        w[-GREGORY_ENDS.size :] = h * GREGORY_ENDS[::-1]
    else:
        w[0] = w[-1] = h / 2
    return w


def integral(grid: Grid, field: np.ndarray, order: int = 2) -> float:
    out = field
    for a in reversed(range(len(grid.axes))):
        if grid.periodic[a]:
            out = out.sum(axis=a) * grid.h[a]
        else:
            w = quadrature_weights(out.shape[a], grid.h[a], order)
            out = np.tensordot(out, w, axes=([a], [0]))
    return float(out)


def front_speed(
    grid: Grid, start: np.ndarray, end: np.ndarray, level: float, duration: float
) -> float:
    """Mean speed of the rightmost ``level`` crossing between two 1-D fields ``duration`` apart.

    The crossing is interpolated linearly between nodes (O(h^2), the scheme's order), as the
    Fisher-KPP kernel measures it (the same function); NaN when a field never crosses.
    """
    (x,) = grid.axes
    return (front_position(x, end, level) - front_position(x, start, level)) / duration


def evaluate(functional: Functional, grid: Grid, field: np.ndarray, order: int = 2) -> float:
    """The functional's value from a field computed by a scheme of ``order`` (2 or 4)."""
    kind = functional.kind
    if kind == "point":
        return point_value(grid, field, functional.point(grid.geometry.names), order)
    if kind == "max":
        return extremum(grid, field, 1.0, order)
    if kind == "min":
        return extremum(grid, field, -1.0, order)
    volume = float(np.prod(grid.geometry.lengths)) if grid.axes else 1.0
    if kind == "integral":
        return integral(grid, field, order)
    if kind == "mean":
        return integral(grid, field, order) / volume
    if kind == "l2_norm":
        return math.sqrt(integral(grid, field**2, order))
    raise ValueError(f"functional kind '{kind}' is not evaluated on a field")
