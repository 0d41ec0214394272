"""A spec from an equation the user typed: 1-D PDEs in x and t, ODEs of any order.

The equation is the user's (see :mod:`simlab.plan.offline.equations`); the domain, the
boundary and initial data, the final time, the observation point and the tolerance are read
from their cue words; every parameter in the equation must have a value in the request.
What is missing is asked for; the only choices made are the observable's place when none is
named (the midpoint, at the final time), the default tolerance and the method, all said in
the spec's description.
"""

from __future__ import annotations

import re
from dataclasses import replace

from simlab.plan.offline import closed_form
from simlab.plan.offline.build import conditions, describe, num, segments_1d
from simlab.plan.offline.coefficient_units import coefficient_units
from simlab.plan.offline.conditions import (
    _VELOCITY_LEAD,
    END_TIME,
    Condition,
    Interval,
    at_rest,
    boundary_1d,
    formula_after,
    initial_formula,
    interval,
    scaled_formula_after,
)
from simlab.plan.offline.equations import UserEquation
from simlab.plan.offline.evolution import INITIAL_VELOCITY, LENGTH
from simlab.plan.offline.reading import Reading
from simlab.plan.offline.reduction import first_order
from simlab.plan.offline.roles import (
    COORDINATE_UNIT,
    NUM,
    Observation,
    ask_dimensionless,
    counted_in_unit,
    in_unit,
    probe_names,
    read_observation,
    read_tolerance,
    times_to_look,
)
from simlab.plan.offline.text import longest_formula, read_unit
from simlab.plan.offline.times import is_time
from simlab.spec.model import (
    Coordinate,
    Discretization,
    Domain,
    Equation,
    Equations,
    InitialCondition,
    InitialConditions,
    Observable,
    Parameter,
    Quantity,
    Reference,
    Spec,
    Tolerance,
    Unknown,
)
from simlab.spec.units import parse_unit

_DEFAULT_TOLERANCE = 1e-4
_ALIASES = {"lam": ("lambda", "lam", "λ")}


