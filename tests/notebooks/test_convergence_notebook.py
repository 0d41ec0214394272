"""02-convergence: hand-made GCI study and simlab's studies on dev problems with exact answers."""

from __future__ import annotations

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook
NAME = "02-convergence.ipynb"


def test_orders_and_honest_bounds(kernel, notebook_runs):
    problems = committed_parameters(NAME)["problems"]
    assert {"heat_1d", "poisson_2d", "wave_1d", "bratu_1d"} <= set(problems)
    numbers = notebook_runs.committed(NAME, timeout=300)
    hand = numbers["hand"]
    assert abs(hand["observed_order"] - 2.0) < 0.05  # trapezoid rule
    assert hand["true_error"] <= hand["gci_bound"]
    assert set(numbers["problems"]) == set(problems)
    for name, result in numbers["problems"].items():
        assert result["status"] == "PASS", name
        for o in result["observables"]:
            assert abs(o["observed_order"] - o["formal_order"]) < 0.2, (name, o)
            assert o["formal_order"] == 2.0, (name, o)
            assert o["exact_error"] is not None, (name, o)  # every problem has an exact answer
            assert o["exact_error"] <= o["error_bound"], (name, o)  # honest bound
            assert o["relative_bound"] <= o["threshold"], (name, o)
