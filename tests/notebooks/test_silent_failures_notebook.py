"""05-silent-failures: seeded bugs the plain run accepts and the pipeline catches, with evidence.

The numbers come from the notebook's one run in the session (the JupyterLab test records it)."""

from __future__ import annotations

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook
NAME = "05-silent-failures.ipynb"


def test_every_seeded_bug_is_caught_and_says_by_what(kernel, notebook_runs):
    cases = committed_parameters(NAME)["cases"]
    numbers = notebook_runs.committed(NAME, timeout=600)
    assert numbers["cases"] == len(cases)
    assert numbers["silent_with_judge"] == 0  # no wrong answer got through the pipeline
    assert set(numbers["evidence"]) == set(cases)
    for case, caught_by in numbers["evidence"].items():
        assert caught_by, f"{case}: caught, but the certificate names no evidence"
