"""Bratu folds: located to round-off of each discrete problem, typed as folds, extrapolated.

References: the continuum fold 3.513830719125161 (u(1/2) = 1.186842) from the closed form
theta = sqrt(2 lam) cosh(theta / 4), and each discrete fold from an independent shooting
method on the FD recurrence (simlab.diagnostics.references).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from simlab.diagnostics import continuation, extrapolate_even, first_special_point
from simlab.diagnostics.problems import bratu_1d, bratu_2d
from simlab.diagnostics.references import bratu_discrete_fold, bratu_fold_exact

LAM_C, U_MID_C = bratu_fold_exact()
GRIDS = (16, 32, 64, 128)  # h = 1/m, n = m - 1 interior nodes (odd: u(1/2) is a node)


def test_closed_form_reference_matches_the_literature() -> None:
    assert abs(LAM_C - 3.513830719125161) <= 1e-15
    assert abs(U_MID_C - 1.186842) <= 5e-7


@pytest.fixture(scope="module")
def folds() -> dict[int, object]:
    out = {}
    for m in GRIDS:
        s = bratu_1d(m - 1)
        out[m] = first_special_point(s.problem, s.u0, s.lam0, "fold", ds=0.1, n_eigs=0)
    return out


@pytest.mark.parametrize("m", GRIDS)
def test_fold_on_each_grid_to_round_off(folds: dict, m: int) -> None:
    fold = folds[m]
    s = bratu_1d(m - 1)
    assert fold.type == "fold" and fold.parameter == "lam"
    # residuals of F = 0 and J v = 0 (|v| = 1) at round-off of an O(4/h^2) operator
    scale = 4.0 * m**2 * (1.0 + np.max(np.abs(fold.u)))
    assert fold.residual < 1e-10 and fold.residual < 50 * np.finfo(float).eps * scale
    assert fold.test_residual < 1e-10
    assert np.linalg.norm(fold.null_vector) == pytest.approx(1.0, abs=1e-14)
    jac = s.problem.jacobian(fold.u, fold.value)
    assert np.max(np.abs(jac @ fold.null_vector)) == pytest.approx(fold.test_residual, abs=1e-12)
    # against an independent algorithm (shooting) for the same discrete problem
    assert fold.value == pytest.approx(bratu_discrete_fold(m - 1), abs=2e-12)


def test_richardson_on_discrete_folds_reaches_the_continuum_fold(folds: dict) -> None:
    h = [1.0 / m for m in GRIDS]
    lam = extrapolate_even(h, [folds[m].value for m in GRIDS])
    assert lam.order == 8
    assert abs(lam.value - LAM_C) < 1e-8
    assert abs(lam.value - LAM_C) <= lam.error_estimate  # the estimate is not optimistic
    # each column of the table gains accuracy: the expansion really is in h^2, h^4, ...
    diagonal_errors = np.abs(np.diag(lam.table) - LAM_C)
    assert np.all(np.diff(diagonal_errors) < 0)
    mid = extrapolate_even(h, [folds[m].u[(m - 1) // 2] for m in GRIDS])
    assert abs(mid.value - U_MID_C) < 1e-8


def test_bratu_branch_has_one_fold_no_branch_point_and_the_right_stability() -> None:
    s = bratu_1d(49)
    branch = continuation(s.problem, s.u0, s.lam0, ds=0.1, lam_min=-0.1, max_norm=6.0)
    assert [p.type for p in branch.special_points] == ["fold"]
    fold = branch.special_points[0]
    before, after = slice(0, fold.index + 1), slice(fold.index + 1, None)
    assert branch.stable[before].all() and (branch.n_unstable[before] == 0).all()
    assert (branch.n_unstable[after] == 1).all()  # upper branch: one unstable mode
    assert branch.lam.max() <= fold.value + 1e-12
    assert branch.stop_reason.startswith("max|u|")


def test_sparse_eigenvalue_path_gives_the_same_stability() -> None:
    s = bratu_1d(449)  # above the dense limit: ARPACK shift-invert
    branch = continuation(s.problem, s.u0, s.lam0, ds=0.1, lam_min=-0.1, max_norm=3.0)
    fold = branch.of_type("fold")[0]
    assert fold.value == pytest.approx(bratu_discrete_fold(449), abs=1e-11)
    assert branch.stable[: fold.index + 1].all()
    assert (branch.n_unstable[fold.index + 1 :] == 1).all()
    assert sp.issparse(s.problem.jacobian(s.u0, 1.0))


def test_finite_difference_parameter_derivative_gives_the_same_fold() -> None:
    s = bratu_1d(31)
    no_dparam = replace(s.problem, dparam=None)
    fold = first_special_point(no_dparam, s.u0, s.lam0, "fold", ds=0.1, n_eigs=0)
    assert fold.value == pytest.approx(bratu_discrete_fold(31), abs=1e-12)
    assert fold.test_residual < 1e-10


def test_bratu_2d_fold_by_richardson() -> None:
    hs, values = [], []
    for n in (7, 15, 31):
        s = bratu_2d(n)
        fold = first_special_point(s.problem, s.u0, s.lam0, "fold", ds=0.2, ds_max=1.0, n_eigs=0)
        assert fold.residual < 1e-10 and fold.test_residual < 1e-10
        hs.append(s.h)
        values.append(fold.value)
    lam = extrapolate_even(hs, values)
    # literature 6.808124 (KNOWN_ANSWERS); the three-grid estimate is honest about its error
    assert abs(lam.value - 6.808124) < max(lam.error_estimate, 1e-6)
    assert abs(lam.value - 6.808124) < 5e-6
