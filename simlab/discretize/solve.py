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
from threadpoolctl import ThreadpoolController

from simlab.discretize import equations, integrate
from simlab.discretize.linear import factorize
from simlab.discretize.observe import evaluate, front_speed
from simlab.discretize.order import formal_order
from simlab.discretize.roundoff import observable_noise
from simlab.discretize.separable import active_shape
from simlab.discretize.separable import eigenvalues as separable_eigenvalues
from simlab.discretize.system import Discretization, EngineError, ResidualSet
from simlab.problem.model import Functional, Problem
from simlab.solvers.solution import Solution

PROBE_RESOLUTION = 8
FIRST_RESOLUTION = 16
RATE_STEP = 0.25
MIN_STEPS_PER_CELL = 2
DENSE_EIGEN_LIMIT = 1500
IVP_RTOL = 1e-10
NULL_EIGENVALUE = 1e-8
LOBPCG_TOL = 1e-8


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
        if f.window is not None:
            ts.update(t for t in f.window if t > t0)
    return (t0, *sorted(ts))


def step_plan(problem: Problem, first: int = FIRST_RESOLUTION) -> StepPlan:
    """``m_k`` per stretch from speeds and rates measured on a coarse grid at ``t0``.

    ``first`` is the study's first resolution: reaction rates limit the step there
    (``rate * dt <= RATE_STEP``) and ``dt`` halves with ``h`` from it."""
    disc = Discretization(problem, PROBE_RESOLUTION)
    rhs = equations.evolution(disc)
    u0 = initial_state(disc)
    t0 = problem.time.start
    span = problem.time.span
    g = disc.geometry
    need = float(MIN_STEPS_PER_CELL)
    n_min = min(g.cells(1)) if g.names else 1
    rates = np.zeros(disc.size)  # Gershgorin row sums of the pointwise (reaction) Jacobian
    for part in rhs.parts:
        lay = disc.layouts[part.owner]
        args = rhs._args(part, rhs._jet_values(part, u0, t0), t0, {})
        for jet, fn in part.derivatives:
            with np.errstate(all="ignore"):
                c = np.broadcast_to(np.asarray(fn(*args), dtype=float), (lay.count,))
            top = float(np.nanmax(np.abs(c))) if c.size else 0.0
            if not math.isfinite(top) or top == 0.0:
                continue
            orders = dict(jet.orders)
            if not orders:
                rates[lay.start : lay.start + lay.count] += np.nan_to_num(np.abs(c))
                continue
            if len(orders) != 1 or sum(orders.values()) not in (1, 2):
                continue
            ((x, k),) = orders.items()
            if x not in g.names:
                continue
            a = g.names.index(x)
            cells_per_unit = g.cells(1)[a] / n_min / g.lengths[a]
            if k == 1:  # advection: Courant number <= 1 on every grid
                need = max(need, top * span * cells_per_unit)
            elif part.owner != jet.unknown:  # wave speed of a second-order field
                need = max(need, math.sqrt(top) * span * cells_per_unit)
    rate = float(rates.max()) if rates.size else 0.0
    # reaction and oscillation rates: rate * dt <= RATE_STEP on the study's first grid
    need = max(need, rate * span / (RATE_STEP * first))
    times = _requested_times(problem)
    per_unit = tuple(max(1, math.ceil(need * (b - a) / span - 1e-9)) for a, b in pairwise(times))
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


_CONTROLLER: list[ThreadpoolController] = []


