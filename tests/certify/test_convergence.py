"""Solution verification formulas against the published worked examples and synthetic series."""

from __future__ import annotations

import math

import pytest

from simlab.certify.convergence import (
    ConvergenceType,
    StudyInputError,
    cell_size,
    error_constant,
    gci,
    grid_study,
    observed_order,
    plan_resolutions,
    richardson_extrapolate,
)
from simlab.errors import SimlabError


def no_nan(result) -> bool:
    def ok(value) -> bool:
        if isinstance(value, float):
            return not math.isnan(value)
        if isinstance(value, list | tuple):
            return all(ok(v) for v in value)
        return True

    return all(ok(v) for v in result.to_dict().values())


def test_celik_worked_example() -> None:
    # Celik et al. 2008, Table 1 column phi_1: N = 18000, 8000, 4500 cells in 2-D
    h = [cell_size(n, 2) for n in (18000, 8000, 4500)]
    result = grid_study([6.063, 5.972, 5.863], h)
    assert result.ratios == pytest.approx((1.5, 4 / 3))
    assert result.status is ConvergenceType.MONOTONE
    assert result.p_observed == pytest.approx(1.53, abs=0.005)
    assert result.f_ext == pytest.approx(6.1685, abs=5e-4)
    assert 100 * result.gci_fine_rel == pytest.approx(2.17, abs=0.005)
    assert result.gci_fine_abs == pytest.approx(result.gci_fine_rel * 6.063)
    assert result.safety_factor == 1.25 and no_nan(result)


def test_nasa_worked_example() -> None:
    # NASA NPARC verification tutorial: h = 1, 2, 4
    result = grid_study([0.970500, 0.968540, 0.961780], [1.0, 2.0, 4.0])
    assert result.p_observed == pytest.approx(1.786170, abs=5e-6)
    assert result.f_ext == pytest.approx(0.971300, abs=5e-7)
    assert 100 * result.gci_fine_rel == pytest.approx(0.1031, abs=5e-5)
    assert 100 * result.gci_coarse_rel == pytest.approx(0.3562, abs=5e-5)
    assert result.asymptotic_ratio == pytest.approx(1.0, abs=0.005)
    assert result.in_asymptotic_range(0.01)


def test_input_order_does_not_matter() -> None:
    a = grid_study([0.970500, 0.968540, 0.961780], [1.0, 2.0, 4.0])
    b = grid_study([0.961780, 0.970500, 0.968540], [4.0, 1.0, 2.0])
    assert a == b and a.values[0] == 0.970500


@pytest.mark.parametrize("p", [1.0, 2.0, 4.0])
@pytest.mark.parametrize("h", [(0.1, 0.05, 0.025), (0.1, 0.06, 0.04), (0.02, 0.013, 0.01)])
def test_synthetic_power_law_is_recovered_exactly(p, h) -> None:
    f0, c = 3.25, -0.8
    values = [f0 + c * s**p for s in h]
    result = grid_study(values, h, formal_order=p)
    assert result.status is ConvergenceType.MONOTONE
    assert result.p_observed == pytest.approx(p, rel=1e-7)
    assert result.f_ext == pytest.approx(f0, abs=1e-11)
    true_error = abs(values[-1] - f0)  # values[-1] is the finest
    assert result.gci_fine_abs == pytest.approx(1.25 * true_error, rel=1e-6)
    # relative GCIs (Celik, NASA): an exact power law gives GCI_32 / (r^p GCI_21) = f1 / f2
    assert result.asymptotic_ratio == pytest.approx(values[-1] / values[-2], rel=1e-6)
    assert result.consistent_with_formal_order()
    assert not result.consistent_with_formal_order(p + 1.0)


def test_observed_order_for_non_constant_ratio_solves_celiks_equation() -> None:
    # f = 1 + h^2 + h^3: Celik's iteration must reproduce the order its own equation implies
    h = (0.1, 0.07, 0.04)
    f = [1 + s**2 + s**3 for s in h]
    p = observed_order(f[2], f[1], f[0], h[1] / h[2], h[0] / h[1])
    eps21, eps32 = f[1] - f[2], f[0] - f[1]
    r21, r32 = h[1] / h[2], h[0] / h[1]
    residual = p * math.log(r21) - math.log(eps32 / eps21) - math.log((r21**p - 1) / (r32**p - 1))
    assert abs(residual) < 1e-10 and 2.0 < p < 2.3


