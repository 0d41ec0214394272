"""Compile a Spec into a :class:`~simlab.problem.model.Problem` (once per spec object).

The sympy parse is the Judge's (:func:`simlab.judge.symbolic.build`), faces are located by
the Judge's geometry, values are converted to SI with pint. Nothing here raises on a spec the
parser accepted: what cannot be expressed is listed in ``Problem.reasons``.
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp

from simlab.judge.geometry import locate_segments
from simlab.judge.numeric import literal_in_unit, unit_factor
from simlab.judge.symbolic import SymbolicSpec, build
from simlab.problem.cache import IdentityCache
from simlab.problem.calls import read_call
from simlab.problem.model import (
    BoundaryCondition,
    Constraint,
    Equation,
    Face,
    Field,
    Functional,
    Geometry,
    InitialData,
    Problem,
    TimeInterval,
    Tolerance,
)
from simlab.spec.expressions import safe_name
from simlab.spec.model import Spec
from simlab.spec.units import parse_unit, to_base

BOX_GEOMETRIES = frozenset(
    {"", "interval", "line", "segment", "rectangle", "square", "box", "cuboid", "cube", "point"}
)
DOMAIN_FUNCTIONALS = ("max", "min", "mean", "integral", "l2_norm")
TRAJECTORY_HEADS = {
    "final": "final",
    "peak_time": "peak_time",
    "max": "time_max",
    "min": "time_min",
}
"""Observables of a time-only problem's trajectory, by the name written in the spec."""

_CACHE: IdentityCache[Problem] = IdentityCache(size=128)
"""Compiled problems by spec identity (bounded: a sweep makes thousands of specs)."""


def compile_problem(spec: Spec) -> Problem:
    """The compiled problem of ``spec`` (cached on the spec object's identity)."""
    return _CACHE.get(spec, lambda: _compile(spec))


def _compile(spec: Spec) -> Problem:
    s = build(spec)
    unread: list[str] = []  # what keeps an equation from the Problem
    if s.build_error:
        unread.append(s.build_error)
    unread += [f"equation {i + 1}: {msg}" for i, msg in s.equation_errors]
    reasons: list[str] = list(unread)
    symbols = _symbols(s)
    parameters = _parameters(spec)
    segments = locate_segments(s) if s.ns is not None else {}
    geometry = _geometry(s, segments, reasons)
    time = _time(spec)
    fields = tuple(
        Field(
            u.name,
            u.unit,
            tuple(u.depends_on),
            s.time_order(u.name) if s.parsed else 0,
            unit_factor(u.unit),
            _offset(u.unit),
        )
        for u in spec.equations.unknowns
    )
    equations = []
    for eq in s.equations:
        if isinstance(eq.residual, sp.MatrixBase):
            why = f"{eq.label} is a vector equation; write one line per component"
            unread.append(why)
            reasons.append(why)
            continue
        if eq.op != "=":
            why = f"{eq.label} is a relation '{eq.op}', not an equation"
            unread.append(why)
            reasons.append(why)
            continue
        if eq.wrapped:
            why = f"{eq.label}: an unknown appears inside an operator or integral"
            unread.append(why)
            reasons.append(why)
            continue
        equations.append(Equation(eq.index, eq.text, eq.residual, eq.jet_residual, eq.jets))
    boundary = _boundary(s, geometry, fields, reasons)
    initial = _initial(s, fields, time, reasons)
    eigen = spec.equations.eigenvalue.symbol if spec.equations.eigenvalue else None
    guess = tuple(
        (name, _value(s, text, _field(fields, name), derivative=0))
        for name, text in spec.initial.initial_guess.items()
        if _field(fields, name) is not None
    )
    tol = spec.tolerance
    tolerance = Tolerance(
        (tol.metric or "relative_error").lower(),
        tol.threshold,
        tuple(sorted(tol.thresholds.items())),
        tuple(sorted(tol.references.items())),
    )
    functionals = tuple(_functional(s, geometry, time, fields, o) for o in spec.observables)
    plan = _plan(spec)
    return Problem(
        title=spec.title,
        geometry=geometry,
        time=time,
        fields=fields,
        parameters=parameters,
        equations=tuple(equations),
        boundary=tuple(boundary),
        initial=tuple(initial),
        functionals=functionals,
        tolerance=tolerance,
        symbols=symbols,
        eigenvalue=eigen,
        eigen_count=spec.equations.eigenvalue.count if spec.equations.eigenvalue else 0,
        initial_guess=tuple((n, v) for n, v in guess if v is not None),
        plan=plan,
        constraints=_constraints(spec),
        unread_equations=tuple(unread),
        reasons=tuple(reasons),
        spec=spec,
        symbolic=s,
        segments=segments,
    )


