"""Observables: read the spec's definitions into requests, and evaluate fields at points.

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

from simlab.solvers.builtin._problem import Box
from simlab.solvers.spec_values import SpecValues, read_call

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


def read_requests(
    values: SpecValues, unknown: str, box: Box | None, kinds: tuple[str, ...]
) -> list[Request] | str:
    """Every spec observable as a request of one of ``kinds``, or why one cannot be computed."""
    spec = values.spec
    if not spec.observables:
        return "the spec has no observables"
    out: list[Request] = []
    for obs in spec.observables:
        if not obs.definition:
            return f"observable '{obs.name}' has no definition"
        try:
            call = read_call(obs.definition)
        except Exception as exc:
            return f"observable '{obs.name}': {exc}"
        request = _request(values, unknown, box, obs.name, call, kinds)
        if isinstance(request, str):
            return f"observable '{obs.name}' = {obs.definition}: {request}"
        out.append(request)
    return out


def _request(
    values: SpecValues, unknown: str, box: Box | None, name: str, call, kinds: tuple[str, ...]
) -> Request | str:
    supported = ", ".join(_describe(k, unknown) for k in kinds)
    if call.head == unknown and "point" in kinds and box is not None:
        return _point(values, box, name, call)
    if call.head == "eigenvalue" and "eigenvalue" in kinds:
        if call.kwargs or len(call.args) != 1 or not isinstance(call.args[0], int):
            return "write eigenvalue(k) with an integer k >= 1"
        if call.args[0] < 1:
            return "eigenvalues are counted from 1"
        return Eigenvalue(name, call.args[0])
    if call.head == "front_speed" and "front_speed" in kinds:
        if call.args not in ((unknown,), ()):
            return f"front_speed takes the unknown '{unknown}'"
        level = call.kwargs.get("level", 0.5)
        if not isinstance(level, int | float) or set(call.kwargs) - {"level"}:
            return "write front_speed(u, level=<number>)"
        return FrontSpeed(name, float(level))
    return f"not computable by this solver (supported: {supported})"


def _point(values: SpecValues, box: Box, name: str, call) -> PointValue | str:
    if call.args:
        return "give the point by keywords, e.g. u(x=0.5)"
    time = values.spec.domain.time
    unknown_coords = set(call.kwargs) - set(box.names) - ({time.name} if time else set())
    if unknown_coords:
        return f"unknown coordinate(s) {sorted(unknown_coords)}"
    if time is not None:
        if time.name not in call.kwargs:
            return f"give the time, e.g. {call.head}({time.name}={time.upper}, ...)"
        t = values.kwarg_in_si(time.name, call.kwargs[time.name])
        t_end = values.time_range[1]
        if abs(t - t_end) > 1e-9 * max(1.0, abs(t_end)):
            return (
                f"the kernels return the field at the end time {time.name} = {time.upper}; "
                f"{time.name} = {call.kwargs[time.name]} is not it"
            )
    point = []
    for x, lower, upper in zip(box.names, box.lower, box.upper, strict=True):
        if x not in call.kwargs:
            return f"coordinate '{x}' is missing"
        value = values.kwarg_in_si(x, call.kwargs[x])
        span = upper - lower
        if not lower - 1e-12 * span <= value <= upper + 1e-12 * span:
            return f"{x} = {call.kwargs[x]} is outside the domain"
        point.append(min(max(value - lower, 0.0), span))
    return PointValue(name, tuple(point))


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
