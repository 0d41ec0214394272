"""Plain descriptions of the 13 dev problems, and a comparison of a draft with the dev spec."""

from __future__ import annotations

import math
from pathlib import Path

import sympy as sp

from simlab.spec import parse_file
from simlab.spec.expressions import Namespace
from simlab.spec.model import Spec
from simlab.spec.units import parse_unit, to_base

DEV = Path(__file__).resolve().parents[2] / "specs" / "dev"

DEV_REQUESTS = {
    "heat_1d": "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are "
    "held at 0 K and the initial temperature is a sine profile with amplitude 1 K. Simulate "
    "for 0.5 s.",
    "heat_2d": "Solve the heat equation on the unit square with diffusivity kappa = 0.1, zero "
    "boundary values on all edges and initial condition u(x, y, 0) = sin(pi x) sin(pi y), "
    "until t = 0.5.",
    "poisson_2d": "Solve the Poisson equation on the unit square with u = 0 on the boundary, "
    "using the manufactured solution u = sin(pi x) sin(pi y).",
    "wave_1d": "A string of length 1 m with wave speed 1 m/s and fixed ends is plucked into a "
    "sine shape of amplitude 1 mm and released from rest. Simulate 0.3 s.",
    "advection_1d": "Linear advection at 1 m/s of an initial density sine wave with amplitude "
    "1 kg/m^3 on a periodic 1 m domain, for 0.5 s.",
    "fisher_kpp": "Fisher-KPP equation with D = 1 m^2/s and growth rate r = 1 1/s on a 200 m "
    "domain for 60 s. The initial front sits at x0 = 10 m with width w = 1 m (a tanh front). "
    "Zero flux at both ends. Measure the front speed.",
    "robertson": "Solve the standard Robertson stiff chemical kinetics problem up to t = 40 s.",
    "seird": "SEIR-D epidemic in a population of N = 1000000 people with 10 initially infected "
    "people: transmission rate beta = 0.5 per day, incubation rate sigma = 0.2 per day, "
    "recovery rate gamma = 0.1 per day and death rate mu = 0.01 per day. Simulate 400 days.",
    "waveguide_te": "Compute the TE cutoff wavenumbers of a WR-90 rectangular waveguide (first "
    "two modes).",
    "waveguide_tm": "Find the two lowest TM cutoff wavenumbers of a WR-90 waveguide.",
    "fresnel": "Fresnel diffraction by a single slit of width 1 mm, screen at a distance of "
    "0.5 m, wavelength 500 nm.",
    "ct_shepp_logan": "Reconstruct the Shepp-Logan phantom on a 128x128 grid from 180 "
    "noise-free parallel-beam projections over 180 degrees.",
    "bratu_1d": "Solve the textbook Bratu problem.",
}


def dev_spec(key: str) -> Spec:
    return parse_file(DEV / f"{key}.md")


