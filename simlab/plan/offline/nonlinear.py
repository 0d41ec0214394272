"""Nonlinear templates: the Fisher-KPP travelling front and the Bratu problem."""

from __future__ import annotations

import re

from simlab.plan.offline.build import conditions, describe, num, parameters, segments_1d
from simlab.plan.offline.closed_form import bratu_midpoint
from simlab.plan.offline.conditions import (
    END_TIME,
    TIME_STEP,
    Interval,
    boundary_1d,
    initial_formula,
    interval,
    scheme,
    tolerance,
)
from simlab.plan.offline.evolution import LENGTH
from simlab.plan.offline.reading import Reading, Slot
from simlab.spec.model import (
    BoundaryCondition,
    BoundaryConditions,
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

DIFFUSIVITY = Slot(
    "D",
    "diffusivity",
    "m^2/s",
    words=("diffusivity", "diffusion coefficient", "diffusion constant", "diffusion"),
    symbols=("D", "kappa", "d"),
)
RATE = Slot(
    "r",
    "growth rate",
    "1/s",
    words=("growth rate", "reaction rate", "rate", "growth", "proliferation rate"),
    symbols=("r", "rho", "k", "lambda"),
)
FRONT_AT = Slot(
    "x0",
    "initial front position",
    "m",
    words=("front at", "centred at", "centered at", "located at", "position", "at"),
    symbols=("x0", "x_0"),
    required=False,
)
WIDTH = Slot(
    "w",
    "initial front width",
    "m",
    words=("width", "thickness", "wide"),
    symbols=("w", "width", "delta"),
    required=False,
)


def build_fisher_kpp(r: Reading) -> Spec | None:
    params: dict[str, Quantity] = {}
    bcs = boundary_1d(r, params)
    threshold = tolerance(r, 1e-3)
    ic = initial_formula(r, {"x", "x0", "w", "L"})
    x = interval(r)
    slots = (DIFFUSIVITY, RATE, END_TIME, TIME_STEP, FRONT_AT, WIDTH)
    r.assign(slots + ((LENGTH,) if x is None else ()), ignore=frozenset({"x", "u"}))
    r.ask_unplaced()
    if x is None:
        length = r.get(LENGTH)
        x = None if length is None else Interval(0.0, length.value, length.unit)
    _, _, T = r.need(DIFFUSIVITY, RATE, END_TIME)
    if ic is None:
        x0, w = r.values.get("x0"), r.values.get("w")
        if (
            r.has(r"\b(tanh|front|step|smoothed step|sigmoid)\b")
            and x0 is not None
            and w is not None
        ):
            ic = "(1 - tanh((x - x0)/w))/2"
            r.read.append("initial front (1 - tanh((x - x0)/w))/2: u = 1 behind it, 0 ahead")
        else:
            r.ask(
                "initial condition",
                "What is the initial state: where is the front (x0) and how wide is it (w)?",
            )
    if r.missing or x is None or bcs is None or T is None:
        return None
    dimensional = r.dimensional(("D", "r", "T", "x0", "w")) or x.unit is not None
    if r.missing:
        return None
    params.update({k: r.values[k] for k in ("D", "r", "x0", "w") if k in r.values})
    declared = parameters(params, ("D", "r", "x0", "w", "u_left", "u_right", "u_b"), dimensional)
    speed_unit = f"{x.unit}/{T.unit}" if dimensional else None
    r.choices.append("observable: the front speed at level u = 1/2, measured over [T/2, T]")
    r.choices.append("reference: Richardson extrapolation (the audit compares with 2*sqrt(r*D))")
    unit = T.unit if dimensional else None
    return Spec(
        title="Fisher-KPP travelling front",
        description=describe(
            r,
            "A pulled front invades the unstable state u = 0; its speed tends to 2 sqrt(r D) "
            "from below (Bramson's logarithmic delay).",
        ),
        domain=Domain(
            geometry="interval",
            coordinates=(Coordinate("x", x.lower, x.upper, x.unit if dimensional else None),),
            time=Coordinate("t", 0.0, T.value, unit),
            boundaries=segments_1d(x),
        ),
        equations=Equations(
            unknowns=(Unknown("u", "1" if dimensional else None, ("t", "x")),),
            parameters=declared,
            equations=(Equation("diff(u, t) = D*diff(u, x, 2) + r*u*(1 - u)"),),
            nondimensional=not dimensional,
        ),
        boundary=conditions(bcs),
        initial=InitialConditions((InitialCondition("u", ic),)),
        observables=(Observable("front_speed", "front_speed(u, level=0.5)", speed_unit),),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={"*": Reference("extrapolation")},
        ),
        discretization=Discretization(
            method="finite_difference", scheme=scheme(r, "crank_nicolson")
        ),
    )


