"""Observables of an ODE trajectory: point values, final values, peaks, extrema.

Between the steps the trajectory is interpolated with a Hermite polynomial whose error does
not spoil the integrator's order: cubic (node values and slopes ``f``, error O(h^4)) for
methods of order <= 3, quintic (values, ``f`` and ``y'' = J f + df/dt``, error O(h^6)) from
order 4 on. For rk4 a cubic interpolant's O(h^4) error would add to the O(h^4) node error with
a constant that depends on where the point falls inside its step, which changes from grid to
grid; the quintic one leaves the smooth node error in charge.
A peak of an unknown ``u_j`` is the root of ``f_j(t, y(t))`` on that interpolant, bracketed by
the sign change of ``f_j`` next to the largest node value, so the peak time converges at the
integrator's order (it is not limited to the step as the discrete maximum is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from simlab.problem import Functional, Problem
from simlab.problem.ode import OdeSystem
from simlab.solvers.kernels.ode import hermite_interpolate
from simlab.solvers.observables import read_requests

TRAJECTORY = {"final": "final", "peak_time": "peak_time", "time_max": "max", "time_min": "min"}
"""The Problem's trajectory functionals as the request kinds :func:`evaluate` computes."""
NODE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class OdeRequest:
    """One observable: ``kind`` in ``point`` / ``final`` / ``peak_time`` / ``max`` / ``min``."""

    name: str
    kind: str
    index: int
    time: float | None = None


class PeakError(ValueError):
    """An extremum asked for is not inside the time interval."""


def ode_requests(problem: Problem, system: OdeSystem) -> tuple[OdeRequest, ...] | str:
    """Every observable of the compiled Problem as an :class:`OdeRequest`, or why not."""
    requests = read_requests(problem, lambda functional: _request(system, functional))
    return requests if isinstance(requests, str) else tuple(requests)


def _request(system: OdeSystem, functional: Functional) -> OdeRequest | str:
    supported = (
        f"u({system.time}=<time>), final(u), peak_time(u), max(u), min(u) for an unknown u in "
        f"{', '.join(system.names)}"
    )
    unknown = functional.unknown
    if functional.kind == "point" and unknown in system.names and functional.time is not None:
        return OdeRequest(functional.name, "point", system.index(unknown), functional.time)
    if functional.kind in TRAJECTORY and unknown in system.names:
        return OdeRequest(functional.name, TRAJECTORY[functional.kind], system.index(unknown))
    if functional.kind == "unsupported":
        return f"{functional.reason}; not computable by the ODE solver (supported: {supported})"
    return f"not computable by the ODE solver (supported: {supported})"


@dataclass(frozen=True)
class DenseTrajectory:
    """Node times, states, slopes ``f`` and (for quintic interpolation) ``y''``."""

    t: np.ndarray
    y: np.ndarray
    slopes: np.ndarray
    second: np.ndarray | None

    @classmethod
    def build(
        cls,
        system: OdeSystem,
        t: np.ndarray,
        y: np.ndarray,
        slopes: np.ndarray | None,
        order: float,
    ) -> DenseTrajectory:
        if slopes is None:
            slopes = np.array([system.rhs(tk, yk) for tk, yk in zip(t, y, strict=True)])
        second = None
        if order >= 4:
            second = np.array(
                [
                    system.jacobian(tk, yk) @ fk + system.time_derivative(tk, yk)
                    for tk, yk, fk in zip(t, y, slopes, strict=True)
                ]
            )
        return cls(t, y, slopes, second)

    def at(self, time: float) -> np.ndarray:
        """The state at ``time``: the node value at a node, else the Hermite interpolant."""
        k = int(np.searchsorted(self.t, time))
        for j in (k - 1, k):
            if 0 <= j < self.t.size and abs(self.t[j] - time) <= NODE_TOLERANCE * max(
                1.0, abs(time)
            ):
                return self.y[j].copy()
        if self.second is None:
            return hermite_interpolate(self.t, self.y, self.slopes, time)
        return quintic_hermite(self.t, self.y, self.slopes, self.second, time)


