"""The GCI must bound the TRUE error of real kernels, not only of synthetic power laws.

Each case runs a kernel at three resolutions, builds the study from the kernel's own ``h`` and
declared order, and compares the bound with the error against an independent exact answer.
"""

from __future__ import annotations

import pytest

from simlab.certify.convergence import ConvergenceType, grid_study
from simlab.solvers.kernels import epidemic, fresnel, robertson

LAM = 500e-9


@pytest.mark.parametrize(
    ("a", "z", "x", "panels"),
    [
        (1e-3, 1.0, 0.0, (16, 32, 64)),  # Fresnel number 2, on axis
        (1e-3, 1.0, 0.4e-3, (16, 32, 64)),  # near the edge
        (1e-3, 2.0, 0.0, (20, 32, 50)),  # Fresnel number 1, non-constant ratios 1.6, 1.5625
        (1e-4, 1.0, 2e-3, (8, 16, 32)),  # far field, well off axis
        (2e-3, 0.5, 1.2e-3, (64, 128, 256)),  # Fresnel number 16, geometric shadow
        (1e-3, 0.05, 0.8e-3, (128, 256, 512)),  # Fresnel number 40, deep shadow
    ],
)
def test_gci_bounds_the_fresnel_error(a, z, x, panels) -> None:
    exact = abs(fresnel.fresnel_slit_exact(a, z, LAM, x)[0]) ** 2
    runs = [fresnel.solve_fresnel_slit(a, z, LAM, [x], n, probe=x) for n in panels]
    study = grid_study(
        [r.observables["intensity_probe"] for r in runs],
        [r.h for r in runs],
        formal_order=runs[0].order,
    )
    finest = runs[-1].observables["intensity_probe"]
    assert study.status is ConvergenceType.MONOTONE
    assert abs(study.p_observed - 4.0) < 1.5
    assert abs(finest - exact) <= study.gci_fine_abs
    assert abs(study.f_ext - exact) < abs(finest - exact)  # extrapolation helps


SEIRD = [
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
        (400, 800, 1600),
    ),
    (
        {"beta": 0.3, "sigma": 0.25, "gamma": 0.2, "mu": 0.01, "s0": 9990, "e0": 0, "i0": 10},
        730.0,
        (200, 400, 800),
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
        (300, 500, 800),
    ),
]


@pytest.mark.parametrize(("params", "t_end", "steps"), SEIRD)
def test_gci_bounds_the_seird_final_deaths_error(params, t_end, steps) -> None:
    exact = epidemic.final_size(**params)["D_inf"]
    runs = [epidemic.solve_seird(**params, t_end=t_end, steps=n) for n in steps]
    assert all(r.observables["active_at_end"] < 1e-6 for r in runs)  # t_end ~ infinity
    study = grid_study(
        [r.observables["final_deaths"] for r in runs], [r.h for r in runs], formal_order=4
    )
    error = abs(runs[-1].observables["final_deaths"] - exact)
    assert study.status is ConvergenceType.MONOTONE
    # a bound, and not a vacuous one; an observed order > 1.1 x formal takes Fs = 3 (Roy), so
    # the allowance for over-estimation grows by the same 3 / 1.25
    slack = 3 * study.safety_factor / 1.25
    assert error <= study.gci_fine_abs <= slack * error


@pytest.mark.parametrize(
    ("method", "steps"),
    [("radau3", (50, 100, 200)), ("radau5", (25, 50, 100)), ("backward_euler", (100, 200, 400))],
)
@pytest.mark.parametrize("t_end", [40.0, 4.0e5])
@pytest.mark.parametrize("species", [0, 1])
def test_gci_bounds_the_robertson_error(method, steps, t_end, species, robertson_reference):
    name = robertson.SPECIES[species]
    runs = [robertson.solve_robertson(t_end, n, method=method) for n in steps]
    study = grid_study(
        [r.observables[name] for r in runs], [r.h for r in runs], formal_order=runs[0].order
    )
    error = abs(runs[-1].observables[name] - robertson_reference[t_end][species])
    assert study.status is ConvergenceType.MONOTONE
    assert error <= study.gci_fine_abs <= 3 * error


def test_uncapped_celik_gci_misses_when_the_observed_order_overshoots(robertson_reference):
    # radau5 at t = 4e5 on 25/50/100 steps shows p = 5.49 > 5: pre-asymptotic. Extrapolating
    # with the observed order gives a bound below the true error; the default caps p at 5.
    runs = [robertson.solve_robertson(4.0e5, n) for n in (25, 50, 100)]
    values, h = [r.observables["y1"] for r in runs], [r.h for r in runs]
    error = abs(values[-1] - robertson_reference[4.0e5][0])
    celik = grid_study(values, h, formal_order=5, policy="celik")
    capped = grid_study(values, h, formal_order=5)
    assert celik.p_observed > 5.3
    assert celik.gci_fine_abs < error <= capped.gci_fine_abs


@pytest.fixture(scope="module")
def robertson_reference():
    return {t: robertson.reference_solution(t) for t in (40.0, 4.0e5)}
