"""Observables: the Problem's functionals as kernel requests, and fields evaluated at points.

A point value is taken at a grid node when the point is one (exactly, no interpolation error);
otherwise from an interpolating cubic spline of the final field, whose O(h^4) error stays below
the O(h^2) or O(h) error of the schemes. Linear interpolation would be O(h^2) too, but with a
constant that changes with the point's position inside its cell from grid to grid, which makes
the observed order wander.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline, RectBivariateSpline

from simlab.problem import Functional, Problem
from simlab.solvers.builtin._problem import Box
from simlab.solvers.observables import read_requests

NODE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class PointValue:
    """``u(t=T, x=.., y=..)``: the unknown at a point (kernel coordinates, SI) at the end time."""

    name: str
    point: tuple[float, ...]


@dataclass(frozen=True)
class Eigenvalue:
    """``eigenvalue(k)``: the k-th smallest eigenvalue (1-based)."""

    name: str
    index: int


@dataclass(frozen=True)
class FrontSpeed:
    """``front_speed(u, level=...)``: mean speed of the level crossing over a time window."""

    name: str
    level: float


Request = PointValue | Eigenvalue | FrontSpeed
KINDS = {"point": PointValue, "eigenvalue": Eigenvalue, "front_speed": FrontSpeed}


def kernel_requests(
    problem: Problem, unknown: str, box: Box | None, kinds: tuple[str, ...]
) -> list[Request] | str:
    """Every observable of the Problem as a request of one of ``kinds``, or why not."""
    return read_requests(problem, lambda f: _request(problem, unknown, box, f, kinds))


def _request(
    problem: Problem, unknown: str, box: Box | None, f: Functional, kinds: tuple[str, ...]
) -> Request | str:
    supported = ", ".join(_describe(k, unknown) for k in kinds)
    if f.kind == "point" and f.unknown == unknown and "point" in kinds and box is not None:
        return _point(problem, box, f)
    if f.kind == "eigenvalue" and "eigenvalue" in kinds:
        return Eigenvalue(f.name, f.index)
    if f.kind == "front_speed" and f.unknown == unknown and "front_speed" in kinds:
        return FrontSpeed(f.name, float(f.level if f.level is not None else 0.5))
    if f.kind == "unsupported":
        return f"{f.reason}; not computable by this solver (supported: {supported})"
    return f"not computable by this solver (supported: {supported})"


def _point(problem: Problem, box: Box, f: Functional) -> PointValue | str:
    time = problem.time
    late = time is not None and f.time is not None
    if late and abs(f.time - time.end) > 1e-9 * max(1.0, abs(time.end)):
        return (
            f"the kernels return the field at the end time {time.name} = {time.end:g} s; "
            f"{time.name} = {f.time:g} s is not it"
        )
    point = f.point(box.names)
    return PointValue(
        f.name,
        tuple(
            min(max(p - lower, 0.0), span)
            for p, lower, span in zip(point, box.lower, box.lengths, strict=True)
        ),
    )


def _describe(kind: str, unknown: str) -> str:
    return {
        "point": f"{unknown}(<coordinates>) at the end time",
        "eigenvalue": "eigenvalue(k)",
        "front_speed": f"front_speed({unknown}, level=...)",
    }[kind]


def node_or_spline(
    axes: tuple[np.ndarray, ...], field: np.ndarray, point: tuple[float, ...]
) -> float:
    """The field at ``point``: the node value if the point is a node, else a cubic spline."""
    indices = [_node_index(axis, p) for axis, p in zip(axes, point, strict=True)]
    if all(i is not None for i in indices):
        return float(field[tuple(indices)])
    if len(axes) == 1:
        return float(CubicSpline(axes[0], field)(point[0]))
    if len(axes) == 2:
        spline = RectBivariateSpline(axes[0], axes[1], field, kx=3, ky=3, s=0)
        return float(spline(point[0], point[1], grid=False))
    raise ValueError(f"point values on {len(axes)}-D grids are not implemented")


def periodic_value(nodes: np.ndarray, period: float, field: np.ndarray, point: float) -> float:
    """A periodic 1-D field (nodes ``0 .. period - h``) at ``point``, node or periodic spline."""
    index = _node_index(nodes, point % period)
    if index is not None:
        return float(field[index])
    closed = np.append(field, field[0])
    spline = CubicSpline(np.append(nodes, period), closed, bc_type="periodic")
    return float(spline(point % period))


def _node_index(axis: np.ndarray, p: float) -> int | None:
    h = axis[1] - axis[0]
    k = (p - axis[0]) / h
    nearest = round(k)
    if 0 <= nearest < axis.size and math.isclose(k, nearest, abs_tol=NODE_TOLERANCE):
        return int(nearest)
    return None
