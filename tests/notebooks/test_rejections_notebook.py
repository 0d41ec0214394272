"""03-judge-rejections: each adversarial spec is rejected for its condition, then redesigned."""

from __future__ import annotations

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook

EXPECTED = {
    "backward_heat": "S2",  # ill-posed (Hadamard)
    "wrong_units": "S1",  # dimensionally inconsistent
    "missing_boundary": "S2",  # a boundary segment without a condition
    "unstable_scheme": "S3",  # FTCS far beyond its diffusion-number limit
    "unaffordable_tolerance": "S4",  # resolution for eps beyond the budget
}


def test_each_rejection_names_its_condition(kernel, notebook_runs):
    name = "03-judge-rejections.ipynb"
    assert committed_parameters(name)["cases"] == list(EXPECTED)
    numbers = notebook_runs.committed(name, timeout=300)
    assert set(numbers) == {*EXPECTED, "discontinuous_initial"}
    for case, condition in EXPECTED.items():
        result = numbers[case]
        assert result["accepted"] is False, case
        assert condition in result["conditions"], (case, result["conditions"])
        assert result["gates_failed"], case
        assert "FAIL" in result["board"] and "PENDING" not in result["board"], case
        assert result["redesign_accepted"] is True, case
    # a discontinuous initial profile is a warning, not a rejection
    warned = numbers["discontinuous_initial"]
    assert warned["accepted"] is True and "WARN" in warned["board"]
    assert "FAIL" not in warned["board"]
