"""Solve a Problem at one resolution: evolution, stationary (Newton) or eigenproblem.

The time step follows the grid: each stretch between requested times gets ``n * m_k`` steps,
``m_k`` fixed once per problem (from the wave/advection speeds and reaction rates measured
on the initial data), so the step halves exactly with ``h`` and the error is ``O(h^2)``
overall (Crank–Nicolson, central differences): one formal order for the convergence study.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp
from threadpoolctl import threadpool_limits

from simlab.discretize import equations, integrate
from simlab.discretize.observe import evaluate
from simlab.discretize.system import FORMAL_ORDER, Discretization, EngineError, ResidualSet
from simlab.problem.model import Problem
from simlab.solvers.solution import Solution

PROBE_RESOLUTION = 8
MIN_STEPS_PER_CELL = 2
DENSE_EIGEN_LIMIT = 1500
IVP_RTOL = 1e-10
NULL_EIGENVALUE = 1e-8


@dataclass(frozen=True)
class StepPlan:
    """Steps per requested-time stretch at resolution 1 (multiply by the resolution)."""

    times: tuple[float, ...]
    per_unit: tuple[int, ...]


def kind_of(problem: Problem) -> str:
    if problem.eigenvalue is not None:
        return "eigen"
    return "evolution" if problem.is_time_dependent else "stationary"


def _requested_times(problem: Problem) -> tuple[float, ...]:
    t0, t1 = problem.time.start, problem.time.end
    ts = {t1}
    for f in problem.functionals:
        if f.time is not None and f.time > t0:
            ts.add(f.time)
    return (t0, *sorted(ts))


def step_plan(problem: Problem) -> StepPlan:
    """``m_k`` per stretch from speeds and rates measured on a coarse grid at ``t0``."""
    disc = Discretization(problem, PROBE_RESOLUTION)
    rhs = equations.evolution(disc)
    u0 = initial_state(disc)
    t0 = problem.time.start
    span = problem.time.span
    g = disc.geometry
    need = float(MIN_STEPS_PER_CELL)
    n_min = min(g.cells(1)) if g.names else 1
    for part in rhs.parts:
        args = rhs._args(part, rhs._jet_values(part, u0, t0), t0, {})
        for jet, fn in part.derivatives:
            with np.errstate(all="ignore"):
                c = np.asarray(fn(*args), dtype=float)
            top = float(np.nanmax(np.abs(c))) if c.size else 0.0
            if not math.isfinite(top) or top == 0.0:
                continue
            orders = dict(jet.orders)
            if len(orders) == 1 and sum(orders.values()) in (1, 2):
                ((x, k),) = orders.items()
                if x not in g.names:
                    continue
                a = g.names.index(x)
                cells_per_unit = g.cells(1)[a] / n_min / g.lengths[a]
                second_order_field = part.owner != jet.unknown  # velocity equation
                if k == 1:
                    need = max(need, top * span * cells_per_unit)
                elif second_order_field:
                    need = max(need, math.sqrt(top) * span * cells_per_unit)
            elif not orders:
                need = max(need, top * span / PROBE_RESOLUTION)
    times = _requested_times(problem)
    per_unit = tuple(
        max(1, math.ceil(need * (b - a) / span - 1e-9))
        for a, b in pairwise(times)
    )
    return StepPlan(times, per_unit)


def initial_state(disc: Discretization) -> np.ndarray:
    """Initial data (and initial velocities) or the initial guess, as a state vector."""
    problem = disc.problem
    exprs: dict[str, sp.Expr] = {}
    t0 = problem.time.start if problem.time else None
    if problem.is_time_dependent:
        for f in problem.fields:
            ic = problem.initial_of(f.name, 0)
            if ic is None:
                raise EngineError(f"no initial value of {f.name}")
            exprs[f.name] = ic.value
            if f.time_order == 2:
                ic1 = problem.initial_of(f.name, 1)
                if ic1 is None:
                    raise EngineError(f"no initial time derivative of {f.name}")
                exprs[f"{f.name}__t"] = ic1.value
    else:
        exprs = dict(problem.initial_guess)
    return disc.sample(exprs, t0)


def solve_problem(problem: Problem, resolution: int, plan: StepPlan | None = None) -> Solution:
    """Solve at ``resolution`` and evaluate every supported functional (SI).

    BLAS runs on one thread: the sparse solves' vector operations are memory-bound, and
    threaded BLAS on a shared machine made a 32^3 Poisson solve 7x slower (measured).
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _solve(problem, resolution, plan)


