"""A stationary scalar equation of a spec on a finite-difference grid: F(u, lam) with J = dF/du.

The Judge's symbolic core (:func:`simlab.judge.symbolic.build`) replaces the unknown and each
of its derivatives by a plain *jet* symbol, so the equation is a function
``R(x, u, u_x, u_xx, ...; lam)``. On a uniform grid of an interval or rectangle every jet is an
affine function of the nodal values, ``w_k = M_k u + m_k`` (2nd-order central differences;
Dirichlet data enter ``m_k``; a Neumann side is eliminated with a ghost node), so

    F_i(u, lam) = R(x_i, w_1(u)_i, ..., w_K(u)_i; lam),   J = sum_k diag(dR/dw_k) M_k,

exact derivatives from sympy, lambdified once. All numbers are SI; ``lam`` stays a symbol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sympy

from simlab.judge.symbolic import build
from simlab.solvers.builtin._problem import LOWER, Box, read_box
from simlab.solvers.spec_values import SpecValues
from simlab.spec.expressions import safe_name
from simlab.spec.units import to_base

SECOND_ORDER = {1: 2, 2: 2}
"""Highest derivative order per coordinate the grid discretises (central differences)."""

Affine = tuple[sp.csr_matrix, np.ndarray]


@dataclass(frozen=True)
class GridProblem:
    """F(u, lam) = 0 on the active nodes of a uniform grid (lam in SI).

    Attributes:
        unknown: the unknown's name.
        names: space coordinates.
        h: grid step per coordinate (SI).
        shape: nodes per coordinate of the full grid (boundary nodes included).
        active: flat indices (C order) of the unknown nodes; Dirichlet nodes are not among them.
        coords: coordinates of the active nodes, one array per coordinate.
        guess: the spec's initial iterate on the active nodes (0 when it gives none).
        symmetric: J is symmetric (pure second derivatives, constant coefficients, Dirichlet).
    """

    unknown: str
    names: tuple[str, ...]
    h: tuple[float, ...]
    shape: tuple[int, ...]
    active: np.ndarray
    coords: tuple[np.ndarray, ...]
    guess: np.ndarray
    symmetric: bool
    residual: Callable[[np.ndarray, float], np.ndarray]
    jacobian: Callable[[np.ndarray, float], sp.csc_matrix]
    dparam: Callable[[np.ndarray, float], np.ndarray]

    @property
    def size(self) -> int:
        return int(self.active.size)


def discretise(values: SpecValues, parameter: str | None, resolution: int) -> GridProblem | str:
    """The spec's stationary equation on a grid of ``resolution`` cells (shortest side), or why not.

    ``parameter`` stays a symbol (the continuation parameter); every other parameter takes
    its SI value. ``None`` fixes every parameter (``lam`` is then ignored by the callables).
    """
    spec = values.spec
    if spec.domain.time is not None:
        return "time-dependent: the grid bridge discretises stationary problems"
    if spec.equations.eigenvalue is not None:
        return "an eigenproblem: linear in the unknown, with no solution branch to follow"
    if len(spec.equations.unknowns) != 1 or len(spec.equations.equations) != 1:
        return "the grid bridge discretises one scalar equation for one unknown"
    if not 1 <= len(values.space) <= 2:
        return f"{len(values.space)} space coordinates; the grid bridge handles 1-D and 2-D"
    symbolic = build(spec)
    if symbolic.build_error or symbolic.equation_errors or not symbolic.equations:
        errors = "; ".join(e for _, e in symbolic.equation_errors)
        return f"the equation cannot be read: {symbolic.build_error or errors}"
    equation = symbolic.equations[0]
    if (
        equation.op != "="
        or equation.wrapped
        or isinstance(equation.jet_residual, sympy.MatrixBase)
    ):
        return "the equation is not a scalar differential equation (relation, operator or vector)"
    name = spec.equations.unknowns[0].name
    jets = [j for j in equation.jets if j.unknown == name]
    for jet in jets:
        if any(order > SECOND_ORDER[len(values.space)] for _, order in jet.orders) or jet.total > 2:
            return f"the derivative {jet.label} is beyond the second-order central differences"
    lam = values.namespace.symbols[safe_name(parameter)] if parameter else sympy.Dummy("lam")
    fixed = {s: v for s, v in values.substitutions.items() if s != lam}
    expr = equation.jet_residual.subs(fixed)
    coords = [values.namespace.symbols[safe_name(x)] for x in values.space]
    free = expr.free_symbols - {j.symbol for j in jets} - set(coords) - {lam}
    if free:
        return f"the equation depends on {sorted(map(str, free))}, which have no numeric value"
    if expr.has(sympy.I):
        return "the equation is complex; the grid bridge is real"
    box = read_box(values, name)
    if isinstance(box, str):
        return box
    return _assemble(values, box, name, jets, expr, coords, lam, int(resolution))


def _assemble(
    values: SpecValues,
    box: Box,
    name: str,
    jets: list,
    expr: sympy.Expr,
    coords: list[sympy.Symbol],
    lam: sympy.Symbol,
    resolution: int,
) -> GridProblem | str:
    cells = box.cells(max(resolution, 2))
    h = tuple(length / m for length, m in zip(box.lengths, cells, strict=True))
    axes = [np.linspace(a, b, m + 1) for a, b, m in zip(box.lower, box.upper, cells, strict=True)]
    mesh = np.meshgrid(*axes, indexing="ij")
    shape = mesh[0].shape
    data = _boundary_data(values, box, name, mesh, coords)
    if isinstance(data, str):
        return data
    dirichlet, fixed, neumann = data
    active = np.flatnonzero(~fixed.ravel())
    if active.size == 0:
        return "every node carries Dirichlet data: nothing to solve for"
    select = sp.identity(fixed.size, format="csr")[:, active]
    full_b = np.where(fixed, dirichlet, 0.0).ravel()
    operators = _operators(box, shape, h, neumann)
    maps: list[Affine] = []
    for jet in jets:
        op, const = _jet_operator(jet.orders, box.names, operators, fixed.size)
        matrix = (op @ select).tocsr()[active]
        maps.append((matrix, (op @ full_b + const)[active]))
    symbols = [j.symbol for j in jets]
    args = [*coords, *symbols, lam]
    f_num = _lambdify(args, expr)
    d_jets = [_lambdify(args, sympy.diff(expr, s)) for s in symbols]
    d_lam = _lambdify(args, sympy.diff(expr, lam))
    at = [m.ravel()[active] for m in mesh]
    n = active.size

    def jet_values(u: np.ndarray) -> list[np.ndarray]:
        return [matrix @ u + const for matrix, const in maps]

    def residual(u: np.ndarray, p: float) -> np.ndarray:
        return f_num(n, *at, *jet_values(u), p)

    pattern = _JacobianPattern([matrix for matrix, _ in maps])

    def jacobian(u: np.ndarray, p: float) -> sp.csc_matrix:
        w = jet_values(u)
        return pattern([d(n, *at, *w, p) for d in d_jets])

    def dparam(u: np.ndarray, p: float) -> np.ndarray:
        return d_lam(n, *at, *jet_values(u), p)

    guess = _guess(values, name, box, at)
    if isinstance(guess, str):
        return guess
    return GridProblem(
        unknown=name,
        names=box.names,
        h=h,
        shape=shape,
        active=active,
        coords=tuple(at),
        guess=guess,
        symmetric=_symmetric(expr, jets, box),
        residual=residual,
        jacobian=jacobian,
        dparam=dparam,
    )


class _JacobianPattern:
    """sum_k diag(d_k) M_k on the union of the M_k's sparsity, refilled without re-assembly."""

    def __init__(self, matrices: list[sp.csr_matrix]) -> None:
        cscs = [sp.csc_matrix(m) for m in matrices]
        union = sp.csc_matrix(sum((abs(m) for m in cscs), sp.csc_matrix(cscs[0].shape)))
        union.sort_indices()
        n = union.shape[0]
        self.shape = union.shape
        self.indices, self.indptr = union.indices.copy(), union.indptr.copy()
        columns = np.repeat(np.arange(n), np.diff(union.indptr))
        keys = columns * n + union.indices
        self.parts = []
        for m in cscs:
            coo = m.tocoo()
            where = np.searchsorted(keys, coo.col * n + coo.row)
            self.parts.append((where, coo.row, coo.data))

    def __call__(self, diagonals: list[np.ndarray]) -> sp.csc_matrix:
        data = np.zeros(self.indices.size)
        for (where, rows, values), d in zip(self.parts, diagonals, strict=True):
            np.add.at(data, where, values * d[rows])
        return sp.csc_matrix((data, self.indices, self.indptr), shape=self.shape)