LAMBDA = Slot(
    "lam",
    "the parameter lambda",
    None,
    words=("lambda", "parameter", "frank-kamenetskii parameter", "load"),
    symbols=("lam", "lambda", "lambda_", "l", "mu"),
    default=Quantity(1.0),
)


_BRATU_BC = re.compile(
    r"u\(0\)\s*=\s*u\(1\)\s*=\s*0|u\(0\)\s*=\s*0\s*(?:and|,)\s*u\(1\)\s*=\s*0"
    r"|(?:zero|homogeneous)\s+(?:dirichlet|boundary)\w*|u\s*=\s*0\s+at\s+both\s+ends"
)


def build_bratu(r: Reading) -> Spec | None:
    threshold = tolerance(r, 1e-5)
    x = interval(r)
    if x is not None and (x.lower, x.upper) != (0.0, 1.0):
        r.ask("domain", "The offline drafter writes the Bratu problem on (0, 1) only; rescale?")
    for m in _BRATU_BC.finditer(r.lower):
        r.consume(m.start(), m.end())
    r.assign((LAMBDA,), ignore=frozenset({"x", "u"}))
    lam = r.get(LAMBDA)
    if r.has(r"\b2d\b|two[- ]dimensional|unit square|square"):
        r.ask("dimension", "The offline drafter writes the 1-D Bratu problem only; is 1-D meant?")
    if r.missing or lam is None:
        return None
    r.read.append("the Bratu problem: u'' + lam*exp(u) = 0 on (0, 1), u(0) = u(1) = 0")
    mid = bratu_midpoint(lam.value)
    if mid is None:
        note = (
            f"For lam = {num(lam.value)} above the fold lam_c = 3.513830719125161 the problem "
            "has no solution; the Judge and the diagnostics should say so."
        )
        reference = Reference("extrapolation")
    else:
        note = (
            "Reference: u(1/2) = 2 ln cosh(theta/4) with theta the lower root of "
            "theta = sqrt(2 lam) cosh(theta/4), evaluated by the drafter."
        )
        reference = Reference("analytic", repr(mid))
    x = Interval(0.0, 1.0, None)
    return Spec(
        title="Bratu problem in 1D",
        description=describe(r, "u'' + lam e^u = 0 with u = 0 at both ends. " + note),
        domain=Domain(
            geometry="interval",
            coordinates=(Coordinate("x", 0.0, 1.0),),
            boundaries=segments_1d(x),
        ),
        equations=Equations(
            unknowns=(Unknown("u", None, ("x",)),),
            parameters=(Parameter("lam", float(lam.value)),),
            equations=(Equation("diff(u, x, 2) + lam*exp(u) = 0"),),
            nondimensional=True,
        ),
        boundary=BoundaryConditions(
            (
                BoundaryCondition("left", "dirichlet", "0"),
                BoundaryCondition("right", "dirichlet", "0"),
            )
        ),
        initial=InitialConditions(stationary=True, initial_guess={"u": "0"}),
        observables=(Observable("u_mid", "u(x=0.5)"),),
        tolerance=Tolerance(
            metric="relative_error", threshold=threshold, references={"*": reference}
        ),
        discretization=Discretization(method="finite_difference", scheme="central_3_point_newton"),
    )
