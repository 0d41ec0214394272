"""1-D evolution templates: heat, wave (vibrating string) and linear advection."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from simlab.plan.offline import closed_form
from simlab.plan.offline.build import (
    conditions,
    describe,
    num,
    parameters,
    segments_1d,
)
from simlab.plan.offline.conditions import (
    _VELOCITY_LEAD,
    END_TIME,
    SHAPE_LENGTH,
    TIME_STEP,
    Condition,
    Interval,
    at_rest,
    boundary_1d,
    initial_formula,
    interval,
    mentions_sine,
    scaled_formula_after,
    scheme,
    tolerance,
)
from simlab.plan.offline.profiles import REFERENCE_LEVEL
from simlab.plan.offline.reading import Reading, Slot
from simlab.plan.offline.roles import (
    COORDINATE_UNIT,
    ask_dimensionless,
    counted_in_unit,
    in_unit,
    probe_names,
    read_observation,
    times_to_look,
)
from simlab.spec.model import (
    Coordinate,
    Discretization,
    Domain,
    Equation,
    Equations,
    InitialCondition,
    InitialConditions,
    Observable,
    Quantity,
    Reference,
    Spec,
    Tolerance,
    Unknown,
)

INITIAL_VELOCITY = "v0"  # the amplitude of an initial velocity written with a unit

LENGTH = Slot(
    "L",
    "domain length",
    "m",
    words=("length", "long", "length of", "rod of", "string of", "domain of", "interval of"),
    after=(
        "rod",
        "bar",
        "string",
        "long",
        "wire",
        "domain",
        "interval",
        "segment",
        "pipe",
        "channel",
        "cable",
    ),
    symbols=("L", "length"),
)


@dataclass(frozen=True)
class Evolution:
    """What differs between the three 1-D evolution families."""

    key: str
    title: str
    coefficient: Slot
    equation: str
    amplitude: Slot
    second_order: bool
    periodic: bool
    tolerance: float
    method: str
    scheme: str
    cfl: float | None
    probe: float  # observable location as a fraction of the length
    summary: str


HEAT_1D = Evolution(
    key="heat_1d",
    title="Heat equation in 1D",
    coefficient=Slot(
        "kappa",
        "diffusivity",
        "m^2/s",
        words=(
            "diffusivity",
            "diffusion coefficient",
            "thermal diffusivity",
            "diffusion constant",
            "conductivity",
        ),
        symbols=("kappa", "alpha", "D", "nu", "a2", "kappa_"),
    ),
    equation="diff(u, t) = kappa*diff(u, x, 2)",
    amplitude=Slot(
        "u0",
        "amplitude of the initial profile",
        "*",
        words=(
            "amplitude",
            "peak",
            "maximum",
            "height",
            "peak temperature",
            "sine of",
            "wave of",
            "sine",
            "sinusoid",
            "profile of",
            "bump of",
        ),
        after=("amplitude", "peak", "bump", "sine", "half-sine", "half", "sinusoidal"),
        symbols=("u0", "A", "T0", "amplitude"),
    ),
    second_order=False,
    periodic=False,
    tolerance=1e-4,
    method="finite_difference",
    scheme="crank_nicolson",
    cfl=None,
    probe=0.5,
    summary="Heat conduction along a rod (1-D diffusion).",
)

WAVE_1D = Evolution(
    key="wave_1d",
    title="Vibrating string",
    coefficient=Slot(
        "c",
        "wave speed",
        "m/s",
        words=("wave speed", "speed", "propagation speed", "phase speed", "celerity"),
        symbols=("c", "v", "speed"),
    ),
    equation="diff(u, t, 2) = c**2*diff(u, x, 2)",
    amplitude=Slot(
        "A",
        "amplitude of the initial profile",
        "*",
        words=(
            "amplitude",
            "peak",
            "maximum",
            "height",
            "displacement of",
            "deflection of",
            "sine of",
            "wave of",
            "sine",
            "sinusoid",
            "profile of",
            "bump of",
        ),
        after=(
            "amplitude",
            "peak",
            "bump",
            "sine",
            "half-sine",
            "half",
            "sinusoidal",
            "deflection",
            "displacement",
        ),
        symbols=("A", "u0", "amplitude"),
    ),
    second_order=True,
    periodic=False,
    tolerance=1e-3,
    method="finite_difference",
    scheme="leapfrog",
    cfl=0.8,
    probe=0.5,
    summary="Small transverse vibrations of a string (1-D wave equation).",
)

ADVECTION_1D = Evolution(
    key="advection_1d",
    title="Linear advection",
    coefficient=Slot(
        "a",
        "advection velocity",
        "m/s",
        words=(
            "velocity",
            "speed",
            "advection speed",
            "advection velocity",
            "transport speed",
            "flow speed",
            "moves at",
            "moving at",
        ),
        symbols=("a", "v", "c", "U"),
    ),
    equation="diff(u, t) + a*diff(u, x) = 0",
    amplitude=Slot(
        "u0",
        "amplitude of the initial profile",
        "*",
        words=(
            "amplitude",
            "peak",
            "maximum",
            "height",
            "density",
            "sine of",
            "wave of",
            "sine",
            "sinusoid",
            "profile of",
            "bump of",
        ),
        after=("amplitude", "peak", "bump", "sine", "half-sine", "half", "sinusoidal"),
        symbols=("u0", "A", "rho0", "amplitude"),
    ),
    second_order=False,
    periodic=True,
    tolerance=1e-2,
    method="finite_volume",
    scheme="upwind",
    cfl=0.8,
    probe=0.25,
    summary="A profile carried at constant velocity (1-D linear advection).",
)


def build_evolution(r: Reading, fam: Evolution) -> Spec | None:
    params: dict[str, Quantity] = {}
    bcs = boundary_1d(r, params)
    threshold = tolerance(r, fam.tolerance)
    obs = read_observation(r, ("u",))
    amp, coef = fam.amplitude, fam.coefficient
    names = {"x", "L", amp.key, coef.key}
    ic = initial_formula(r, names, amplitude=amp.key)
    velocity = (
        scaled_formula_after(r, _VELOCITY_LEAD, names, None, INITIAL_VELOCITY)
        if fam.second_order
        else None
    )
    x = interval(r)
    slots = (coef, END_TIME, TIME_STEP) + ((LENGTH,) if x is None else ())
    sine = ic is None and mentions_sine(r)
    if sine or (ic is not None and amp.key in ic):
        slots += (amp,)
    if obs.end is not None:
        r.values.setdefault("T", obs.end)
    r.assign(slots, ignore=frozenset({"x", "u", "y", "u_t"}))
    r.ask_unplaced()
    if x is None:
        length = r.get(LENGTH)
        x = None if length is None else Interval(0.0, length.value, length.unit)
    r.get(coef)
    T = r.get(END_TIME)
    if sine:
        r.get(amp)
    elif ic is None:
        r.ask("initial condition", "What is the initial profile u(x, 0)?")
    if fam.second_order and velocity is None:
        if at_rest(r):
            velocity = "0"
            r.read.append("released from rest: diff(u, t) = 0 at t = 0")
        else:
            r.ask("initial velocity", "What is the initial velocity diff(u, t) at t = 0?")
    if r.missing or x is None or T is None or bcs is None:
        return None
    params.update({k: v for k, v in r.values.items() if k in (coef.key, amp.key, INITIAL_VELOCITY)})
    params["L"] = x.length
    others = [k for k in dict.fromkeys(r.profile_keys) if not k.startswith(SHAPE_LENGTH)]
    params.update({k: r.values[k] for k in others})
    ic, velocity, shape_lengths = _shape_lengths(r, ic, velocity, params, x)
    dimensional = r.dimensional((coef.key, "L", "T", amp.key, "dt"))
    if r.missing:
        return None
    amp_key = _amplitude_name(amp.key, params.get(amp.key)) if sine else amp.key
    if amp_key != amp.key:
        params[amp_key] = params.pop(amp.key)
    if sine:
        shift = "x" if x.lower == 0 else f"(x - {num(x.lower)})"
        wave = 2 if bcs["left"].type == "periodic" else 1
        factor = f"{wave}*pi" if wave > 1 else "pi"
        ic = f"{amp_key}*sin({factor}*{shift}/L)"
        r.choices.append(
            f"'sine profile' read as {ic} ({'one period' if wave > 1 else 'the fundamental mode'})"
        )
    lengths = {"L", COORDINATE_UNIT, *shape_lengths, *(k for k in others if _is_length(params[k]))}
    for typed in ([ic] if not sine else []) + ([velocity] if velocity else []):
        counted = counted_in_unit(typed, lengths - {COORDINATE_UNIT}) if dimensional else None
        if counted is not None:
            ic, velocity = (counted, velocity) if typed == ic else (ic, counted)
            params[COORDINATE_UNIT] = Quantity(1.0, x.unit or "m")
            r.choices.append(
                f"x in the typed profile counts {x.unit or 'm'} (the domain's unit): "
                f"written x/{COORDINATE_UNIT} with {COORDINATE_UNIT} = 1 {x.unit or 'm'}"
            )
    for typed in ([ic] if not sine else []) + ([velocity] if velocity else []):
        if dimensional and ask_dimensionless(r, typed, lengths, x.unit or "m"):
            return None
    field_unit = _field_unit(params, amp_key, dimensional, T.unit)
    clash = _unit_clash(params, amp_key)
    if clash:
        r.ask("unit of the initial profile", clash)
        return None
    if field_unit and observed_unit(field_unit) != field_unit:  # degC, degF: an offset scale
        params.setdefault(REFERENCE_LEVEL, Quantity(0.0, field_unit))
        bcs = {
            side: Condition(c.type, REFERENCE_LEVEL)
            if c.type == "dirichlet" and c.value == "0"
            else c
            for side, c in bcs.items()
        }
        if REFERENCE_LEVEL not in others:
            others.append(REFERENCE_LEVEL)
        r.choices.append(
            f"a boundary value 0 {field_unit} written {REFERENCE_LEVEL} = 0 {field_unit}"
        )
    keys = (coef.key, "L", amp_key, INITIAL_VELOCITY, "u_left", "u_right", "u_b", COORDINATE_UNIT)
    keys += tuple(shape_lengths) + tuple(others)
    declared = parameters(params, keys, dimensional)
    values = {p.name: float(p.value) for p in declared}
    probe = _probe(fam.probe, ic, values, x)
    probe_x = x.lower + probe * (x.upper - x.lower)
    if obs.x is not None:
        probe_x = in_unit(obs.x, obs.length_unit, x.unit)
        probe = (probe_x - x.lower) / (x.upper - x.lower)
        if not 0 <= probe <= 1:
            r.ask("observation point", f"x = {obs.x:g} is outside the domain.")
            return None
    reference = _reference(fam, ic, velocity, bcs, x, values)
    if reference is None:
        r.choices.append(
            "reference: Richardson extrapolation (no closed form holds for these data)"
        )
    t_end = T.value
    looks = times_to_look(r, obs, T)
    if looks is None:
        return None
    if obs.x is None:
        r.choices.append(f"observable u at x = {num(probe_x)} ({probe:g} of the length)")
    initial = [InitialCondition("u", ic)]
    if velocity is not None:
        initial.append(InitialCondition("u", velocity, 1))
    unit = T.unit if dimensional else None
    extra = {"cfl": fam.cfl} if fam.cfl is not None and "dt" not in r.values else {}
    if fam.cfl is not None and "dt" not in r.values:
        r.choices.append(f"CFL number {fam.cfl:g}")
    chosen = scheme(r, fam.scheme)
    dt = r.values.get("dt")
    return Spec(
        title=fam.title,
        description=describe(r, fam.summary),
        domain=Domain(
            geometry="interval",
            coordinates=(Coordinate("x", x.lower, x.upper, x.unit if dimensional else None),),
            time=Coordinate("t", 0.0, t_end, unit),
            boundaries=segments_1d(x),
        ),
        equations=Equations(
            unknowns=(Unknown("u", field_unit, ("t", "x")),),
            parameters=declared,
            equations=(Equation(fam.equation),),
            nondimensional=not dimensional,
        ),
        boundary=conditions(bcs),
        initial=InitialConditions(tuple(initial)),
        observables=tuple(
            Observable(name, f"u(t={num(t)}, x={num(probe_x)})", observed_unit(field_unit))
            for name, t in zip(
                probe_names("u_mid" if probe == 0.5 else "u_probe", len(looks)), looks, strict=True
            )
        ),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={
                "*": Reference("analytic", reference) if reference else Reference("extrapolation")
            },
        ),
        discretization=Discretization(
            method=fam.method,
            scheme=chosen,
            dt=Quantity(dt.value, dt.unit) if dt else None,
            extra=extra,
        ),
    )


def _shape_lengths(
    r: Reading, ic: str | None, velocity: str | None, params: dict[str, Quantity], x: Interval
) -> tuple[str | None, str | None, list[str]]:
    """Lengths written with their unit inside a typed profile (``sin(pi x / 0.5 m)``): one
    equal to the domain's length is ``L``; another stays a length parameter in its unit."""
    kept: list[str] = []
    for name in sorted(k for k in r.values if k.startswith(SHAPE_LENGTH)):
        q = r.values[name]
        same = x.unit is not None and math.isclose(
            in_unit(q.value, q.unit, x.unit), x.length.value, rel_tol=1e-12
        )
        if same:
            pattern = rf"\b{name}\b"
            ic = re.sub(pattern, "L", ic) if ic else ic
            velocity = re.sub(pattern, "L", velocity) if velocity else velocity
            r.read.append(f"{q.value:g} {q.unit} in the profile is the domain's length L")
        else:
            params[name] = q
            kept.append(name)
    return ic, velocity, kept


