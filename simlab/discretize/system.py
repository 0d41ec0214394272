"""A Problem on a grid: jets as affine maps of the unknown vector, residuals from sympy.

Every jet an equation uses (``u``, ``u_x``, ``u_xx``, ``u_xy`` ...) is an affine function of
the state: ``jet = A u + b(t)``, ``A`` sparse (finite differences with boundary rows), ``b``
the boundary data (Dirichlet values and Neumann/Robin fluxes). A residual ``R(x, t, jets, p)``
is lambdified once; its sparse Jacobian is ``sum_j diag(dR/djet_j) A_j`` with ``dR/djet_j``
also lambdified from sympy (the chain rule, no finite differencing).

Equation ``i`` is evaluated at the active nodes of its *owner* unknown: the unknown whose time
derivative it defines (evolution), or the ``i``-th unknown (stationary problems). Dirichlet
nodes are not unknowns: their values come from the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import scipy.sparse as sps
import sympy as sp

from simlab.discretize.grid import Grid
from simlab.discretize.order import space_order
from simlab.discretize.stencils import (
    DIRICHLET,
    PERIODIC,
    ROBIN,
    first_derivative,
    lift,
    one_sided_derivatives,
    second_derivative,
)
from simlab.discretize.stencils4 import MIN_NODES, first_derivative4, second_derivative4
from simlab.discretize.upwind import upwind_plan
from simlab.judge.symbolic import Jet
from simlab.problem.cache import IdentityCache
from simlab.problem.model import LOWER, UPPER, BoundaryCondition, Geometry, Problem

FORMAL_ORDER = 2.0
_MODULES = [{"Heaviside": lambda x, h=0.5: np.heaviside(x, h)}, "scipy", "numpy"]


VELOCITY_SUFFIX = "__t"
FREE = "free"
"""The 'boundary kind' of an unknown without space derivatives (a pointwise ODE field)."""


def velocity_name(name: str) -> str:
    """The state name of ``d name/dt`` for a field of second order in time."""
    return name + VELOCITY_SUFFIX


def base_name(name: str) -> str:
    return name.removesuffix(VELOCITY_SUFFIX)


class EngineError(ValueError):
    """The problem has a structure the engine does not discretize (with the reason)."""


@dataclass(frozen=True)
class AffineJet:
    """``jet = matrix @ u + offset(t)`` restricted to the owner's active nodes."""

    matrix: sps.csr_matrix
    offset: Callable[[float | None], np.ndarray]


@dataclass
class UnknownLayout:
    """Where one unknown lives: its active nodes, and its boundary kinds per axis end."""

    name: str
    kinds: dict[tuple[int, str], str]
    active: np.ndarray  # flat indices of active nodes on the full grid
    start: int  # offset of this unknown in the state vector

    @property
    def count(self) -> int:
        return int(self.active.size)


