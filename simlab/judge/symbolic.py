"""The symbolic core: a Spec turned into sympy objects once, shared by every gate.

For each equation: the residual ``lhs - rhs``, its additive terms, the *jets* it contains (each
unknown and each of its derivatives, replaced by a plain symbol so that coefficients are
ordinary derivatives ``dR/du_xx``), derivative orders per variable, linearity in the unknowns,
and whether an unknown only appears inside an operator (an integral, ``radon(f)``). Boundary
and initial values are parsed in the same namespace. Parameter values are kept in SI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import sympy as sp
from sympy.core.function import AppliedUndef

from simlab.judge.numeric import Evaluator, coordinate_range, si_parameters
from simlab.spec.expressions import ExpressionError, Namespace, safe_name, split_relation
from simlab.spec.model import BoundaryCondition, InitialCondition, Spec


@dataclass(frozen=True)
class Jet:
    """An unknown or one of its partial derivatives, e.g. ``u`` or ``u_xx``."""

    unknown: str
    orders: tuple[tuple[str, int], ...]
    symbol: sp.Symbol

    def order(self, var: str) -> int:
        return sum(n for v, n in self.orders if v == var)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.orders)

    @property
    def label(self) -> str:
        return self.unknown + ("_" + "".join(v * n for v, n in self.orders) if self.orders else "")


@dataclass
class ParsedEquation:
    """One equation as sympy objects."""

    index: int
    text: str
    name: str | None
    lhs: sp.Expr
    rhs: sp.Expr
    op: str
    residual: sp.Expr
    jet_residual: sp.Expr
    jets: tuple[Jet, ...]
    wrapped: frozenset[str]
    bare: frozenset[str]

    @property
    def label(self) -> str:
        return f"equation {self.index + 1}" + (f" ({self.name})" if self.name else "")

    def terms(self) -> list[tuple[str, sp.Expr]]:
        """Additive terms of each side (products expanded, function arguments untouched)."""
        out: list[tuple[str, sp.Expr]] = []
        for side, expr in (("left", self.lhs), ("right", self.rhs)):
            if isinstance(expr, sp.MatrixBase):
                out.extend((side, t) for comp in expr for t in sp.Add.make_args(_expand(comp)))
            else:
                out.extend((side, t) for t in sp.Add.make_args(_expand(expr)))
        return [(s, t) for s, t in out if t != 0]

    def coefficient(self, jet: Jet) -> sp.Expr:
        """``dR/d(jet)``: the coefficient of a (possibly nonlinear) jet in the residual."""
        return sp.diff(self.jet_residual, jet.symbol)

    def order(self, unknown: str, var: str) -> int:
        return max((j.order(var) for j in self.jets if j.unknown == unknown), default=0)

    def unknowns(self) -> set[str]:
        return {j.unknown for j in self.jets} | set(self.wrapped)


@dataclass
class ParsedCondition:
    """A boundary condition with its value (and Robin alpha) as expressions."""

    cond: BoundaryCondition
    value: sp.Expr | None = None
    alpha: sp.Expr | None = None
    relation: tuple[sp.Expr, sp.Expr, str] | None = None
    error: str | None = None


@dataclass
class ParsedInitial:
    cond: InitialCondition
    value: sp.Expr | None = None
    error: str | None = None


def _expand(expr: sp.Expr) -> sp.Expr:
    try:
        return sp.expand(
            expr, deep=False, power_exp=False, power_base=False, log=False, multinomial=True
        )
    except Exception:  # matrices or odd objects: keep as written
        return expr


@dataclass
class SymbolicSpec:
    """Everything the gates need from a spec in sympy form (built once per judge call)."""

    spec: Spec
    ns: Namespace | None = None
    build_error: str | None = None
    equations: list[ParsedEquation] = field(default_factory=list)
    equation_errors: list[tuple[int, str]] = field(default_factory=list)
    conditions: list[ParsedCondition] = field(default_factory=list)
    initial: list[ParsedInitial] = field(default_factory=list)
    jets: dict[sp.Expr, Jet] = field(default_factory=dict)

    # ------------------------------------------------------------ names and symbols

    @cached_property
    def space(self) -> tuple[sp.Symbol, ...]:
        return self.ns.space if self.ns else ()

    @cached_property
    def time(self) -> sp.Symbol | None:
        return self.ns.time if self.ns else None

    @cached_property
    def coordinate_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.spec.domain.coordinates)

    @cached_property
    def time_name(self) -> str | None:
        return self.spec.domain.time.name if self.spec.domain.time else None

    @cached_property
    def unknown_names(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.spec.equations.unknowns)

    def symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(safe_name(name), real=True)

    @cached_property
    def parameters_si(self) -> dict[str, float]:
        return si_parameters(self.spec)

    @cached_property
    def evaluator(self) -> Evaluator:
        consts = {self.symbol(k): v for k, v in self.parameters_si.items()}
        return Evaluator(consts)

    @cached_property
    def ranges_si(self) -> dict[str, tuple[float, float]]:
        d = self.spec.domain
        out = {c.name: coordinate_range(c) for c in d.coordinates}
        if d.time is not None:
            out[d.time.name] = coordinate_range(d.time)
        return out

    @cached_property
    def declared_names(self) -> set[str]:
        e, d = self.spec.equations, self.spec.domain
        names = {c.name for c in d.coordinates} | ({d.time.name} if d.time else set())
        names |= {u.name for u in e.unknowns} | {p.name for p in e.parameters}
        names |= set(e.definitions)
        if e.eigenvalue:
            names.add(e.eigenvalue.symbol)
        return {safe_name(n) for n in names}

    # ------------------------------------------------------------ structure

    @property
    def parsed(self) -> bool:
        return self.ns is not None and bool(self.equations)

    def order(self, unknown: str, var: str) -> int:
        """Highest derivative order of ``unknown`` in ``var`` over all equations."""
        return max((eq.order(unknown, var) for eq in self.equations), default=0)

    def time_order(self, unknown: str) -> int:
        return self.order(unknown, self.time_name) if self.time_name else 0

    @cached_property
    def is_time_dependent(self) -> bool:
        return any(self.time_order(u) > 0 for u in self.unknown_names)

    @cached_property
    def has_space_derivatives(self) -> bool:
        return any(self.order(u, x) > 0 for u in self.unknown_names for x in self.coordinate_names)

    def space_orders(self, unknown: str) -> dict[str, int]:
        return {x: self.order(unknown, x) for x in self.coordinate_names}

    @cached_property
    def linear(self) -> bool:
        """Every residual is a polynomial of degree <= 1 in the jets."""
        return all(is_linear(eq) for eq in self.equations)

    def jet(self, unknown: str, **orders: int) -> Jet | None:
        key = tuple(sorted((v, n) for v, n in orders.items() if n))
        for j in self.jets.values():
            if j.unknown == unknown and tuple(sorted(j.orders)) == key:
                return j
        return None

    def governing(self, unknown: str) -> ParsedEquation | None:
        """The equation holding the highest time derivative of ``unknown`` (time-dependent)."""
        m = self.time_order(unknown)
        if m == 0 or self.time_name is None:
            return None
        found = [eq for eq in self.equations if eq.order(unknown, self.time_name) == m]
        return found[0] if len(found) == 1 else None


def is_linear(eq: ParsedEquation) -> bool:
    if eq.wrapped:
        return _linear_in_operator(eq)
    syms = {j.symbol for j in eq.jets}
    residual = eq.jet_residual
    if isinstance(residual, sp.MatrixBase):
        return all(_affine(r, syms) for r in residual)
    return _affine(residual, syms)


def _affine(expr: sp.Expr, syms: set[sp.Symbol]) -> bool:
    """Affine in ``syms``: no first partial derivative depends on any of them."""
    present = expr.free_symbols & syms
    return all(not (sp.diff(expr, j).free_symbols & syms) for j in present)


def _linear_in_operator(eq: ParsedEquation) -> bool:
    """Unknowns inside an operator: linear when each operator acts on an unknown directly."""
    for node in sp.preorder_traversal(eq.residual):
        if not isinstance(node, AppliedUndef):
            continue
        for arg in node.args:
            if not isinstance(arg, AppliedUndef) and arg.atoms(AppliedUndef):
                return False
    return True


def build(spec: Spec) -> SymbolicSpec:
    """Parse every equation, condition and initial value of ``spec`` (never raises)."""
    s = SymbolicSpec(spec)
    e, d = spec.equations, spec.domain
    if not e.unknowns:
        s.build_error = "no unknowns declared: the equations are free text"
        return s
    try:
        s.ns = Namespace.build(
            space=[c.name for c in d.coordinates],
            time=d.time.name if d.time else None,
            unknowns={u.name: u.depends_on for u in e.unknowns},
            parameters=[p.name for p in e.parameters],
            definitions=e.definitions,
            extra_symbols=[e.eigenvalue.symbol] if e.eigenvalue else [],
        )
    except ExpressionError as exc:
        s.build_error = f"cannot build the symbol table: {exc}"
        return s
    except Exception as exc:  # sympy may raise on odd definitions
        s.build_error = f"cannot build the symbol table: {type(exc).__name__}: {exc}"
        return s
    unknown_funcs = {safe_name(u.name) for u in e.unknowns}
    raw: list[tuple[int, str, str | None, sp.Expr, sp.Expr, str]] = []
    for i, q in enumerate(e.equations):
        try:
            rel = s.ns.parse_relation(q.text)
        except ExpressionError as exc:
            s.equation_errors.append((i, str(exc)))
            continue
        except Exception as exc:
            s.equation_errors.append((i, f"{type(exc).__name__}: {exc}"))
            continue
        raw.append((i, q.text, q.name, rel.lhs, rel.rhs, rel.op))
    for i, text, name, lhs, rhs, op in raw:
        try:
            residual = lhs - rhs
        except Exception as exc:  # e.g. matrix minus scalar
            s.equation_errors.append((i, f"cannot form lhs - rhs: {exc}"))
            continue
        s.equations.append(_parse_equation(s, i, text, name, lhs, rhs, op, residual, unknown_funcs))
    s.conditions = [_parse_condition(s, c) for c in spec.boundary.conditions]
    s.initial = [_parse_initial(s, c) for c in spec.initial.conditions]
    return s


def _parse_equation(
    s: SymbolicSpec,
    index: int,
    text: str,
    name: str | None,
    lhs: sp.Expr,
    rhs: sp.Expr,
    op: str,
    residual: sp.Expr,
    unknown_funcs: set[str],
) -> ParsedEquation:
    wrapped, bare = _operator_use(residual, unknown_funcs)
    mapping: dict[sp.Expr, sp.Symbol] = {}
    jets: list[Jet] = []
    exprs = list(residual) if isinstance(residual, sp.MatrixBase) else [residual]
    for ex in exprs:
        for node in _unknown_nodes(ex, unknown_funcs):
            jet = s.jets.get(node) or _make_jet(node, len(s.jets))
            s.jets[node] = jet
            if node not in mapping:
                mapping[node] = jet.symbol
                jets.append(jet)
    if isinstance(residual, sp.MatrixBase):
        jet_res = residual.xreplace(mapping)
    else:
        jet_res = _expand(residual.xreplace(mapping)) if mapping else residual
    return ParsedEquation(
        index, text, name, lhs, rhs, op, residual, jet_res, tuple(jets), wrapped, bare
    )


def _unknown_nodes(expr: sp.Expr, unknown_funcs: set[str]) -> list[sp.Expr]:
    nodes: list[sp.Expr] = []
    for d in expr.atoms(sp.Derivative):
        if _is_unknown(d.expr, unknown_funcs):
            nodes.append(d)
    for f in expr.atoms(AppliedUndef):
        if f.func.__name__ in unknown_funcs:
            nodes.append(f)
    for sym in expr.atoms(sp.Symbol):
        if sym.name in unknown_funcs:
            nodes.append(sym)
    return nodes


def _is_unknown(expr: sp.Expr, unknown_funcs: set[str]) -> bool:
    if isinstance(expr, AppliedUndef):
        return expr.func.__name__ in unknown_funcs
    return isinstance(expr, sp.Symbol) and expr.name in unknown_funcs


def _make_jet(node: sp.Expr, i: int) -> Jet:
    if isinstance(node, sp.Derivative):
        base = node.expr
        name = base.func.__name__ if isinstance(base, AppliedUndef) else str(base)
        orders = tuple(sorted((str(v), int(n)) for v, n in node.variable_count))
    else:
        name = node.func.__name__ if isinstance(node, AppliedUndef) else str(node)
        orders = ()
    label = name + ("_" + "".join(v * n for v, n in orders) if orders else "")
    return Jet(name, orders, sp.Symbol(f"jet{i}_{label}"))


def _operator_use(expr: sp.Expr, unknown_funcs: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Unknowns inside an integral or an undefined operator, and unknowns outside any."""
    wrapped: set[str] = set()
    bare: set[str] = set()

    def visit(node: sp.Basic, inside: bool) -> None:
        if _is_unknown(node, unknown_funcs):
            name = node.func.__name__ if isinstance(node, AppliedUndef) else str(node)
            (wrapped if inside else bare).add(name)
            return
        is_operator = isinstance(node, sp.Integral) or (
            isinstance(node, AppliedUndef) and node.func.__name__ not in unknown_funcs
        )
        for arg in node.args:
            visit(arg, inside or is_operator)

    items = list(expr) if isinstance(expr, sp.MatrixBase) else [expr]
    for item in items:
        visit(item, False)
    return frozenset(wrapped), frozenset(bare)


def _parse_condition(s: SymbolicSpec, c: BoundaryCondition) -> ParsedCondition:
    out = ParsedCondition(c)
    assert s.ns is not None
    try:
        if c.type == "constraint" and c.value is not None:
            try:
                lhs, rhs, op = split_relation(c.value)
            except ExpressionError:
                out.value = s.ns.parse(c.value)
            else:
                out.relation = (s.ns.parse(lhs), s.ns.parse(rhs), op)
        elif c.value is not None:
            out.value = s.ns.parse(c.value)
        if c.alpha is not None:
            out.alpha = s.ns.parse(c.alpha)
    except ExpressionError as exc:
        out.error = str(exc)
    except Exception as exc:
        out.error = f"{type(exc).__name__}: {exc}"
    return out


def _parse_initial(s: SymbolicSpec, c: InitialCondition) -> ParsedInitial:
    assert s.ns is not None
    try:
        return ParsedInitial(c, s.ns.parse(c.value))
    except ExpressionError as exc:
        return ParsedInitial(c, None, str(exc))
    except Exception as exc:
        return ParsedInitial(c, None, f"{type(exc).__name__}: {exc}")