def build_general(r: Reading, eq: UserEquation) -> Spec | None:
    """The spec for ``eq`` and the rest of the request, or ``None`` (then ``r`` asks)."""
    f = eq.unknown
    r.consume(*eq.span)
    tol = read_tolerance(r)
    if len(eq.space_vars) > 1 or (eq.space_vars and eq.space_vars != ("x",)):
        r.ask(
            "not supported: equations in more than one space dimension typed in chat",
            "The keyless drafter reads typed equations in x and t only; for 2-D or 3-D, "
            "write the spec.md (docs/spec-format.md) or use a language-model planner.",
        )
        return None
    params = _parameters(r, eq)
    spatial = bool(eq.space_vars)
    x = interval(r) if spatial else None
    initial_unit: list[str] = []
    ics = _initial(r, eq, spatial, initial_unit)
    amplitude = _amplitude_name(eq)
    for scale in (amplitude, INITIAL_VELOCITY, *r.profile_keys):
        if scale in r.values:
            params[scale] = r.values[scale]
    stated = _boundary_statements(r, f) if spatial else []
    bcs = _boundary(r, f, x, stated) if spatial and x is not None else None
    obs = read_observation(r, (f,))
    T = _final_time(r, eq, obs)
    slots = ((END_TIME,) if T is None and eq.time_order else ()) + (
        (LENGTH,) if spatial and x is None else ()
    )
    r.assign(slots, ignore=frozenset({f, "x", "t", *eq.parameters}))
    r.ask_unplaced()
    if T is None and eq.time_order:
        T = r.get(END_TIME)
    if spatial and x is None:
        length = r.values.get("L")
        x = (
            Interval(0.0, length.value, length.unit)
            if length is not None
            else _interval_from_ends(r, stated)
        )
        if x is None:
            r.ask("domain", "On which interval (e.g. [0, 1] m, or the length of the rod)?")
            if not stated:
                boundary_1d(r, {})
        else:
            bcs = _boundary(r, f, x, stated)
    if r.missing or (spatial and (x is None or bcs is None)) or ics is None:
        return None
    if eq.time_order and T is None:
        return None
    dimensional = _dimensional(params, T, x)
    if dimensional and _bare_coefficients(eq):
        eq = _named_coefficients(r, eq, params, T, x)
    if dimensional and _bare_coefficients(eq):
        r.ask(
            "units of the numbers in the equation",
            f"The request has units but the equation '{eq.text}' has bare numbers: give them "
            "as named parameters with units (e.g. D = 0.01 m^2/s), or drop the units.",
        )
        return None
    if dimensional and spatial:
        lengths = {
            k
            for k, q in params.items()
            if q.unit and parse_unit(q.unit).dimensionality == {"[length]": 1}
        }
        for i, ic in enumerate(ics):
            counted = counted_in_unit(ic.value, lengths)
            if counted is not None:
                ics[i] = InitialCondition(ic.unknown, counted, ic.derivative)
                params[COORDINATE_UNIT] = Quantity(1.0, x.unit or "m")
                r.choices.append(
                    f"x in the typed profile counts {x.unit or 'm'} (the domain's unit): "
                    f"written x/{COORDINATE_UNIT} with {COORDINATE_UNIT} = 1 {x.unit or 'm'}"
                )
            if ask_dimensionless(r, ics[i].value, lengths | {COORDINATE_UNIT}, x.unit or "m"):
                return None
    t_end = T.value if T is not None else None
    looks: list[float | None] = [None]
    if T is not None:
        found = times_to_look(r, obs, T)
        if found is None:
            return None
        looks = list(found)
    where = ""
    if spatial:
        x_obs = in_unit(obs.x, obs.length_unit, x.unit) if obs.x is not None else None
        if x_obs is None:
            x_obs = x.lower + 0.5 * (x.upper - x.lower)
            if not obs.midpoint:
                r.choices.append(f"observable {f} at the midpoint x = {num(x_obs)}")
        if not x.lower <= x_obs <= x.upper:
            r.ask("observation point", f"x = {x_obs:g} is outside [{x.lower:g}, {x.upper:g}].")
            return None
        where = f"x={num(x_obs)}"
    definitions = [
        f"{f}({', '.join(p for p in (f't={num(t)}' if t is not None else '', where) if p)})"
        for t in looks
    ]
    if amplitude in params:
        field_unit = params[amplitude].unit
    elif initial_unit and dimensional:
        field_unit = initial_unit[0]
    else:
        field_unit = _field_unit(r, f, dimensional)
    threshold = tol.threshold if tol else _DEFAULT_TOLERANCE
    if tol is None:
        r.choices.append(f"tolerance {threshold:g} (relative error), as none was given")
    metric = tol.metric if tol else "relative_error"
    time_unit = T.unit if (T is not None and dimensional) else None
    reference = _exact_solution(r, eq, ics, params, field_unit, time_unit) if not spatial else None
    spec = Spec(
        title=_title(eq),
        description=describe(r, f"The equation as typed: {eq.text}."),
        domain=Domain(
            geometry="interval" if spatial else "point",
            coordinates=(
                (Coordinate("x", x.lower, x.upper, (x.unit or "m") if dimensional else None),)
                if spatial
                else ()
            ),
            time=Coordinate("t", 0.0, t_end, time_unit) if t_end is not None else None,
            boundaries=segments_1d(x) if spatial else (),
        ),
        equations=Equations(
            unknowns=(Unknown(f, field_unit, (("t",) if eq.time_order else ()) + eq.space_vars),),
            parameters=tuple(
                Parameter(k, float(q.value), q.unit or ("1" if dimensional else None))
                for k, q in params.items()
            ),
            equations=(Equation(eq.text),),
            nondimensional=not dimensional,
        ),
        boundary=conditions(bcs) if bcs else _no_boundaries(),
        initial=InitialConditions(tuple(ics)) if ics else InitialConditions(stationary=True),
        observables=tuple(
            Observable(name, definition, field_unit)
            for name, definition in zip(
                probe_names(f"{f}_probe", len(definitions)), definitions, strict=True
            )
        ),
        tolerance=Tolerance(
            metric=metric,
            threshold=threshold,
            references={
                "*": Reference("analytic", reference) if reference else Reference("extrapolation")
            },
            extra={"unit": tol.unit} if tol and tol.unit else {},
        ),
        discretization=_method(r, eq),
    )
    if not spatial and eq.time_order > 1:
        spec = first_order(spec, f, eq.time_order)
    return spec


