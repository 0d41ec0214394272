"""Branch points, branch switching, Hopf points and stability on problems with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ellipk

from simlab.diagnostics import Branch, DiagnosticsError, continuation, switch_branch
from simlab.diagnostics.problems import (
    brusselator,
    brusselator_1d,
    chafee_infante,
    elastica,
    lorenz_equilibria,
    pitchfork,
    saddle_node,
)
from simlab.diagnostics.references import dirichlet_eigenvalue
from simlab.errors import SimlabError


def _sign_changes(u: np.ndarray) -> int:
    signs = np.sign(u[np.abs(u) > 1e-8 * np.abs(u).max()])
    return int(np.count_nonzero(np.diff(signs)))


@pytest.fixture(scope="module", params=[24, 49])
def chafee_trivial(request: pytest.FixtureRequest) -> tuple[int, Branch]:
    n = request.param
    s = chafee_infante(n)
    return n, continuation(s.problem, s.u0, s.lam0, ds=0.1, ds_max=0.5, lam_max=10.0)


def test_chafee_infante_branch_points_match_the_discrete_eigenvalues(chafee_trivial) -> None:
    n, branch = chafee_trivial
    points = branch.special_points
    assert [p.type for p in points] == ["branch_point"] * 3  # typed: no fold on u = 0
    h = np.pi / (n + 1)
    for k, point in enumerate(points, start=1):
        discrete = 2.0 / h**2 * (1.0 - np.cos(k * h))
        assert discrete == pytest.approx(dirichlet_eigenvalue(n, k, np.pi), rel=1e-15)
        assert point.value == pytest.approx(discrete, abs=2e-13 * discrete)  # round-off
        # and within the O(h^2) discretisation error k^4 h^2 / 12 of the continuum n^2
        assert abs(point.value - k**2) == pytest.approx(k**4 * h**2 / 12, rel=0.05)
        assert point.residual == 0.0  # u = 0 solves F exactly
        assert point.test_residual < 1e-10
    # trivial state: stable below lam = 1, k unstable modes after the k-th branch point
    lam = branch.lam
    for k in range(4):
        lo = 0.0 if k == 0 else points[k - 1].value
        hi = points[k].value if k < 3 else np.inf
        inside = (lam > lo + 1e-9) & (lam < hi - 1e-9)
        assert (branch.n_unstable[inside] == k).all()


@pytest.mark.parametrize("k", [1, 2, 3])
def test_chafee_infante_switches_onto_each_nontrivial_branch(chafee_trivial, k: int) -> None:
    n, trivial = chafee_trivial
    s = chafee_infante(n)
    point = trivial.special_points[k - 1]
    halves = [
        switch_branch(s.problem, point, direction=d, ds=0.05, ds_max=0.3, lam_max=k * k + 3.0)
        for d in (1, -1)
    ]
    for branch in halves:
        assert branch.lam.min() > point.value  # supercritical pitchfork: bends to larger lam
        assert np.all(np.max(np.abs(branch.u), axis=1) > 1e-3)  # left the trivial branch
        assert all(_sign_changes(u) == k - 1 for u in branch.u)  # k humps
        assert (branch.n_unstable == k - 1).all()  # one-hump stable, 2-, 3-hump unstable
        assert branch.stable.all() == (k == 1)
        assert np.all(np.abs(branch.u) < 1.0)  # |u| < 1 on every nontrivial branch
        assert not branch.special_points
    # the two directions give the two symmetric halves u and -u of the pitchfork
    plus, minus = halves
    m = min(len(plus), len(minus))
    np.testing.assert_allclose(plus.u[:m], -minus.u[:m], atol=1e-10)
    np.testing.assert_allclose(plus.lam[:m], minus.lam[:m], atol=1e-10)


def test_pitchfork_normal_form() -> None:
    s = pitchfork(-1.0)
    trivial = continuation(s.problem, s.u0, s.lam0, lam_max=1.0)
    (point,) = trivial.special_points
    assert point.type == "branch_point" and abs(point.value) < 1e-14
    assert (
        trivial.stable[trivial.lam < -1e-9].all() and not trivial.stable[trivial.lam > 1e-9].any()
    )
    for direction in (1, -1):
        branch = switch_branch(s.problem, point, direction=direction, ds=0.05, lam_max=1.0)
        x = branch.u[:, 0]
        np.testing.assert_allclose(x, direction * np.sqrt(branch.lam), atol=1e-12)
        assert branch.stable.all()


def test_saddle_node_is_a_fold_with_a_stability_change() -> None:
    s = saddle_node(1.0)
    branch = continuation(s.problem, s.u0, s.lam0, direction=-1, lam_min=-1.0, lam_max=1.5)
    (fold,) = branch.special_points
    assert fold.type == "fold" and abs(fold.value) < 1e-14 and abs(fold.u[0]) < 1e-7
    upper, lower = branch.u[:, 0] > 1e-6, branch.u[:, 0] < -1e-6
    assert branch.stable[upper].all() and not branch.stable[lower].any()
    np.testing.assert_allclose(branch.u[:, 0] ** 2, branch.lam, atol=1e-12)


@pytest.mark.parametrize("a", [0.5, 1.0, 2.0])
def test_brusselator_hopf_at_one_plus_a_squared(a: float) -> None:
    s = brusselator(a, b0=0.5)
    branch = continuation(s.problem, s.u0, s.lam0, lam_max=1.0 + a * a + 2.0)
    (hopf,) = branch.special_points
    assert hopf.type == "hopf" and hopf.parameter == "b"
    assert hopf.value == pytest.approx(1.0 + a * a, abs=1e-12)
    assert hopf.frequency == pytest.approx(a, rel=1e-10)  # omega^2 = det J = a^2
    np.testing.assert_allclose(hopf.u, [a, (1.0 + a * a) / a], rtol=1e-12)
    assert branch.stable[branch.lam < hopf.value - 1e-9].all()
    assert not branch.stable[branch.lam > hopf.value + 1e-9].any()


@pytest.mark.parametrize("n", [40, 150])  # 300 unknowns: sparse shift-invert eigenvalues
def test_brusselator_reaction_diffusion_hopf_and_turing_points(n: int) -> None:
    a, d = 2.0, 0.02
    s = brusselator_1d(n, a=a, d1=d, d2=d)
    branch = continuation(s.problem, s.u0, s.lam0, ds=0.2, ds_max=1.0, lam_max=9.2)
    mu = np.array([dirichlet_eigenvalue(n, k, 1.0) for k in range(1, n + 1)])
    hopf_exact = 1.0 + a * a + 2.0 * d * mu[:2]  # trace of the k-th mode block vanishes
    turing_exact = np.min(1.0 + a * a + a * a / (d * mu) + d * mu)  # its determinant does
    kinds = [p.type for p in branch.special_points]
    assert kinds == ["hopf", "hopf", "branch_point"]
    for point, exact in zip(branch.special_points[:2], hopf_exact, strict=True):
        assert point.value == pytest.approx(exact, abs=1e-12)
        d_mu = (exact - 1.0 - a * a) / 2.0
        omega = np.sqrt(a * a * exact - (a * a + d_mu) ** 2)  # det of the mode block
        assert point.frequency == pytest.approx(omega, rel=1e-10)
    assert branch.special_points[2].value == pytest.approx(turing_exact, abs=1e-11)
    assert 9.0 < turing_exact < 9.1  # continuum Turing threshold (1 + a)^2 = 9


def test_lorenz_pitchfork_at_one_and_hopf_at_24_7368() -> None:
    sigma, beta = 10.0, 8.0 / 3.0
    s = lorenz_equilibria(sigma, beta)
    origin = continuation(s.problem, s.u0, s.lam0, lam_max=30.0)
    (bp,) = origin.special_points
    assert bp.type == "branch_point" and bp.value == pytest.approx(1.0, abs=1e-13)
    branch = switch_branch(s.problem, bp, ds=0.05, ds_max=1.0, lam_max=30.0)
    (hopf,) = branch.special_points
    rho_h = sigma * (sigma + beta + 3.0) / (sigma - beta - 1.0)
    assert hopf.type == "hopf" and hopf.value == pytest.approx(rho_h, abs=1e-10)
    assert rho_h == pytest.approx(24.7368, abs=1e-4)
    assert hopf.frequency == pytest.approx(np.sqrt(beta * (sigma + rho_h)), rel=1e-10)
    c = np.sqrt(beta * (hopf.value - 1.0))
    np.testing.assert_allclose(np.abs(hopf.u), [c, c, hopf.value - 1.0], rtol=1e-12)
    assert branch.stable[branch.lam < rho_h - 1e-6].all()  # C+- stable up to rho_H
    assert not branch.stable[branch.lam > rho_h + 1e-6].any()


@pytest.mark.parametrize(("length", "stiffness"), [(1.0, 1.0), (2.0, 3.0)])
def test_euler_buckling_critical_load_and_postbuckling(length: float, stiffness: float) -> None:
    n = 51
    s = elastica(n, length, stiffness)
    p_cr = np.pi**2 * stiffness / length**2
    straight = continuation(s.problem, s.u0, s.lam0, ds=0.1, lam_max=1.5 * p_cr)
    point = straight.special_points[0]
    assert point.type == "branch_point" and point.parameter == "P"
    assert point.value == pytest.approx(stiffness * dirichlet_eigenvalue(n, 1, length), rel=1e-13)
    h = length / (n + 1)
    assert point.value == pytest.approx(p_cr, rel=np.pi**2 * h**2 / length**2)  # O(h^2)
    assert straight.stable[straight.lam < point.value].all()  # straight column: stable ...
    assert not straight.stable[straight.lam > point.value + 1e-9].any()  # ... then not
    buckled = switch_branch(s.problem, point, ds=0.01, ds_max=0.1, lam_max=1.3 * p_cr)
    assert buckled.stable.all() and buckled.lam.min() > point.value  # supercritical
    # elastica: P = EI (2 K(k) / L)^2 and mid-span deflection y = k L / K(k)
    load, y_mid = buckled.lam[-1], abs(buckled.measure[-1])
    k_mod = np.sqrt(_modulus_for_load(load * length**2 / (4.0 * stiffness)))
    assert y_mid == pytest.approx(k_mod * length / ellipk(k_mod**2), rel=5e-3)


def _modulus_for_load(k_squared_target: float) -> float:
    """m with K(m)^2 = target (K the complete elliptic integral of the first kind)."""
    from scipy.optimize import brentq

    return brentq(lambda m: ellipk(m) ** 2 - k_squared_target, 0.0, 0.999)


def test_bad_input_gives_clear_errors() -> None:
    s = pitchfork()
    with pytest.raises(DiagnosticsError, match="outside"):
        continuation(s.problem, s.u0, 5.0, lam_max=1.0)
    with pytest.raises(DiagnosticsError, match="shape"):
        continuation(s.problem, np.zeros(3), 0.0)
    with pytest.raises(DiagnosticsError, match="ds_min"):
        continuation(s.problem, s.u0, -1.0, ds=1.0, ds_max=0.1)
    with pytest.raises(DiagnosticsError, match="unknown special"):
        continuation(s.problem, s.u0, -1.0, detect=("cusp",))
    fold = continuation(*_saddle_args(), direction=-1, lam_min=-1.0).special_points[0]
    with pytest.raises(DiagnosticsError, match="branch point") as info:
        switch_branch(saddle_node().problem, fold)
    assert isinstance(info.value, SimlabError) and isinstance(info.value, ValueError)


def _saddle_args() -> tuple:
    s = saddle_node(1.0)
    return s.problem, s.u0, s.lam0
