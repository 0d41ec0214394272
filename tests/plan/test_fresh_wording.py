"""Fresh wordings unlike the NL sets (issue 15, late): a unit inside a shape's argument,
heat read from its quantities, typed equations with a time span and bare coefficients whose
unit the equation fixes. Each draft must be Judge-accepted with the right SI numbers."""

from __future__ import annotations

import math

import pytest
import sympy

from simlab.plan import ClarifyingQuestion, OfflinePlanner, SpecDraft, redesign
from simlab.plan.offline.coefficient_units import coefficient_units
from simlab.spec.units import parse_unit, to_base


def _accepted(text: str) -> None:
    from simlab.judge import judge

    outcome = redesign(OfflinePlanner(), judge, text)
    assert outcome.status == "accepted", outcome.reasons


def _draft(text: str):
    d = OfflinePlanner().draft(text)
    assert isinstance(d, SpecDraft), getattr(d, "question", d)
    return d.spec


def _si(spec) -> dict[str, float]:
    return {
        p.name: to_base(float(p.value), p.unit) if p.unit else float(p.value)
        for p in spec.equations.parameters
        if p.is_numeric
    }


HEAT = [
    # (request, kappa, L, amplitude, shape length (m), x probe (m), t (s))
    (
        "A rod 0.5 m long with alpha = 1e-4 m2/s, both ends held at 0 K, initial temperature "
        "10 K times sin(pi x / 0.5 m). What is the temperature at x = 0.25 m at t = 100 s, to "
        "1e-3 relative?",
        1e-4,
        0.5,
        10.0,
        0.5,
        0.25,
        100.0,
    ),
    (
        "Copper bar 30 cm long, alpha = 1.1e-4 m2/s, left end kept at zero kelvin, right end "
        "also 0 K. starts as 20 K * sin(pi*x/0.3 m)... what is T at 10 cm after 2 minutes? "
        "need 0.1% accuracy",
        1.1e-4,
        0.3,
        20.0,
        0.3,
        0.1,
        120.0,
    ),
    (
        "Temperature in a 40 cm rod, diffusivity 2e-5 m^2/s, ends kept at 0 K; initially "
        "5 K * sin(pi*x/40 cm). Report T at x = 20 cm after 30 s.",
        2e-5,
        0.4,
        5.0,
        0.4,
        0.2,
        30.0,
    ),
    (
        "Aluminium slab 0.2 m thick, alpha = 9.7e-5 m2/s, both faces held at 0 K, starts as "
        "15 K * sin(pi*x/0.2 m). What is T at 5 cm after 60 s? 1e-3 relative.",
        9.7e-5,
        0.2,
        15.0,
        0.2,
        0.05,
        60.0,
    ),
    (
        "A 50 cm rod with diffusivity 1e-4 m2/s, ends held at 0 K, initial temperature 2 K "
        "times sin(pi x / 0.25 m), temperature at x = 12.5 cm after 20 s?",
        1e-4,
        0.5,
        2.0,
        0.25,
        0.125,
        20.0,
    ),
]


@pytest.mark.parametrize(("text", "kappa", "length", "amp", "shape", "x", "t"), HEAT)
def test_heat_with_a_unit_inside_the_shape(text, kappa, length, amp, shape, x, t) -> None:
    spec = _draft(text)
    _accepted(text)
    si = _si(spec)
    assert si["kappa"] == pytest.approx(kappa)
    assert si["L"] == pytest.approx(length)
    assert si["u0"] == pytest.approx(amp)
    ic = spec.initial.of("u").value
    shape_name = "L" if math.isclose(shape, length) else "L_shape"
    assert si[shape_name] == pytest.approx(shape)
    assert shape_name in ic
    # the probe and time read in SI, and the reference is the decaying mode
    coord = spec.domain.coordinates[0]
    t_unit = spec.domain.time.unit
    definition = spec.observables[0].definition
    assert f"x={x / to_base(1.0, coord.unit):g}" in definition
    assert f"t={t / to_base(1.0, t_unit):g}" in definition
    ref = spec.tolerance.reference_for(spec.observables[0].name)
    assert ref.kind == "analytic"
    value = _in_si(spec, ref.value, x=x, t=t)
    k = math.pi / shape
    assert value == pytest.approx(amp * math.exp(-kappa * k**2 * t) * math.sin(k * x), rel=1e-12)