# ---------------------------------------------------------------- parts


def _parameters(r: Reading, eq: UserEquation) -> dict[str, Quantity]:
    out: dict[str, Quantity] = {}
    for name in eq.parameters:
        spellings = _ALIASES.get(name, (name,))
        found = [
            (i, m)
            for i, m in r.free()
            if m.name is not None and m.name.lower() in {s.lower() for s in spellings}
        ]
        if not found:
            label = f"value of the source {name}" if name == "f" else f"value of {name}"
            r.ask(label, f"What is the value of {name} (with its unit)?")
            continue
        i, m = found[0]
        r.used.add(i)
        unit = None if m.unit is None or parse_unit(m.unit).dimensionality == {} else m.unit
        out[name] = Quantity(m.value, unit)
        r.read.append(f"{name} = {out[name]}")
    return out


def _amplitude_name(eq: UserEquation) -> str:
    """The name of an initial profile's amplitude read with its unit (``u0`` for u)."""
    name = f"{eq.unknown}0"
    return name if name not in eq.parameters else f"{eq.unknown}_amplitude"


def _boundary_statements(r: Reading, f: str) -> list[tuple[str, str, str]]:
    """``(point, kind, value)`` for every boundary value written as an equation:
    ``u(0) = u(1) = 0``, ``u(0, t) = 0 K``, ``u_x(L) = 0``, ``u = 0 at x = 0 and x = 1``."""
    out: list[tuple[str, str, str]] = []
    chain = re.compile(
        rf"\b{f}(?P<d>_x|')?\s*\(\s*(?P<a>{NUM}|L)\s*(?:[A-Za-z]+\s*)?(?:,\s*t\s*)?\)\s*=\s*"
        rf"(?:{f}(?P<d2>_x|')?\s*\(\s*(?P<b>{NUM}|L)\s*(?:,\s*t\s*)?\)\s*=\s*)?(?P<v>{NUM})"
    )
    for m in chain.finditer(r.text):
        _unit, used = read_unit(r.text[m.end() :])
        for arg, d in ((m.group("a"), m.group("d")), (m.group("b"), m.group("d2"))):
            if arg is not None:
                out.append((arg, "neumann" if d else "dirichlet", _value(m.group("v"))))
        r.consume(m.start(), m.end() + used)
    for m in re.finditer(
        rf"\b{f}(?P<d>_x)?\s*=\s*(?P<v>{NUM})\s*(?:[A-Za-z]+\s+)?(?:at|on)\s+(?P<w>both ends|"
        rf"the ends|the boundary|x\s*=\s*{NUM}(?:\s*(?:and|,)\s*x\s*=\s*{NUM})?)",
        r.text,
    ):
        kind = "neumann" if m.group("d") else "dirichlet"
        points = re.findall(rf"x\s*=\s*({NUM})", m.group("w")) or ["lower", "upper"]
        out += [(p, kind, _value(m.group("v"))) for p in points]
        r.consume(m.start(), m.end())
    if re.search(rf"\b{f}_x\s*=\s*0\b", r.text) and not out:
        out += [("lower", "neumann", "0"), ("upper", "neumann", "0")]
    return out


