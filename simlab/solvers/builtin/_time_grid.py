"""Fixed time grids on which every observation time is a node, refined in exact proportion.

The grid variable is ``t`` (uniform grids) or ``s = log(1 + (t - t0) / t_scale) / log(1 + span /
t_scale)`` (geometric grids, see :func:`simlab.solvers.kernels.ode.geometric_grid`). The
observation times cut ``[0, 1]`` (in the normalised grid variable) into segments; segment ``i``
gets ``r * m_i`` equal steps, where the weights ``m_i`` (about ``SEGMENT_WEIGHT`` times the
segment's share, at least 1) are fixed once per problem. A resolution of ``N`` steps is rounded
up to a multiple of ``M = sum m_i``, so refining by 2 halves every step exactly.

Why not interpolate instead: a point inside a step carries an interpolation error whose
constant depends on where the point falls in its step, which changes from grid to grid and made
the observed order wander (rk4 + cubic Hermite at x(t=3.3) of an oscillator: 3.3 instead of 4).
At a node the error is the smooth global error of the integrator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from simlab.solvers.kernels.ode import geometric_grid, uniform_grid

SEGMENT_WEIGHT = 16
MERGE = 1e-9
"""Observation times closer than this (relative to the span) to a knot are merged with it."""


@dataclass(frozen=True)
class TimeGrid:
    """A family of grids over ``[t0, t_end]`` with ``knot_times`` as nodes at every resolution."""

    kind: str
    t0: float
    t_end: float
    t_scale: float | None
    knot_times: tuple[float, ...]
    weights: tuple[int, ...]

    @classmethod
    def build(
        cls, kind: str, t0: float, t_end: float, t_scale: float | None, times: list[float]
    ) -> TimeGrid:
        grid = cls(kind, t0, t_end, t_scale, (t0, t_end), (1,))
        knots = {0.0: t0, 1.0: t_end}  # grid variable -> the exact time
        for t in sorted(times):
            s = grid.variable(t)
            if min(abs(s - k) for k in knots) > MERGE:
                knots[s] = t
        if len(knots) == 2:
            return grid
        s_values = sorted(knots)
        weights = tuple(max(1, round(SEGMENT_WEIGHT * (b - a))) for a, b in pairwise(s_values))
        return cls(kind, t0, t_end, t_scale, tuple(knots[s] for s in s_values), weights)

    @property
    def multiple(self) -> int:
        """``M``: every step count is a multiple of it."""
        return sum(self.weights)

    def steps(self, requested: int) -> int:
        """The step count used for ``requested`` steps (rounded up to a multiple of ``M``)."""
        return self.multiple * math.ceil(max(1, requested) / self.multiple)

    def times(self, requested: int) -> np.ndarray:
        """The nodes for ``requested`` steps (``self.steps(requested)`` of them, plus one)."""
        steps = self.steps(requested)
        if len(self.weights) == 1:
            if self.kind == "geometric":
                assert self.t_scale is not None
                return geometric_grid(self.t_end, steps, self.t_scale, self.t0)
            return uniform_grid(self.t_end, steps, self.t0)
        refine = steps // self.multiple
        knots = [self.variable(t) for t in self.knot_times]
        pieces = []
        for (a, b), m in zip(pairwise(knots), self.weights, strict=True):
            pieces.append(np.linspace(a, b, refine * m + 1)[:-1])
        s = np.append(np.concatenate(pieces), 1.0)
        t = np.array([self.time(v) for v in s])
        cuts = np.cumsum([0, *(refine * m for m in self.weights)])
        t[cuts] = self.knot_times  # the observation times exactly
        return t

    def variable(self, t: float) -> float:
        """The normalised grid variable ``s`` in ``[0, 1]`` of a time."""
        span = self.t_end - self.t0
        if self.kind == "geometric":
            assert self.t_scale is not None
            return math.log1p((t - self.t0) / self.t_scale) / math.log1p(span / self.t_scale)
        return (t - self.t0) / span

    def time(self, s: float) -> float:
        """The time of a grid-variable value (inverse of :meth:`variable`)."""
        span = self.t_end - self.t0
        if self.kind == "geometric":
            assert self.t_scale is not None
            return self.t0 + self.t_scale * math.expm1(s * math.log1p(span / self.t_scale))
        return self.t0 + s * span
