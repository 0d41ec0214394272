"""The convergence and continuation plots draw the certify and diagnostics numbers as given."""

from __future__ import annotations

import itertools
import math

import holoviews as hv
import numpy as np
import pytest

from simlab.diagnostics import continuation
from simlab.diagnostics.problems import bratu_1d
from simlab.widgets import continuation_plot, convergence_data, convergence_plot, stability_segments
from tests.widgets.conftest import QUADRATURES, quadrature_observable


@pytest.mark.parametrize("key", sorted(QUADRATURES))
def test_convergence_data_matches_the_study(key):
    result, obs, records = quadrature_observable(key, ns=(8, 16, 32, 64))
    data = convergence_data(result, obs, records)
    formal = QUADRATURES[key][3]
    assert data.h == tuple(sorted(h for h, _ in records))
    assert abs(data.observed_order - formal) < 0.2
    assert data.formal_order == formal
    # Richardson estimates shrink by about 2^p per halving, and the fit passes the finest one
    est = data.estimated_error
    assert all(a < b for a, b in itertools.pairwise(est))
    assert math.isclose(data.fit(data.h[0]), est[0])
    assert math.isclose(est[2] / est[1], 2.0**formal, rel_tol=0.25)
    # the bound is honest against the exact answer, and the tolerance line is ε |value|
    assert data.exact_error[0] <= data.bound
    assert math.isclose(data.allowed, 1e-3 * abs(obs.value))
    assert math.isclose(data.extrapolated, result.f_ext)


def test_display_unit_rescales_every_error():
    _, base, records = quadrature_observable("trapezoid-exp")
    result, scaled, _ = quadrature_observable("trapezoid-exp", scale=1e3)
    a, b = convergence_data(result, base, records), convergence_data(result, scaled, records)
    assert math.isclose(b.bound * 1e3, a.bound)
    assert math.isclose(b.values[0] * 1e3, a.values[0])
    assert b.unit == "kJ" and math.isclose(b.allowed * 1e3, a.allowed)


def test_convergence_plot_layers_and_log_axes():
    result, obs, records = quadrature_observable("simpson-sin")
    plot = convergence_plot(result, obs, records)
    labels = [el.label for el in plot]
    assert labels[0].startswith("estimated") and labels[1].startswith("exact")
    assert any(lbl.startswith("observed order p = 4") for lbl in labels)
    assert "tolerance ε" in labels and "GCI bound (finest)" in labels
    opts = hv.Store.lookup_options("bokeh", plot, "plot").kwargs
    assert opts["logx"] and opts["logy"]
    assert "extrapolated" in opts["title"]
    hv.render(plot, backend="bokeh")  # renders without error


def test_plot_without_exact_answer_or_bound():
    from simlab.certify.convergence import grid_study

    diverging = grid_study([1.0, 1.5, 1.6], [0.25, 0.5, 1.0], formal_order=2.0)
    data = convergence_data(diverging)
    assert data.bound is None and data.extrapolated is None and data.exact_error is None
    plot = convergence_plot(diverging)
    hv.render(plot, backend="bokeh")


BRATU_FOLD = 3.513830719  # fold of u'' + lam e^u = 0 on (0, 1) (KNOWN_ANSWERS.md)


@pytest.fixture(scope="module")
def bratu_branch():
    setup = bratu_1d(15)
    return continuation(setup.problem, setup.u0, setup.lam0, lam_max=4.0, max_steps=200, ds=0.1)


def test_continuation_plot_marks_fold_and_stability(bratu_branch):
    branch = bratu_branch
    folds = branch.of_type("fold")
    assert len(folds) == 1
    assert abs(folds[0].value - BRATU_FOLD) < 0.05  # the n = 15 grid is close to it
    segments = stability_segments(branch)
    assert [s for s, _, _ in segments][:2] == [True, False]
    # segments share their end points and together cover the branch
    assert sum(len(lam) for _, lam, _ in segments) == len(branch) + len(segments) - 1
    stable_lam = segments[0][1]
    assert np.all(stable_lam <= folds[0].value + 1e-6)
    plot = continuation_plot(branch, parameter_value=2.0)
    kinds = {type(el).__name__ for el in plot}
    assert {"Curve", "Points", "Labels", "VLine"} <= kinds
    points = next(el for el in plot if type(el).__name__ == "Points")
    assert math.isclose(points.data.iloc[0, 0], folds[0].value)
    hv.render(plot, backend="bokeh")


def test_continuation_plot_needs_a_branch():
    with pytest.raises(ValueError, match="at least one branch"):
        continuation_plot([])


def test_continuation_plot_rescales_to_spec_units(bratu_branch):
    fold = bratu_branch.of_type("fold")[0]
    plot = continuation_plot(bratu_branch, 4.0, parameter_scale=2.0, measure_scale=10.0)
    points = next(el for el in plot if type(el).__name__ == "Points")
    assert math.isclose(points.data.iloc[0, 0], 2.0 * fold.value)
    assert math.isclose(points.data.iloc[0, 1], 10.0 * fold.measure)
    (stable, lam, measure), *_ = stability_segments(bratu_branch, 2.0, 10.0)
    assert stable and math.isclose(lam[0], 2.0 * bratu_branch.lam[0])
    assert math.isclose(measure[-1], 10.0 * bratu_branch.measure[len(lam) - 1])