def _interval_from_ends(r: Reading, stated: list[tuple[str, str, str]]) -> Interval | None:
    """``u(0) = u(1) = 0`` with no interval written: the ends are the domain."""
    points = sorted({float(p) for p, _, _ in stated if re.fullmatch(NUM, p)})
    if len(points) != 2:
        return None
    r.read.append(f"domain [{points[0]:g}, {points[1]:g}] from the boundary values")
    return Interval(points[0], points[1], None)


def _boundary(
    r: Reading, f: str, x: Interval, stated: list[tuple[str, str, str]]
) -> dict[str, Condition] | None:
    if re.search(r"periodic", r.lower):
        return {"left": Condition("periodic"), "right": Condition("periodic")}
    found: dict[str, Condition] = {}
    for point, kind, value in stated:
        if point in ("lower", "upper"):
            side = "left" if point == "lower" else "right"
        else:
            p = x.upper if point == "L" else float(point)
            side = (
                "left" if abs(p - x.lower) < 1e-12 else "right" if abs(p - x.upper) < 1e-12 else ""
            )
        if not side:
            r.ask("boundary conditions", f"{f} is given at x = {point}, not at an end.")
            return None
        found.setdefault(side, Condition(kind, value))
    if len(found) == 2:
        r.read.append("boundary: " + ", ".join(f"{s} {c.type} {c.value}" for s, c in found.items()))
        return found
    phrased = boundary_1d(r, {})
    if phrased is None:
        return None
    phrased.update(found)
    if any(c.value not in (None, "0") for c in phrased.values()):
        r.ask(
            "boundary values",
            "Give the boundary values as equations, e.g. u(0) = 1 and u(1) = 0.",
        )
        return None
    return phrased


def _value(text: str) -> str:
    v = float(text)
    return "0" if v == 0 else num(v)


def _initial(
    r: Reading, eq: UserEquation, spatial: bool, unit_out: list[str]
) -> list[InitialCondition] | None:
    """The initial data; the unit written with an ODE's initial value goes into ``unit_out``."""
    f = eq.unknown
    if not eq.time_order:
        return []
    out: list[InitialCondition] = []
    if spatial:
        names = {"x", "L", *eq.parameters}
        ic = initial_formula(r, names, amplitude=_amplitude_name(eq)) or formula_after(
            r, rf"\b{f}\s*\(\s*x\s*,\s*(?:t\s*=\s*)?0\s*\)\s*=\s*", names, need=None
        )
        if ic is None:
            r.ask("initial condition", f"What is the initial profile {f}(x, 0)?")
        else:
            out.append(InitialCondition(f, ic))
        if eq.time_order == 2:
            v = scaled_formula_after(r, _VELOCITY_LEAD, names, None, INITIAL_VELOCITY)
            if v is None and at_rest(r):
                v = "0"
            if v is None:
                r.ask("initial velocity", f"What is the initial velocity {f}_t(x, 0)?")
            else:
                out.append(InitialCondition(f, v, 1))
        return out if not r.missing else None
    initial_unit: list[str] = []
    vector = re.search(rf"\b{f}\s*(?:\(\s*0\s*\))?\s*=\s*\(\s*{NUM}(?:\s*,\s*{NUM})+\s*\)", r.text)
    if vector:
        r.ask(
            "not supported: a vector initial state for one typed equation",
            "Write one equation per component, or use a named system (Robertson, SEIR-D).",
        )
        return None
    for order in range(eq.time_order):
        mark = rf"(?:'{{{order}}}|′{{{order}}})" if order else ""
        sub = r"_t" * order
        pattern = (
            rf"\b{f}(?:{mark}|{sub})\s*\(\s*(?:t\s*=\s*)?0\s*\)\s*=\s*"
            if order
            else rf"\b{f}\s*\(\s*(?:t\s*=\s*)?0\s*\)\s*=\s*"
        )
        m = re.search(pattern, r.text)
        value = None
        if m:
            found = _value_with_unit(r.text[m.end() :])  # 'x(0) = 0.1 m': metres, not 0.1*m
            if found is not None and order == 0:
                initial_unit.append(found[2])
            found = found[:2] if found else None
            found = found or longest_formula(r.text[m.end() :], set(eq.parameters), need=None)
            if found is not None:
                value, used = found
                _unit, uused = read_unit(r.text[m.end() + used :])
                r.consume(m.start(), m.end() + used + uused)
        if value is None:
            what = f"{f}(0)" if order == 0 else f"{f}{chr(39) * order}(0)"
            r.ask("initial condition", f"What is {what}?")
            continue
        out.append(InitialCondition(f, value, order))
    if initial_unit:
        r.read.append(f"{f} in {initial_unit[0]} (its initial value's unit)")
        unit_out.append(initial_unit[0])
    return out if len(out) == eq.time_order else None


