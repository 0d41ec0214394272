"""Kernels: generic ODE, Robertson, SEIR-D, Fresnel slit, parallel-beam CT.

Every kernel is checked against an independent answer (closed form, literature value or a
tight-tolerance reference by a different integrator) at several parameter points, and its
declared order against the order it shows.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import skimage.data
from scipy.integrate import quad, solve_ivp

from simlab.errors import SimlabError
from simlab.solvers.kernels import ct, epidemic, fresnel, ode, robertson


def slope(errors: list[float], ratio: float = 2.0) -> list[float]:
    return [math.log(errors[i] / errors[i + 1]) / math.log(ratio) for i in range(len(errors) - 1)]


# --- generic ODE -----------------------------------------------------------------------------


def linear_rhs(t: float, y: np.ndarray) -> np.ndarray:
    return np.array([-2.0 * y[0] + math.cos(t)])


def linear_exact(t: float) -> float:
    # y' = -2y + cos t, y(0) = 1
    particular = (2.0 * math.cos(t) + math.sin(t)) / 5.0
    return particular + (1.0 - 2.0 / 5.0) * math.exp(-2.0 * t)


@pytest.mark.parametrize(
    ("method", "order", "steps"),
    [
        ("euler", 1, (400, 800, 1600)),
        ("rk4", 4, (10, 20, 40)),
        ("backward_euler", 1, (400, 800, 1600)),
        ("radau3", 3, (10, 20, 40)),
        ("radau5", 5, (4, 8, 16)),
    ],
)
def test_fixed_step_methods_show_their_order(method: str, order: int, steps: tuple) -> None:
    errors = []
    for n in steps:
        traj = ode.integrate_fixed(linear_rhs, [1.0], ode.uniform_grid(2.0, n), method)
        assert not traj.failed
        errors.append(abs(traj.y[-1, 0] - linear_exact(2.0)))
    assert all(abs(p - order) < 0.2 for p in slope(errors)), (method, slope(errors))


def test_geometric_grid_keeps_the_order() -> None:
    errors = []
    for n in (20, 40, 80):
        grid = ode.geometric_grid(2.0, n, t_scale=0.5)
        assert grid[0] == 0.0 and grid[-1] == 2.0 and np.all(np.diff(np.diff(grid)) > 0)
        final = ode.integrate_fixed(linear_rhs, [1.0], grid, "radau3").y[-1, 0]
        errors.append(abs(final - linear_exact(2.0)))
    assert all(abs(p - 3) < 0.1 for p in slope(errors)), slope(errors)


def stiff_rhs(t: float, y: np.ndarray) -> np.ndarray:
    return np.array([-1000.0 * (y[0] - math.cos(t)) - math.sin(t)])


def test_implicit_is_stable_and_explicit_fails_visibly_on_a_stiff_problem() -> None:
    grid = ode.uniform_grid(5.0, 50)  # h = 0.1, h * 1000 = 100
    implicit = ode.integrate_fixed(stiff_rhs, [1.0], grid, "radau5")
    assert not implicit.failed and abs(implicit.y[-1, 0] - math.cos(5.0)) < 1e-6
    explicit = ode.integrate_fixed(stiff_rhs, [1.0], grid, "rk4")
    assert explicit.failed and "blew up" in explicit.message
    assert explicit.steps < 50 and np.all(np.isfinite(explicit.y))


def test_numerical_jacobian_matches_the_analytic_one() -> None:
    grid = ode.uniform_grid(1.0, 20)
    with_fd = ode.integrate_fixed(stiff_rhs, [1.0], grid, "radau3")
    with_jac = ode.integrate_fixed(
        stiff_rhs, [1.0], grid, "radau3", jac=lambda t, y: np.array([[-1000.0]])
    )
    assert abs(with_fd.y[-1, 0] - with_jac.y[-1, 0]) < 1e-10


def test_adaptive_dense_output_and_step_cap() -> None:
    times = np.linspace(0.0, 2.0, 9)
    traj = ode.integrate_adaptive(
        linear_rhs, [1.0], (0.0, 2.0), method="DOP853", rtol=1e-11, atol=1e-13, t_eval=times
    )
    assert np.allclose(traj.t, times)
    assert np.allclose(traj.y[:, 0], [linear_exact(t) for t in times], atol=1e-9)
    capped = ode.integrate_adaptive(stiff_rhs, [1.0], (0.0, 100.0), method="RK45", max_steps=200)
    assert capped.failed and "step cap 200" in capped.message and capped.steps == 200


def test_hermite_interpolation_is_fourth_order() -> None:
    queries = np.linspace(0.0, 1.0, 997)
    errors = []
    for n in (10, 20, 40):
        t = np.linspace(0.0, 1.0, n + 1)
        y, dy = np.sin(3 * t)[:, None], 3 * np.cos(3 * t)[:, None]
        values = [ode.hermite_interpolate(t, y, dy, q)[0] for q in queries]
        errors.append(float(np.max(np.abs(np.array(values) - np.sin(3 * queries)))))
    assert all(abs(p - 4) < 0.15 for p in slope(errors)), slope(errors)


def test_solve_ode_wraps_a_solution() -> None:
    sol = ode.solve_ode(linear_rhs, [1.0], 2.0, 40, method="rk4", names=["u"])
    assert sol.order == 4 and sol.h == pytest.approx(0.05) and sol.resolution == 40
    assert abs(sol.observables["u_final"] - linear_exact(2.0)) < 1e-7
    assert sol.history["u"].shape == (41,) and not sol.meta["failed"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: ode.integrate_fixed(linear_rhs, [1.0], [0.0, 1.0], "rk5"),
        lambda: ode.integrate_fixed(linear_rhs, [1.0], [0.0, 0.0], "rk4"),
        lambda: ode.integrate_fixed(linear_rhs, [math.nan], [0.0, 1.0], "rk4"),
        lambda: ode.uniform_grid(1.0, 0),
        lambda: ode.geometric_grid(1.0, 10, t_scale=-1.0),
        lambda: ode.solve_ode(linear_rhs, [1.0], 1.0, 10, grid="geometric"),
        lambda: ode.solve_ode(linear_rhs, [1.0], 1.0, 10, names=["a", "b"]),
    ],
)
def test_ode_bad_input_is_a_clear_error(call) -> None:
    with pytest.raises(SimlabError) as info:
        call()
    assert isinstance(info.value, ValueError)


# --- Robertson -------------------------------------------------------------------------------


def test_robertson_known_answer_at_t40() -> None:
    sol = robertson.solve_robertson(40.0, 100)
    o = sol.observables
    assert o["y1"] == pytest.approx(0.7158, abs=1e-4)
    assert o["y2"] == pytest.approx(9.185e-6, abs=1e-9)
    assert o["y3"] == pytest.approx(0.2842, abs=1e-4)
    assert o["conservation_drift"] < 1e-13 and sol.order == 5 and sol.h == 0.01


@pytest.fixture(scope="module")
def robertson_references() -> dict[float, np.ndarray]:
    return {t: robertson.reference_solution(t) for t in (40.0, 4.0e5)}


@pytest.mark.parametrize("t_end", [40.0, 4.0e5])
def test_robertson_matches_a_tight_radau_reference(t_end, robertson_references) -> None:
    ref = robertson_references[t_end]
    sol = robertson.solve_robertson(t_end, 200)
    got = np.array([sol.observables[s] for s in robertson.SPECIES])
    assert np.all(np.abs(got - ref) / ref < 2e-8), np.abs(got - ref) / ref


@pytest.mark.parametrize(
    ("method", "order", "steps"),
    [("radau3", 3, (50, 100, 200)), ("backward_euler", 1, (100, 200, 400))],
)
@pytest.mark.parametrize("t_end", [40.0, 4.0e5])
def test_robertson_shows_the_declared_order(method, order, steps, t_end, robertson_references):
    ref = robertson_references[t_end]
    errors = [
        abs(robertson.solve_robertson(t_end, n, method=method).observables["y2"] - ref[1])
        for n in steps
    ]
    assert all(abs(p - order) < 0.15 for p in slope(errors)), slope(errors)


def test_stiffness_ratio_closed_form_agrees_with_eigenvalues_and_grows() -> None:
    y40 = robertson.reference_solution(40.0, rtol=1e-10)
    jac = robertson.robertson_jacobian(*robertson.DEFAULT_RATES)(40.0, y40)
    numeric = ode.stiffness_ratio_from_jacobian(jac, conserved=np.ones(3))
    closed = robertson.stiffness_ratio(y40)
    assert closed == pytest.approx(numeric, rel=1e-8)
    assert 1e5 < closed < 1e6
    late = robertson.solve_robertson(4.0e5, 100).observables["stiffness_ratio"]
    assert 1e9 < late < 1e10
    # quasi-steady late state y2 ~ 1e-13, y3 ~ 1 gives a ratio ~1e15 (KNOWN_ANSWERS: ~1e11+)
    assert robertson.stiffness_ratio((2.1e-8, 8.3e-14, 1.0)) > 1e11
    assert robertson.stiffness_ratio((1.0, 0.0, 0.0)) == 1.0


def test_explicit_integration_fails_honestly_on_robertson() -> None:
    rk4 = robertson.solve_robertson(40.0, 200, method="rk4")
    assert rk4.meta["failed"] and rk4.meta["explicit"] and math.isnan(rk4.observables["y1"])
    capped = robertson.solve_robertson(4.0e5, method="RK45", max_steps=3000)
    assert capped.meta["failed"] and "step cap 3000" in capped.meta["message"]
    assert capped.meta["t_reached"] < 100.0
    short = robertson.solve_robertson(1.0, method="RK45", rtol=1e-6)
    ref = robertson.reference_solution(1.0)
    assert not short.meta["failed"] and abs(short.observables["y1"] - ref[0]) < 1e-5
    assert short.meta["steps"] > 300  # stability, not accuracy, sets the step: ~1/|lambda_max|
    assert robertson.solve_robertson(1.0, 20).meta["steps"] == 20


@pytest.mark.parametrize(
    "kwargs",
    [
        {"k1": -1.0},
        {"y0": (1.0, 0.0)},
        {"y0": (1.0, -0.1, 0.0)},
        {"method": "euler"},
        {"t_end": 0.0},
        {"steps": 0},
    ],
)
def test_robertson_bad_input(kwargs) -> None:
    with pytest.raises(SimlabError):
        robertson.solve_robertson(**kwargs)


# --- SEIR-D ----------------------------------------------------------------------------------

SEIRD_CASES = [
    # (parameters, t_end, steps): R0 = 4.9, 1.43 (slow, near threshold), 3.3 with R, D seeded
    (
        {
            "beta": 0.5,
            "sigma": 1 / 5.2,
            "gamma": 0.1,
            "mu": 0.002,
            "s0": 1e6 - 110,
            "e0": 100,
            "i0": 10,
        },
        730.0,
        1600,
    ),
    (
        {"beta": 0.3, "sigma": 0.25, "gamma": 0.2, "mu": 0.01, "s0": 9990, "e0": 0, "i0": 10},
        730.0,
        800,
    ),
    (
        {
            "beta": 1.0,
            "sigma": 0.5,
            "gamma": 0.25,
            "mu": 0.05,
            "s0": 5e4,
            "e0": 20,
            "i0": 5,
            "r0": 1000,
            "d0": 3,
        },
        365.0,
        1600,
    ),
]


@pytest.mark.parametrize(("params", "t_end", "steps"), SEIRD_CASES)
def test_seird_final_deaths_match_the_final_size_relation(params, t_end, steps) -> None:
    exact = epidemic.final_size(**params)
    sol = epidemic.solve_seird(**params, t_end=t_end, steps=steps)
    o = sol.observables
    assert o["active_at_end"] < 1e-6
    assert o["final_deaths"] == pytest.approx(exact["D_inf"], rel=1e-8)
    assert o["final_susceptible"] == pytest.approx(exact["S_inf"], rel=1e-6)
    total = sum(params.get(k, 0.0) for k in ("s0", "e0", "i0", "r0", "d0"))
    assert o["conservation_drift"] < 1e-13 and o["total"] == pytest.approx(total, rel=1e-13)
    assert o["min_compartment"] == 0.0
    assert np.all(np.diff(sol.history["D"]) >= 0.0)
    assert np.all(np.diff(sol.history["S"]) <= 0.0)


def test_final_size_against_the_classic_sir_attack_rate() -> None:
    # mu = 0, a tiny seed: the attack rate z solves z = 1 - exp(-R0 z); R0 = 2 gives 0.796812
    n = 1e9
    limits = epidemic.final_size(0.4, 1.0, 0.2, 0.0, n - 1.0, 0.0, 1.0)
    assert 1.0 - limits["S_inf"] / n == pytest.approx(0.796812, abs=2e-6)
    assert limits["D_inf"] == 0.0
    assert epidemic.final_size(0.4, 1.0, 0.2, 0.1, 100.0, 0.0, 0.0)["S_inf"] == 100.0


def test_seird_peak_time_against_an_independent_integrator() -> None:
    params, t_end, _ = SEIRD_CASES[0]
    rhs = epidemic.seird_rhs(params["beta"], params["sigma"], params["gamma"], params["mu"], 1e6)

    def turning(t, y):
        return params["sigma"] * y[1] - (params["gamma"] + params["mu"]) * y[2]

    turning.direction = -1
    y0 = [params["s0"], params["e0"], params["i0"], 0.0, 0.0]
    ref = solve_ivp(rhs, (0, 200), y0, method="DOP853", rtol=1e-12, atol=1e-9, events=turning)
    peak = ref.t_events[0][0]
    errors = []
    for steps in (400, 800, 1600):
        sol = epidemic.solve_seird(**params, t_end=t_end, steps=steps)
        assert sol.meta["peak_status"] == "interior"
        errors.append(abs(sol.observables["peak_time"] - peak))
    assert errors[-1] < 1e-5 and errors[-1] < errors[0]
    assert sol.observables["peak_infected"] == pytest.approx(ref.y_events[0][0][2], rel=1e-6)


def test_seird_final_deaths_converge_at_order_four() -> None:
    params, t_end, _ = SEIRD_CASES[2]
    exact = epidemic.final_size(**params)["D_inf"]
    errors = [
        abs(
            epidemic.solve_seird(**params, t_end=t_end, steps=n).observables["final_deaths"] - exact
        )
        for n in (400, 800, 1600)
    ]
    assert all(abs(p - 4) < 0.25 for p in slope(errors)), slope(errors)


def test_seird_unresolved_steps_fail_visibly_and_unreached_peak_is_flagged() -> None:
    params, _, _ = SEIRD_CASES[2]
    coarse = epidemic.solve_seird(**params, t_end=1500.0, steps=200)
    assert coarse.meta["failed"] and math.isnan(coarse.observables["final_deaths"])
    early = epidemic.solve_seird(**params, t_end=5.0, steps=50)
    assert math.isnan(early.observables["peak_time"])
    assert early.meta["peak_status"].startswith("not reached")


@pytest.mark.parametrize(
    "bad", [{"beta": -0.1}, {"gamma": 0.0}, {"s0": -1.0}, {"steps": 0}, {"method": "leapfrog"}]
)
def test_seird_bad_input(bad) -> None:
    params = {
        "beta": 0.5,
        "sigma": 0.2,
        "gamma": 0.1,
        "mu": 0.01,
        "s0": 990.0,
        "e0": 0.0,
        "i0": 10.0,
        **bad,
    }
    with pytest.raises(SimlabError):
        epidemic.solve_seird(**params)


# --- Fresnel slit ----------------------------------------------------------------------------

LAM = 500e-9
FRESNEL_POINTS = [
    # (a, z, x): Fresnel numbers 2 (centre, near edge), 1, 0.02 (far field), 16 and 40 (shadow)
    (1e-3, 1.0, 0.0),
    (1e-3, 1.0, 0.4e-3),
    (1e-3, 2.0, 0.0),
    (1e-4, 1.0, 2e-3),
    (2e-3, 0.5, 1.2e-3),
    (1e-3, 0.05, 0.8e-3),
]


@pytest.mark.parametrize(("a", "z", "x"), FRESNEL_POINTS)
def test_fresnel_closed_form_matches_direct_quadrature(a, z, x) -> None:
    scale = 1.0 / np.sqrt(1j * LAM * z)

    def phase(xi: float) -> float:
        return math.pi * (x - xi) ** 2 / (LAM * z)

    limit = 2000
    re = quad(lambda xi: math.cos(phase(xi)), -a / 2, a / 2, limit=limit, epsabs=1e-13)[0]
    im = quad(lambda xi: math.sin(phase(xi)), -a / 2, a / 2, limit=limit, epsabs=1e-13)[0]
    exact = fresnel.fresnel_slit_exact(a, z, LAM, x)[0]
    assert abs(exact - scale * (re + 1j * im)) < 1e-8


def test_fresnel_limits_wide_slit_edge_and_far_field() -> None:
    wide = np.abs(fresnel.fresnel_slit_exact(2e-2, 0.1, LAM, [0.0, 1e-2, 1.3e-2])) ** 2
    assert wide[0] == pytest.approx(1.0, abs=0.03)  # lit region
    assert wide[1] == pytest.approx(0.25, abs=0.01)  # geometric shadow boundary
    assert wide[2] < 1e-2  # deep shadow
    a, z = 1e-4, 5.0  # Fresnel number 0.004: Fraunhofer I = (a^2 / lam z) sinc^2(a x / lam z)
    x = np.array([0.0, 5e-3, 1.2e-2])
    fraunhofer = a * a / (LAM * z) * np.sinc(a * x / (LAM * z)) ** 2
    exact = np.abs(fresnel.fresnel_slit_exact(a, z, LAM, x)) ** 2
    assert np.allclose(exact, fraunhofer, rtol=0.02, atol=1e-5)


@pytest.mark.parametrize(("a", "z", "x"), FRESNEL_POINTS[:4])
def test_fresnel_simpson_is_fourth_order_and_accurate(a, z, x) -> None:
    exact = abs(fresnel.fresnel_slit_exact(a, z, LAM, x)[0]) ** 2
    errors = []
    for panels in (32, 64, 128):
        sol = fresnel.solve_fresnel_slit(a, z, LAM, [x], panels, probe=x)
        errors.append(abs(sol.observables["intensity_probe"] - exact))
    assert all(abs(p - 4) < 0.15 for p in slope(errors)), slope(errors)
    assert errors[-1] < 1e-7 and sol.order == 4 and sol.h == a / 128


def test_fresnel_shadow_needs_resolved_phase() -> None:
    a, z, x = 1e-3, 0.05, 0.8e-3  # Fresnel number 40, deep in the shadow
    exact = abs(fresnel.fresnel_slit_exact(a, z, LAM, x)[0]) ** 2
    coarse = fresnel.solve_fresnel_slit(a, z, LAM, [x], 32, probe=x)
    fine = fresnel.solve_fresnel_slit(a, z, LAM, [x], 512, probe=x)
    assert (
        coarse.meta["max_phase_per_panel"] > 5
        and abs(coarse.observables["intensity_probe"] - exact) > 0.1
    )
    assert (
        fine.meta["max_phase_per_panel"] < 1
        and abs(fine.observables["intensity_probe"] - exact) < 1e-5
    )


def test_fresnel_trapezoid_is_second_order_and_screen_is_symmetric() -> None:
    exact = abs(fresnel.fresnel_slit_exact(1e-3, 1.0, LAM, 0.0)[0]) ** 2
    errors = [
        abs(
            fresnel.solve_fresnel_slit(1e-3, 1.0, LAM, [0.0], n, rule="trapezoid").observables[
                "intensity_probe"
            ]
            - exact
        )
        for n in (32, 64, 128)
    ]
    assert all(abs(p - 2) < 0.1 for p in slope(errors))
    screen = np.linspace(-2e-3, 2e-3, 81)
    intensity = fresnel.solve_fresnel_slit(1e-3, 1.0, LAM, screen, 64).fields["intensity"]
    assert np.allclose(intensity, intensity[::-1], rtol=1e-10, atol=0)


@pytest.mark.parametrize(
    "bad", [{"panels": 33}, {"a": 0.0}, {"lam": -1.0}, {"x": []}, {"rule": "gauss"}]
)
def test_fresnel_bad_input(bad) -> None:
    args = {"a": 1e-3, "z": 1.0, "lam": LAM, "x": [0.0], "panels": 32, **bad}
    with pytest.raises(SimlabError):
        fresnel.solve_fresnel_slit(**args)


# --- CT --------------------------------------------------------------------------------------


def test_shepp_logan_phantom_ships_with_scikit_image() -> None:
    assert (Path(skimage.data.__file__).parent / "phantom.png").is_file()
    image = skimage.data.shepp_logan_phantom()
    assert image.shape == (400, 400) and image.min() == 0.0 and image.max() == 1.0


def test_fbp_error_falls_with_angles_then_saturates() -> None:
    errors = {n: ct.solve_ct(64, n).observables["rel_l2_error"] for n in (16, 32, 64, 128)}
    assert errors[16] > 1.5 * errors[32] > 1.5 * 0.8 * errors[64]
    assert abs(errors[128] - errors[64]) < 0.02 * errors[64]  # the pixel floor
    assert 0.15 < errors[64] < 0.2
    sol = ct.solve_ct(64, 64)
    assert sol.observables["psnr"] > 26 and sol.observables["ssim"] > 0.9
    assert math.isnan(sol.order) and "no formal order" in sol.meta["order_note"]


def test_360_degrees_duplicate_data_and_a_wrong_angle_list_corrupts_fbp() -> None:
    half = ct.solve_ct(64, 32)
    full = ct.solve_ct(64, 64, span_deg=360.0)
    assert np.allclose(full.fields["image"], half.fields["image"], atol=1e-12)
    matched = ct.solve_ct(64, 64)
    wrong = ct.solve_ct(64, 64, assumed_span_deg=360.0)
    assert wrong.observables["rel_l2_error"] > 3 * matched.observables["rel_l2_error"]
    assert matched.observables["psnr"] - wrong.observables["psnr"] > 10


def test_sart_is_non_negative_and_beats_fbp_at_matched_sampling() -> None:
    fbp = ct.solve_ct(64, 64)
    sart = ct.solve_ct(64, 64, method="sart")
    assert fbp.observables["negative_pixels"] > 0 and sart.observables["negative_pixels"] == 0
    assert sart.observables["rel_l2_error"] < 0.75 * fbp.observables["rel_l2_error"]
    residuals = sart.meta["sart_residuals"]
    assert len(residuals) == 3 and residuals[0] > residuals[1] > residuals[2]


def test_noise_stops_sart_at_the_discrepancy_principle() -> None:
    sol = ct.solve_ct(64, 64, method="sart", noise_photons=1e3, sart_iterations=30)
    assert sol.meta["stopped"] == "discrepancy principle" and sol.meta["sart_sweeps"] < 10
    assert sol.meta["sart_residuals"][-1] <= ct.DISCREPANCY_FACTOR * sol.meta["noise_level"]
    fbp = ct.solve_ct(64, 64, noise_photons=1e3)
    assert sol.observables["rel_l2_error"] < fbp.observables["rel_l2_error"] < 0.25


def test_sart_sweeps_are_the_regularisation() -> None:
    # weak noise: the misfit floor is model error, the rule never fires; too many sweeps overfit
    few = ct.solve_ct(64, 64, method="sart", noise_photons=5e3, sart_iterations=3)
    many = ct.solve_ct(64, 64, method="sart", noise_photons=5e3, sart_iterations=10)
    assert many.meta["stopped"] == "iteration cap"
    assert many.observables["rel_l2_error"] > 1.2 * few.observables["rel_l2_error"]


def test_inverse_crime_flatters_the_iterative_method() -> None:
    honest = ct.solve_ct(64, 128, method="sart", data_oversampling=3)
    crime = ct.solve_ct(64, 128, method="sart", data_oversampling=1)
    assert crime.observables["rel_l2_error"] < 0.7 * honest.observables["rel_l2_error"]


@pytest.mark.parametrize(
    "bad",
    [
        {"size": 4},
        {"n_angles": 0},
        {"method": "art"},
        {"data_oversampling": 2},
        {"span_deg": 0.0},
        {"filter_name": "lanczos"},
    ],
)
def test_ct_bad_input(bad) -> None:
    with pytest.raises(SimlabError):
        ct.solve_ct(**bad)
