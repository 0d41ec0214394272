"""The finite-element cross-solve of the general engine's 1-D and 3-D answers: certified
when right (true error under the bound, at several parameter points), refuted when a
seeded wrong primary converges to another limit."""

from __future__ import annotations

import math

import pytest

from simlab.pipeline import certify_spec
from simlab.spec import parse
from tests.certify.wrong_primary import WrongEngine, cross_verdicts

DECAY = """# Specification: diffusing, decaying species

## Domain
geometry: interval
coordinates:
  x: {{range: [0, pi]}}
boundaries:
  a: x = 0
  b: x = pi
time: {{range: [0, 2]}}

## Equations
nondimensional: true
unknowns:
  c: {{depends_on: [x, t]}}
parameters:
  D: {D}
  k: {k}
equations:
  - diff(c, t) = D*diff(c, x, 2) - k*c

## Boundary Conditions
a: {{type: dirichlet, value: 0}}
b: {{type: dirichlet, value: 0}}

## Initial Conditions
c: sin(x)

## Observables
c_mid_end: {{definition: "c(x=pi/2, t=2)"}}
c_q_half: {{definition: "c(x=pi/4, t=1)"}}

## Tolerance
metric: relative_error
threshold: 1.0e-5
"""


def decay_exact(D: float, k: float, name: str) -> float:
    x, t = (math.pi / 2, 2.0) if name == "c_mid_end" else (math.pi / 4, 1.0)
    return math.exp(-(D + k) * t) * math.sin(x)


@pytest.mark.parametrize("D, k", [(0.3, 0.2), (0.1, 0.5)])
def test_the_engines_1d_decay_is_certified_by_finite_elements(D: float, k: float) -> None:
    result = certify_spec(parse(DECAY.format(D=D, k=k)), time_budget=120.0)
    cert = result.certificate
    assert cert.solver == "mol_engine"
    assert cert.status.value == "PASS", cert.reasons
    for obs in cert.observables:
        cross = next(e for e in obs.evidence if e.kind.value == "cross_solve")
        assert cross.status.value == "confirms" and cross.numbers["solver"] == "fem_p2"
        truth = decay_exact(D, k, obs.name)
        assert abs(obs.value - truth) <= obs.error_bound
        assert abs(cross.numbers["cross_value"] - truth) <= cross.numbers["cross_bound"]


def test_a_1001_diffusivity_in_the_primary_is_refuted() -> None:
    spec = parse(DECAY.format(D=0.3, k=0.2))
    wrong = WrongEngine(parse(DECAY.format(D=0.3 * 1.001, k=0.2)))
    result = certify_spec(spec, solver=wrong, time_budget=120.0)
    assert result.certificate.status.value != "PASS"
    assert "refutes" in cross_verdicts(result), result.certificate.reasons


BOX = """# Specification: 3-D Poisson in a box

## Domain
geometry: box
coordinates:
  x: {{range: [0, 1]}}
  y: {{range: [0, {Ly}]}}
  z: {{range: [0, 1]}}
boundaries:
  x0: x = 0
  x1: x = 1
  y0: y = 0
  y1: y = {Ly}
  z0: z = 0
  z1: z = 1

## Equations
nondimensional: true
unknowns:
  phi: {{depends_on: [x, y, z]}}
equations:
  - -laplacian(phi) = {scale}*{k2}*sin(pi*x)*sin(pi*y/{Ly})*sin(pi*z)

## Boundary Conditions
x0: {{type: dirichlet, value: 0}}
x1: {{type: dirichlet, value: 0}}
y0: {{type: dirichlet, value: 0}}
y1: {{type: dirichlet, value: 0}}
z0: {{type: dirichlet, value: 0}}
z1: {{type: dirichlet, value: 0}}

## Initial Conditions
initial: none

## Observables
phi_c: {{definition: "phi(x=0.5, y={cy}, z=0.5)"}}

## Tolerance
metric: relative_error
threshold: 1.0e-3
"""


def box(Ly: float, scale: float = 1.0):
    k2 = math.pi**2 * (2 + 1 / Ly**2)
    return parse(BOX.format(Ly=Ly, k2=k2, scale=scale, cy=Ly / 2))


@pytest.mark.slow
def test_the_engines_3d_poisson_is_certified_by_finite_elements() -> None:
    cert = certify_spec(box(2.0), time_budget=120.0).certificate
    assert cert.status.value == "PASS", cert.reasons
    (obs,) = cert.observables
    cross = next(e for e in obs.evidence if e.kind.value == "cross_solve")
    assert cross.status.value == "confirms" and cross.numbers["solver"] == "fem_p2"
    assert abs(obs.value - 1.0) <= obs.error_bound
    assert abs(cross.numbers["cross_value"] - 1.0) <= cross.numbers["cross_bound"]


@pytest.mark.slow
def test_a_one_percent_source_in_the_3d_primary_is_refuted() -> None:
    # at a relative tolerance of 1e-3 a 1.001 x source is an answer within the tolerance;
    # 1.01 x is not
    result = certify_spec(box(2.0), solver=WrongEngine(box(2.0, scale=1.01)), time_budget=120.0)
    assert result.certificate.status.value != "PASS"
    assert "refutes" in cross_verdicts(result), result.certificate.reasons