class Discretization:
    """The grid, the state layout and the affine jets of a Problem at one resolution."""

    def __init__(self, problem: Problem, resolution: int, order: int | None = None) -> None:
        self.problem = problem
        self.resolution = int(resolution)
        self.order = space_order(problem) if order is None else int(order)
        """Order of the space stencils: 4 (wide stencils) or 2; see simlab.discretize.order."""
        geometry = problem.geometry or Geometry((), (), (), ())
        self.geometry = geometry
        names = [f.name for f in problem.fields]
        names += [velocity_name(f.name) for f in problem.fields if f.time_order == 2]
        self.names = tuple(names)
        kinds = {name: self._kinds(name) for name in self.names}
        periodic = tuple(
            any(kinds[n].get((a, LOWER)) == PERIODIC for n in self.names)
            for a in range(geometry.dimension)
        )
        for name in self.names:
            for a in range(geometry.dimension):
                if kinds[name].get((a, LOWER)) == FREE:
                    continue
                if (kinds[name].get((a, LOWER)) == PERIODIC) != periodic[a]:
                    raise EngineError(
                        f"axis {geometry.names[a]} is periodic for some unknowns only"
                    )
        self.grid = Grid.build(geometry, self.resolution, periodic)
        self.layouts: dict[str, UnknownLayout] = {}
        start = 0
        for name in self.names:
            active = self._active(kinds[name])
            self.layouts[name] = UnknownLayout(name, kinds[name], active, start)
            start += active.size
        self.size = start
        self._jets: dict[tuple[str, str, tuple], AffineJet] = {}

    # ------------------------------------------------------------------ layout
    def conditions(self, name: str) -> dict[tuple[str, str], BoundaryCondition]:
        """Conditions of an unknown; a velocity ``v = u_t`` takes ``d/dt`` of ``u``'s data."""
        cache = self.__dict__.setdefault("_conditions", {})
        if name in cache:
            return cache[name]
        base = base_name(name)
        conds = self.problem.conditions_on(base)
        if base != name:
            t = self.problem.time_symbol
            conds = {k: replace(c, value=sp.diff(c.value, t)) for k, c in conds.items()}
        cache[name] = conds
        return conds

    def _kinds(self, name: str) -> dict[tuple[int, str], str]:
        g = self.geometry
        conds = self.conditions(name)
        out: dict[tuple[int, str], str] = {}
        spatial = self._has_space_derivatives(base_name(name))
        for a, x in enumerate(g.names):
            for end in (LOWER, UPPER):
                c = conds.get((x, end))
                if c is None and not spatial:
                    out[(a, end)] = FREE  # no space derivative of it anywhere: no condition
                    continue
                if c is None:
                    raise EngineError(f"no boundary condition for {name} on the {x} {end} face")
                if c.kind == ROBIN and c.alpha is not None and self.problem.time:
                    t = self.problem.time_symbol
                    if t in self.problem.substitute(c.alpha).free_symbols:
                        raise EngineError("a Robin coefficient that varies in time")
                out[(a, end)] = c.kind
            if FREE in (out[(a, LOWER)], out[(a, UPPER)]):
                continue
            if (out[(a, LOWER)] == PERIODIC) != (out[(a, UPPER)] == PERIODIC):
                raise EngineError(f"{name}: periodic on one {x} face only")
        return out

    def _has_space_derivatives(self, name: str) -> bool:
        space = set(self.geometry.names)
        return any(
            j.unknown == name and any(v in space for v, _ in j.orders)
            for eq in self.problem.equations
            for j in eq.jets
        )

    def _active(self, kinds: dict[tuple[int, str], str]) -> np.ndarray:
        mask = np.ones(self.grid.size, dtype=bool)
        for (a, end), kind in kinds.items():
            if kind == DIRICHLET:
                mask &= ~self.grid.face_mask(a, end)
        return np.flatnonzero(mask)

    # ------------------------------------------------------------------ embedding
    @cached_property
    def _embeddings(self) -> dict[str, sps.csr_matrix]:
        out = {}
        for name, lay in self.layouts.items():
            out[name] = sps.csr_matrix(
                (np.ones(lay.count), (lay.active, np.arange(lay.count))),
                shape=(self.grid.size, lay.count),
            )
        return out

    def dirichlet_values(self, name: str, t: float | None) -> np.ndarray:
        """The full-grid vector with Dirichlet data on Dirichlet faces (zero elsewhere)."""
        cache = self.__dict__.setdefault("_dirichlet", {})
        steady = cache.get(("steady", name))
        if steady is not None:
            return steady.copy()
        out = self._dirichlet_values(name, t)
        if not self._time_dependent_data(name):
            cache[("steady", name)] = out.copy()
        return out

    def _dirichlet_values(self, name: str, t: float | None) -> np.ndarray:
        out = np.zeros(self.grid.size)
        g = self.geometry
        conds = self.conditions(name)
        # later faces overwrite earlier ones: lower-dimension axes own the corners
        for a in reversed(range(g.dimension)):
            for end in (LOWER, UPPER):
                c = conds.get((g.names[a], end))
                if c is None or c.kind != DIRICHLET:
                    continue
                mask = self.grid.face_mask(a, end)
                out[mask] = self._data(c.value, mask, t)
        return out

    def _data(self, expr: sp.Expr, mask: np.ndarray, t: float | None) -> np.ndarray:
        fn = self._function(expr)
        coords = [c[mask] for c in self.grid.coordinates]
        args = [*coords, *([t if t is not None else 0.0] if self.problem.time else [])]
        return np.broadcast_to(fn(*args), (int(np.count_nonzero(mask)),)).astype(float)

    def _function(self, expr: sp.Expr) -> Callable[..., np.ndarray]:
        return _problem_function(self.problem, expr)

    # ------------------------------------------------------------------ jets
    def jet(self, owner: str, jet: Jet) -> AffineJet:
        """The affine map of ``jet`` (of any unknown) onto ``owner``'s active nodes."""
        key = (owner, jet.unknown, jet.orders)
        if key not in self._jets:
            self._jets[key] = self._build_jet(owner, jet)
        return self._jets[key]

    def _build_jet(self, owner: str, jet: Jet) -> AffineJet:
        g = self.geometry
        lay = self.layouts[jet.unknown]
        rows = self.layouts[owner].active
        space = {n: k for n, k in jet.orders if n in g.names}
        if len(space) != len(jet.orders):
            raise EngineError(f"jet {jet.label} mixes time and space derivatives")
        if any(k > 2 for k in space.values()) or sum(space.values()) > 2:
            raise EngineError(f"{jet.label}: derivatives above second order are not discretized")
        shape = self.grid.shape
        full = sps.identity(self.grid.size, format="csr")
        flux_terms: list[tuple[int, str, float]] = []  # (axis, end, coefficient of q)
        if len(space) == 1:
            ((x, k),) = space.items()
            a = g.names.index(x)
            lo, hi = lay.kinds[(a, LOWER)], lay.kinds[(a, UPPER)]
            op = self._axis_operator(k, a, lo, hi)
            full = lift(op.matrix, a, shape)
            wind = self._wind(owner, jet.unknown, x) if k == 1 else None
            if wind is not None:  # upwind: backward where the flow runs towards +x
                back, ahead = one_sided_derivatives(shape[a], self.grid.h[a], lo, hi)
                towards = (wind > 0).astype(float)
                full = (
                    sps.diags(towards) @ lift(back, a, shape)
                    + sps.diags(1.0 - towards) @ lift(ahead, a, shape)
                ).tocsr()
            flux_terms = [(a, LOWER, op.lower_flux), (a, UPPER, op.upper_flux)]
        elif len(space) == 2:
            mats = []
            for x in space:
                a = g.names.index(x)
                lo, hi = lay.kinds[(a, LOWER)], lay.kinds[(a, UPPER)]
                if lo in ("neumann", ROBIN) or hi in ("neumann", ROBIN):
                    raise EngineError(
                        f"{jet.label}: a mixed derivative next to a Neumann/Robin face"
                    )
                mats.append(lift(self._axis_operator(1, a, lo, hi).matrix, a, shape))
            full = (mats[0] @ mats[1]).tocsr()
        embed = self._embeddings[jet.unknown]
        select = sps.csr_matrix(
            (np.ones(rows.size), (np.arange(rows.size), rows)), shape=(rows.size, self.grid.size)
        )
        matrix = select @ full @ embed
        conds = self.conditions(jet.unknown)
        affine: list[tuple[np.ndarray, float, sp.Expr]] = []
        for a, end, coef in flux_terms:
            if coef == 0.0:
                continue
            c = conds[(g.names[a], end)]
            mask = self.grid.face_mask(a, end)
            affine.append((mask, coef, c.value))
            if c.kind == ROBIN:
                alpha = self._data(
                    c.alpha, mask, self.problem.time.start if self.problem.time else None
                )
                diag = np.zeros(self.grid.size)
                diag[mask] = -coef * alpha
                matrix = matrix + select @ sps.diags(diag) @ embed
        has_dirichlet = any(k == DIRICHLET for k in lay.kinds.values())
        name = jet.unknown
        steady = not self._time_dependent_data(jet.unknown)

        memo: dict[float | None, np.ndarray] = {}

        def offset(t: float | None) -> np.ndarray:
            if steady:
                t = None if self.problem.time is None else self.problem.time.start
            if t in memo:
                return memo[t]
            if len(memo) > 8:
                memo.clear()
            memo[t] = _offset(t)
            return memo[t]

        def _offset(t: float | None) -> np.ndarray:
            vec = np.zeros(self.grid.size)
            if has_dirichlet:
                vec = full @ self.dirichlet_values(name, t)
            for mask, coef, value in affine:
                vec[mask] += coef * self._data(value, mask, t)
            return vec[rows]

        return AffineJet(matrix.tocsr(), offset)

    def _axis_operator(self, k: int, a: int, lower: str, upper: str):
        """The ``k``-th derivative along axis ``a`` at the discretization's order (second
        order on an axis too short for the wide stencils: the engine's coarse probe grids)."""
        n, h = self.grid.shape[a], self.grid.h[a]
        if self.order >= 4 and n >= MIN_NODES:
            return (first_derivative4 if k == 1 else second_derivative4)(n, h, lower, upper)
        return (first_derivative if k == 1 else second_derivative)(n, h, lower, upper)

    def _wind(self, owner: str, unknown: str, axis: str) -> np.ndarray | None:
        """The flow direction at every node if this first derivative is upwinded, else None."""
        for term in upwind_plan(self.problem):
            if (term.owner, term.unknown, term.axis) == (base_name(owner), unknown, axis):
                t0 = [self.problem.time.start] if self.problem.time else []
                coords = list(self.grid.coordinates)
                values = self.problem.function(term.direction)(*coords, *t0)
                return np.broadcast_to(values, (self.grid.size,))
        return None

    def _time_dependent_data(self, name: str) -> bool:
        """Does any boundary datum (value, Robin alpha) of ``name`` depend on time?

        Cached per problem: the sympy substitution costs ~2 ms, once per solve otherwise."""
        known = _TIME_DEPENDENT.get(self.problem, dict)
        if name not in known:
            t = self.problem.time_symbol
            known[name] = t is not None and any(
                e is not None and t in self.problem.substitute(e).free_symbols
                for c in self.conditions(name).values()
                for e in (c.value, c.alpha)
            )
        return known[name]

    # ------------------------------------------------------------------ state
    def split(self, u: np.ndarray) -> dict[str, np.ndarray]:
        return {n: u[lay.start : lay.start + lay.count] for n, lay in self.layouts.items()}

    def fields(self, u: np.ndarray, t: float | None = None) -> dict[str, np.ndarray]:
        """Each unknown on the full node grid (Dirichlet values filled in), shaped like the grid."""
        out = {}
        for name, part in self.split(u).items():
            full = self.dirichlet_values(name, t)
            full[self.layouts[name].active] = part
            out[name] = full.reshape(self.grid.shape)
        return out

    def sample(self, expressions: dict[str, sp.Expr], t: float | None) -> np.ndarray:
        """A state vector from expressions of the coordinates (initial data, guesses)."""
        u = np.zeros(self.size)
        self._initial_exprs, self._initial_time = dict(expressions), t
        for name, lay in self.layouts.items():
            expr = expressions.get(name, sp.S.Zero)
            values = self._data(sp.sympify(expr), np.ones(self.grid.size, bool), t)
            u[lay.start : lay.start + lay.count] = values[lay.active]
        return u

    def compatible(self, u: np.ndarray, t: float | None) -> bool:
        """Do the state's values on Dirichlet faces match the data (to round-off)?"""
        for name in self.names:
            data = self.dirichlet_values(name, t)
            lay = self.layouts[name]
            if lay.count == self.grid.size:
                continue
            values = self._state_on_faces(u, name)
            if values is None:
                continue
            scale = max(float(np.max(np.abs(data))), float(np.max(np.abs(values))), 1e-300)
            mask = np.ones(self.grid.size, bool)
            mask[lay.active] = False
            if float(np.max(np.abs(values[mask] - data[mask]))) > 1e-9 * scale:
                return False
        return True

    def _state_on_faces(self, u: np.ndarray, name: str) -> np.ndarray | None:
        expr = self.__dict__.get("_initial_exprs", {}).get(name)
        if expr is None:
            return None
        return self._data(sp.sympify(expr), np.ones(self.grid.size, bool), self._initial_time)

    def node_coordinates(self, owner: str) -> list[np.ndarray]:
        rows = self.layouts[owner].active
        return [c[rows] for c in self.grid.coordinates]


