"""Spec-driven PDE solvers: fit from the spec's structure, convergence study, exact error under
the GCI bound, audits, at several parameter points made by editing the dev specs' text.

Studies run through :func:`simlab.certify.study.run_study` (grid_study per observable) on
small resolution triples, without the Judge.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from simlab.certify.convergence import ConvergenceType
from simlab.certify.study import Study, run_study
from simlab.errors import SolverError
from simlab.pipeline import _exact_value
from simlab.solvers.builtin.eigen import LaplaceEigenSolver
from simlab.solvers.builtin.elliptic import PoissonSolver
from simlab.solvers.builtin.hyperbolic import (
    AdvectionLaxWendroffSolver,
    AdvectionUpwindSolver,
    WaveLeapfrogSolver,
)
from simlab.solvers.builtin.nonlinear import BratuNewtonSolver
from simlab.solvers.builtin.parabolic import FisherKppSolver, HeatThetaSolver
from simlab.solvers.kernels.bratu import bratu_exact_1d
from simlab.solvers.kernels.waveguide import waveguide_cutoffs_exact
from simlab.solvers.protocol import SpecSolver, registered
from simlab.solvers.registry import select
from simlab.solvers.spec_values import SpecValues
from simlab.spec import parse
from simlab.spec.model import Spec

DEV = Path(__file__).resolve().parents[2] / "specs" / "dev"
ORDER_TOLERANCE = 0.3

DEV_SPECS = {
    "poisson_2d": (PoissonSolver, (8, 16, 32)),
    "heat_1d": (HeatThetaSolver, (16, 32, 64)),
    "heat_2d": (HeatThetaSolver, (8, 16, 32)),
    "wave_1d": (WaveLeapfrogSolver, (16, 32, 64)),
    "advection_1d": (AdvectionUpwindSolver, (64, 128, 256)),
    "fisher_kpp": (FisherKppSolver, (250, 500, 1000)),
    "bratu_1d": (BratuNewtonSolver, (16, 32, 64)),
    "waveguide_tm": (LaplaceEigenSolver, (8, 16, 32)),
    "waveguide_te": (LaplaceEigenSolver, (8, 16, 32)),
}


def dev_text(name: str) -> str:
    return (DEV / f"{name}.md").read_text()


def edited(name: str, *replacements: tuple[str, str]) -> Spec:
    """A dev spec with text replaced (each ``old`` must occur, so an edit cannot miss)."""
    text = dev_text(name)
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return parse(text)


def study(solver: SpecSolver, spec: Spec, triple: tuple[int, ...]) -> Study:
    """A convergence study on exactly ``triple`` (no tolerance-driven refinement)."""
    fit = solver.fit(spec)
    assert fit.ok, fit.reason
    solver.resolutions = triple  # instance override: small grids for tests
    return run_study(solver, spec, lambda name, value: None)


def exact(spec: Spec, name: str) -> float:
    """The spec's analytic reference at the observable's point."""
    reference = spec.tolerance.reference_for(name)
    assert reference is not None and reference.kind == "analytic"
    return _exact_value(SpecValues(spec), spec.observable(name).definition, reference.value)


def assert_certified(result, formal: float, truth: float | None) -> None:
    assert result.status is ConvergenceType.MONOTONE, result.message
    assert abs(result.p_observed - formal) <= ORDER_TOLERANCE, result.p_observed
    if truth is not None:
        assert abs(result.values[0] - truth) <= result.gci_fine_abs, (
            result.values[0],
            truth,
            result.gci_fine_abs,
        )


def check_spec(solver_cls: type[SpecSolver], spec: Spec, triple, truths=None) -> Study:
    """Fit, study, and every observable: order, exact error under the bound; audit passes."""
    solver = solver_cls()
    result = study(solver, spec, triple)
    assert set(result.results) == {o.name for o in spec.observables}
    for name, res in result.results.items():
        truth = (truths or {}).get(name)
        if truth is None and spec.tolerance.reference_for(name).kind == "analytic":
            truth = exact(spec, name)
        assert_certified(res, solver.formal_order, truth)
    checks = solver.audit(spec, result.finest)
    assert checks and all(c.passed for c in checks), [c.message for c in checks if not c.passed]
    assert all(c.condition in ("S2", "S4") for c in checks)
    return result


# ------------------------------------------------------------------------ the dev specs


@pytest.mark.parametrize("name", sorted(DEV_SPECS))
def test_dev_spec_fits_solves_and_certifies(name):
    solver_cls, triple = DEV_SPECS[name]
    spec = parse(dev_text(name))
    kernels = [cls for cls in registered().values() if cls.family != "general"]
    fits = [cls.name for cls in kernels if cls().fit(spec).ok]
    assert fits == [solver_cls.name]  # one family kernel; the general engine is tested apart
    solution = solver_cls().solve(spec, triple[0]) if solver_cls().fit(spec).ok else None
    assert solution is not None
    assert set(solution.observables) == {o.name for o in spec.observables}
    assert all(math.isfinite(v) for v in solution.observables.values())
    check_spec(solver_cls, spec, triple)


def test_registry_selects_by_family():
    for name, family in [("heat_1d", "parabolic"), ("fisher_kpp", "parabolic")]:
        assert select(parse(dev_text(name)), family).name == DEV_SPECS[name][0].name
    assert select(parse(dev_text("waveguide_te")), "eigenproblem").name == "laplace_eigen_5point"


# ------------------------------------------------------------------------ parameter points


@pytest.mark.parametrize("kappa", ["0.2", "1.3"])
def test_heat_1d_other_diffusivities(kappa):
    spec = edited("heat_1d", ("kappa: 0.5 m^2/s", f"kappa: {kappa} m^2/s"))
    assert SpecValues(spec).parameters["kappa"] == float(kappa)
    check_spec(HeatThetaSolver, spec, (16, 32, 64))


def test_heat_1d_other_length_in_shifted_centimetre_coordinates():
    """x in cm on [100, 400] (L = 3 m): the kernel gets [0, 3] m and the IC shifted."""
    spec = edited(
        "heat_1d",
        ("x: {range: [0, 2], unit: m}", "x: {range: [100, 400], unit: cm}"),
        ("left: x = 0", "left: x = 100"),
        ("right: x = 2", "right: x = 400"),
        ("L: 2 m", "L: 3 m"),
        ("u0: 1 K", "u0: 1 K\n  x0: 1 m"),
        ("u: u0*sin(pi*x/L)", "u: u0*sin(pi*(x - x0)/L)"),
        ("u(t=0.5, x=1)", "u(t=0.5, x=250)"),
        ("sin(pi*x/L)\n", "sin(pi*(x - x0)/L)\n"),
    )
    exact_mid = math.exp(-0.5 * math.pi**2 * 0.5 / 9.0)  # at x = 2.5 m, the middle
    check_spec(HeatThetaSolver, spec, (16, 32, 64), {"u_mid": exact_mid})


def test_heat_1d_boundary_value_disagreeing_with_the_initial_data():
    """u(0) = 1 while u0(0) = 0: Rannacher start-up, bounds audit instead of max |u| decay.
    Exact: 1 - x/L + exp(-kappa pi^2 t / L^2) sin(pi x/L) - sum 2/(n pi) e^(..) sin(n pi x/L)."""
    spec = edited(
        "heat_1d", ("left: {type: dirichlet, value: 0}", "left: {type: dirichlet, value: 1}")
    )
    kappa, length, t, x = 0.5, 2.0, 0.5, 1.0

    def mode(n: int) -> float:
        return math.exp(-kappa * (n * math.pi / length) ** 2 * t) * math.sin(
            n * math.pi * x / length
        )

    truth = 1 - x / length + mode(1) - sum(2 / (n * math.pi) * mode(n) for n in range(1, 200))
    result = check_spec(HeatThetaSolver, spec, (16, 32, 64), {"u_mid": truth})
    assert result.finest.meta["rannacher_steps"] == 2


def test_heat_explicit_euler_with_planned_dt_keeps_the_diffusion_number():
    dt = 0.4 * (2.0 / 32) ** 2 / 0.5  # diffusion number 0.4 at the planned n = 32
    spec = edited(
        "heat_1d",
        ("scheme: crank_nicolson", f"scheme: explicit_euler\ndt: {dt} s\nresolution: {{n: 32}}"),
    )
    result = check_spec(HeatThetaSolver, spec, (16, 32, 64))
    solver = HeatThetaSolver()
    solver.fit(spec)
    numbers = [solver.solve(spec, n).meta["diffusion_number"] for n in (16, 32, 64)]
    assert numbers == pytest.approx([0.4] * 3, rel=1e-9)
    assert result.finest.meta["scheme"] == "explicit_euler"


@pytest.mark.parametrize("kappa", ["0.05", "0.2"])
def test_heat_2d_other_diffusivities(kappa):
    check_spec(HeatThetaSolver, edited("heat_2d", ("kappa: 0.1", f"kappa: {kappa}")), (8, 16, 32))


@pytest.mark.parametrize(
    ("source", "reference", "sides", "mirror"),
    [
        ("(pi**2 - 1)*exp(x)*sin(pi*y)", "exp(x)*sin(pi*y)", ("sin(pi*y)", "e*sin(pi*y)"), {"y"}),
        ("(2 + pi**2*x*(1 - x))*sin(pi*y)", "x*(1 - x)*sin(pi*y)", ("0", "0"), {"x", "y"}),
    ],
)
def test_poisson_other_manufactured_solutions(source, reference, sides, mirror):
    """exp(x) sin(pi y) needs Dirichlet data on the x sides and is symmetric in y only, so only
    that symmetry is audited; x (1 - x) sin(pi y) is symmetric in both."""
    spec = edited(
        "poisson_2d",
        ("f: 2*pi**2*sin(pi*x)*sin(pi*y)", f"f: {source}"),
        ("value: sin(pi*x)*sin(pi*y)", f"value: {reference}"),
        ("left: {type: dirichlet, value: 0}", f"left: {{type: dirichlet, value: {sides[0]}}}"),
        ("right: {type: dirichlet, value: 0}", f"right: {{type: dirichlet, value: {sides[1]}}}"),
    )
    check_spec(PoissonSolver, spec, (8, 16, 32))
    solver = PoissonSolver()
    solver.fit(spec)
    audited = {c.name for c in solver.audit(spec, solver.solve(spec, 16))}
    assert {n.rsplit(" ", 1)[1] for n in audited if n.startswith("mirror")} == mirror


def test_poisson_rectangle_with_diffusivity():
    """-kappa laplacian(u) = f on [0, 2] x [0, 1]: cells 2n x n, kappa read from the residual."""
    spec = edited(
        "poisson_2d",
        ("x: {range: [0, 1]}", "x: {range: [0, 2]}"),
        ("right: x = 1", "right: x = 2"),
        ("nondimensional: true", "nondimensional: true\nparameters:\n  kappa: 0.5"),
        ("- -laplacian(u) = f", "- -div(kappa*grad(u)) = f"),
        ("f: 2*pi**2*sin(pi*x)*sin(pi*y)", "f: 0.5*(pi**2/4 + pi**2)*sin(pi*x/2)*sin(pi*y)"),
        ("value: sin(pi*x)*sin(pi*y)", "value: sin(pi*x/2)*sin(pi*y)"),
        ("u(x=0.25, y=0.5)", "u(x=0.3, y=0.7)"),
    )
    result = check_spec(PoissonSolver, spec, (8, 16, 32))
    assert result.finest.meta["nx"] == 64 and result.finest.meta["ny"] == 32
    assert result.finest.meta["kappa"] == 0.5


@pytest.mark.parametrize("speed", ["0.5", "2"])
def test_wave_other_speeds(speed):
    check_spec(WaveLeapfrogSolver, edited("wave_1d", ("c: 1 m/s", f"c: {speed} m/s")), (16, 32, 64))


@pytest.mark.parametrize("speed", ["0.3", "-1"])
def test_advection_other_speeds(speed):
    check_spec(
        AdvectionUpwindSolver,
        edited("advection_1d", ("a: 1 m/s", f"a: {speed} m/s")),
        (64, 128, 256),
    )


def test_advection_lax_wendroff_is_chosen_by_the_plan_and_second_order():
    """At the dev spec's probe (an extremum of the exact solution) Lax-Wendroff's phase error
    enters only at O(h^4) and its damping at O(h^3): order 3 there. x = 0.4 sits on a slope."""
    spec = edited(
        "advection_1d",
        ("scheme: upwind", "scheme: lax_wendroff"),
        ("u(t=0.5, x=0.25)", "u(t=0.5, x=0.4)"),
    )
    assert not AdvectionUpwindSolver().fit(spec).ok
    assert select(spec, "hyperbolic").name == AdvectionLaxWendroffSolver.name
    check_spec(AdvectionLaxWendroffSolver, spec, (32, 64, 128))


@pytest.mark.parametrize("lam", [0.5, 2.0])
def test_bratu_other_lambdas(lam):
    spec = edited("bratu_1d", ("lam: 1\n", f"lam: {lam}\n"))
    truth = float(bratu_exact_1d(lam, np.array([0.5]))[0])
    check_spec(BratuNewtonSolver, spec, (16, 32, 64), {"u_mid": truth})


def test_bratu_on_a_longer_interval_rescales_lambda():
    """On [0, 2], u'' + lam e^u = 0 is the unit-interval problem with 4 lam."""
    spec = edited(
        "bratu_1d",
        ("x: {range: [0, 1]}", "x: {range: [0, 2]}"),
        ("right: x = 1", "right: x = 2"),
        ("lam: 1\n", "lam: 0.5\n"),
        ('u(x=0.5)"', 'u(x=1)"'),
    )
    truth = float(bratu_exact_1d(2.0, np.array([0.5]))[0])
    result = check_spec(BratuNewtonSolver, spec, (16, 32, 64), {"u_mid": truth})
    assert result.finest.grid["x"][-1] == pytest.approx(2.0)


@pytest.mark.parametrize("b", [0.01016, 0.01524, 0.00762])
@pytest.mark.parametrize("kind", ["tm", "te"])
def test_waveguides_at_three_aspect_ratios(b, kind):
    a = 0.02286
    spec = edited(
        f"waveguide_{kind}",
        ("b: 0.01016 m", f"b: {b} m"),
        ("y: {range: [0, 0.01016], unit: m}", f"y: {{range: [0, {b}], unit: m}}"),
        ("top: y = 0.01016", f"top: y = {b}"),
    )
    modes = waveguide_cutoffs_exact(a, b, 2, kind.upper())
    names = [o.name for o in spec.observables]
    truths = {name: k**2 for name, (k, _, _) in zip(names, modes, strict=True)}
    check_spec(LaplaceEigenSolver, spec, (8, 16, 32), truths)


def test_fisher_kpp_other_coefficients_front_speed_converges_and_meets_bramson():
    """D = 2, r = 0.5 (c* = 2, decay length 2): order 2 and the audit's Bramson check; the
    bound covers the difference to a finer run."""
    spec = edited("fisher_kpp", ("D: 1 m^2/s", "D: 2 m^2/s"), ("r: 1 1/s", "r: 0.5 1/s"))
    solver = FisherKppSolver()
    result = check_spec(FisherKppSolver, spec, (250, 500, 1000))
    solver.fit(spec)
    finer = solver.solve(spec, 4000).observables["front_speed"]
    res = result.results["front_speed"]
    assert abs(res.values[0] - finer) <= res.gci_fine_abs


def test_fisher_kpp_audit_fails_when_the_speed_is_off():
    spec = parse(dev_text("fisher_kpp"))
    solver = FisherKppSolver()
    solution = solver.solve(spec, 250)
    solution.meta["kernel_observables"] = {
        **solution.meta["kernel_observables"],
        "front_speed": 1.03 * solution.meta["kernel_observables"]["front_speed"],
    }
    bramson = [c for c in solver.audit(spec, solution) if "Bramson" in c.name]
    assert len(bramson) == 1 and not bramson[0].passed


# ------------------------------------------------------------------------ what does not fit


def _no(solver_cls: type[SpecSolver], spec: Spec, *words: str) -> None:
    fit = solver_cls().fit(spec)
    assert not fit.ok
    for word in words:
        assert word in fit.reason, fit.reason


def test_unsupported_reaction_term_is_refused_with_a_reason():
    spec = edited("fisher_kpp", ("r*u*(1 - u)", "r*u*(1 - u**2)"))
    _no(FisherKppSolver, spec, "reaction term", "not supported by the built-in kernels")
    _no(HeatThetaSolver, spec, "reaction term")
    # the kernels refuse it; the general engine (which evaluates front speeds) takes it
    assert select(spec, "parabolic").name == "mol_engine"


def test_unsupported_boundary_conditions_are_refused():
    _no(
        HeatThetaSolver,
        edited(
            "heat_1d", ("right: {type: dirichlet, value: 0}", "right: {type: neumann, value: 0}")
        ),
        "neumann",
    )
    _no(
        FisherKppSolver,
        edited(
            "fisher_kpp", ("left: {type: neumann, value: 0}", "left: {type: dirichlet, value: 1}")
        ),
        "zero-flux",
    )
    _no(
        AdvectionUpwindSolver,
        edited(
            "advection_1d",
            ("left: {type: periodic, partner: right}", "left: {type: dirichlet, value: 0}"),
        ),
        "periodic",
    )
    _no(
        LaplaceEigenSolver,
        edited(
            "waveguide_te", ("top: {type: neumann, value: 0}", "top: {type: dirichlet, value: 0}")
        ),
        "all-Dirichlet or all-Neumann",
    )
    _no(
        PoissonSolver,
        edited(
            "poisson_2d",
            ("top: {type: dirichlet, value: 0}", "top: {type: robin, alpha: 2, value: 0}"),
        ),
        "robin",
    )
    _no(
        HeatThetaSolver,
        edited(
            "heat_1d", ("left: {type: dirichlet, value: 0}", "left: {type: dirichlet, value: t}")
        ),
        "depends on ['t']",
    )


def test_structures_the_kernels_lack_are_refused():
    _no(
        HeatThetaSolver,
        edited("heat_1d", ("kappa*diff(u, x, 2)", "diff(kappa*(1 + x/L)*diff(u, x), x)")),
        "d/dx",
    )
    _no(
        WaveLeapfrogSolver,
        edited("wave_1d", ("c**2*diff(u, x, 2)", "c**2*diff(u, x, 2) - diff(u, t)/s")),
        "d/dt",
    )
    _no(
        PoissonSolver,
        edited("poisson_2d", ("- -laplacian(u) = f", "- -laplacian(u) + u = f")),
        "reaction / Helmholtz",
    )
    _no(
        BratuNewtonSolver,
        edited("bratu_1d", ("lam*exp(u) = 0", "lam*exp(2*u) = 0")),
        "lam*exp(u)",
    )
    _no(
        HeatThetaSolver,
        edited("heat_1d", ("diff(u, t) = kappa", "diff(u, t) = -kappa")),
        "ill-posed",
    )


def test_plans_and_observables_the_kernels_lack_are_refused():
    _no(
        WaveLeapfrogSolver,
        edited("wave_1d", ("scheme: leapfrog", "scheme: runge_kutta_4")),
        "runge_kutta_4",
    )
    _no(HeatThetaSolver, edited("heat_1d", ("u(t=0.5, x=1)", "u(t=0.25, x=1)")), "end time")
    _no(HeatThetaSolver, edited("heat_1d", ("u(t=0.5, x=1)", "max(u)")), "not computable")
    _no(
        FisherKppSolver,
        edited("fisher_kpp", ("level=0.5", "level=0.1")),
        "level",
    )
    _no(
        FisherKppSolver,
        edited(
            "fisher_kpp", ("time: {range: [0, 60], unit: s}", "time: {range: [0, 120], unit: s}")
        ),
        "enlarge the domain",
    )
    with pytest.raises(SolverError, match="does not fit"):
        HeatThetaSolver().solve(parse(dev_text("wave_1d")), 16)