def _probe(preferred: float, ic: str, values: dict[str, float], x: Interval) -> float:
    """Where to observe: the family's usual point, unless the initial profile vanishes there
    (a node stays a node: a relative error of zero means nothing)."""
    from simlab.spec.expressions import ExpressionError, Namespace

    ns = Namespace.build(space=["x"], parameters=list(values))
    try:
        f = ns.parse(ic).subs({ns.symbols[k]: v for k, v in values.items()})
    except ExpressionError:
        return preferred
    for fraction in (preferred, 0.25, 0.3, 0.2):
        point = x.lower + fraction * (x.upper - x.lower)
        try:
            if abs(complex(f.subs(ns.symbols["x"], point))) > 1e-9:
                return fraction
        except (TypeError, ValueError):
            return preferred
    return preferred


def _amplitude_name(key: str, q: Quantity | None) -> str:
    """A density amplitude is called rho0, as physicists write it."""
    if q is not None and q.unit is not None:
        from simlab.spec.units import parse_unit

        if parse_unit(q.unit).dimensionality == parse_unit("kg/m^3").dimensionality:
            return "rho0"
    return key


def _is_length(q: Quantity) -> bool:
    from simlab.spec.units import parse_unit

    return (
        q.unit is not None and parse_unit(q.unit).dimensionality == parse_unit("m").dimensionality
    )


