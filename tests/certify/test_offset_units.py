"""Offset units (degC, degF): values shown in the declared unit, absolute tolerances in it.

Newton cooling T(t) = Ta + (T0 - Ta) exp(-k t) at several points in degC and degF: the
certified value, in the declared unit, is the closed form; the bound is in degrees of that
unit; nothing is shown in kelvin.
"""

from __future__ import annotations

import math

import pytest

from simlab.certify.display import display_units, to_si
from simlab.pipeline import certify_spec
from simlab.spec import parse

SPEC = """# Specification: Newton cooling ({unit})

## Domain
geometry: point
time: {{range: [0, {t_end}], unit: s}}

## Equations
unknowns:
  T: {{unit: {unit}, depends_on: [t]}}
parameters:
  k: {k} 1/s
  Ta: {ta} {unit}
  T0: {t0} {unit}
equations:
  - diff(T, t) = -k*(T - Ta)

## Boundary Conditions
boundaries: none

## Initial Conditions
T: T0

## Observables
T_end: {{definition: "T(t={t_end})", unit: {unit}}}

## Tolerance
metric: absolute_error
threshold: 1.0e-3
reference: {{kind: analytic, value: Ta + (T0 - Ta)*exp(-k*t)}}

## Discretization
method: ode
integrator: rk4
"""


@pytest.mark.parametrize(
    ("unit", "scale", "offset"),
    [
        ("degC", 1.0, 273.15),
        ("degF", 5.0 / 9.0, 459.67 * 5.0 / 9.0),
        ("kelvin", 1.0, 0.0),
        ("day", 86400.0, 0.0),
    ],
)
def test_display_units(unit: str, scale: float, offset: float) -> None:
    got = display_units(unit)
    assert got[0] == pytest.approx(scale, rel=1e-14)
    assert got[1] == pytest.approx(offset, rel=1e-14)


def test_to_si_round_trips_the_zero_points() -> None:
    assert to_si(0.0, "degC") == pytest.approx(273.15)
    assert to_si(32.0, "degF") == pytest.approx(273.15)
    assert to_si(212.0, "degF") == pytest.approx(373.15)
    assert to_si(-40.0, "degF") == pytest.approx(to_si(-40.0, "degC"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("unit", "ta", "t0", "k", "t_end"),
    [
        ("degC", 20.0, 90.0, 0.005, 600),
        ("degC", -10.0, 4.0, 0.02, 100),
        ("degF", 68.0, 194.0, 0.005, 600),
        ("degF", -40.0, 0.0, 0.001, 900),
    ],
)
def test_cooling_is_certified_in_its_declared_unit(
    unit: str, ta: float, t0: float, k: float, t_end: int
) -> None:
    spec = parse(SPEC.format(unit=unit, ta=ta, t0=t0, k=k, t_end=t_end))
    run = certify_spec(spec)
    obs = run.certificate.observables[0]
    exact = ta + (t0 - ta) * math.exp(-k * t_end)  # in the declared unit
    assert run.certificate.status.value == "PASS", run.certificate.reasons
    assert obs.unit == unit
    assert obs.display_value == pytest.approx(exact, abs=1e-3)
    scale = display_units(unit)[0]
    assert obs.error_bound is not None and obs.error_bound / scale <= 1e-3
    assert obs.exact_error is not None and obs.exact_error / scale <= 1e-3
    kinds = {e.kind.value for e in obs.evidence if e.status.value == "confirms"}
    assert "reference" in kinds