def test_oscillatory_series_is_flagged() -> None:
    h = (0.1, 0.05, 0.025)
    values = [2.0 + (-1) ** k * 0.3 * s**2 for k, s in enumerate(h)]
    result = grid_study(values, h)
    assert result.status is ConvergenceType.OSCILLATORY
    assert -1.0 < result.convergence_ratio < 0.0
    assert result.p_observed == pytest.approx(2.0, rel=1e-9)
    assert "oscillatory" in result.message and no_nan(result)


def test_diverging_series_has_no_bound() -> None:
    h = (0.1, 0.05, 0.025)
    values = [1.0 + 0.01 / s for s in h]  # differences grow as h shrinks
    result = grid_study(values, h)
    assert result.status is ConvergenceType.DIVERGING
    assert abs(result.convergence_ratio) > 1.0 and result.p_observed < 0.0
    assert result.gci_fine_abs is None and not result.bound_available and no_nan(result)


def test_round_off_differences_are_reported_not_divided() -> None:
    h = (0.1, 0.05, 0.025)
    flat = grid_study([1.0, 1.0 + 2e-16, 1.0 - 1e-16], h)
    assert flat.status is ConvergenceType.ROUND_OFF and flat.p_observed is None
    assert flat.error_bound is None and no_nan(flat)
    finest_flat = grid_study([1.01, 1.0, 1.0], h)  # h descending: only the coarsest differs
    assert finest_flat.status is ConvergenceType.ROUND_OFF
    assert "finest two" in finest_flat.message
    coarse_flat = grid_study([1.0, 1.0, 1.01], h)  # finest differs, coarser agree: no convergence
    assert coarse_flat.status is ConvergenceType.DIVERGING and coarse_flat.convergence_ratio is None


def test_failed_run_is_a_status() -> None:
    result = grid_study([1.0, math.nan, 1.2], [0.1, 0.2, 0.4])
    assert result.status is ConvergenceType.FAILED_RUN and result.error_bound is None
    assert "resolution(s) [1]" in result.message


def test_two_grids_need_an_assumed_order_and_use_fs_three() -> None:
    with pytest.raises(StudyInputError):
        grid_study([1.01, 1.04], [0.1, 0.2])
    result = grid_study([1.01, 1.04], [0.1, 0.2], formal_order=2)
    assert result.status is ConvergenceType.ASSUMED_ORDER and result.safety_factor == 3.0
    assert result.gci_fine_abs == pytest.approx(3.0 * 0.03 / 3.0)
    assert result.f_ext == pytest.approx(1.0)


def test_more_grids_give_an_order_history() -> None:
    h = (0.2, 0.1, 0.05, 0.025)
    values = [1.0 + s**2 + 5 * s**4 for s in h]  # pre-asymptotic on the coarse end
    result = grid_study(values, h, formal_order=2)
    assert len(result.order_history) == 2
    finest, coarser = result.order_history
    assert abs(finest - 2) < abs(coarser - 2)
    assert result.p_observed == finest


def test_policies_for_an_order_above_the_formal_one() -> None:
    h = (0.1, 0.05, 0.025)
    values = [1.0 + s**3 for s in h]  # behaves like order 3, declared 2
    celik = grid_study(values, h, formal_order=2, policy="celik")
    capped = grid_study(values, h, formal_order=2)
    roy = grid_study(values, h, formal_order=2, policy="roy")
    assert celik.p_used == pytest.approx(3.0) and capped.p_used == 2.0
    assert capped.gci_fine_abs > celik.gci_fine_abs
    assert capped.safety_factor == 3.0  # far above the formal order: not asymptotic
    slightly = grid_study([1.0 + s**2.1 for s in h], h, formal_order=2)
    assert slightly.p_used == 2.0 and slightly.safety_factor == 1.25
    assert roy.p_used == 2.0 and roy.safety_factor == 3.0
    within = grid_study([1.0 + s**2.1 for s in h], h, formal_order=2, policy="roy")
    assert within.p_used == 2.0 and within.safety_factor == 1.25
    with pytest.raises(StudyInputError):
        grid_study(values, h, policy="optimistic")


