"""Physics audits on real kernel output (must pass) and on broken data (must fail)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from simlab.certify import audit_checks as audit
from simlab.errors import SimlabError
from simlab.solvers.kernels import epidemic, fresnel, robertson


@pytest.fixture(scope="module")
def seird():
    return epidemic.solve_seird(0.5, 0.2, 0.1, 0.01, 99_000.0, 900.0, 100.0, t_end=365.0, steps=730)


def test_conservation(seird) -> None:
    ok = audit.conservation(seird.history["total"], rtol=1e-12)
    assert ok.passed and ok.value < 1e-13 and ok.condition == "S4"
    kinetics = robertson.solve_robertson(4.0e5, 100)
    assert audit.conservation(kinetics.history["total"], rtol=1e-12).passed
    leaking = audit.conservation([1.0, 0.999, 0.998], rtol=1e-6)
    assert not leaking.passed and leaking.value == pytest.approx(0.002)
    assert audit.conservation([0.0, 1e-3, -1e-3], rtol=1e-6).value == pytest.approx(1.0)


def test_positivity_and_bounds(seird) -> None:
    compartments = np.stack([seird.history[c] for c in epidemic.COMPARTMENTS])
    assert audit.positivity(compartments).passed
    bad = audit.positivity([0.3, -1e-3, 0.2, -5e-4])
    assert not bad.passed and bad.value == pytest.approx(1e-3) and "2 value(s)" in bad.message
    assert audit.positivity([0.3, -1e-14], atol=1e-12).passed
    intensity = fresnel.solve_fresnel_slit(1e-3, 1.0, 5e-7, np.linspace(-1e-3, 1e-3, 41), 64)
    assert audit.bounds(intensity.fields["intensity"], lower=0.0, upper=2.0).passed
    too_high = audit.bounds([0.2, 1.3], lower=0.0, upper=1.0, name="fraction")
    assert not too_high.passed and too_high.value == pytest.approx(0.3)
    failed = robertson.solve_robertson(40.0, 100, method="rk4")
    broken = audit.positivity(np.r_[failed.history["y1"], np.nan])
    assert not broken.passed and broken.value == math.inf and "non-finite" in broken.message


def test_maximum_principle_on_exact_heat_decay_and_a_growing_field() -> None:
    x = np.linspace(0.0, 1.0, 51)
    t = np.linspace(0.0, 0.2, 21)
    decaying = np.exp(-(np.pi**2) * t)[:, None] * np.sin(np.pi * x)[None, :]
    assert audit.maximum_principle(decaying).passed
    growing = decaying.copy()
    growing[10] *= 1.2  # one time level above its predecessor: 1.2 * 0.906 > 1
    result = audit.maximum_principle(growing)
    assert not result.passed and result.value > 1e-3


def test_monotonicity(seird) -> None:
    assert audit.monotonicity(seird.history["D"]).passed
    assert audit.monotonicity(seird.history["S"], increasing=False).passed
    dip = audit.monotonicity([0.0, 1.0, 0.9, 2.0])
    assert not dip.passed and dip.value == pytest.approx(0.1)
    assert not audit.monotonicity(seird.history["I"]).passed  # I rises and falls


def test_symmetry_of_the_slit_pattern() -> None:
    screen = np.linspace(-2e-3, 2e-3, 101)
    sol = fresnel.solve_fresnel_slit(1e-3, 1.0, 5e-7, screen, 64)
    assert audit.symmetry(sol.fields["intensity"]).passed
    shifted = fresnel.solve_fresnel_slit(1e-3, 1.0, 5e-7, screen + 1e-4, 64)
    assert not audit.symmetry(shifted.fields["intensity"]).passed
    # a perturbation within the discretisation bound is allowed, one beyond it is not
    field = np.outer(np.sin(np.linspace(0, np.pi, 21)), np.ones(5))
    field[3, :] += 1e-4
    assert audit.symmetry(field, axis=0, error_bound=1e-4).passed
    assert not audit.symmetry(field, axis=0, error_bound=1e-5).passed
    assert audit.symmetry(field, axis=1).passed


def test_discrete_residual_of_a_poisson_solve() -> None:
    n = 50
    h = 1.0 / (n + 1)
    x = np.linspace(h, 1 - h, n)
    laplacian = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(n, n), format="csc") / h**2
    rhs = np.pi**2 * np.sin(np.pi * x)
    u = spla.spsolve(laplacian, rhs)
    assert audit.discrete_residual(laplacian, u, rhs, rtol=1e-10).passed
    assert audit.discrete_residual(lambda v: laplacian @ v, u, rhs, rtol=1e-10).passed
    sloppy = audit.discrete_residual(laplacian, u * (1 + 1e-4), rhs, rtol=1e-10)
    assert not sloppy.passed and sloppy.value == pytest.approx(1e-4, rel=1e-6)


def test_entropy_and_jump_conditions_for_burgers() -> None:
    shock = audit.entropy_condition(1.0, 0.0, 0.5)
    assert shock.passed and shock.value == pytest.approx(0.5) and shock.condition == "S2"
    expansion = audit.entropy_condition(0.0, 1.0, 0.5)  # u_L < u_R: must be a rarefaction
    assert not expansion.passed and "violates" in expansion.message
    assert not audit.entropy_condition(1.0, 0.0, 1.2).passed  # faster than the left wave
    assert audit.rankine_hugoniot(2.0, 0.5, 1.25).passed
    assert not audit.rankine_hugoniot(2.0, 0.5, 1.6).passed


def test_shock_position_of_a_smeared_profile_gives_the_speed() -> None:
    x = np.linspace(-1.0, 3.0, 401)
    speed = 0.5  # u_L = 1, u_R = 0: Rankine-Hugoniot speed

    def profile(t: float) -> np.ndarray:
        return 0.5 * (1.0 - np.tanh((x - speed * t) / 0.03))

    measured = (
        audit.shock_position(x, profile(2.0), 1.0, 0.0)
        - audit.shock_position(x, profile(0.0), 1.0, 0.0)
    ) / 2.0
    assert measured == pytest.approx(speed, abs=1e-6)
    assert audit.entropy_condition(1.0, 0.0, measured).passed
    with pytest.raises(SimlabError):
        audit.shock_position(x, np.ones_like(x), 1.0, 0.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: audit.conservation([]),
        lambda: audit.conservation([[1.0, 2.0]]),
        lambda: audit.conservation([1.0, 2.0], rtol=-1.0),
        lambda: audit.bounds([1.0], lower=None, upper=None),
        lambda: audit.maximum_principle([1.0]),
        lambda: audit.symmetry([1.0, 2.0], axis=2),
        lambda: audit.entropy_condition(float("nan"), 0.0, 0.5),
        lambda: audit.entropy_condition("left", 0.0, 0.5),
        lambda: audit.rankine_hugoniot(1.0, 1.0, 1.0),
        lambda: audit.discrete_residual(np.eye(3), [1.0, 2.0], [1.0, 2.0, 3.0]),
    ],
)
def test_bad_audit_input_is_a_clear_error(call) -> None:
    with pytest.raises(SimlabError) as info:
        call()
    assert isinstance(info.value, ValueError)