def _lambdify(args: list, expr: sympy.Expr) -> Callable[..., np.ndarray]:
    raw = sympy.lambdify(args, expr, modules="numpy", cse=True)

    def call(n: int, *values: np.ndarray | float) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = np.asarray(raw(*values), dtype=float)
        return np.broadcast_to(out, (n,)).copy()

    return call


def _number_or_expression(values: SpecValues, text: str, unit: str | None) -> sympy.Expr:
    """A bare number is in the unknown's unit; an expression is evaluated in SI."""
    try:
        return sympy.Float(to_base(float(text), unit))
    except ValueError:
        return values.expression(text)


def _boundary_data(
    values: SpecValues, box: Box, name: str, mesh: list[np.ndarray], coords: list[sympy.Symbol]
) -> tuple[np.ndarray, np.ndarray, dict[tuple[str, str], np.ndarray]] | str:
    """Dirichlet values and mask on the full grid; Neumann data (outward) per side."""
    unit = values.spec.equations.unknowns[0].unit
    dirichlet = np.zeros(mesh[0].shape)
    fixed = np.zeros(mesh[0].shape, dtype=bool)
    neumann: dict[tuple[str, str], np.ndarray] = {}
    # sides of the last coordinate first, so the first coordinate's sides own the corners
    for (coord, end), side in sorted(box.sides.items(), key=lambda kv: -box.names.index(kv[0][0])):
        cond = side.condition
        if cond.type not in ("dirichlet", "neumann"):
            return (
                f"'{side.segment}' has a {cond.type} condition; the grid bridge takes "
                "Dirichlet or Neumann"
            )
        if cond.value is None:
            return f"the {cond.type} condition on '{side.segment}' has no value"
        try:
            expr = _number_or_expression(
                values, cond.value, unit if cond.type == "dirichlet" else None
            )
        except Exception as exc:
            return f"boundary value '{cond.value}' cannot be read: {exc}"
        if expr.free_symbols - set(coords):
            return f"boundary value '{cond.value}' depends on {sorted(map(str, expr.free_symbols))}"
        axis = box.names.index(coord)
        index = 0 if end == LOWER else mesh[0].shape[axis] - 1
        on_side = [slice(None)] * len(mesh)
        on_side[axis] = index
        fn = sympy.lambdify(coords, expr, modules="numpy")
        side_values = np.broadcast_to(
            np.asarray(fn(*(m[tuple(on_side)] for m in mesh)), dtype=float),
            mesh[0][tuple(on_side)].shape,
        )
        if cond.type == "dirichlet":
            dirichlet[tuple(on_side)] = side_values
            fixed[tuple(on_side)] = True
        else:
            neumann[(coord, end)] = side_values
    return dirichlet, fixed, neumann


