"""06-map-of-certifiability: sweeps of Bratu, Chafee-Infante and the Brusselator, with maps.

Known answers: Bratu's fold 3.5138 (no solution above: REJECT there), Chafee-Infante's
pitchforks at lam = k^2 on (0, pi), the Brusselator's Hopf point at b = 1 + a^2 = 2.
"""

from __future__ import annotations

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook
NAME = "06-map-of-certifiability.ipynb"
LAM_C = 3.513830719125161


def test_the_committed_sweeps_straddle_the_known_points():
    """The notebook as committed is the one the test below reads: its grids must reach the
    regions whose verdicts it checks (a person's default run is also the test's)."""
    p = committed_parameters(NAME)
    assert p["bratu_lam"] == [3.1, 3.7, 4]  # 3.1, 3.3 PASS; 3.5 FLAG; 3.7 REJECT
    assert p["chafee_lam"][0] < 1 and p["chafee_lam"][1] > 4  # pitchforks at 1 and 4
    assert p["brusselator_b"] == [1.5, 2.5, 3]  # a point at the Hopf value 2
    assert p["depth"] >= 1


def test_maps_show_the_known_bifurcations(kernel, notebook_runs):
    numbers = notebook_runs.committed(NAME, timeout=600)
    assert set(numbers["bratu"]) == {"PASS", "FLAG", "REJECT"}
    to_reject = [b for b in numbers["bratu_boundaries"] if b[1] == "REJECT"]
    assert to_reject and to_reject[0][2] < LAM_C + 0.01 and to_reject[0][3] > 3.45
    assert numbers["bratu_folds"] and all(abs(f - LAM_C) < 2e-3 for f in numbers["bratu_folds"])
    bps = numbers["chafee_branch_points"]
    assert any(abs(v - 1.0) < 2e-3 for v in bps) and any(abs(v - 4.0) < 1e-2 for v in bps)
    assert numbers["brusselator"]["2.0"] == "FLAG"
    assert numbers["brusselator_hopf"] and all(
        abs(h - 2.0) < 1e-8 for h in numbers["brusselator_hopf"]
    )
