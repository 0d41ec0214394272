"""The convergence study reuses its solves and stops at the smallest grid that meets ε."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from simlab.certify.study import run_study
from simlab.solvers.protocol import YES, Fit
from simlab.solvers.solution import Solution


class _Model:
    """A solver whose observable is ``1 + C h^p + D h^(p+1)`` with ``h = 1 / n``."""

    name = "model"
    formal_order = 2.0
    resolutions = (16, 32, 64)
    max_resolution = 1 << 16

    def __init__(self, c: float, p: float = 2.0, d: float = 0.0) -> None:
        self.c, self.p, self.d, self.calls = c, p, d, []

    def fit(self, spec: object) -> Fit:
        return YES

    def solve(self, spec: object, n: int) -> Solution:
        self.calls.append(n)
        h = 1.0 / n
        value = 1.0 + self.c * h**self.p + self.d * h ** (self.p + 1)
        return Solution(grid={}, fields={}, resolution=n, h=h, order=2.0, observables={"q": value})


SPEC_2D = SimpleNamespace(domain=SimpleNamespace(dimension=2, time=None))


@pytest.mark.parametrize(
    ("c", "d", "eps"), [(5.0, 0.0, 1e-4), (5.0, 30.0, 1e-5), (50.0, -80.0, 1e-6), (0.3, 1.0, 1e-5)]
)
def test_refinement_reuses_the_first_triple_and_bounds_the_true_error(
    c: float, d: float, eps: float
) -> None:
    model = _Model(c, d=d)
    study = run_study(model, SPEC_2D, lambda name, value: eps)
    assert len(model.calls) == len(set(model.calls))  # no resolution solved twice
    res = study.results["q"]
    finest = max(model.calls)
    true_error = abs(res.values[0] - 1.0)
    assert res.gci_fine_abs is not None and true_error <= res.gci_fine_abs <= eps
    if finest > 64:
        assert set(model.calls[3:]).isdisjoint({16, 32, 64})
        if finest <= 16 * 64:  # within reach: the last triple contains a first-triple solve
            assert {16, 32, 64} & {round(1.0 / h) for h in res.h}
        # and the finest grid is within the safety margin of the smallest that meets eps
        smallest = (1.25 * abs(c) / eps) ** 0.5
        assert finest <= 1.5 * smallest


def test_a_tolerance_already_met_solves_only_the_default_triple() -> None:
    model = _Model(1.0)
    run_study(model, SPEC_2D, lambda name, value: 1e-2)
    assert model.calls == [16, 32, 64]


class _RoundedSteps(_Model):
    """Error a h^2 + b dt^2 with dt = T / ceil(0.2 n): the step count is rounded per grid, as
    in seeded_indep heat_2d/correct_adi (a, b fitted to its errors at n = 96 and 163; the
    model then gives its error at 125 to 3 digits), so the error is no smooth function of h."""

    resolutions = (24, 48, 96)

    def solve(self, spec: object, n: int) -> Solution:
        self.calls.append(n)
        h, dt = 1.0 / n, 0.5 / math.ceil(0.2 * n)
        value = 1.0 - 0.601 * h**2 + 0.2236 * dt**2
        return Solution(grid={}, fields={}, resolution=n, h=h, order=2.0, observables={"q": value})


def test_a_step_count_rounded_per_grid_still_gets_an_honest_bound() -> None:
    model = _RoundedSteps(0.0)
    study = run_study(model, SPEC_2D, lambda name, value: 8.5e-5, time_budget=30.0)
    res = study.results["q"]
    assert res.p_observed == pytest.approx(2.0, abs=0.5)  # a clean triple was found
    assert res.gci_fine_abs is not None
    assert abs(res.values[0] - 1.0) <= res.gci_fine_abs <= 8.5e-5
    # planned at the formal order with a ratio >= 2 (163 -> 263 -> 423), not from the noisy
    # order 0.26 of 96/125/163 (that plan jumped to 65536: beyond any real time budget)
    assert max(model.calls) <= 1000