# ------------------------------------------------------------------ pieces


def _symbols(s: SymbolicSpec) -> dict[str, sp.Symbol]:
    if s.ns is None:
        return {}
    return {
        name: sym
        for name, sym in s.ns.symbols.items()
        if isinstance(sym, sp.Symbol) and name not in {safe_name(u) for u in s.unknown_names}
    }


def _parameters(spec: Spec) -> dict[str, float]:
    """Numeric parameters in SI base units (offset units as absolute values, e.g. K)."""
    out: dict[str, float] = {}
    for p in spec.equations.parameters:
        if isinstance(p.value, float):
            out[safe_name(p.name)] = literal_in_unit(p.value, p.unit)
    return out


def _offset(unit: str | None) -> float:
    """SI value of the unit's zero (273.15 for degC; 0 for multiplicative units)."""
    if unit is None:
        return 0.0
    try:
        if (1 * parse_unit(unit))._is_multiplicative:
            return 0.0
        return to_base(0.0, unit)
    except Exception:
        return 0.0


def _geometry(s: SymbolicSpec, segments: dict[str, Any], reasons: list[str]) -> Geometry | None:
    d = s.spec.domain
    if not d.coordinates:
        return None
    kind = (d.geometry or "").strip().lower()
    if kind not in BOX_GEOMETRIES:
        reasons.append(f"geometry '{d.geometry}' is not a box (interval, rectangle, cuboid)")
        return None
    names = tuple(c.name for c in d.coordinates)
    ranges = [s.ranges_si[n] for n in names]
    faces: list[Face] = []
    for seg, located in segments.items():
        if located.face is None:
            reasons.append(f"boundary '{seg}': {located.problem}")
            continue
        f = located.face
        faces.append(Face(seg, f.coord, names.index(f.coord), f.side, f.position))
    return Geometry(
        names,
        tuple(a for a, _ in ranges),
        tuple(b for _, b in ranges),
        tuple(faces),
        tuple(c.unit for c in d.coordinates),
    )


def _time(spec: Spec) -> TimeInterval | None:
    t = spec.domain.time
    if t is None:
        return None
    return TimeInterval(t.name, to_base(t.lower, t.unit), to_base(t.upper, t.unit), t.unit)


def _field(fields: tuple[Field, ...], name: str) -> Field | None:
    return next((f for f in fields if f.name == name), None)


