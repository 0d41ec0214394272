"""Gate 5: resolution from the tolerance and the order, memory and time against a budget."""

from __future__ import annotations

import math

import pytest

from simlab.judge import Budget, Status, judge
from simlab.spec import parse
from tests.judge.builders import gate, heat, square


def test_unknowns_scale_with_the_tolerance_as_the_order_says() -> None:
    coarse = gate(heat(threshold="1.0e-4"), "cost").numbers["unknowns"]
    fine = gate(heat(threshold="1.0e-6"), "cost").numbers["unknowns"]
    # second order: h ~ eps^(1/2), so 100x smaller eps needs 10x more points
    assert fine / coarse == pytest.approx(10, rel=0.03)


def test_resolving_length_comes_from_the_data() -> None:
    v = gate(heat(), "cost")
    # sin(pi x/L) with L = 2 m: ell = L/pi
    assert v.numbers["resolving_length_m"] == pytest.approx(2 / math.pi, rel=1e-3)
    h = v.numbers["spacing_m"]
    assert h == pytest.approx(2 / math.pi * math.sqrt(12 * 1e-4), rel=1e-6)


def test_reaction_front_width_sets_the_length() -> None:
    text = heat(
        equation="diff(u, t) = kappa*diff(u, x, 2) + r*u*(1 - u/u0)",
        extra_params="  r: 5.0e3 1/s\n",
    )
    v = gate(text, "cost")
    assert v.numbers["resolving_length_m"] == pytest.approx(math.sqrt(0.5 / 5e3), rel=1e-6)


@pytest.mark.parametrize(("memory", "status"), [(1e9, Status.PASS), (1e3, Status.FAIL)])
def test_memory_budget(memory: float, status: Status) -> None:
    report = judge(parse(square()), budget=Budget(memory_bytes=memory))
    v = report.verdict("cost")
    assert v.status == status
    assert v.numbers["budget_memory_bytes"] == memory
    if status == Status.FAIL:
        assert v.condition == "S4" and "memory" in v.message


@pytest.mark.parametrize(("seconds", "status"), [(600.0, Status.PASS), (1e-9, Status.FAIL)])
def test_time_budget(seconds: float, status: Status) -> None:
    report = judge(parse(square()), budget=Budget(memory_bytes=1e12, time_seconds=seconds))
    assert report.verdict("cost").status == status


def test_planned_grid_is_used_as_written() -> None:
    text = square(extra="\n## Discretization\nscheme: central\nresolution: {n: 200}\n")
    v = gate(text, "cost")
    assert v.numbers["unknowns"] == 200 * 200
    assert v.numbers["cells_source"] == "planned grid"


@pytest.mark.parametrize(
    ("threshold", "status"), [("1.0e-7", Status.PASS), ("1.0e-13", Status.FAIL)]
)
def test_tolerance_below_the_round_off_floor(threshold: str, status: Status) -> None:
    v = judge(parse(square(threshold=threshold)), budget=Budget(1e15, 1e15)).verdict("cost")
    assert v.status == status
    floor = v.numbers["attainable_error_floor"]
    assert floor == pytest.approx(2 * math.sqrt(2.220446e-16 / 12), rel=1e-2)