def _operators(
    box: Box, shape: tuple[int, ...], h: tuple[float, ...], neumann: dict
) -> dict[tuple[str, int], Affine]:
    """First and second central differences per coordinate on the full grid (affine maps).

    A Neumann side with outward derivative g gets the ghost node u_-1 = u_1 + 2 h g (lower
    end; u_{m+1} = u_{m-1} + 2 h g at the upper end); at a Dirichlet side the boundary rows
    are never used (those nodes are not unknowns).
    """
    out: dict[tuple[str, int], Affine] = {}
    for axis, name in enumerate(box.names):
        m = shape[axis] - 1
        step = h[axis]
        d1 = (sp.diags([-1.0, 1.0], [-1, 1], shape=(m + 1, m + 1)) / (2.0 * step)).tolil()
        d2 = (sp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(m + 1, m + 1)) / step**2).tolil()
        c1, c2 = np.zeros(shape), np.zeros(shape)
        for end, row, inner, sign in ((LOWER, 0, 1, -1.0), ("upper", m, m - 1, 1.0)):
            d1[row, :] = 0.0
            d2[row, :] = 0.0
            if (name, end) not in neumann:
                continue
            g = neumann[(name, end)]
            at = [slice(None)] * len(shape)
            at[axis] = row
            d2[row, row] = -2.0 / step**2
            d2[row, inner] = 2.0 / step**2
            c2[tuple(at)] = 2.0 * g / step
            c1[tuple(at)] = sign * g  # u_x = -g at the lower end, +g at the upper end
        out[(name, 1)] = (_along(d1.tocsr(), axis, shape), c1.ravel())
        out[(name, 2)] = (_along(d2.tocsr(), axis, shape), c2.ravel())
    return out


