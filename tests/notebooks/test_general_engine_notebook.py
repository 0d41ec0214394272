"""07-general-engine: four problems of a scientist's own, certified on the general engine.

Known answers (closed forms, computed here independently of the specs' reference strings):
- rod insulated at x = L: T = T1 exp(-D (pi/2L)^2 t) sin(pi x / 2L);
- wall heated by q0 exp(-x/delta), faces at Tw: T = Tw + q0 delta^2/k (1 - e^(-x/delta)
  - x/L (1 - e^(-L/delta))), and its mean over the wall;
- cube with the source q0 sin sin sin, faces at Tw: T(centre) = Tw + q0 L^2 / (3 pi^2 k);
- A <-> B at rate k with diffusion D: A, B = c0 e^(-D pi^2 t/L^2) (1 +- e^(-2kt))/2 sin(pi x/L).
Two parameter points: the notebook as committed (its one run in the session), and one with
every problem's parameter moved.
"""

from __future__ import annotations

import math

import pytest

from tests.notebooks.runs import committed_parameters

pytestmark = pytest.mark.notebook
NAME = "07-general-engine.ipynb"
MOVED = {
    "rod_diffusivity": 2.5e-4,
    "wall_absorption_depth": 0.3,
    "cube_conductivity": 1.5,
    "reaction_rate": 2.0,
}


def exact_values(p: dict) -> dict[str, dict[str, float]]:
    """Observable -> exact value (display units) for the notebook's parameters ``p``."""
    D, length, t1 = p["rod_diffusivity"], 0.5, 5.0
    rod = t1 * math.exp(-D * (math.pi / (2 * length)) ** 2 * 200.0)
    k, q0, delta, tw, wall = 1.1, 4.0e6, p["wall_absorption_depth"] / 100, 300.0, 0.02
    decay = 1 - math.exp(-wall / delta)
    x = 0.01
    t_mid = tw + q0 * delta**2 / k * (1 - math.exp(-x / delta) - x / wall * decay)
    t_mean = tw + q0 * delta**2 / k * (0.5 - delta / wall * decay + math.exp(-wall / delta) / 2)
    cube = 300.0 + 2.0e4 * 0.1**2 / (3 * math.pi**2 * p["cube_conductivity"])
    rate, c0, diffusion, tube, t = p["reaction_rate"], 2.0, 1.0e-7, 1.0e-3, 2.0
    common = c0 * math.exp(-diffusion * math.pi**2 * t / tube**2) / 2
    return {
        "Rod with an insulated end": {"T_insulated_end": rod},
        "Wall heated by absorbed radiation": {"T_mid": t_mid, "T_mean": t_mean},
        "Cube with a heat source": {"T_centre": cube},
        "Reversible reaction in a tube": {
            "A_mid": common * (1 + math.exp(-2 * rate * t)),
            "B_mid": common * (1 - math.exp(-2 * rate * t)),
        },
    }


def check(numbers: dict, parameters: dict) -> None:
    exact = exact_values(parameters)
    assert set(numbers) == set(exact)
    for title, run in numbers.items():
        assert run["status"] == "PASS", title
        assert run["solver"] == "mol_engine", title
        assert set(run["observables"]) == set(exact[title]), title
        for name, o in run["observables"].items():
            assert abs(o["observed_order"] - o["formal_order"]) < 0.1, (title, name, o)
            assert o["formal_order"] == 2.0
            error = abs(o["value"] - exact[title][name])
            assert error <= o["error_bound"], (title, name, error, o)  # an honest bound
            assert o["exact_error"] == pytest.approx(error, rel=1e-3, abs=1e-12)
            assert o["relative_bound"] <= o["threshold"], (title, name, o)


def test_the_committed_problems_pass_against_their_closed_forms(kernel, notebook_runs):
    numbers = notebook_runs.committed(NAME, timeout=600)
    check(numbers, committed_parameters(NAME))


def test_the_same_problems_at_other_parameters(kernel, notebook_runs):
    numbers = notebook_runs.numbers(NAME, timeout=600, **MOVED)
    check(numbers, {**committed_parameters(NAME), **MOVED})
    committed = exact_values(committed_parameters(NAME))
    moved = exact_values(MOVED)
    for title in committed:  # every problem's answer moved with its parameter
        for name, value in committed[title].items():
            assert abs(moved[title][name] - value) > 1e-3 * abs(value), (title, name)
