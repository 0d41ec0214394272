"""The convergence study reuses its solves and stops at the smallest grid that meets ε."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simlab.certify.study import run_study
from simlab.solvers.solution import Solution


class _Model:
    """A solver whose observable is ``1 + C h^p + D h^(p+1)`` with ``h = 1 / n``."""

    name = "model"
    formal_order = 2.0
    resolutions = (16, 32, 64)
    max_resolution = 1 << 16

    def __init__(self, c: float, p: float = 2.0, d: float = 0.0) -> None:
        self.c, self.p, self.d, self.calls = c, p, d, []

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