def _value(
    s: SymbolicSpec,
    text: str,
    field: Field | None,
    *,
    derivative: int = 0,
    per_length: str | None = None,
) -> sp.Expr | None:
    """A boundary or initial value in SI: a bare number is in the unknown's declared unit."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        number = None
    if number is not None:
        unit = field.unit if field else None
        if derivative == 0 and per_length is None:
            return sp.Float(literal_in_unit(number, unit))
        factor = unit_factor(unit)
        if per_length is not None:
            factor /= unit_factor(per_length)
        return sp.Float(number * factor)
    if s.ns is None:
        return None
    try:
        return sp.sympify(s.ns.parse(text))
    except Exception:
        return None


def _boundary(
    s: SymbolicSpec,
    geometry: Geometry | None,
    fields: tuple[Field, ...],
    reasons: list[str],
) -> list[BoundaryCondition]:
    if geometry is None:
        return []
    by_name = {f.name: f for f in geometry.faces}
    out: list[BoundaryCondition] = []
    for pc in s.conditions:
        c = pc.cond
        if c.type == "constraint":
            # a bound (u >= 0) is audited on the answer; an equation (integral(u) = 0) takes
            # part in determining it, and the engine imposes boundary conditions only
            if pc.relation is None or pc.relation[2] in ("=", "=="):
                reasons.append(
                    f"side condition '{c.boundary}' ({c.value}): the engine imposes boundary "
                    "conditions only, not side conditions"
                )
            continue
        face = by_name.get(c.boundary)
        if face is None:
            continue  # reported by the geometry
        if c.type not in ("dirichlet", "neumann", "robin", "periodic"):
            reasons.append(f"boundary '{c.boundary}': a {c.type} condition is not a PDE condition")
            continue
        targets = [c.unknown] if c.unknown else [f.name for f in fields if f.depends_on]
        unit = geometry.units[face.axis] if geometry.units else None
        for name in targets:
            field = _field(fields, name)
            if c.type == "periodic":
                out.append(BoundaryCondition(name, face, "periodic"))
                continue
            per_length = None if c.type == "dirichlet" else (unit or "")
            value = (
                sp.Integer(0)
                if c.value is None
                else _value(s, c.value, field, per_length=per_length)
            )
            if value is None:
                reasons.append(f"boundary '{c.boundary}': value '{c.value}' cannot be read")
                continue
            alpha = None
            if c.type == "robin":
                alpha = pc.alpha if pc.alpha is not None else None
                if alpha is None:
                    reasons.append(f"boundary '{c.boundary}': a Robin condition needs alpha")
                    continue
            out.append(BoundaryCondition(name, face, c.type, value, alpha))  # type: ignore[arg-type]
    return out


def _initial(
    s: SymbolicSpec,
    fields: tuple[Field, ...],
    time: TimeInterval | None,
    reasons: list[str],
) -> list[InitialData]:
    out: list[InitialData] = []
    t_sym = s.ns.symbols.get(safe_name(time.name)) if (time and s.ns) else None
    for ic in s.spec.initial.conditions:
        field = _field(fields, ic.unknown)
        if ic.derivative == 0:
            value = _value(s, ic.value, field)
        else:
            value = _value(s, ic.value, field, derivative=ic.derivative)
            if value is not None and time is not None and _is_number(ic.value):
                value = value / unit_factor(time.unit) ** ic.derivative
        if value is None:
            reasons.append(f"initial value of {ic.unknown} '{ic.value}' cannot be read")
            continue
        if t_sym is not None and time is not None:
            value = value.subs(t_sym, time.start)
        out.append(InitialData(ic.unknown, ic.derivative, value))
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def _functional(
    s: SymbolicSpec,
    geometry: Geometry | None,
    time: TimeInterval | None,
    fields: tuple[Field, ...],
    obs: Any,
) -> Functional:
    unit = obs.unit
    scale, offset = unit_factor(unit), _offset(unit)
    base = {"name": obs.name, "definition": obs.definition or "", "unit": unit}
    base["head"] = (obs.definition or "").split("(")[0].strip()
    base |= {"scale": scale, "offset": offset}

    def unsupported(reason: str) -> Functional:
        return Functional(kind="unsupported", reason=reason, **base)

    if not obs.definition:
        return unsupported("no definition")
    try:
        call = read_call(obs.definition)
    except Exception as exc:
        return unsupported(str(exc))
    names = {f.name for f in fields}
    t_at = None
    if time is not None:
        raw = call.kwargs.get(time.name)
        if raw is None:
            t_at = time.end
        else:
            t_at = _coordinate_value(s, time.unit, raw)
            if t_at is None:
                return unsupported(f"time '{raw}' is not a number")
            if not time.start - 1e-9 * abs(time.span) <= t_at <= time.end + 1e-9 * abs(time.span):
                return unsupported(f"{time.name} = {raw} is outside the time interval")
            t_at = min(max(t_at, time.start), time.end)
    if call.head in names:
        if call.args:
            return unsupported("give the point by keywords, e.g. u(x=0.5)")
        space = geometry.names if geometry else ()
        extra = set(call.kwargs) - set(space) - ({time.name} if time else set())
        if extra:
            return unsupported(f"unknown coordinate(s) {sorted(extra)}")
        at: list[tuple[str, float]] = []
        for i, x in enumerate(space):
            if x not in call.kwargs:
                return unsupported(f"coordinate '{x}' is missing")
            v = _coordinate_value(s, geometry.units[i] if geometry.units else None, call.kwargs[x])
            if v is None:
                return unsupported(f"{x} = {call.kwargs[x]} is not a number")
            lo, hi = geometry.lower[i], geometry.upper[i]
            if not lo - 1e-12 * (hi - lo) <= v <= hi + 1e-12 * (hi - lo):
                return unsupported(f"{x} = {call.kwargs[x]} is outside the domain")
            at.append((x, min(max(v, lo), hi)))
        return Functional(kind="point", unknown=call.head, at=tuple(at), time=t_at, **base)
    if geometry is None and time is not None and call.head in TRAJECTORY_HEADS:
        if call.kwargs or len(call.args) != 1 or call.args[0] not in names:
            listed = ", ".join(f.name for f in fields)
            return unsupported(f"write {call.head}(u) with one unknown u in {listed}")
        kind = TRAJECTORY_HEADS[call.head]
        return Functional(kind=kind, unknown=call.args[0], **base)  # type: ignore[arg-type]
    if call.head in DOMAIN_FUNCTIONALS:
        target = call.args[0] if call.args else (next(iter(names)) if len(names) == 1 else None)
        if target not in names:
            return unsupported(f"write {call.head}(<unknown>, t=...)")
        if geometry is None:
            return unsupported(f"{call.head} needs a spatial domain")
        return Functional(kind=call.head, unknown=target, time=t_at, **base)  # type: ignore[arg-type]
    if call.head == "eigenvalue":
        if call.kwargs or len(call.args) != 1 or not isinstance(call.args[0], int):
            return unsupported("write eigenvalue(k) with an integer k >= 1")
        if call.args[0] < 1:
            return unsupported("eigenvalues are counted from 1")
        return Functional(kind="eigenvalue", index=call.args[0], **base)
    if call.head == "front_speed":
        target = call.args[0] if call.args else (next(iter(names)) if len(names) == 1 else None)
        level = call.kwargs.get("level", 0.5)
        if target not in names or set(call.kwargs) - {"level"} or len(call.args) > 1:
            return unsupported("write front_speed(<unknown>, level=<number>)")
        if not isinstance(level, int | float):
            return unsupported(f"level '{level}' is not a number")
        if time is None or geometry is None or geometry.dimension != 1:
            return unsupported("a front speed needs a time interval and a 1-D domain")
        window = (time.start + 0.5 * time.span, time.end)
        return Functional(
            kind="front_speed",
            unknown=target,
            time=time.end,
            level=float(level),
            window=window,
            **base,
        )
    return unsupported(f"'{call.head}(...)' is not a functional the engine evaluates")


def _coordinate_value(s: SymbolicSpec, unit: str | None, raw: Any) -> float | None:
    """A coordinate written in an observable call: a number in the coordinate's unit."""
    if isinstance(raw, int | float):
        return to_base(float(raw), unit)
    if s.ns is None:
        return None
    try:
        value = s.evaluator.real_constant(s.ns.parse(str(raw)))
    except Exception:
        return None
    return None if value is None or not math.isfinite(value) else float(value)