def _solve(problem: Problem, resolution: int, plan: StepPlan | None) -> Solution:
    disc = Discretization(problem, resolution)
    kind = kind_of(problem)
    if kind == "eigen":
        return _eigen(disc)
    if kind == "stationary":
        residual = equations.stationary(disc)
        u, meta = integrate.newton(residual, initial_state(disc))
        fields = disc.fields(u)
        observables = {
            f.name: evaluate(f, disc.grid, fields[f.unknown])
            for f in problem.functionals
            if f.kind not in ("unsupported", "eigenvalue")
        }
        return _solution(disc, fields, observables, disc.grid.step, {"kind": kind, **meta})
    plan = plan or step_plan(problem)
    rhs = equations.evolution(disc)
    u0 = initial_state(disc)
    steps = [k * disc.resolution for k in plan.per_unit]
    method = (problem.plan.get("integrator") or "").lower()
    if method in ("bdf", "radau"):
        states, meta = integrate.ivp_march(rhs, u0, list(plan.times), method.upper(), IVP_RTOL)
    else:
        states, meta = integrate.theta_march(rhs, u0, list(plan.times), steps)
    by_time = dict(zip(plan.times, states, strict=True))
    observables = {}
    for f in problem.functionals:
        if f.kind in ("unsupported", "eigenvalue"):
            continue
        t = f.time if f.time is not None else problem.time.end
        state = by_time[t] if t in by_time else states[0]
        fields_t = disc.fields(state, t)
        observables[f.name] = evaluate(f, disc.grid, fields_t[f.unknown])
    final = disc.fields(states[-1], problem.time.end)
    h = disc.grid.step if disc.grid.axes else problem.time.span / sum(steps)
    meta = {"kind": kind, "scheme": method or "crank_nicolson", "steps": sum(steps), **meta}
    return _solution(disc, final, observables, h, meta)


def _solution(
    disc: Discretization, fields: dict, observables: dict, h: float, meta: dict
) -> Solution:
    names = disc.geometry.names
    base = {n: v for n, v in fields.items() if not n.endswith("__t")}
    return Solution(
        grid=dict(zip(names, disc.grid.axes, strict=True)),
        fields=base,
        resolution=disc.resolution,
        h=h,
        order=FORMAL_ORDER,
        observables=observables,
        meta=meta,
    )


def eigen_matrices(disc: Discretization) -> tuple[sps.csr_matrix, sps.csr_matrix]:
    """``(A, B)`` with ``A x = lambda B x`` from the residual's Jacobian at lambda = 0 and 1."""
    u = np.zeros(disc.size)
    a = equations.stationary(disc, 0.0).jacobian(u)
    b = -(equations.stationary(disc, 1.0).jacobian(u) - a)
    return a.tocsr(), b.tocsr()


def eigenvalues(disc: Discretization, count: int) -> np.ndarray:
    """The ``count`` smallest eigenvalues (by real part) of the discretized problem."""
    a, b = eigen_matrices(disc)
    n = a.shape[0]
    if n <= DENSE_EIGEN_LIMIT:
        values = sla.eigvals(a.toarray(), b.toarray())
    else:
        da, db = np.abs(a.diagonal()), np.abs(b.diagonal())
        ratio = float(np.median(da[db > 0] / db[db > 0])) if np.any(db > 0) else 1.0
        lmax = max(disc.geometry.lengths)
        sigma = -0.1 * ratio * disc.grid.step**2 / lmax**2
        k = min(count + 5, n - 2)
        values = spla.eigs(
            a.tocsc(), k=k, M=b.tocsc(), sigma=sigma, which="LM", return_eigenvectors=False
        )
    values = values[np.isfinite(values)]
    real = np.sort(values.real)
    scale = float(np.max(np.abs(real))) if real.size else 1.0
    # a null space (the constant mode of a pure Neumann or periodic operator) is not a mode:
    # eigenvalue(k) counts the non-zero eigenvalues (the house convention, see eigen.py)
    real = real[np.abs(real) > NULL_EIGENVALUE * scale]
    return real[:count]


def _eigen(disc: Discretization) -> Solution:
    problem = disc.problem
    wanted = [f for f in problem.functionals if f.kind == "eigenvalue"]
    count = max((f.index for f in wanted), default=1)
    values = eigenvalues(disc, count)
    if values.size < count:
        raise EngineError(f"only {values.size} eigenvalues found, {count} asked")
    observables = {f.name: float(values[f.index - 1]) for f in wanted}
    return _solution(disc, {}, observables, disc.grid.step, {"kind": "eigen"})


def residual_set(disc: Discretization) -> ResidualSet:
    """The stationary residual of a problem on ``disc`` (public: continuation uses it)."""
    return equations.stationary(disc)