_FUNCTIONS: dict[int, tuple[Problem, dict]] = {}
_TIME_DEPENDENT: IdentityCache[dict[str, bool]] = IdentityCache(size=64)


def _problem_function(problem: Problem, expr: sp.Expr) -> Callable[..., np.ndarray]:
    """``problem.function(expr)``, lambdified once per problem and expression."""
    entry = _FUNCTIONS.get(id(problem))
    if entry is None or entry[0] is not problem:
        entry = (problem, {})
        _FUNCTIONS[id(problem)] = entry
    cache = entry[1]
    if expr not in cache:
        cache[expr] = problem.function(expr)
    return cache[expr]


@dataclass
class CompiledExpression:
    """A residual-like expression of (coordinates, t, jets, parameters) and its jet derivatives."""

    owner: str
    expr: sp.Expr
    jets: tuple[Jet, ...]
    value: Callable[..., np.ndarray]
    derivatives: tuple[tuple[Jet, Callable[..., np.ndarray]], ...]
    constant_derivatives: bool


def compile_expression(
    problem: Problem, owner: str, expr: sp.Expr, jets: tuple[Jet, ...], replace: dict | None = None
) -> CompiledExpression:
    """Lambdify ``expr`` and ``d expr / d jet`` for each jet it uses."""
    expr = sp.sympify(expr)
    if replace:
        expr = expr.xreplace(replace)
    used = tuple(j for j in jets if j.symbol in expr.free_symbols)
    args = _arguments(problem, used)
    value = sp.lambdify(args, expr, modules=_MODULES)
    derivs = []
    constant = True
    jet_syms = {j.symbol for j in used}
    t = problem.time_symbol
    for j in used:
        d = sp.diff(expr, j.symbol)
        if d.free_symbols & (jet_syms | ({t} if t is not None else set())):
            constant = False
        derivs.append((j, sp.lambdify(args, d, modules=_MODULES)))
    return CompiledExpression(owner, expr, used, value, tuple(derivs), constant)