def _unit_clash(params: dict[str, Quantity], amp: str) -> str | None:
    """The initial profile's unit must be the unknown's, which the boundary values also give."""
    from simlab.spec.units import parse_unit

    a = params.get(amp)
    if a is None or a.unit is None:
        return None
    for key in ("u_b", "u_left", "u_right"):
        q = params.get(key)
        if (
            q is not None
            and q.unit is not None
            and parse_unit(q.unit).dimensionality != parse_unit(a.unit).dimensionality
        ):
            return (
                f"The initial profile is in {a.unit} but the boundary value {q} is in "
                f"{q.unit}: which unit does the unknown have?"
            )
    return None


def _field_unit(
    params: dict[str, Quantity], amp: str, dimensional: bool, time_unit: str | None = None
) -> str | None:
    """The unknown's unit: the amplitude's or a boundary value's; else the initial
    velocity's times the time unit (``0.5 m/s`` over seconds: a displacement in m)."""
    if not dimensional:
        return None
    for key in ("u_ref", amp, "u_b", "u_left", "u_right"):
        q = params.get(key)
        if q is not None and q.unit is not None:
            return q.unit.removeprefix("delta_")  # 30 delta_degC * sin(...): the unknown in degC
    v = params.get(INITIAL_VELOCITY)
    if v is not None and v.unit is not None and time_unit is not None:
        from simlab.spec.units import parse_unit

        unit = (parse_unit(v.unit) * parse_unit(time_unit)).dimensionality
        for q in params.values():  # a unit of the request with that dimension (m, not m/s*s)
            if q.unit and parse_unit(q.unit).dimensionality == unit:
                return q.unit
        return f"({v.unit})*{time_unit}"
    return "1"


def observed_unit(field_unit: str | None) -> str | None:
    """An offset scale (degC, degF) is observed in kelvin, where a relative error means
    something; any other unit as it is."""
    from simlab.spec.units import to_base

    if field_unit is not None and field_unit != "1" and to_base(0.0, field_unit) != 0.0:
        return "K"
    return field_unit


def _reference(
    fam: Evolution, ic: str, velocity: str | None, bcs, x: Interval, values
) -> str | None:
    kinds = {c.type for c in bcs.values()}
    zero = all(c.value == "0" for c in bcs.values())
    bounds = {"x": (x.lower, x.upper)}
    if fam.key == "heat_1d" and kinds == {"dirichlet"} and zero:
        return closed_form.heat_reference(ic, bounds, values, fam.coefficient.key)
    if fam.key == "wave_1d" and kinds == {"dirichlet"} and zero and velocity == "0":
        return closed_form.wave_reference(ic, bounds, values, fam.coefficient.key)
    if fam.key == "advection_1d" and kinds == {"periodic"}:
        return closed_form.advected_reference(ic, x.upper - x.lower, values, fam.coefficient.key)
    return None
