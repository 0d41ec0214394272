"""02-convergence: hand-made GCI study and simlab's studies on dev problems with exact answers."""

from __future__ import annotations

import pytest

from tests.notebooks.conftest import execute

pytestmark = pytest.mark.notebook


def test_orders_and_honest_bounds(kernel, tmp_path):
    problems = ["heat_1d", "poisson_2d"]
    numbers = execute(
        "02-convergence.ipynb",
        tmp_path,
        timeout=300,
        problems=problems,
        quadrature_grids=[10, 20, 40],
        out_dir=str(tmp_path / "runs"),
        time_budget=120.0,
    )
    hand = numbers["hand"]
    assert abs(hand["observed_order"] - 2.0) < 0.05  # trapezoid rule
    assert hand["true_error"] <= hand["gci_bound"]
    assert set(numbers["problems"]) == set(problems)
    for name, result in numbers["problems"].items():
        assert result["status"] == "PASS", name
        for o in result["observables"]:
            assert abs(o["observed_order"] - o["formal_order"]) < 0.2, (name, o)
            assert o["formal_order"] == 2.0, (name, o)
            assert o["exact_error"] <= o["error_bound"], (name, o)  # honest bound
            assert o["relative_bound"] <= o["threshold"], (name, o)
