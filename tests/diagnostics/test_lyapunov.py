"""Benettin-QR Lyapunov spectra against the literature (KNOWN_ANSWERS)."""

from __future__ import annotations

import numpy as np
import pytest

from simlab.diagnostics import DiagnosticsError, lyapunov_flow, lyapunov_map
from simlab.diagnostics.systems import henon, logistic, lorenz


@pytest.fixture(scope="module")
def lorenz_spectrum():
    rhs, jac = lorenz(10.0, 28.0, 8.0 / 3.0)
    return lyapunov_flow(rhs, jac, [1.0, 1.0, 20.0], t_total=150.0, dt=0.01, n_trajectories=32)


def test_lorenz_largest_exponent_within_two_percent(lorenz_spectrum) -> None:
    lyap = lorenz_spectrum
    assert lyap.largest == pytest.approx(0.9056, rel=0.02)
    assert lyap.stderr[0] < 0.01  # the estimate states its own spread
    assert abs(lyap.exponents[1]) < 5 * lyap.stderr[1] + 2e-3  # the flow direction: zero
    assert lyap.exponents[2] == pytest.approx(-14.5723, rel=0.01)


def test_lorenz_exponents_sum_to_the_trace(lorenz_spectrum) -> None:
    # div f = -(sigma + 1 + beta) everywhere; RK4 tangent maps reproduce it to O(dt^4)
    assert lorenz_spectrum.total == pytest.approx(-(10.0 + 1.0 + 8.0 / 3.0), rel=1e-4)
    assert np.allclose(lorenz_spectrum.per_trajectory.sum(axis=1), lorenz_spectrum.total, rtol=1e-4)


def test_lorenz_below_the_chaotic_regime_has_no_positive_exponent() -> None:
    rhs, jac = lorenz(10.0, 10.0, 8.0 / 3.0)  # stable equilibria C+-
    lyap = lyapunov_flow(rhs, jac, [1.0, 1.0, 5.0], t_total=40.0, n_trajectories=4)
    assert lyap.largest < -0.1


def test_henon_exponents() -> None:
    step, jac = henon(1.4, 0.3)
    lyap = lyapunov_map(step, jac, [0.1, 0.1], n_iter=10_000, n_trajectories=32)
    assert lyap.exponents[0] == pytest.approx(0.4192, rel=0.01)
    assert lyap.exponents[1] == pytest.approx(-1.6232, rel=0.005)
    assert lyap.total == pytest.approx(np.log(0.3), abs=1e-12)  # |det J| = b exactly


@pytest.mark.parametrize(("r", "expected"), [(4.0, np.log(2.0)), (3.2, None)])
def test_logistic_map(r: float, expected: float | None) -> None:
    step, jac = logistic(r)
    lyap = lyapunov_map(step, jac, [0.3], n_iter=10_000, n_trajectories=16)
    if expected is not None:
        assert lyap.largest == pytest.approx(expected, rel=1e-3)
    else:  # r = 3.2: stable 2-cycle, exponent ln|f'(x1) f'(x2)| / 2 = ln|4 + 2r - r^2| / 2
        assert lyap.largest == pytest.approx(0.5 * np.log(abs(4 + 2 * r - r * r)), rel=1e-6)


def test_bad_input_is_rejected() -> None:
    rhs, jac = lorenz()
    with pytest.raises(DiagnosticsError):
        lyapunov_flow(rhs, jac, [1.0, 1.0, 1.0], dt=-0.1)
    with pytest.raises(DiagnosticsError, match="n_exponents"):
        lyapunov_flow(rhs, jac, [1.0, 1.0, 1.0], n_exponents=4)
    with pytest.raises(DiagnosticsError, match="vectorised"):
        lyapunov_flow(lambda x: x[0], jac, [1.0, 1.0, 1.0])
    with pytest.raises(DiagnosticsError, match="escaped"):
        step, jmap = henon()
        lyapunov_map(step, jmap, [5.0, 5.0], n_iter=200, n_transient=0, n_trajectories=2)
