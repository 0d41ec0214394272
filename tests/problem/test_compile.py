"""The compiled Problem: SI values, typed faces and conditions, functionals, offset units."""

from __future__ import annotations

import pytest

from simlab.paths import REPO_ROOT
from simlab.problem import compile_problem
from simlab.spec import parse, parse_file

DEV = REPO_ROOT / "specs" / "dev"

CELSIUS = """# Specification: slab in Celsius

## Domain
geometry: interval
coordinates:
  x: {range: [0, 20], unit: cm}
time: {range: [0, 2], unit: min}
boundaries:
  hot: x = 0
  cold: x = 20

## Equations
unknowns:
  T: {unit: degC, depends_on: [t, x]}
parameters:
  alpha: 1.0e-5 m^2/s
equations:
  - diff(T, t) = alpha*diff(T, x, 2)

## Boundary Conditions
hot: {type: dirichlet, value: 100}
cold: {type: neumann, value: 0}

## Initial Conditions
T: 20

## Observables
T_mid: {definition: "T(t=1, x=10)", unit: degC}
T_max: {definition: "max(T)", unit: degC}

## Tolerance
metric: absolute_error
threshold: 0.01
"""


def test_celsius_is_kelvin_inside_with_display_unit_kept() -> None:
    p = compile_problem(parse(CELSIUS))
    assert p.geometry.upper == (pytest.approx(0.2),)
    assert p.time.end == pytest.approx(120.0)
    hot = p.conditions_on("T")[("x", "lower")]
    assert hot.kind == "dirichlet" and float(hot.value) == pytest.approx(373.15)
    assert p.conditions_on("T")[("x", "upper")].kind == "neumann"
    assert float(p.initial_of("T").value) == pytest.approx(293.15)
    mid = p.functional("T_mid")
    assert mid.kind == "point" and mid.time == pytest.approx(60.0)
    assert mid.point(("x",)) == (pytest.approx(0.1),)
    assert mid.display(373.15) == pytest.approx(100.0)
    assert p.functional("T_max").kind == "max" and p.functional("T_max").time == 120.0
    assert p.field_of("T").time_order == 1 and not p.reasons


def test_dev_specs_compile_with_their_structure() -> None:
    heat = compile_problem(parse_file(DEV / "heat_1d.md"))
    assert heat.parameters == {"kappa": 0.5, "L": 2.0, "u0": 1.0}
    assert {b.kind for b in heat.boundary} == {"dirichlet"}
    wave = compile_problem(parse_file(DEV / "wave_1d.md"))
    assert wave.field_of("u").time_order == 2 and wave.initial_of("u", 1) is not None
    te = compile_problem(parse_file(DEV / "waveguide_te.md"))
    assert te.eigenvalue and [f.kind for f in te.functionals] == ["eigenvalue"] * 2
    ct = compile_problem(parse_file(DEV / "ct_shepp_logan.md"))
    assert ct.reasons  # an unknown inside an operator: said, not raised


def test_compile_is_cached_per_spec_object() -> None:
    spec = parse_file(DEV / "poisson_2d.md")
    assert compile_problem(spec) is compile_problem(spec)


def test_compile_cache_is_bounded_and_nothing_prints_at_exit() -> None:
    import subprocess
    import sys

    from simlab.problem import compile as compile_module

    size = compile_module._CACHE.size
    first = parse_file(DEV / "poisson_2d.md")
    compile_problem(first)
    assert first in compile_module._CACHE
    for _ in range(size):
        compile_problem(parse_file(DEV / "poisson_2d.md"))
    assert first not in compile_module._CACHE and len(compile_module._CACHE) == size
    assert compile_problem(first).spec is first  # compiled again, for the same object
    # specs alive at interpreter exit (module globals torn down): stderr stays empty
    script = (
        "from simlab.spec import parse_file\n"
        "from simlab.problem import compile_problem\n"
        f"KEEP = [parse_file(r'{DEV / 'heat_1d.md'}') for _ in range(3)]\n"
        "PROBLEMS = [compile_problem(s) for s in KEEP]\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr


NEUMANN_ROD = """# Specification: rod with flux ends and a side condition

## Domain
geometry: interval
coordinates:
  x: {range: [0, 1]}
boundaries:
  l: x = 0
  r: x = 1

## Equations
nondimensional: true
unknowns:
  u: {depends_on: [x]}
equations:
  - -diff(u, x, 2) + u = cos(pi*x)

## Boundary Conditions
l: {type: neumann, value: 0}
r: {type: neumann, value: 0}
side: {type: constraint, value: SIDE}

## Initial Conditions
initial: none

## Observables
u_q: {definition: "u(x=0.25)"}

## Tolerance
metric: absolute_error
threshold: 1.0e-6
"""


@pytest.mark.parametrize(
    ("side", "refused"), [("integral(u) = 0", True), ("u >= -10", False), ("u <= 5", False)]
)
def test_an_equation_side_condition_is_refused_a_bound_is_not(side, refused) -> None:
    problem = compile_problem(parse(NEUMANN_ROD.replace("SIDE", side)))
    said = any("side condition 'side'" in r for r in problem.reasons)
    assert said is refused, problem.reasons
