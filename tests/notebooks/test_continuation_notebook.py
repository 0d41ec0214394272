"""04-continuation: Bratu's fold located by continuation, converging to the exact one."""

from __future__ import annotations

import itertools

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook
NAME = "04-continuation.ipynb"

BRATU_FOLD = 3.513830719125161  # lambda_c of u'' + lam e^u = 0 on (0, 1) (KNOWN_ANSWERS.md)


@pytest.mark.parametrize("resolutions", [[16, 32, 64], [24, 48, 96]])
def test_fold_converges_to_the_exact_one(kernel, notebook_runs, resolutions):
    if resolutions == committed_parameters(NAME)["resolutions"]:
        numbers = notebook_runs.committed(NAME, timeout=300)
    else:
        numbers = notebook_runs.numbers(NAME, timeout=300, resolutions=resolutions)
    assert numbers["certificate"] == "PASS"
    assert numbers["parameter"] == "lam" and numbers["spec_value"] == 1.0
    assert numbers["stable_at_spec"] is True
    assert numbers["special_points"] == ["fold"]
    assert abs(numbers["exact_fold"] - BRATU_FOLD) < 1e-12  # the notebook's closed form
    errors = [abs(numbers["folds"][str(n)] - BRATU_FOLD) for n in resolutions]
    assert errors[0] > errors[1] > errors[2]
    for coarse, fine in itertools.pairwise(errors):
        assert 3.5 < coarse / fine < 4.5  # second order: halving h quarters the error
    assert abs(numbers["fold_order"] - 2.0) < 0.2
    assert abs(numbers["fold_extrapolated"] - BRATU_FOLD) <= numbers["fold_bound"]
    assert abs(numbers["relative_distance_to_fold"] - (BRATU_FOLD - 1.0) / BRATU_FOLD) < 1e-12
