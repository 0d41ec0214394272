"""Hyperbolic adapters: the 1-D wave equation (leapfrog) and periodic linear advection.

Wave: ``c_tt u_tt + a_xx u_xx = 0`` with ``c^2 = -a_xx / c_tt > 0``, fixed ends, no source.
Advection: ``c_t u_t + a_x u_x = 0`` with ``a = a_x / c_t``, periodic ends, no source.
The Courant number is the spec's ``cfl``; a planned ``dt`` instead fixes it at the planned
resolution (``resolution: {n: ..}``, else the coarsest default), and the study keeps that
Courant number on every grid.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np

from simlab.certify import audit_checks as audit
from simlab.certify.audit_checks import CheckResult
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.builtin._observe import (
    PointValue,
    kernel_requests,
    node_or_spline,
    periodic_value,
)
from simlab.solvers.builtin._problem import (
    LOWER,
    UPPER,
    Box,
    Plan,
    initial_function,
    plan_mismatch,
    read_box,
    read_plan,
    side_value,
    time_span,
)
from simlab.solvers.builtin._structure import PdeStructure, describe, read_structure
from simlab.solvers.families import HYPERBOLIC
from simlab.solvers.kernels.advection import solve_advection_1d
from simlab.solvers.kernels.wave import solve_wave_1d
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

ENERGY_RTOL = 1e-9
MASS_RTOL = 1e-12


@dataclass(frozen=True)
class _Hyperbolic:
    structure: PdeStructure
    box: Box
    t0: float
    t_end: float
    plan: Plan

    @property
    def duration(self) -> float:
        return self.t_end - self.t0


def _read_1d(
    problem: Problem, derivatives: Callable[[str, str], tuple], what: str
) -> _Hyperbolic | str:
    """A 1-D evolution equation whose derivatives are ``derivatives(t, x)`` and nothing else."""
    structure = read_structure(problem)
    if isinstance(structure, str):
        return structure
    span = time_span(problem)
    if isinstance(span, str):
        return f"not an evolution problem: {span}"
    if len(structure.space) != 1:
        return f"{len(structure.space)} space dimensions: the {what} kernel is 1-D"
    if structure.nonlinear:
        return f"nonlinear in the derivatives ({', '.join(structure.nonlinear)})"
    extra = structure.keys_other_than(*derivatives(structure.time, structure.space[0]))
    if extra:
        return f"derivatives the {what} kernel lacks: {', '.join(map(describe, extra))}"
    if structure.remainder != 0:
        return (
            f"the term {structure.remainder} (source, reaction or damping) is not supported "
            f"by the {what} kernel"
        )
    box = read_box(problem, structure.unknown)
    if isinstance(box, str):
        return box
    plan = read_plan(problem)
    if isinstance(plan, str):
        return plan
    return _Hyperbolic(structure, box, span[0], span[1], plan)


def _courant(plan: Plan, speed: float, length: float, default_n: int, fallback: float) -> float:
    """The Courant number to run: the planned ``cfl``, or the planned ``dt`` at its resolution."""
    if plan.cfl is not None:
        return plan.cfl
    if plan.dt is not None:
        n = plan.resolution or default_n
        return abs(speed) * plan.dt / (length / n)
    return fallback


# ------------------------------------------------------------------------------- wave


@dataclass(frozen=True)
class WaveProblem:
    base: _Hyperbolic
    c: float
    ends: tuple[float, float]
    u0: object
    v0: object
    cfl: float
    requests: list


class WaveLeapfrogSolver(SpecDrivenSolver[WaveProblem]):
    """``u_tt = c^2 u_xx`` with fixed ends: leapfrog with a Taylor start, order 2."""

    name = "wave_leapfrog"
    discretization = "finite_difference"
    family = HYPERBOLIC
    formal_order = 2.0
    resolutions = (32, 64, 128)
    max_resolution = 16384

    def analyse(self, problem: Problem) -> WaveProblem | str:
        base = _read_1d(problem, lambda t, x: (((t, 2),), ((x, 2),)), "wave")
        if isinstance(base, str):
            return base
        s, t = base.structure, base.structure.time
        x = s.space[0]
        c_tt, a_xx = s.constant((t, 2)), s.constant((x, 2))
        if not c_tt or a_xx is None:
            return f"no constant-coefficient d^2/d{t}^2 and d^2/d{x}^2 terms"
        c2 = -a_xx / c_tt
        if c2 <= 0.0:
            return f"c^2 = {c2:g} <= 0: the equation is elliptic in (t, x), not a wave equation"
        ends = []
        for end in (LOWER, UPPER):
            side = base.box.sides[(x, end)]
            if side.kind != "dirichlet":
                return (
                    f"'{side.segment}' has a {side.kind} condition; the wave kernel "
                    "has fixed (Dirichlet) ends"
                )
            value = side_value(problem, side, base.box)
            if isinstance(value, str):
                return value
            ends.append(value)
        mismatch = plan_mismatch(
            base.plan, ("finite_difference",), ("leapfrog",), "the wave kernel"
        )
        if mismatch:
            return mismatch
        u0 = initial_function(problem, s.unknown, base.box)
        v0 = initial_function(problem, s.unknown, base.box, derivative=1)
        for data in (u0, v0):
            if isinstance(data, str):
                return data
        requests = kernel_requests(problem, s.unknown, base.box, ("point",))
        if isinstance(requests, str):
            return requests
        c = math.sqrt(c2)
        cfl = _courant(base.plan, c, base.box.lengths[0], self.resolutions[0], 0.9)
        return WaveProblem(base, c, (ends[0], ends[1]), u0, v0, cfl, requests)

    def solve(self, spec: Spec, resolution: int) -> Solution:
        p = self.problem(spec)
        sol = solve_wave_1d(
            p.c,
            p.base.box.lengths[0],
            p.base.duration,
            p.u0,
            p.v0,
            int(resolution),
            cfl=p.cfl,
            left=p.ends[0],
            right=p.ends[1],
        )
        observables = {
            q.name: node_or_spline((sol.grid["x"],), sol.fields["u"], q.point)
            for q in p.requests
            if isinstance(q, PointValue)
        }
        meta = {**sol.meta, "kernel_observables": dict(sol.observables), "adapter": self.name}
        return self.remember(replace(sol, observables=observables, meta=meta))

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Leapfrog's discrete energy is conserved exactly (to round-off) for Courant <= 1."""
        return [
            audit.conservation(
                solution.history["energy"], rtol=ENERGY_RTOL, name="discrete energy conservation"
            )
        ]


