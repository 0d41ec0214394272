"""Gate 1, dimensional consistency (S1).

Every additive term of every equation, boundary condition and initial condition must have the
same dimension, computed from the units of parameters, unknowns and coordinates (pint for
units, sympy for the expressions, :mod:`simlab.judge.dims` for the algebra). A failure names
the offending term and both dimensions. A term whose dimension depends on a symbol without a
unit is UNVERIFIABLE (never PASS); in a ``nondimensional: true`` spec a missing unit means
dimensionless. A whole boundary or initial value that is a bare number is read in the unit it
must have (``value: 0``, ``value: 300`` for a temperature).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import TYPE_CHECKING

import sympy as sp

from simlab.judge import spec_types
from simlab.judge.dims import (
    DIMENSIONLESS,
    Dim,
    DimensionMismatch,
    DimEnv,
    DimResult,
    NotDimensionless,
    dimension_of,
)
from simlab.judge.pretty import show
from simlab.judge.report import Finding, GateVerdict, Status
from simlab.judge.temperature_kind import expression_kind, unit_kind
from simlab.spec.expressions import safe_name

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.symbolic import ParsedEquation

GATE_ID = "dimensions"
TITLE = "Dimensional consistency"
CONDITIONS = ("S1",)


def check(ctx: JudgeContext) -> GateVerdict:
    s = ctx.sym
    if s.ns is None:
        f = Finding(
            Status.UNVERIFIABLE,
            "S1",
            f"dimensions cannot be checked: {s.build_error}",
            fix="declare unknowns and parameters with units",
        )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, [f])
    env = environment(ctx)
    findings: list[Finding] = []
    counts = {"terms": 0, "conditions": 0, "initial": 0}
    eq_dims: dict[str, str] = {}
    for eq in s.equations:
        dim = _equation(ctx, env, eq, findings, counts)
        if dim is not None:
            eq_dims[eq.label] = str(dim)
    _conditions(ctx, env, findings, counts)
    _initial(ctx, env, findings, counts)
    obs_dims = spec_types.observable_dimensions(ctx, env, findings)
    spec_types.reference_dimensions(ctx, env, obs_dims, findings)
    spec_types.tolerance_units(ctx, obs_dims, findings)
    spec_types.discretization_units(ctx, env, findings)
    numbers = {**counts, "equation_dimensions": eq_dims}
    if not any(f.status != Status.PASS for f in findings):
        findings.append(
            Finding(
                Status.PASS,
                "S1",
                f"{counts['terms']} terms in {len(s.equations)} equation(s), "
                f"{counts['conditions']} boundary and {counts['initial']} initial value(s) "
                "dimensionally consistent",
                numbers,
            )
        )
    return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings, numbers)


def environment(ctx: JudgeContext) -> DimEnv:
    """Dimensions of every declared symbol (``None`` where the unit is not stated)."""
    spec, s = ctx.spec, ctx.sym
    nondim = spec.equations.nondimensional

    def dim(unit: str | None) -> Dim | None:
        if unit is None:
            return DIMENSIONLESS if nondim else None
        try:
            return Dim.of_unit(unit)
        except Exception:
            return None

    symbols: dict[sp.Symbol, Dim | None] = {}
    coords = list(spec.domain.coordinates) + ([spec.domain.time] if spec.domain.time else [])
    for c in coords:
        symbols[s.symbol(c.name)] = dim(c.unit)
    for p in spec.equations.parameters:
        symbols[s.symbol(p.name)] = (
            dim(p.unit) if p.is_numeric else (DIMENSIONLESS if nondim else None)
        )
    ev = spec.equations.eigenvalue
    if ev is not None:
        symbols[s.symbol(ev.symbol)] = dim(ev.unit)
    functions: dict[str, Dim | None] = {}
    for u in spec.equations.unknowns:
        functions[safe_name(u.name)] = dim(u.unit)
        symbols[s.symbol(u.name)] = dim(u.unit)
    space_dims = {dim(c.unit) for c in spec.domain.coordinates}
    length = next(iter(space_dims)) if len(space_dims) == 1 else None
    return DimEnv(symbols, functions, length, undefined_is_dimensionless=nondim)


def _equation(
    ctx: JudgeContext, env: DimEnv, eq: ParsedEquation, findings: list[Finding], counts: dict
) -> Dim | None:
    unknowns = ctx.sym.unknown_names
    known: list[tuple[str, sp.Expr, Dim]] = []
    for side, term in eq.terms():
        counts["terms"] += 1
        result = _safe_dim(ctx, env, term, eq.label, findings, unknowns)
        if result is None:
            continue
        if result.dim is None:
            findings.append(
                _unverifiable(ctx, result, f"term '{show(term, unknowns)}' of {eq.label}", eq.label)
            )
            continue
        known.append((side, term, result.dim))
    if not known:
        return None
    tally = Counter(d for _, _, d in known)
    top = max(tally.values())
    reference = next(d for _, _, d in known if tally[d] == top)
    ref_term = next(t for _, t, d in known if d == reference)
    for side, term, d in known:
        if d != reference:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"{eq.label}: term '{show(term, unknowns)}' ({side} side) has dimension "
                    f"{d}, but '{show(ref_term, unknowns)}' has {reference}",
                    {
                        "term": show(term, unknowns),
                        "dimension": str(d),
                        "expected": str(reference),
                        "reference_term": show(ref_term, unknowns),
                    },
                    fix="check the units of the parameters in this term (a missing factor or "
                    "a wrong unit)",
                    where=f"Equations, {eq.label}",
                )
            )
    return reference


def _safe_dim(
    ctx: JudgeContext,
    env: DimEnv,
    expr: sp.Expr,
    label: str,
    findings: list[Finding],
    unknowns: tuple[str, ...],
) -> DimResult | None:
    try:
        return dimension_of(expr, env)
    except DimensionMismatch as exc:
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                f"{label}: inside '{show(expr, unknowns)}', '{show(exc.a, unknowns)}' has "
                f"dimension {exc.da} but '{show(exc.b, unknowns)}' has {exc.db}",
                {
                    "term": show(expr, unknowns),
                    "a": show(exc.a, unknowns),
                    "dim_a": str(exc.da),
                    "b": show(exc.b, unknowns),
                    "dim_b": str(exc.db),
                },
                fix="only quantities of the same dimension can be added",
                where=label,
            )
        )
    except NotDimensionless as exc:
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                f"{label}: the argument '{show(exc.arg, unknowns)}' of {exc.func} has "
                f"dimension {exc.dim}; it must be dimensionless",
                {
                    "term": show(expr, unknowns),
                    "argument": show(exc.arg, unknowns),
                    "dimension": str(exc.dim),
                },
                fix="divide the argument by a reference scale of the same unit (e.g. x/L)",
                where=label,
            )
        )
    return None


def _unverifiable(ctx: JudgeContext, result: DimResult, what: str, where: str) -> Finding:
    s = ctx.sym
    declared = s.declared_names
    undeclared = sorted(n for n in result.missing if n.isidentifier() and n not in declared)
    if undeclared:
        return Finding(
            Status.FAIL,
            "S1",
            f"{what}: symbol(s) {', '.join(undeclared)} not declared, so it has no dimension",
            {"undeclared": undeclared},
            fix="declare each symbol as a parameter with a value and a unit",
            where=where,
        )
    names = ", ".join(sorted(result.missing))
    return Finding(
        Status.UNVERIFIABLE,
        "S1",
        f"{what}: no unit for {names}",
        {"missing_units": sorted(result.missing)},
        fix=f"give {names} a unit (or write 'nondimensional: true' in ## Equations)",
        where=where,
    )


def _expected(ctx: JudgeContext, env: DimEnv, unknown: str, derivative: int) -> Dim | None:
    base = env.functions.get(safe_name(unknown))
    if base is None or derivative == 0:
        return base
    t = ctx.spec.domain.time
    tdim = env.symbols.get(ctx.sym.symbol(t.name)) if t is not None else None
    return None if tdim is None else base / tdim**derivative


def _check_value(
    ctx: JudgeContext,
    env: DimEnv,
    expr: sp.Expr,
    expected: Dim | None,
    what: str,
    where: str,
    findings: list[Finding],
) -> None:
    unknowns = ctx.sym.unknown_names
    if expr.is_number:  # a bare number is read in the unit it must have
        return
    result = _safe_dim(ctx, env, expr, what, findings, unknowns)
    if result is None:
        return
    if result.dim is None:
        findings.append(_unverifiable(ctx, result, what, where))
        return
    if expected is None:
        return
    if result.dim != expected:
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                f"{what}: '{show(expr, unknowns)}' has dimension {result.dim}, expected {expected}",
                {
                    "value": show(expr, unknowns),
                    "dimension": str(result.dim),
                    "expected": str(expected),
                },
                fix="make the value carry the unit of the quantity it prescribes",
                where=where,
            )
        )


def _conditions(ctx: JudgeContext, env: DimEnv, findings: list[Finding], counts: dict) -> None:
    s = ctx.sym
    for pc in s.conditions:
        c = pc.cond
        if pc.error is not None:
            status = Status.UNVERIFIABLE if c.type == "constraint" else Status.FAIL
            findings.append(
                Finding(
                    status,
                    "S1",
                    f"condition on '{c.boundary}' cannot be evaluated: {pc.error}",
                    where=f"Boundary Conditions, {c.boundary}",
                )
            )
            continue
        where = f"Boundary Conditions, {c.boundary}"
        counts["conditions"] += 1
        if pc.relation is not None:
            lhs, rhs, _ = pc.relation
            with contextlib.suppress(TypeError, ValueError):  # sides of incompatible kinds
                _check_value(
                    ctx, env, lhs - rhs, None, f"constraint on '{c.boundary}'", where, findings
                )
            continue
        unknown = c.unknown or (s.unknown_names[0] if len(s.unknown_names) == 1 else None)
        if unknown is None or c.type == "periodic":
            continue
        u_dim = env.functions.get(safe_name(unknown))
        loc = ctx.segments.get(c.boundary)
        x_dim = None
        if loc is not None and loc.face is not None:
            x_dim = env.symbols.get(s.symbol(loc.face.coord))
        expected: Dim | None
        if c.type == "dirichlet":
            expected = u_dim
            if pc.value is not None:
                _temperature_slot(
                    ctx, pc.value, unknown, f"dirichlet value on '{c.boundary}'", where, findings
                )
        else:
            expected = None if u_dim is None or x_dim is None else u_dim / x_dim
        if pc.value is not None:
            _check_value(
                ctx, env, pc.value, expected, f"{c.type} value on '{c.boundary}'", where, findings
            )
        if pc.alpha is not None:
            alpha_dim = None if x_dim is None else DIMENSIONLESS / x_dim
            _check_value(
                ctx, env, pc.alpha, alpha_dim, f"Robin alpha on '{c.boundary}'", where, findings
            )


def _initial(ctx: JudgeContext, env: DimEnv, findings: list[Finding], counts: dict) -> None:
    for p in ctx.sym.initial:
        c = p.cond
        label = c.unknown if c.derivative == 0 else f"diff({c.unknown}, t)"
        where = f"Initial Conditions, {label}"
        if p.error is not None or p.value is None:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"initial value of {label} cannot be read: {p.error}",
                    where=where,
                )
            )
            continue
        counts["initial"] += 1
        expected = _expected(ctx, env, c.unknown, c.derivative)
        _check_value(ctx, env, p.value, expected, f"initial value of {label}", where, findings)
        if c.derivative == 0:
            _temperature_slot(ctx, p.value, c.unknown, f"initial value of {label}", where, findings)


def _temperature_slot(
    ctx: JudgeContext,
    expr: sp.Expr,
    unknown: str,
    what: str,
    where: str,
    findings: list[Finding],
) -> None:
    """A value that prescribes a temperature must not be a temperature difference."""
    field = next((u for u in ctx.spec.equations.unknowns if u.name == unknown), None)
    if field is None or unit_kind(field.unit) != "temperature" or expr.is_number:
        return
    kinds = {
        ctx.sym.symbol(p.name): unit_kind(p.unit)
        for p in ctx.spec.equations.parameters
        if p.is_numeric
    }
    if expression_kind(expr, kinds) != "difference":
        return
    shown = show(expr, ctx.sym.unknown_names)
    findings.append(
        Finding(
            Status.FAIL,
            "S1",
            f"{what}: '{shown}' is a temperature difference (delta units), but it prescribes "
            f"the temperature {unknown} [{field.unit}]: its zero would be read as absolute "
            "zero",
            {"value": shown, "unit": field.unit},
            fix=f"add the temperature it is a difference from (e.g. T0 + {shown} with "
            f"T0: 20 {field.unit}), or give the parameters temperature units",
            where=where,
        )
    )