def _blas() -> ThreadpoolController:
    """One controller per process: building it scans the loaded libraries (15 ms a solve)."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


def solve_problem(
    problem: Problem, resolution: int, plan: StepPlan | None = None, order: int | None = None
) -> Solution:
    """Solve at ``resolution`` and evaluate every supported functional (SI).

    ``order`` (2 or 4) overrides the engine's choice (:func:`simlab.discretize.order.space_order`);
    a spec asks for second order with ``order: 2`` in its Discretization section.

    BLAS runs on one thread: the sparse solves' vector operations are memory-bound, and
    threaded BLAS on a shared machine made a 32^3 Poisson solve 7x slower (measured).
    """
    with _blas().limit(limits=1, user_api="blas"):
        return _solve(problem, resolution, plan, order)


def _solve(
    problem: Problem, resolution: int, plan: StepPlan | None, order: int | None = None
) -> Solution:
    disc = Discretization(problem, resolution, order)
    kind = kind_of(problem)
    if kind == "eigen":
        return _eigen(disc)
    if kind == "stationary":
        residual = equations.stationary(disc)
        u, meta = integrate.newton(residual, initial_state(disc))
        fields = disc.fields(u)
        wanted = [f for f in problem.functionals if f.kind not in ("unsupported", "eigenvalue")]
        observables = {
            f.name: evaluate(f, disc.grid, fields[f.unknown], disc.order) for f in wanted
        }
        meta["observable_round_off"] = {
            f.name: _noise(f, disc, fields[f.unknown], meta["round_off"]) for f in wanted
        }
        meta = {"kind": kind, "space_order": disc.order, **meta}
        return _solution(disc, fields, observables, disc.grid.step, meta)
    plan = plan or step_plan(problem)
    rhs = equations.evolution(disc)
    u0 = initial_state(disc)
    steps = [k * disc.resolution for k in plan.per_unit]
    method = (problem.plan.get("integrator") or "").lower()
    if method in ("bdf", "radau"):
        states, meta = integrate.ivp_march(rhs, u0, list(plan.times), method.upper(), IVP_RTOL)
    else:
        # Rannacher's damping start only where the initial data disagree with the boundary
        # data (it adds its own O(dt^2) error, of the other sign, to smooth problems)
        start = not disc.compatible(u0, problem.time.start)
        if disc.order >= 4 and not start:
            # Crank–Nicolson's O(dt^2) would hide the O(h^4) of the stencils: extrapolate
            states, meta = integrate.richardson_march(rhs, u0, list(plan.times), steps)
            method = "crank_nicolson_richardson"
        else:
            states, meta = integrate.theta_march(rhs, u0, list(plan.times), steps, rannacher=start)
    by_time = dict(zip(plan.times, states, strict=True))
    observables = {}
    noise: dict[str, float] = {}
    for f in problem.functionals:
        if f.kind in ("unsupported", "eigenvalue"):
            continue
        if f.kind == "front_speed":
            a, b = f.window
            ends = [disc.fields(by_time[t], t)[f.unknown] for t in (a, b)]
            observables[f.name] = front_speed(disc.grid, ends[0], ends[1], f.level, b - a)
            continue
        t = f.time if f.time is not None else problem.time.end
        state = by_time[t] if t in by_time else states[0]
        fields_t = disc.fields(state, t)
        observables[f.name] = evaluate(f, disc.grid, fields_t[f.unknown], disc.order)
        noise[f.name] = _noise(f, disc, fields_t[f.unknown], meta.get("round_off", {}))
    meta["observable_round_off"] = noise
    final = disc.fields(states[-1], problem.time.end)
    h = disc.grid.step if disc.grid.axes else problem.time.span / sum(steps)
    meta = {
        "kind": kind,
        "scheme": method or "crank_nicolson",
        "space_order": disc.order,
        "steps": sum(steps),
        **meta,
    }
    return _solution(disc, final, observables, h, meta)


def _noise(f: Functional, disc: Discretization, field: np.ndarray, state: dict) -> float:
    """Round-off of a functional: the state's bound (simlab.discretize.roundoff) through it.
    The bound covers the solve's end (the final time for an evolution, whose sum of local
    errors only grows with the steps), so earlier observation times get the same one."""
    size = state.get(f.unknown, 0.0)
    return observable_noise(lambda v: evaluate(f, disc.grid, v, disc.order), field, size)


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
        order=_reported_order(disc),
        observables=observables,
        meta=meta,
    )


def _reported_order(disc: Discretization) -> float:
    """The formal order of this solve: the problem's, or 2 when the caller forced order 2."""
    formal = formal_order(disc.problem)
    return min(formal, float(disc.order)) if formal > 1.0 else formal


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
    shape = active_shape(disc)
    separable = separable_eigenvalues(a, b, shape) if shape is not None else None
    if separable is not None:  # a constant-coefficient operator: sums of 1-D spectra
        values = separable
    elif n <= DENSE_EIGEN_LIMIT:
        values = sla.eigvals(a.toarray(), b.toarray())
    elif disc.geometry.dimension == 3 and _symmetric(a) and _symmetric(b):
        values = _lobpcg(a, b, count)
    else:
        da, db = np.abs(a.diagonal()), np.abs(b.diagonal())
        ratio = float(np.median(da[db > 0] / db[db > 0])) if np.any(db > 0) else 1.0
        lmax = max(disc.geometry.lengths)
        sigma = -0.1 * ratio * disc.grid.step**2 / lmax**2
        k = min(count + 5, n - 2)
        shifted = factorize(a - sigma * b, disc.geometry.dimension)
        opinv = spla.LinearOperator(a.shape, matvec=shifted, dtype=float)
        symmetric = _symmetric(a) and _symmetric(b)
        solver = spla.eigsh if symmetric else spla.eigs
        values = solver(
            a.tocsc(),
            k=k,
            M=b.tocsc(),
            sigma=sigma,
            which="LM",
            OPinv=opinv,
            return_eigenvectors=False,
        )
    values = values[np.isfinite(values)]
    real = np.sort(values.real)
    scale = float(np.max(np.abs(real))) if real.size else 1.0
    # a null space (the constant mode of a pure Neumann or periodic operator) is not a mode:
    # eigenvalue(k) counts the non-zero eigenvalues (the house convention, see eigen.py)
    real = real[np.abs(real) > NULL_EIGENVALUE * scale]
    return real[:count]