def _constraints(spec: Spec) -> tuple[Constraint, ...]:
    """The spec's ``constraint`` conditions of the form ``u >= c`` (others are the Judge's)."""
    out = []
    for c in spec.boundary.conditions:
        if c.type != "constraint" or not c.value:
            continue
        parts = c.value.replace(" ", "").split(">=")
        if len(parts) != 2:
            continue
        try:
            out.append(Constraint(parts[0], float(parts[1]), c.value))
        except ValueError:
            continue
    return tuple(out)


def _plan(spec: Spec) -> dict[str, Any]:
    d = spec.discretization
    if d is None:
        return {}
    out: dict[str, Any] = {"method": d.method, "scheme": d.scheme, "integrator": d.integrator}
    if "order" in d.extra:  # the engine's order of accuracy (simlab.discretize.order)
        out["order"] = d.extra["order"]
    if d.dt is not None:
        out["dt"] = to_base(d.dt.value, d.dt.unit)
    cfl = d.extra.get("cfl", d.extra.get("courant"))
    if cfl is not None:
        out["cfl"] = cfl  # as written: the adapters check that it is a positive number
    n = d.resolution.get("n") if isinstance(d.resolution, dict) else None
    if isinstance(n, int | float) and n >= 2:
        out["resolution"] = int(n)
    return {k: v for k, v in out.items() if v is not None}


__all__ = ["compile_problem"]
