"""Coordinates written with a unit in an observable call are read in the declared unit."""

from __future__ import annotations

import pytest

from simlab.errors import SpecError
from simlab.spec.parse import parse

SPEC = """# Specification: wall

## Observables
T_back: {{definition: "T({arg})", unit: K}}

## Domain
geometry: interval
coordinates:
  s: {{range: [0, 20], unit: mm}}
boundaries:
  a: s = 0
  b: s = 20
time: {{range: [0, 3], unit: min}}

## Equations
unknowns:
  T: {{unit: K, depends_on: [s, t]}}
parameters:
  a: 1e-5 m^2/s
equations:
  - diff(T, t) = a*diff(T, s, 2)

## Boundary Conditions
a: {{type: dirichlet, value: 300}}
b: {{type: neumann, value: 0}}

## Initial Conditions
T: 300

## Tolerance
metric: absolute_error
threshold: 1.0e-3
"""


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("s=20 mm, t=3 min", "T(s=20.0, t=3.0)"),
        ("s=1.5 cm, t=90 s", "T(s=15.0, t=1.5)"),
        ("s=0.5 in, t=0.05 h", "T(s=12.7, t=3.0)"),
        ("s=4, t=1", "T(s=4, t=1)"),  # plain numbers are in the declared units already
    ],
)
def test_a_unit_in_a_call_becomes_the_declared_unit(arg, expected):
    spec = parse(SPEC.format(arg=arg), "wall.md")
    got = spec.observables[0].definition
    assert got.startswith("T(")
    numbers = [float(p.split("=")[1]) for p in got[2:-1].split(",")]
    want = [float(p.split("=")[1]) for p in expected[2:-1].split(",")]
    assert numbers == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(
    ("arg", "says"),
    [
        ("s=20 kg", "not in units of mm"),
        ("s=2 furlongz", "unknown unit 'furlongz'"),
        ("t=2 m", "not in units of min"),
    ],
)
def test_a_wrong_unit_in_a_call_is_a_clear_error(arg, says):
    with pytest.raises(SpecError) as caught:
        parse(SPEC.format(arg=arg), "wall.md")
    error = caught.value
    assert says in error.message
    assert error.file == "wall.md" and error.section == "Observables" and error.line == 4
    assert error.hint


def test_a_unit_for_a_coordinate_without_one_is_refused():
    text = SPEC.replace("s: {{range: [0, 20], unit: mm}}", "s: {{range: [0, 20]}}")
    with pytest.raises(SpecError, match="has none"):
        parse(text.format(arg="s=2 mm"), "wall.md")