def test_a_step_count_rounded_per_grid_is_bounded_honestly() -> None:
    """Measured: seeded_indep heat_2d/correct_adi at the asymmetric point (steps = ceil(0.2 n),
    so dt/h changes between grids). On 48/96/125 the order looks like 2.47; the capped Fs = 1.25
    bound (4.3e-5) fell below the true error against exp(-5 kappa pi^2 t) (5.1e-5)."""
    exact = math.exp(-5 * 0.1 * math.pi**2 * 0.5) * math.sin(math.pi / 2) * math.sin(math.pi / 2)
    values = [0.0847540816213127, 0.08473042793872174, 0.08450645027533463]
    h = [1 / 125, 1 / 96, 1 / 48]
    result = grid_study(values, h, formal_order=2)
    assert result.p_observed > 2.2 and result.safety_factor == 3.0
    assert result.gci_fine_abs >= abs(values[0] - exact)


@pytest.mark.parametrize(
    ("values", "h"),
    [
        ([1.0, 2.0], [0.1]),
        ([1.0], [0.1]),
        ([1, 2, 3], [0.1, 0.1, 0.2]),
        ([1, 2, 3], [0.1, -0.2, 0.4]),
        ([1, 2, 3], [0.1, 0.2, math.inf]),
        (["a", 2, 3], [0.1, 0.2, 0.4]),
    ],
)
def test_bad_study_input_is_a_clear_error(values, h) -> None:
    with pytest.raises(SimlabError) as info:
        grid_study(values, h)
    assert isinstance(info.value, ValueError)


def test_basic_formulas() -> None:
    assert richardson_extrapolate(1.01, 1.04, 2.0, 2.0) == pytest.approx(1.0)
    rel, absolute = gci(1.01, 1.04, 2.0, 2.0)
    assert absolute == pytest.approx(1.25 * 0.03 / 3) and rel == pytest.approx(absolute / 1.01)
    assert gci(0.0, 0.1, 2.0, 1.0)[0] is None
    assert cell_size(100, 2, volume=4.0) == pytest.approx(0.2)
    assert error_constant(0.05, 1.0 + 0.05**2, 0.1, 1.0 + 0.1**2, 2.0) == pytest.approx(1.0)
    with pytest.raises(StudyInputError):
        gci(1.0, 1.1, 1.0, 2.0)
    with pytest.raises(StudyInputError):
        cell_size(0, 2)


@pytest.mark.parametrize("p", [1.0, 2.0, 4.0])
def test_plan_reaches_the_tolerance_on_a_power_law(p) -> None:
    def f(h: float) -> float:
        return 2.0 + 0.7 * h**p + 0.1 * h ** (p + 1)

    tolerance = 1e-6
    trial = [(0.2, f(0.2)), (0.1, f(0.1))]
    plan = plan_resolutions(p, tolerance, trial, snap=lambda h: 1.0 / math.ceil(1.0 / h))
    assert plan.feasible and len(plan.h) == 3 and min(plan.ratios) >= 1.3
    result = grid_study([f(s) for s in plan.h], plan.h, formal_order=p)
    assert abs(f(plan.h[0]) - 2.0) <= tolerance  # the true error
    assert result.gci_fine_abs <= 1.5 * tolerance and result.gci_fine_abs >= abs(f(plan.h[0]) - 2)


def test_plan_reports_budget_and_snapping_problems() -> None:
    trial = [(0.1, 1.01), (0.05, 1.0025)]
    costly = plan_resolutions(2.0, 1e-8, trial, cost=lambda h: h**-2, budget=1e6)
    assert not costly.feasible and "budget" in costly.message
    coarse_snap = plan_resolutions(
        2.0, 1e-3, trial, ratio=1.3, snap=lambda h: 1.0 / math.ceil(1 / h)
    )
    assert min(coarse_snap.ratios) < 1.3 and not coarse_snap.feasible
    flat = plan_resolutions(2.0, 1e-3, [(0.1, 1.0), (0.05, 1.0)])
    assert not flat.feasible and "agree exactly" in flat.message
    with pytest.raises(StudyInputError):
        plan_resolutions(2.0, 1e-3, trial, ratio=1.1)
    with pytest.raises(StudyInputError):
        plan_resolutions(float("nan"), 1e-3, trial)
    with pytest.raises(StudyInputError):
        plan_resolutions(2.0, 1e-3, trial, n_grids=2)
