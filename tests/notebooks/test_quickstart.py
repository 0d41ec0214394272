"""01-quickstart: heat in a rod, described, judged, run and certified against the exact answer.

Two requests (two parameter points) go through the offline drafter; the certified temperature
at the middle of the rod is compared with u0 exp(-kappa pi^2 T / L^2) (the sine mode decays).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook
NAME = "01-quickstart.ipynb"

# (request, kappa [m^2/s], L [m], T [s], u0 [K], tolerance)
CASES = {
    "steel-like rod": (
        "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are held at "
        "0 K and the initial temperature is a sine profile with amplitude 1 K. Simulate for 0.5 s "
        "and report the temperature at the middle of the rod to a relative error of 1e-4.",
        0.5,
        2.0,
        0.5,
        1.0,
        1e-4,
    ),
    "slow diffusion": (
        "1D heat equation: rod length L = 0.5 m, alpha = 2e-5 m^2/s, ends kept at zero, "
        "initially a half-sine of amplitude 10 K, for 1000 s, tolerance 1e-3.",
        2e-5,
        0.5,
        1000.0,
        10.0,
        1e-3,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_quickstart_certifies_the_heat_equation(kernel, notebook_runs, tmp_path, case):
    request, kappa, length, final, u0, tolerance = CASES[case]
    exact = u0 * math.exp(-kappa * math.pi**2 * final / length**2)  # sin(pi/2) = 1
    committed = committed_parameters(NAME)
    if request == committed["request"]:  # the notebook as committed (planner "auto", no key)
        out_dir = committed["out_dir"]
        numbers = notebook_runs.committed(NAME, timeout=300)
    else:
        out_dir = str(tmp_path / "runs")
        numbers = notebook_runs.numbers(
            NAME,
            timeout=300,
            request=request,
            planner="offline",
            out_dir=out_dir,
            time_budget=120.0,
        )
    # the offline drafter read the request (no fallback file was needed)
    assert numbers["drafted"] is True and numbers["planner"] == "offline"
    assert numbers["judge_accepted"] is True
    assert len(numbers["gates"]) == 5 and "FAIL" not in numbers["gates"]
    assert "PENDING" not in numbers["gates"] and "RUNNING" not in numbers["gates"]
    assert numbers["status"] == "PASS"
    assert abs(numbers["observed_order"] - 2.0) < 0.2  # Crank-Nicolson, second order
    # the certified value agrees with the exact solution within its bound, and the bound is
    # within the tolerance the request asked for
    assert abs(numbers["value"] - exact) <= numbers["error_bound"]
    assert numbers["exact_error"] <= numbers["error_bound"]
    assert numbers["relative_bound"] <= numbers["threshold"] == tolerance
    assert Path(numbers["bundle"]).parent.name == Path(out_dir).name  # written where asked


def test_the_committed_request_is_one_of_the_known_cases():
    assert committed_parameters(NAME)["request"] in [c[0] for c in CASES.values()]