def _value_with_unit(text: str) -> tuple[str, int, str] | None:
    """A number followed by a unit and nothing else of a formula (``0.1 m,``): the number,
    the characters used, the unit. ``None`` for a formula (``2*m``) or a bare number."""
    m = re.match(rf"\s*(?P<num>{NUM})", text)
    if m is None:
        return None
    unit, used = read_unit(text[m.end() :])
    if unit is None or parse_unit(unit).dimensionality == {}:
        return None
    if not re.match(
        r"\s*(?:[,;)]|\.(?:\s|$)|$|and\b|until\b|to\b|up\b|for\b)", text[m.end() + used :]
    ):
        return None
    return num(float(m.group("num"))), m.end() + used, unit


def _final_time(r: Reading, eq: UserEquation, obs: Observation) -> Quantity | None:
    """The end of the span (see :mod:`simlab.plan.offline.times`); a unit that is not a
    time is dropped (the numbers of a nondimensional request)."""
    if not eq.time_order or obs.end is None:
        return None
    end = obs.end
    if end.unit is not None and not is_time(end.unit):
        return Quantity(end.value, None)
    return end


def _exact_solution(
    r: Reading,
    eq: UserEquation,
    ics: list[InitialCondition],
    params: dict[str, Quantity],
    field_unit: str | None,
    time_unit: str | None,
) -> str | None:
    """A linear ODE with constant coefficients and numeric initial values has an exact
    solution (sympy, checked by substitution): the reference. In a dimensional spec the
    initial value of the k-th derivative is a number in unit(unknown)/unit(t)^k, so the
    solution is found for symbolic initial values, which are then written with those units
    (``<unknown>_unit``, ``t_unit``, each 1 of its unit)."""
    initial = {ic.derivative: ic.value for ic in ics if ic.unknown == eq.unknown}
    try:
        numbers = {k: float(v) for k, v in initial.items()}
    except ValueError:
        return None
    dimensional = time_unit is not None
    symbolic = {k: f"Y_{k}" for k in numbers} if dimensional else initial
    found = closed_form.ode_reference(
        eq.text, eq.unknown, symbolic, {k: float(q.value) for k, q in params.items()}
    )
    if found is None:
        r.choices.append("reference: Richardson extrapolation (no exact solution found)")
        return None
    if dimensional:
        import sympy

        unit = f"{eq.unknown}_unit" if field_unit not in (None, "1") else None
        names = set(re.findall(r"[A-Za-z_]\w*", found)) - closed_form.MATH_NAMES
        names |= {"t_unit", unit or "t_unit"}
        symbols = {n: sympy.Symbol(n) for n in names}
        scale = symbols[unit] if unit else sympy.Integer(1)
        expr = sympy.sympify(found, locals=symbols).subs(
            {
                symbols[f"Y_{k}"]: sympy.nsimplify(v, rational=True)
                * scale
                / symbols["t_unit"] ** k
                for k, v in numbers.items()
                if f"Y_{k}" in symbols
            }
        )
        found = sympy.sstr(expr)
        if unit and unit in found:
            params[unit] = Quantity(1.0, field_unit)
        if "t_unit" in found:
            params["t_unit"] = Quantity(1.0, time_unit)
    r.choices.append(f"reference: the exact solution {found} (sympy dsolve, checked)")
    return found


