"""The general engine agrees with every family kernel, within the bounds, on every dev spec it
fits; where it does not fit, the reason is said (an unknown inside an operator, a planned
non-FD method). The Fisher-KPP front speed is compared on front-resolving grids.

Both solvers run the same triple of resolutions; each observable's grid study gives the
finest value and its GCI bound, and the two values must differ by less than the sum of the
bounds (coarse triples keep this test fast: it checks agreement, not the tolerance).
"""

from __future__ import annotations

import pytest

from simlab.certify.convergence import grid_study
from simlab.paths import SPECS_DIR
from simlab.solvers.protocol import registered
from simlab.spec import parse_file

DEV = SPECS_DIR / "dev"
ENGINE_FITS = [
    "bratu_1d",
    "heat_1d",
    "heat_2d",
    "poisson_2d",
    "wave_1d",
    "waveguide_te",
    "waveguide_tm",
]
ENGINE_REFUSES = {
    "advection_1d": "finite_volume",
    "ct_shepp_logan": "operator",
    "fresnel": "quadrature",
    "robertson": "method 'ode'",
    "seird": "method 'ode'",
}
TRIPLE = (16, 32, 64)


def _study(solver, spec, triple=TRIPLE):
    sols = [solver.solve(spec, n) for n in triple]
    return {
        name: grid_study([s.observables[name] for s in sols], [s.h for s in sols], formal_order=2.0)
        for name in sols[-1].observables
    }


def _kernel(spec):
    for cls in registered().values():
        if cls.family != "general" and cls().fit(spec).ok:
            return cls()
    raise AssertionError("no family kernel fits a dev spec")


@pytest.mark.parametrize("name", ENGINE_FITS)
def test_engine_agrees_with_the_family_kernel(name) -> None:
    spec = parse_file(DEV / f"{name}.md")
    engine = registered()["mol_engine"]()
    assert engine.fit(spec).ok, engine.fit(spec).reason
    kernel = _kernel(spec)
    ours, theirs = _study(engine, spec), _study(kernel, spec)
    assert set(ours) == set(theirs)
    for obs in ours:
        a, b = ours[obs], theirs[obs]
        bound_a = a.gci_fine_abs if a.gci_fine_abs is not None else 0.0
        bound_b = b.gci_fine_abs if b.gci_fine_abs is not None else 0.0
        gap = abs(a.values[0] - b.values[0])
        assert gap <= bound_a + bound_b + 1e-12 * abs(b.values[0]), (
            obs,
            kernel.name,
            a.values[0],
            b.values[0],
            bound_a,
            bound_b,
        )


@pytest.mark.slow
def test_engine_front_speed_agrees_with_the_fisher_kernel() -> None:
    """Unsplit Crank-Nicolson (engine) vs the kernel's Strang splitting, h = 1, 1/2, 1/4 m."""
    spec = parse_file(DEV / "fisher_kpp.md")
    engine = registered()["mol_engine"]()
    assert engine.fit(spec).ok, engine.fit(spec).reason
    triple = (200, 400, 800)
    ours = _study(engine, spec, triple)["front_speed"]
    theirs = _study(_kernel(spec), spec, triple)["front_speed"]
    assert ours.gci_fine_abs is not None and theirs.gci_fine_abs is not None
    gap = abs(ours.values[0] - theirs.values[0])
    assert gap <= ours.gci_fine_abs + theirs.gci_fine_abs, (ours, theirs)


@pytest.mark.parametrize(("name", "reason"), sorted(ENGINE_REFUSES.items()))
def test_engine_says_why_it_does_not_fit(name, reason) -> None:
    fit = registered()["mol_engine"]().fit(parse_file(DEV / f"{name}.md"))
    assert not fit.ok and reason in fit.reason


def test_the_box_engine_is_the_first_general_solver() -> None:
    from simlab.solvers.registry import select

    spec = parse_file(SPECS_DIR / "general" / "14_poisson_2d_neumann_sides.md")
    assert select(spec, "elliptic").name == "mol_engine"  # no family kernel takes Neumann