def _lobpcg(a: sps.csr_matrix, b: sps.csr_matrix, count: int) -> np.ndarray:
    """Smallest eigenvalues of a symmetric 3-D pencil: LOBPCG preconditioned by AMG
    (shift-invert would need a 3-D factorisation; measured 5x slower at 32^3)."""
    import pyamg

    ml = pyamg.smoothed_aggregation_solver(
        a.tocsr(), symmetry="symmetric", max_coarse=400, coarse_solver="splu"
    )
    block = np.random.default_rng(0).standard_normal((a.shape[0], count + 6))
    values, _ = spla.lobpcg(
        a, block, B=b, M=ml.aspreconditioner(), largest=False, tol=LOBPCG_TOL, maxiter=500
    )
    return np.asarray(values)


def _symmetric(m: sps.spmatrix) -> bool:
    scale = abs(m).max() if m.nnz else 0.0
    return bool(m.nnz == 0 or abs(m - m.T).max() <= 1e-12 * scale)


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


POINTS_PER_LENGTH = 2.0
"""Grid steps per reaction-diffusion length ``sqrt(D / r)`` on the first grid of a study."""


def first_resolution(problem: Problem, default: int) -> int:
    """The coarsest resolution that resolves the problem's shortest reaction-diffusion length.

    Each unknown's ``ell = sqrt(D / r)``, with ``D`` its largest diffusion coefficient and ``r``
    its largest reaction rate ``|dR/du|`` on the initial data, is the width of its fronts and
    layers (a Fisher-KPP front is ``sqrt(D / r)`` wide); a first grid coarser than
    ``ell / POINTS_PER_LENGTH`` cannot resolve it and the study's triple would start outside
    the asymptotic range. An unknown that starts uniform behind zero-flux or periodic faces
    stays uniform (no front forms), and without reaction or diffusion there is no such
    length: ``default`` then."""
    if not problem.is_time_dependent or problem.geometry is None:
        return default
    disc = Discretization(problem, PROBE_RESOLUTION)
    rhs = equations.evolution(disc)
    u0 = initial_state(disc)
    t0 = problem.time.start
    g = disc.geometry
    shortest = min(g.lengths) if g.names else 0.0
    needed = default
    fields = disc.fields(u0, t0)
    for part in rhs.parts:
        if _stays_uniform(problem, part.owner, fields[part.owner]):
            continue
        lay = disc.layouts[part.owner]
        args = rhs._args(part, rhs._jet_values(part, u0, t0), t0, {})
        diffusion = rate = 0.0
        for jet, fn in part.derivatives:
            if jet.unknown != part.owner:
                continue
            with np.errstate(all="ignore"):
                c = np.abs(np.broadcast_to(np.asarray(fn(*args), dtype=float), (lay.count,)))
            top = float(np.nanmax(c)) if c.size else 0.0
            if not math.isfinite(top):
                continue
            orders = dict(jet.orders)
            if not orders:
                rate = max(rate, top)
            elif len(orders) == 1 and next(iter(orders.values())) == 2:
                diffusion = max(diffusion, top)
        if diffusion > 0.0 and rate > 0.0:
            length = math.sqrt(diffusion / rate)
            needed = max(needed, math.ceil(POINTS_PER_LENGTH * shortest / length))
    return needed


def _stays_uniform(problem: Problem, name: str, start: np.ndarray) -> bool:
    """Uniform initial data and only zero-flux or periodic faces: the field stays uniform."""
    scale = float(np.max(np.abs(start))) if start.size else 0.0
    if float(np.ptp(start)) > 1e-12 * max(scale, 1e-300):
        return False
    for condition in problem.conditions_on(name).values():
        if condition.kind == "periodic":
            continue
        if condition.kind != "neumann" or not problem.substitute(condition.value).is_zero:
            return False
    return True