def _dimensional(params: dict[str, Quantity], T: Quantity | None, x: Interval | None) -> bool:
    units = [q.unit for q in params.values()] + [T.unit if T else None, x.unit if x else None]
    return any(u is not None for u in units)


def _named_coefficients(
    r: Reading,
    eq: UserEquation,
    params: dict[str, Quantity],
    T: Quantity | None,
    x: Interval | None,
) -> UserEquation:
    """``eq`` with its bare numbers named, each in the unit the equation implies for it
    (``y'' + 4 y = 0`` with t in s: 4 in 1/s²); ``eq`` unchanged when it does not fix them."""
    units: dict[str, str | None] = {k: q.unit or "1" for k, q in params.items()}
    units["t"] = T.unit if T is not None else None
    units["x"] = (x.unit or None) if x is not None else None
    found = coefficient_units(eq.text, eq.unknown, units, set(eq.parameters) | set(params))
    if found is None:
        return eq
    text, values = found
    params.update(values)
    r.choices.append(
        "numbers in the equation named with the unit it implies: "
        + ", ".join(f"{k} = {q.value:g} {q.unit}" for k, q in values.items())
    )
    return replace(eq, text=text, parameters=eq.parameters + tuple(values))


def _bare_coefficients(eq: UserEquation) -> bool:
    """Numbers multiplying terms of the equation (not exponents or angles inside sin)."""
    body = re.sub(r"\b(?:sin|cos|tan|exp|log|sqrt|sinh|cosh|tanh)\([^()]*\)", "F", eq.text)
    body = re.sub(r"\*\*\s*\d+(?:\.\d+)?", "", body)
    return bool(re.search(r"(?<![\w.])\d*\.?\d+(?:e-?\d+)?\s*\*|\+\s*\d|=\s*-?\d", body)) and not (
        re.fullmatch(r".*=\s*0\s*", body) and not re.search(r"(?<![\w.])\d\s*\*", body)
    )


def _field_unit(r: Reading, f: str, dimensional: bool) -> str | None:
    if not dimensional:
        return None
    m = re.search(
        rf"\b{f}\s*\([^)]*\)\s*=\s*[^,;.]*?\s(?P<u>K|degC|m|Pa|mol/m\^3|kg/m\^3)\b", r.text
    )
    return m.group("u") if m else "1"


def _no_boundaries():
    from simlab.spec.model import BoundaryConditions

    return BoundaryConditions(none=True)


def _title(eq: UserEquation) -> str:
    kind = "PDE" if eq.space_vars else "ODE"
    return f"User-typed {kind} for {eq.unknown}"


def _method(r: Reading, eq: UserEquation) -> Discretization:
    if not eq.space_vars:
        r.choices.append("integrator radau (implicit, A-stable)")
        return Discretization(method="ode", integrator="radau")
    if not eq.time_order:
        r.choices.append("finite differences")
        return Discretization(method="finite_difference")
    if eq.time_order == 2:
        r.choices.append("leapfrog with CFL number 0.8")
        return Discretization(method="finite_difference", scheme="leapfrog", extra={"cfl": 0.8})
    if eq.space_order == 1:
        r.choices.append("upwind finite volumes with CFL number 0.8")
        return Discretization(method="finite_volume", scheme="upwind", extra={"cfl": 0.8})
    r.choices.append("Crank-Nicolson finite differences")
    return Discretization(method="finite_difference", scheme="crank_nicolson")