def _in_si(spec, formula: str, **point: float) -> float:
    """``formula`` evaluated with every parameter and coordinate in SI."""
    return float(sympy.sympify(formula).subs({**_si(spec), **point}).evalf())


def test_wave_with_a_unit_inside_the_shape() -> None:
    text = (
        "A string 2 m long, wave speed 3 m/s, both ends fixed, initial displacement 0.01 m "
        "sin(pi x/1 m), released from rest. Displacement at x = 0.5 m at t = 0.4 s?"
    )
    spec = _draft(text)
    _accepted(text)
    si = _si(spec)
    assert (si["c"], si["L"], si["A"], si["L_shape"]) == pytest.approx((3, 2, 0.01, 1))
    ref = spec.tolerance.reference_for(spec.observables[0].name)
    value = _in_si(spec, ref.value, x=0.5, t=0.4)
    assert value == pytest.approx(0.01 * math.sin(math.pi * 0.5) * math.cos(math.pi * 3 * 0.4))


ODES = [
    # (request, coefficient SI value, its unit dimension power of 1/s, T (s))
    (
        "Solve y'' + 4 y = 0 with y(0)=1, y'(0)=0 for 0<t<3 s, want y at t=3 s within 1e-6 "
        "relative",
        4.0,
        2,
        3.0,
    ),
    (
        "Solve y'' + 4 y = 0 with y(0)=1, y'(0)=0 on t from 0 to 3 s, want y at t=3 s within "
        "1e-6 relative",
        4.0,
        2,
        3.0,
    ),
    (
        "y' = -0.5 y with y(0) = 2 for 0 <= t <= 10 s; report y at t = 10 s within 1e-6 relative",
        0.5,
        1,
        10.0,
    ),
    (
        "Solve y'' + 9 y = 0, y(0) = 0, y'(0) = 3, between t = 0 and t = 2 s; y at t = 2 s to "
        "1e-6 relative",
        9.0,
        2,
        2.0,
    ),
]


@pytest.mark.parametrize(("text", "value", "order", "t_end"), ODES)
def test_bare_coefficient_gets_the_unit_the_equation_implies(text, value, order, t_end) -> None:
    spec = _draft(text)
    _accepted(text)
    (a1,) = [p for p in spec.equations.parameters if p.name == "a1"]
    assert float(a1.value) == value
    assert to_base(1.0, a1.unit) == pytest.approx(1.0)
    assert parse_unit(a1.unit).dimensionality == parse_unit(f"1/s**{order}").dimensionality
    assert spec.domain.time.upper == t_end and spec.domain.time.unit == "s"
    assert "a1" in spec.equations.equations[0].text


@pytest.mark.parametrize(
    "text",
    [
        "y' = -0.5 y + 2 with y(0) = 2 for 0 < t < 10 s; report y at t = 10 s within 1e-6",
        "y' = -0.5 y**2 with y(0) = 2 for 0 < t < 10 s; report y at t = 10 s within 1e-6",
    ],
)
def test_a_coefficient_the_equation_does_not_fix_is_asked_about(text: str) -> None:
    d = OfflinePlanner().draft(text)
    assert isinstance(d, ClarifyingQuestion)
    assert "named parameters with units" in d.question


def test_coefficient_units_only_when_unique() -> None:
    assert coefficient_units("diff(y, t, 2) + 4 = 0", "y", {"t": "s"}, set()) is None
    assert coefficient_units("diff(y, t) = 3*y**2", "y", {"t": "s"}, set()) is None
    text, values = coefficient_units(
        "diff(u, t) = 0.1*diff(u, x, 2)", "u", {"t": "s", "x": "m"}, set()
    )
    assert text == "diff(u, t) = a1*diff(u, x, 2)"
    assert to_base(values["a1"].value, values["a1"].unit) == pytest.approx(0.1)