def _arguments(problem: Problem, jets: tuple[Jet, ...]) -> list[sp.Symbol]:
    params = [problem.symbols[k] for k in problem.parameters if k in problem.symbols]
    t = [problem.time_symbol] if problem.time else [sp.Symbol("_t_unused")]
    return [*problem.space_symbols, *t, *[j.symbol for j in jets], *params]


class ResidualSet:
    """Residual expressions on a Discretization: values, sparse Jacobian, dR/dp."""

    def __init__(self, disc: Discretization, parts: list[CompiledExpression]) -> None:
        self.disc = disc
        self.parts = parts
        self.problem = disc.problem
        self._coords = {p.owner: disc.node_coordinates(p.owner) for p in parts}
        self._param_names = [k for k in self.problem.parameters if k in self.problem.symbols]

    @cached_property
    def linear(self) -> bool:
        """Every Jacobian block is constant (affine residual, time-independent coefficients)."""
        return all(p.constant_derivatives for p in self.parts)

    @cached_property
    def _stacks(self) -> dict[int, tuple[sps.csr_matrix, list[tuple[str, int, int, AffineJet]]]]:
        """Per part, every jet's matrix stacked over the whole state: one product per call."""
        out = {}
        for part in self.parts:
            rows, cols, data, pieces, r0 = [], [], [], [], 0
            for j in part.jets:
                aj = self.disc.jet(part.owner, j)
                m = aj.matrix.tocoo()
                rows.append(m.row + r0)
                cols.append(m.col + self.disc.layouts[j.unknown].start)
                data.append(m.data)
                pieces.append((j.label, r0, r0 + m.shape[0], aj))
                r0 += m.shape[0]
            if pieces:
                stacked = sps.csr_matrix(
                    (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                    shape=(r0, self.disc.size),
                )
            else:
                stacked = sps.csr_matrix((0, self.disc.size))
            out[id(part)] = (stacked, pieces)
        return out

    @cached_property
    def autonomous(self) -> bool:
        """No explicit time: neither in the expressions nor in any boundary datum."""
        t = self.problem.time_symbol
        if t is None:
            return True
        if any(t in p.expr.free_symbols for p in self.parts):
            return False
        return not any(self.disc._time_dependent_data(n) for n in self.disc.names)

    def _args(self, part: CompiledExpression, jets: dict, t: float | None, params: dict) -> list:
        values = {**self.problem.parameters, **(params or {})}
        return [
            *self._coords[part.owner],
            0.0 if t is None else t,
            *[jets[j.label] for j in part.jets],
            *[values[k] for k in self._param_names],
        ]

    def _jet_values(self, part: CompiledExpression, u: np.ndarray, t: float | None) -> dict:
        stacked, pieces = self._stacks[id(part)]
        values = stacked @ u
        return {label: values[a:b] + aj.offset(t) for label, a, b, aj in pieces}

    def _state_of(self, u: np.ndarray, name: str) -> np.ndarray:
        lay = self.disc.layouts[name]
        return u[lay.start : lay.start + lay.count]

    def value(
        self, u: np.ndarray, t: float | None = None, params: dict | None = None
    ) -> np.ndarray:
        out = []
        for part in self.parts:
            n = self.disc.layouts[part.owner].count
            args = self._args(part, self._jet_values(part, u, t), t, params or {})
            with np.errstate(all="ignore"):
                out.append(np.broadcast_to(np.asarray(part.value(*args), float), (n,)))
        return np.concatenate(out) if out else np.zeros(0)

    def _pattern(self) -> tuple[sps.csr_matrix, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
        """The Jacobian's sparsity pattern and, per (part, jet) term, where its entries go."""
        if getattr(self, "_cached_pattern", None) is not None:
            return self._cached_pattern
        rows_all, cols_all, terms = [], [], []
        row0 = 0
        for part in self.parts:
            for j, _fn in part.derivatives:
                a = self.disc.jet(part.owner, j).matrix.tocoo()
                col0 = self.disc.layouts[j.unknown].start
                rows_all.append(a.row + row0)
                cols_all.append(a.col + col0)
                terms.append((a.row, a.data))
            row0 += self.disc.layouts[part.owner].count
        size = self.disc.size
        rows = np.concatenate(rows_all) if rows_all else np.zeros(0, int)
        cols = np.concatenate(cols_all) if cols_all else np.zeros(0, int)
        keys = rows.astype(np.int64) * size + cols
        unique, inverse = np.unique(keys, return_inverse=True)
        u_rows, u_cols = unique // size, unique % size
        indptr = np.concatenate([[0], np.cumsum(np.bincount(u_rows, minlength=size))])
        pattern = sps.csr_matrix(
            (np.zeros(unique.size), u_cols.astype(np.int32), indptr), shape=(size, size)
        )
        maps, start = [], 0
        for local_rows, data in terms:
            maps.append((inverse[start : start + data.size], local_rows, data))
            start += data.size
        self._cached_pattern = (pattern, maps)
        return self._cached_pattern

    def jacobian(
        self, u: np.ndarray, t: float | None = None, params: dict | None = None
    ) -> sps.csr_matrix:
        """``sum_j diag(dR/djet_j) A_j``, assembled into a fixed sparsity pattern."""
        pattern, maps = self._pattern()
        values, k = [], 0
        for part in self.parts:
            n = self.disc.layouts[part.owner].count
            args = self._args(part, self._jet_values(part, u, t), t, params or {})
            for _j, fn in part.derivatives:
                with np.errstate(all="ignore"):
                    c = np.broadcast_to(np.asarray(fn(*args), float), (n,))
                where, local_rows, data = maps[k]
                values.append((where, c[local_rows] * data))
                k += 1
        data = np.zeros(pattern.nnz)
        if values:
            where = np.concatenate([w for w, _ in values])
            vals = np.concatenate([v for _, v in values])
            data = np.bincount(where, weights=vals, minlength=pattern.nnz)
        return sps.csr_matrix((data, pattern.indices, pattern.indptr), shape=pattern.shape)

    def parameter_derivative(
        self, u: np.ndarray, name: str, t: float | None = None, params: dict | None = None
    ) -> np.ndarray:
        """``dR/dp`` for the parameter ``name`` (by sympy differentiation)."""
        out = []
        for part, fn in zip(self.parts, self._parameter_derivatives(name), strict=True):
            n = self.disc.layouts[part.owner].count
            args = self._args(part, self._jet_values(part, u, t), t, params or {})
            out.append(np.broadcast_to(np.asarray(fn(*args), float), (n,)))
        return np.concatenate(out)

    def _parameter_derivatives(self, name: str) -> list[Callable[..., np.ndarray]]:
        """``d part / d name`` lambdified once per part list (continuation calls it per step)."""
        cache = _PARAMETER_DERIVATIVES.get(self.parts, dict)
        if name not in cache:
            sym = self.problem.symbols[name]
            cache[name] = [
                sp.lambdify(
                    _arguments(self.problem, part.jets), sp.diff(part.expr, sym), modules=_MODULES
                )
                for part in self.parts
            ]
        return cache[name]


_PARAMETER_DERIVATIVES: IdentityCache[dict[str, list]] = IdentityCache(size=64)
