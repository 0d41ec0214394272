"""Finite elements (scikit-fem) against closed forms: boxes, disks, annuli, L-shapes; P1/P2."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from simlab.fem import cross_solve, fem_solution
from simlab.judge import judge
from simlab.spec import parse, parse_file

ROOT = Path(__file__).resolve().parents[2]

DISK = """# Specification: Poisson on a disk
## Domain
geometry: disk
center: [{cx}, {cy}]
radius: {R}
coordinates:
  x: {{range: [{x0}, {x1}]}}
  y: {{range: [{y0}, {y1}]}}
boundaries:
  rim: (x - {cx})**2 + (y - {cy})**2 = {R2}
## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x, y]}}
equations:
  - -laplacian(u) = {f}
## Boundary Conditions
rim: {{type: {kind}, value: {g}{alpha}}}
## Initial Conditions
initial: none
## Observables
u_c: {{definition: "u(x={px}, y={py})"}}
## Tolerance
metric: absolute_error
threshold: 1.0e-6
"""


def _disk(cx: float, cy: float, radius: float, f: float, kind: str, g: str, alpha: str = ""):
    text = DISK.format(
        cx=cx,
        cy=cy,
        R=radius,
        R2=radius**2,
        x0=cx - radius,
        x1=cx + radius,
        y0=cy - radius,
        y1=cy + radius,
        f=f,
        kind=kind,
        g=g,
        alpha=f", alpha: {alpha}" if alpha else "",
        px=cx + 0.3 * radius,
        py=cy - 0.2 * radius,
    )
    return parse(text)


@pytest.mark.parametrize(
    ("cx", "cy", "radius", "f"),
    [(0.0, 0.0, 1.0, 4.0), (1.0, -2.0, 2.0, 1.0), (0.5, 0.5, 0.3, 10.0)],
)
def test_disk_dirichlet_matches_the_paraboloid_at_p2_order(cx, cy, radius, f) -> None:
    spec = _disk(cx, cy, radius, f, "dirichlet", "0")
    exact = f / 4 * (radius**2 - (0.3 * radius) ** 2 - (0.2 * radius) ** 2)
    errors = [abs(cross_solve(spec, n)["u_c"] - exact) for n in (4, 8, 16)]
    assert errors[-1] < 1e-5 * max(1.0, exact)
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(orders > 2.5)  # P2, isoparametric rim: at least order 3 up to noise


@pytest.mark.parametrize("alpha", [1.0, 3.0])
def test_disk_robin_data(alpha: float) -> None:
    # -lap u = 4, du/dr + alpha u = q on r = 1 with u = c - r^2: du/dr = -2 -> q = -2 + alpha (c-1)
    c = 2.5
    q = -2.0 + alpha * (c - 1.0)
    spec = _disk(0.0, 0.0, 1.0, 4.0, "robin", str(q), str(alpha))
    exact = c - 0.3**2 - 0.2**2
    value = cross_solve(spec, 16)["u_c"]
    assert value == pytest.approx(exact, abs=1e-6)


@pytest.mark.parametrize("order", [1, 2])
def test_orders_on_the_unit_square_match_the_formal_ones(order: int) -> None:
    spec = parse_file(ROOT / "specs" / "dev" / "poisson_2d.md")
    errors = [abs(fem_solution(spec, n, order).observables["u_center"] - 1.0) for n in (8, 16, 32)]
    observed = math.log2(errors[1] / errors[2])
    assert observed == pytest.approx(2.0, abs=0.3) if order == 1 else observed > 2.8


@pytest.mark.parametrize(("inner", "outer"), [(0.5, 1.0), (0.2, 2.0)])
def test_annulus_log_profile(inner: float, outer: float) -> None:
    text = (ROOT / "specs" / "fem" / "laplace_annulus.md").read_text()
    text = text.replace("inner_radius: 0.5", f"inner_radius: {inner}")
    text = text.replace("outer_radius: 1\n", f"outer_radius: {outer}\n")
    text = text.replace("x**2 + y**2 = 0.25", f"x**2 + y**2 = {inner**2}")
    text = text.replace("x**2 + y**2 = 1\n", f"x**2 + y**2 = {outer**2}\n")
    text = text.replace("range: [-1, 1]", f"range: [{-outer}, {outer}]")
    text = text.replace("u(x=0.75, y=0)", f"u(x={0.5 * (inner + outer)}, y=0)")
    r = 0.5 * (inner + outer)
    exact = math.log(r / inner) / math.log(outer / inner)
    coarse, fine = (abs(cross_solve(parse(text), n)["u_mid"] - exact) for n in (16, 32))
    assert fine < 5e-6 and fine < coarse / 6  # P2 on exact circles: order >= 2.6


@pytest.mark.parametrize("name", ["poisson_lshape", "heat_lshape", "poisson_disk"])
def test_shape_specs_are_accepted_and_agree_with_the_closed_form(name: str) -> None:
    spec = parse_file(ROOT / "specs" / "fem" / f"{name}.md")
    assert judge(spec).accepted
    values = cross_solve(spec, 16)
    exact = {
        "poisson_lshape": {"u_ll": 1.0, "u_lr": -1.0},
        "heat_lshape": {"u_q": math.exp(-2 * math.pi**2 * 0.25 * 0.2)},
        "poisson_disk": {"u_center": 1.0, "u_half": 1 - 0.25 - 0.0625},
    }[name]
    for key, value in exact.items():
        assert values[key] == pytest.approx(value, rel=1e-3)


def test_cross_solve_agrees_with_the_finite_difference_kernel_on_heat_2d() -> None:
    from simlab.pipeline import certify_spec

    spec = parse_file(ROOT / "specs" / "dev" / "heat_2d.md")
    fd = certify_spec(spec)
    fe = cross_solve(spec, 32)
    for obs in fd.certificate.observables:
        assert abs(fe[obs.name] - obs.value) <= 1e-3 * abs(obs.value)


def test_judge_names_a_missing_condition_and_a_stray_segment() -> None:
    spec = parse_file(ROOT / "specs" / "fem" / "poisson_disk.md")
    text = (ROOT / "specs" / "fem" / "poisson_disk.md").read_text()
    bad = parse(text.replace("rim: x**2 + y**2 = 1", "rim: x**2 + y**2 = 4"))
    report = judge(bad)
    assert not report.accepted
    assert any("lies on no part" in v.message for v in report.verdicts)
    assert judge(spec).accepted