def differences(draft: Spec, dev: Spec) -> list[str]:
    """Where the draft says something physically different from the dev spec (empty: same)."""
    out: list[str] = []
    ns = _namespace(dev)
    d1, d2 = draft.domain, dev.domain
    _same_coords(out, "coordinate", d1.coordinates, d2.coordinates)
    _same_coords(out, "time", (d1.time,) if d1.time else (), (d2.time,) if d2.time else ())
    if {b.name for b in d1.boundaries} != {b.name for b in d2.boundaries}:
        out.append(f"boundaries {d1.boundaries} != {d2.boundaries}")
    e1, e2 = draft.equations, dev.equations
    if [(u.name, u.depends_on) for u in e1.unknowns] != [
        (u.name, u.depends_on) for u in e2.unknowns
    ]:
        out.append(f"unknowns {e1.unknowns} != {e2.unknowns}")
    for u1, u2 in zip(e1.unknowns, e2.unknowns, strict=False):
        if not _same_unit(u1.unit, u2.unit):
            out.append(f"unit of {u1.name}: {u1.unit} != {u2.unit}")
    p1 = {p.name: p for p in e1.parameters}
    p2 = {p.name: p for p in e2.parameters}
    if set(p1) != set(p2):
        out.append(f"parameters {sorted(p1)} != {sorted(p2)}")
    for name in set(p1) & set(p2):
        a, b = p1[name], p2[name]
        if a.is_numeric and b.is_numeric:
            if not _close(to_base(a.value, a.unit), to_base(b.value, b.unit)):
                out.append(f"parameter {name}: {a.value} {a.unit} != {b.value} {b.unit}")
        elif a.value != b.value:
            out.append(f"parameter {name}: {a.value} != {b.value}")
    if set(e1.definitions) != set(e2.definitions):
        out.append(f"definitions {e1.definitions} != {e2.definitions}")
    for name in set(e1.definitions) & set(e2.definitions):
        _same_expr(out, f"definition {name}", e1.definitions[name], e2.definitions[name], ns)
    if len(e1.equations) != len(e2.equations):
        out.append("number of equations differs")
    for q1, q2 in zip(e1.equations, e2.equations, strict=False):
        r1, r2 = ns.parse_relation(q1.text), ns.parse_relation(q2.text)
        if sp.simplify(r1.residual - r2.residual) != 0:
            out.append(f"equation {q1.text} != {q2.text}")
    if e1.eigenvalue != e2.eigenvalue or e1.nondimensional != e2.nondimensional:
        out.append(f"eigenvalue/nondimensional {e1.eigenvalue}/{e1.nondimensional}")
    b1 = {(c.boundary, c.type, c.partner) for c in draft.boundary.conditions}
    b2 = {(c.boundary, c.type, c.partner) for c in dev.boundary.conditions}
    if b1 != b2 or draft.boundary.none != dev.boundary.none:
        out.append(f"boundary conditions {sorted(b1)} != {sorted(b2)}")
    for c1 in draft.boundary.conditions:
        c2 = next((c for c in dev.boundary.conditions if c.boundary == c1.boundary), None)
        if c2 is not None and c1.value and c2.value and c1.type != "constraint":
            _same_expr(out, f"bc {c1.boundary}", c1.value, c2.value, ns)
    i1, i2 = draft.initial, dev.initial
    if i1.stationary != i2.stationary or len(i1.conditions) != len(i2.conditions):
        out.append(f"initial {i1} != {i2}")
    for c1 in i1.conditions:
        c2 = i2.of(c1.unknown, c1.derivative)
        if c2 is None:
            out.append(f"initial condition for {c1.unknown} not in dev spec")
        else:
            _same_expr(out, f"ic {c1.unknown}", c1.value, c2.value, ns)
    if i1.initial_guess.keys() != i2.initial_guess.keys():
        out.append("initial guess differs")
    o1 = [(o.name, o.definition) for o in draft.observables]
    o2 = [(o.name, o.definition) for o in dev.observables]
    if o1 != o2:
        out.append(f"observables {o1} != {o2}")
    for a, b in zip(draft.observables, dev.observables, strict=False):
        if not _same_unit(a.unit, b.unit):
            out.append(f"unit of observable {a.name}: {a.unit} != {b.unit}")
    t1, t2 = draft.tolerance, dev.tolerance
    if (t1.metric, t1.threshold, t1.minimum, t1.maximum) != (
        t2.metric,
        t2.threshold,
        t2.minimum,
        t2.maximum,
    ):
        out.append(f"tolerance {t1} != {t2}")
    names = {o.name for o in dev.observables}
    for name in names:
        r1, r2 = t1.reference_for(name), t2.reference_for(name)
        if r1 is None or r2 is None or r1.kind != r2.kind:
            out.append(f"reference for {name}: {r1} != {r2}")
        elif r1.kind == "analytic" and not _is_number(r1.value):
            _same_expr(out, f"reference {name}", r1.value, r2.value, ns)
        elif r1.value != r2.value:
            try:
                if not math.isclose(float(r1.value), float(r2.value), rel_tol=1e-9):
                    out.append(f"reference {name}: {r1.value} != {r2.value}")
            except ValueError:
                if r1.value != r2.value:
                    out.append(f"reference {name}: {r1.value} != {r2.value}")
    x1, x2 = draft.discretization, dev.discretization
    if (x1.method, x1.scheme, x1.integrator, x1.extra) != (
        x2.method,
        x2.scheme,
        x2.integrator,
        x2.extra,
    ):
        out.append(f"discretization {x1} != {x2}")
    return out


def _namespace(spec: Spec) -> Namespace:
    d = spec.domain
    return Namespace.build(
        space=[c.name for c in d.coordinates],
        time=d.time.name if d.time else None,
        unknowns={u.name: u.depends_on for u in spec.equations.unknowns},
        parameters=[p.name for p in spec.equations.parameters],
        extra_symbols=[*spec.equations.definitions, "xi"],
    )


def _same_expr(out: list[str], what: str, a: str, b: str, ns: Namespace) -> None:
    if sp.simplify(ns.parse(a) - ns.parse(b)) != 0:
        out.append(f"{what}: {a} != {b}")


def _is_number(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def _same_unit(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b or (a or b) == "1"
    ua, ub = parse_unit(a), parse_unit(b)
    return ua.dimensionality == ub.dimensionality and _close(to_base(1, a), to_base(1, b))


def _same_coords(out: list[str], what: str, c1, c2) -> None:
    if len(c1) != len(c2):
        out.append(f"{what}s: {c1} != {c2}")
        return
    for a, b in zip(c1, c2, strict=True):
        lo = (to_base(a.lower, a.unit), to_base(b.lower, b.unit))
        hi = (to_base(a.upper, a.unit), to_base(b.upper, b.unit))
        if a.name != b.name or not _close(*lo) or not _close(*hi) or not _same_unit(a.unit, b.unit):
            out.append(f"{what} {a} != {b}")
