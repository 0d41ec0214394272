"""ODE templates: Robertson's stiff kinetics and the SEIR-D epidemic."""

from __future__ import annotations

import re

from simlab.plan.offline.build import describe, num, parameters
from simlab.plan.offline.conditions import END_TIME, NUM, integrator, tolerance
from simlab.plan.offline.reading import Reading, Slot
from simlab.spec.model import (
    BoundaryConditions,
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
from simlab.spec.units import to_base

#: the standard problem (KNOWN_ANSWERS: Robertson), used only when the request allows defaults
ROBERTSON_RATES = {"k1": 0.04, "k2": 3.0e7, "k3": 1.0e4}
ROBERTSON_END = Quantity(40.0, "s")
ROBERTSON_AT_40 = {"y1_end": "0.7158", "y2_end": "9.185e-6", "y3_end": "0.2842"}

_K = {
    k: Slot(
        k, "rate constants", "1/s", symbols=(k, k.upper()), words=(k,), default=Quantity(v, "1/s")
    )
    for k, v in ROBERTSON_RATES.items()
}
_ROBERTSON_END = Slot(
    END_TIME.key,
    END_TIME.label,
    END_TIME.unit,
    words=END_TIME.words,
    symbols=END_TIME.symbols,
    default=ROBERTSON_END,
)


def _rate_list(r: Reading) -> None:
    """'rate constants 0.04, 3e7 and 1e4 1/s' names k1, k2, k3 in order."""
    m = re.search(
        rf"rate constants?\s*(?:of|are|:|=|k1,\s*k2,\s*k3\s*=)?\s*\(?\s*(?P<a>{NUM})\s*,\s*"
        rf"(?P<b>{NUM})\s*,?\s*(?:and\s+)?(?P<c>{NUM})\s*\)?",
        r.text,
    )
    if not m:
        return
    from simlab.plan.offline.text import read_unit

    unit, used = read_unit(r.text[m.end() :])
    r.consume(m.start(), m.end() + used)
    for key, group in zip(("k1", "k2", "k3"), "abc", strict=True):
        r.values[key] = Quantity(float(m.group(group)), unit)
        r.read.append(f"rate constant {key} = {r.values[key]}")


def _robertson_initial(r: Reading) -> bool | None:
    """True when the request starts from pure species 1; None when it says nothing."""
    m = re.search(
        r"y1\s*\(\s*0\s*\)\s*=\s*1\b[^.]*?y2\s*\(\s*0\s*\)\s*=\s*0\b[^.]*?y3\s*\(\s*0\s*\)\s*=\s*0\b"
        r"|(?:y\s*(?:\(\s*0\s*\))?\s*=|initial(?:ly)?(?:\s+(?:state|conditions?|values?|"
        r"concentrations?))?\s*(?:=|:|is)?)"
        r"\s*\(\s*1(?:\.0*)?\s*,\s*0(?:\.0*)?\s*,\s*0(?:\.0*)?\s*\)"
        r"|(?:starting|starts|start) (?:from|with) (?:pure|only) (?:species 1|y1|a)\b",
        r.text,
        re.IGNORECASE,
    )
    if m:
        r.consume(m.start(), m.end())
        r.read.append("initial state y = (1, 0, 0)")
        return True
    return None


def build_robertson(r: Reading) -> Spec | None:
    threshold = tolerance(r, 1e-3)
    _rate_list(r)
    start = _robertson_initial(r)
    r.assign((*_K.values(), _ROBERTSON_END), ignore=frozenset({"y1", "y2", "y3", "y"}))
    if not r.defaults_allowed and any(k not in r.values for k in _K):
        r.ask("rate constants", "What are the rate constants k1, k2 and k3 (in 1/s)?")
    rates = r.need(*_K.values())
    T = r.get(_ROBERTSON_END)
    if start is None:
        if r.defaults_allowed:
            r.defaults.append("initial state y = (1, 0, 0)")
        else:
            r.ask("initial condition", "What is the initial state (y1, y2, y3) at t = 0?")
    if r.missing or T is None or None in rates:
        return None
    dimensional = r.dimensional(("k1", "k2", "k3", "T"))
    if r.missing:
        return None
    declared = parameters(r.values, ("k1", "k2", "k3"), dimensional)
    standard = (
        all(
            abs(r.values[k].value - v) <= 1e-12 * v and r.values[k].unit in ("1/s", None)
            for k, v in ROBERTSON_RATES.items()
        )
        and abs(T.value - 40.0) < 1e-12
        and T.unit in ("s", None)
    )
    unit = "1" if dimensional else None
    names = ("y1_end", "y2_end", "y3_end")
    references = (
        {n: Reference("data", ROBERTSON_AT_40[n]) for n in names}
        if standard
        else {"*": Reference("extrapolation")}
    )
    if standard:
        r.choices.append("references: the published values y(40) (KNOWN_ANSWERS: Robertson)")
    else:
        r.choices.append("reference: Richardson extrapolation (not the standard problem)")
    t = num(T.value)
    return Spec(
        title="Robertson stiff chemical kinetics",
        description=describe(
            r,
            "Three species, rate constants spanning many decades: a stiff system. An explicit "
            "integrator is not admissible.",
        ),
        domain=Domain(
            geometry="point", time=Coordinate("t", 0.0, T.value, T.unit if dimensional else None)
        ),
        equations=Equations(
            unknowns=tuple(Unknown(y, unit, ("t",)) for y in ("y1", "y2", "y3")),
            parameters=declared,
            equations=(
                Equation("diff(y1, t) = -k1*y1 + k3*y2*y3"),
                Equation("diff(y2, t) = k1*y1 - k3*y2*y3 - k2*y2**2"),
                Equation("diff(y3, t) = k2*y2**2"),
            ),
            nondimensional=not dimensional,
        ),
        boundary=BoundaryConditions(none=True),
        initial=InitialConditions(
            (InitialCondition("y1", "1"), InitialCondition("y2", "0"), InitialCondition("y3", "0"))
        ),
        observables=tuple(Observable(n, f"{n[:2]}(t={t})", unit) for n in names),
        tolerance=Tolerance(metric="relative_error", threshold=threshold, references=references),
        discretization=Discretization(method="ode", integrator=integrator(r, "radau")),
    )


# ---------------------------------------------------------------- SEIR-D

_PER_DAY = "1/day"
SEIRD_SLOTS = (
    Slot(
        "beta",
        "transmission rate",
        _PER_DAY,
        words=(
            "transmission rate",
            "infection rate",
            "contact rate",
            "transmission",
            "infectivity",
        ),
        symbols=("beta",),
    ),
    Slot(
        "sigma",
        "incubation rate",
        _PER_DAY,
        words=(
            "incubation rate",
            "latency rate",
            "progression rate",
            "rate of becoming infectious",
            "incubation",
        ),
        symbols=("sigma", "alpha", "epsilon"),
    ),
    Slot(
        "gamma",
        "recovery rate",
        _PER_DAY,
        words=("recovery rate", "recovery", "removal rate"),
        symbols=("gamma",),
    ),
    Slot(
        "mu",
        "death rate",
        _PER_DAY,
        words=("death rate", "mortality rate", "fatality rate", "mortality", "disease death rate"),
        symbols=("mu", "delta"),
    ),
    Slot(
        "N",
        "population size",
        "person",
        words=("population", "population of", "people", "inhabitants", "city of"),
        symbols=("N", "N0", "population"),
    ),
    Slot(
        "I0",
        "initially infected",
        "person",
        words=(
            "initially infected",
            "infected",
            "infectious",
            "initial infections",
            "seed",
            "index cases",
            "cases",
        ),
        after=("infected", "infectious", "initial", "cases"),
        symbols=("I0", "I_0", "I(0)"),
    ),
)
SEIRD_END = Slot(
    END_TIME.key, END_TIME.label, "day", words=END_TIME.words, symbols=END_TIME.symbols
)


def build_seird(r: Reading) -> Spec | None:
    threshold = tolerance(r, 1e-5)
    r.assign((*SEIRD_SLOTS, SEIRD_END), ignore=frozenset({"S", "E", "R", "D", "R0"}))
    values = r.need(*SEIRD_SLOTS)
    T = r.get(SEIRD_END)
    if r.missing or T is None or None in values:
        return None
    keys = ("beta", "sigma", "gamma", "mu", "N", "I0")
    dimensional = r.dimensional((*keys, "T"))
    if r.missing:
        return None
    declared = parameters(r.values, keys, dimensional)
    time_unit = T.unit if dimensional else None
    # the final-size relation holds as t -> oo; state it only when T spans many removal times
    removal_times = to_base(T.value, T.unit) * sum(
        to_base(r.values[k].value, r.values[k].unit) for k in ("gamma", "mu")
    )
    r.choices.append("at t = 0 everyone but the I0 infected is susceptible (E = R = D = 0)")
    if removal_times >= 40:
        final = Reference("analytic", "mu/(gamma + mu)*(N - S_inf)")
        r.choices.append(
            "final deaths referenced to the final-size relation (T spans "
            f"{removal_times:.0f} mean infectious periods)"
        )
    else:
        final = Reference("extrapolation")
        r.choices.append("final deaths: Richardson extrapolation (T too short for the final size)")
    person = "person" if dimensional else None
    return Spec(
        title="SEIR-D epidemic",
        description=describe(
            r,
            "Closed population with frequency-dependent incidence; as t -> infinity the "
            "final-size relation ln(S0/S_inf) = R0 (N - S_inf)/N holds (R0 = beta/(gamma + mu)).",
        ),
        domain=Domain(geometry="point", time=Coordinate("t", 0.0, T.value, time_unit)),
        equations=Equations(
            unknowns=tuple(Unknown(n, person, ("t",)) for n in "SEIRD"),
            parameters=declared,
            definitions={
                "R0": "beta/(gamma + mu)",
                "S_inf": "-(N/R0)*LambertW(-(R0*(N - I0)/N)*exp(-R0))",
            },
            equations=(
                Equation("diff(S, t) = -beta*S*I/N"),
                Equation("diff(E, t) = beta*S*I/N - sigma*E"),
                Equation("diff(I, t) = sigma*E - (gamma + mu)*I"),
                Equation("diff(R, t) = gamma*I"),
                Equation("diff(D, t) = mu*I"),
            ),
            nondimensional=not dimensional,
        ),
        boundary=BoundaryConditions(none=True),
        initial=InitialConditions(
            (
                InitialCondition("S", "N - I0"),
                InitialCondition("E", "0"),
                InitialCondition("I", "I0"),
                InitialCondition("R", "0"),
                InitialCondition("D", "0"),
            )
        ),
        observables=(
            Observable("final_deaths", f"D(t={num(T.value)})", person),
            Observable("peak_time", "peak_time(I)", time_unit),
        ),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={"final_deaths": final, "peak_time": Reference("extrapolation")},
        ),
        discretization=Discretization(method="ode", integrator=integrator(r, "rk4")),
    )
