"""A Robin coefficient written as a parameter name is evaluated (it crashed the cross-solve)."""

from __future__ import annotations

import pytest

from simlab.fem.cross import fem_solution
from simlab.spec.parse import parse

SPEC = """# Specification: Robin end through a named coefficient

## Domain
geometry: rectangle
coordinates:
  x: {{range: [0, 1]}}
  y: {{range: [0, 1]}}
boundaries:
  left: x = 0
  right: x = 1
  bottom: y = 0
  top: y = 1

## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x, y]}}
parameters:
  h: {h}
equations:
  - -laplacian(u) = 0

## Boundary Conditions
left: {{type: dirichlet, value: 1}}
right: {{type: robin, alpha: h, value: 0}}
bottom: {{type: neumann, value: 0}}
top: {{type: neumann, value: 0}}

## Initial Conditions
initial: none

## Observables
u_right: {{definition: "u(x=1, y=0.5)"}}

## Tolerance
metric: relative_error
threshold: 1.0e-6
"""


@pytest.mark.parametrize("h", [0.5, 2.0, 7.0])
def test_robin_alpha_given_by_a_parameter(h):
    solution = fem_solution(parse(SPEC.format(h=h), "robin.md"), 8, order=2)
    # u = 1 - h x / (1 + h): du/dx + h u = 0 at x = 1
    assert solution.observables["u_right"] == pytest.approx(1 / (1 + h), rel=1e-10)
