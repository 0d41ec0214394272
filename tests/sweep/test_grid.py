"""Sweep ranges and the references a moved point can still use."""

from __future__ import annotations

import pytest

from simlab.spec import parse_file
from simlab.sweep import parse_range, sweep_points
from simlab.sweep.grid import SweepError, check_ranges
from simlab.sweep.point import point_spec
from tests.sweep.conftest import SPECS


def test_ranges_include_both_ends() -> None:
    r = parse_range("kappa=0.1:1:10")
    assert r.name == "kappa" and len(r.values) == 10
    assert r.values[0] == 0.1 and r.values[-1] == 1.0
    assert parse_range("lam=1,2,4").values == (1.0, 2.0, 4.0)


@pytest.mark.parametrize("text", ["kappa", "kappa=", "kappa=1:2", "kappa=a:b:3", "k=1:2:0"])
def test_bad_ranges_say_how_to_write_one(text: str) -> None:
    with pytest.raises(SweepError) as info:
        parse_range(text)
    assert "NAME=start:stop:count" in str(info.value)


def test_product_first_range_slowest() -> None:
    pts = sweep_points([parse_range("a=1,2"), parse_range("b=5,6,7")])
    assert [(p["a"], p["b"]) for p in pts][:4] == [(1, 5), (1, 6), (1, 7), (2, 5)]


def test_unknown_parameter_is_named_with_the_candidates() -> None:
    spec = parse_file(SPECS / "dev/heat_1d.md")
    with pytest.raises(SweepError) as info:
        check_ranges(spec, [parse_range("D=1:2:3")], "heat_1d.md")
    text = str(info.value)
    assert "heat_1d.md" in text and "Equations" in text and "kappa" in text


def test_a_plain_number_reference_is_dropped_when_the_point_moves() -> None:
    bratu = parse_file(SPECS / "dev/bratu_1d.md")  # reference 0.1405... holds at lam = 1 only
    moved, stale = point_spec(bratu, {"lam": 2.0})
    assert stale and moved.tolerance.reference_for("u_mid").kind == "extrapolation"
    same, none = point_spec(bratu, {"lam": 1.0})
    assert not none and same.tolerance.reference_for("u_mid").kind == "analytic"
    heat = parse_file(SPECS / "dev/heat_1d.md")  # the reference is an expression in kappa
    moved, stale = point_spec(heat, {"kappa": 0.3})
    assert not stale and moved.tolerance.reference_for("u_mid").kind == "analytic"