def quintic_hermite(
    t: np.ndarray, y: np.ndarray, d1: np.ndarray, d2: np.ndarray, t_query: float
) -> np.ndarray:
    """Quintic Hermite value at ``t_query`` from node values, slopes and second derivatives."""
    k = int(np.clip(np.searchsorted(t, t_query) - 1, 0, t.size - 2))
    h = t[k + 1] - t[k]
    s = (t_query - t[k]) / h
    s2, s3, s4, s5 = s * s, s**3, s**4, s**5
    v0 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    v1 = 10 * s3 - 15 * s4 + 6 * s5
    d0 = s - 6 * s3 + 8 * s4 - 3 * s5
    e1 = -4 * s3 + 7 * s4 - 3 * s5
    c0 = 0.5 * (s2 - 3 * s3 + 3 * s4 - s5)
    c1 = 0.5 * (s3 - 2 * s4 + s5)
    return (
        v0 * y[k]
        + v1 * y[k + 1]
        + h * (d0 * d1[k] + e1 * d1[k + 1])
        + h * h * (c0 * d2[k] + c1 * d2[k + 1])
    )


def evaluate(request: OdeRequest, system: OdeSystem, dense: DenseTrajectory) -> tuple[float, str]:
    """The observable's value (SI) and a short note on how it was found."""
    j = request.index
    if request.kind == "final":
        return float(dense.y[-1, j]), "value at the last step"
    if request.kind == "point":
        assert request.time is not None
        return float(dense.at(request.time)[j]), "node value or Hermite interpolant"
    sign = -1.0 if request.kind == "min" else 1.0
    when, value, note = extremum(system, dense, j, sign)
    return (when if request.kind == "peak_time" else value), note


def extremum(
    system: OdeSystem, dense: DenseTrajectory, j: int, sign: float = 1.0
) -> tuple[float, float, str]:
    """(time, value, note) of the maximum (``sign = 1``) or minimum (``-1``) of unknown ``j``.

    Raises :class:`PeakError` when the extremum lies at the end of the interval with the
    unknown still moving towards it (the peak is beyond the time range).
    """
    t, values, growth = dense.t, sign * dense.y[:, j], sign * dense.slopes[:, j]
    name = system.names[j]
    word = "maximum" if sign > 0 else "minimum"
    k = int(np.argmax(values))
    if k == t.size - 1 and growth[-1] > 0.0:
        raise PeakError(
            f"the {word} of {name} is at the end of the time interval ({system.time} = "
            f"{t[-1]:.6g} s) and {name} is still {'rising' if sign > 0 else 'falling'} there: "
            "the peak is outside the time range; extend it"
        )
    if k == 0 and growth[0] <= 0.0:
        return float(t[0]), float(dense.y[0, j]), f"{word} at the start: {name} only moves away"
    for left in (k - 1, k):
        if 0 <= left < t.size - 1 and growth[left] > 0.0 >= growth[left + 1]:
            break
    else:
        return float(t[k]), float(dense.y[k, j]), f"{word} at a node: no sign change of the slope"

    def slope(time: float) -> float:
        return float(sign * system.rhs(time, dense.at(time))[j])

    a, b = t[left], t[left + 1]
    if slope(a) * slope(b) > 0.0:
        return float(t[k]), float(dense.y[k, j]), f"{word} at a node: no sign change of the slope"
    root = brentq(slope, a, b, xtol=4 * np.finfo(float).eps * max(abs(a), abs(b)), rtol=1e-15)
    return float(root), float(dense.at(root)[j]), f"interior {word}: root of the slope"


def nan_observables(requests: tuple[OdeRequest, ...]) -> dict[str, float]:
    """Every observable as NaN (a failed integration)."""
    return {r.name: math.nan for r in requests}