def _along(matrix: sp.csr_matrix, axis: int, shape: tuple[int, ...]) -> sp.csr_matrix:
    """A 1-D operator acting along ``axis`` of a C-ordered grid."""
    result = sp.identity(1, format="csr")
    for k, size in enumerate(shape):
        result = sp.kron(result, matrix if k == axis else sp.identity(size, format="csr"))
    return result.tocsr()


def _jet_operator(
    orders: tuple[tuple[str, int], ...], names: tuple[str, ...], ops: dict, size: int
) -> Affine:
    """The affine map full grid -> jet values (composition for the mixed derivative)."""
    matrix: sp.csr_matrix = sp.identity(size, format="csr")
    const = np.zeros(size)
    for coord, order in orders:
        op, c = ops[(coord, order)]
        matrix, const = (op @ matrix).tocsr(), op @ const + c
    return matrix, const


def _guess(values: SpecValues, name: str, box: Box, at: list[np.ndarray]) -> np.ndarray | str:
    text = values.spec.initial.initial_guess.get(name)
    if text is None:
        return np.zeros(at[0].size)
    try:
        expr = _number_or_expression(values, text, values.spec.equations.unknowns[0].unit)
        coords = [values.namespace.symbols[safe_name(x)] for x in box.names]
        if expr.free_symbols - set(coords):
            return f"initial guess '{text}' depends on {sorted(map(str, expr.free_symbols))}"
        fn = sympy.lambdify(coords, expr, modules="numpy")
        return np.broadcast_to(np.asarray(fn(*at), dtype=float), at[0].shape).copy()
    except Exception as exc:
        return f"initial guess '{text}' cannot be read: {exc}"


def _symmetric(expr: sympy.Expr, jets: list, box: Box) -> bool:
    """Pure second derivatives with constant coefficients and Dirichlet sides: J symmetric."""
    if any(s.condition.type != "dirichlet" for s in box.sides.values()):
        return False
    symbols = {j.symbol for j in jets}
    for jet in jets:
        if not jet.orders:
            continue
        if len(jet.orders) != 1 or jet.orders[0][1] != 2:
            return False
        if sympy.diff(expr, jet.symbol).free_symbols:
            return False
    return all(not (sympy.diff(expr, j.symbol).free_symbols & symbols) for j in jets if j.orders)