# ------------------------------------------------------------------------------- advection


@dataclass(frozen=True)
class AdvectionProblem:
    base: _Hyperbolic
    a: float
    u0: object
    cfl: float
    requests: list
    data_range: tuple[float, float]


class _AdvectionSolver(SpecDrivenSolver[AdvectionProblem]):
    """``u_t + a u_x = 0`` on a periodic interval."""

    scheme: ClassVar[str]
    accepts_unplanned: ClassVar[bool] = False
    family = HYPERBOLIC

    def analyse(self, problem: Problem) -> AdvectionProblem | str:
        base = _read_1d(problem, lambda t, x: (((t, 1),), ((x, 1),)), "advection")
        if isinstance(base, str):
            return base
        s, t = base.structure, base.structure.time
        x = s.space[0]
        c_t, a_x = s.constant((t, 1)), s.constant((x, 1))
        if not c_t or a_x is None:
            return f"no constant-coefficient d/d{t} and d/d{x} terms"
        lower, upper = base.box.sides[(x, LOWER)], base.box.sides[(x, UPPER)]
        if not lower.kind == upper.kind == "periodic":  # a periodic face matches its opposite
            return (
                f"the ends '{lower.segment}' and '{upper.segment}' are not a periodic pair; the "
                "advection kernel is periodic"
            )
        if base.plan.scheme is None and not self.accepts_unplanned:
            return f"no scheme planned; this solver runs '{self.scheme}' only when asked"
        mismatch = plan_mismatch(
            base.plan,
            ("finite_volume", "finite_difference"),
            (self.scheme,),
            f"this solver ({self.name})",
        )
        if mismatch:
            return mismatch
        u0 = initial_function(problem, s.unknown, base.box)
        if isinstance(u0, str):
            return u0
        requests = kernel_requests(problem, s.unknown, base.box, ("point",))
        if isinstance(requests, str):
            return requests
        a = a_x / c_t
        cfl = _courant(base.plan, a, base.box.lengths[0], self.resolutions[0], 0.8)
        data = u0(np.linspace(0.0, base.box.lengths[0], 2001))
        return AdvectionProblem(base, a, u0, cfl, requests, (float(data.min()), float(data.max())))

    def solve(self, spec: Spec, resolution: int) -> Solution:
        p = self.problem(spec)
        length = p.base.box.lengths[0]
        sol = solve_advection_1d(
            p.a, length, p.base.duration, p.u0, int(resolution), scheme=self.scheme, cfl=p.cfl
        )
        observables = {
            q.name: periodic_value(sol.grid["x"], length, sol.fields["u"], q.point[0])
            for q in p.requests
            if isinstance(q, PointValue)
        }
        meta = {**sol.meta, "kernel_observables": dict(sol.observables), "adapter": self.name}
        return self.remember(replace(sol, observables=observables, meta=meta))

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Mass ``sum(u) dx`` is conserved by the conservative scheme (to round-off)."""
        mass = solution.history["mass"]
        x = solution.grid["x"]
        dx = x[1] - x[0]
        p = self.problem(spec)
        # Relative to the L1 norm of the data: the mass itself may be 0 (a sine wave).
        scale = max(float(np.sum(np.abs(p.u0(x)))) * dx, 1e-300)
        drift = float(np.max(np.abs(mass - mass[0]))) / scale
        steps = max(1, solution.meta["steps_taken"])
        allowed = MASS_RTOL * math.sqrt(steps) + 1e-14
        checks = [
            CheckResult(
                "mass conservation",
                bool(np.all(np.isfinite(mass))) and drift <= allowed,
                drift if math.isfinite(drift) else math.inf,
                allowed,
                "S4",
                f"max |M(t) - M(0)| / int |u0| = {drift:.3g} over {steps} steps "
                f"(allowed {allowed:.3g}, round-off)",
            )
        ]
        return checks + self.extra_audit(solution, p)

    def extra_audit(self, solution: Solution, p: AdvectionProblem) -> list[CheckResult]:
        return []


class AdvectionUpwindSolver(_AdvectionSolver):
    """First-order upwind (monotone for Courant <= 1): no new extrema, TV non-increasing."""

    name = "advection_upwind"
    discretization = "finite_difference"
    scheme = "upwind"
    accepts_unplanned = True
    formal_order = 1.0
    resolutions = (128, 256, 512)
    max_resolution = 1 << 17

    def extra_audit(self, solution: Solution, p: AdvectionProblem) -> list[CheckResult]:
        h = solution.history
        low, high = p.data_range
        scale = max(abs(low), abs(high), 1e-300)
        return [
            audit.bounds(
                np.concatenate([h["min"], h["max"]]),
                lower=low,
                upper=high,
                atol=1e-12 * scale,
                name="no new extrema (monotone scheme)",
            ),
            audit.monotonicity(
                h["total_variation"],
                increasing=False,
                atol=1e-12 * max(float(h["total_variation"][0]), 1e-300),
                name="total variation non-increasing",
            ),
        ]


class AdvectionLaxWendroffSolver(_AdvectionSolver):
    """Lax-Wendroff, second order (not monotone: only mass is audited)."""

    name = "advection_lax_wendroff"
    discretization = "finite_difference"
    scheme = "lax_wendroff"
    formal_order = 2.0
    resolutions = (64, 128, 256)
    max_resolution = 1 << 16
