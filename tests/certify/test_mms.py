"""Manufactured solutions run on supplied solvers: correct ones confirm, hard-coded ones fail.

The manufactured specs are checked against closed forms written here by hand; the solvers
are modules of both seeded corpora, run in the sandbox at their declared resolutions.
"""

from __future__ import annotations

import math
import re

import pytest

from simlab.certify.evidence import Verdict
from simlab.certify.manufacture import TIME_FACTOR, Manufactured, manufacture
from simlab.certify.mms import mms_evidence
from simlab.paths import REPO_ROOT, SPECS_DIR
from simlab.pipeline import _allowed_error
from simlab.sandbox import Sandbox, SandboxedSolver, SandboxLimits
from simlab.spec.parse import parse, parse_file

SEEDED = REPO_ROOT / "benchmarks" / "seeded"
INDEP = REPO_ROOT / "benchmarks" / "seeded_indep"


def _made(name: str) -> Manufactured:
    made = manufacture(parse_file(SPECS_DIR / "dev" / f"{name}.md"))
    assert isinstance(made, Manufactured), made
    return made


def _parameter(made: Manufactured, name: str) -> float:
    return float(next(p for p in made.spec.equations.parameters if p.name == name).value)


def test_heat_1d_manufactured_answer_is_the_closed_form() -> None:
    spec = parse_file(SPECS_DIR / "dev" / "heat_1d.md")
    made = _made("heat_1d")
    kappa = _parameter(made, "kappa")
    assert not math.isclose(kappa, 0.5, rel_tol=0.04)  # the coefficient moved
    amp, length = _parameter(made, "mms_amplitude"), _parameter(made, "mms_length_x")
    t1 = spec.domain.time.upper * TIME_FACTOR
    assert made.spec.domain.time.upper == pytest.approx(t1)
    assert made.spec.observables[0].definition == f"u(t={t1:.12g}, x=1)"
    # mode 2 has a node at the probe x = 1: mode 3, decayed to about 3 % of the amplitude
    assert "sin(3*pi*x/mms_length_x)" in made.solution
    rate = kappa * (3 * math.pi / length) ** 2
    expected = amp * math.exp(-rate * t1) * math.sin(3 * math.pi / length)
    assert made.exact["u_mid"] == pytest.approx(expected, rel=1e-12)


def test_poisson_source_is_derived_and_written_in_the_slot() -> None:
    made = _made("poisson_2d")
    assert made.strategy == "source"
    f = made.spec.equations.definitions["f"]
    assert "sin" in f and "mms_amplitude" in f
    # unequal modes first in 2-D: u = sin(pi x) sin(3 pi y), -laplacian u = 10 pi^2 u
    assert made.solution == "mms_amplitude*sin(pi*x/mms_length_x)*sin(3*pi*y/mms_length_y)"
    env = {"pi": math.pi, "sin": math.sin, "x": 0.5, "y": 0.5}
    env |= {p.name: float(p.value) for p in made.spec.equations.parameters}
    assert eval(f, {"__builtins__": {}}, env) == pytest.approx(
        10 * math.pi**2 * made.exact["u_center"], rel=1e-12
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("robertson", "system of 3 unknowns"),
        ("bratu_1d", "stationary equations without a source slot"),
        ("waveguide_te", "eigenproblem"),
        ("fisher_kpp", "front_speed"),
    ],
)
def test_what_cannot_be_manufactured_says_why(name: str, reason: str) -> None:
    made = manufacture(parse_file(SPECS_DIR / "dev" / f"{name}.md"))
    assert isinstance(made, str) and reason in made


@pytest.fixture(scope="module")
def box():
    with Sandbox(SandboxLimits(wall_seconds=60, cpu_seconds=120)) as sandbox:
        yield sandbox


FAST = {"correct_theta_class", "bug_hardcoded_kappa", "bug_hardcoded_speed"}
"""Run in the default suite (about a second each); the rest are marked slow."""

CASES = [
    ("heat_1d", INDEP / "heat_1d" / "correct_theta_class.py", Verdict.CONFIRMS),
    ("heat_1d", SEEDED / "heat_1d" / "correct.py", Verdict.CONFIRMS),
    ("heat_1d", INDEP / "heat_1d" / "bug_hardcoded_kappa.py", Verdict.REFUTES),
    ("heat_1d", INDEP / "heat_1d" / "bug_resolution_ignored.py", Verdict.REFUTES),
    ("heat_2d", INDEP / "heat_2d" / "bug_hardcoded_kappa.py", Verdict.REFUTES),
    ("heat_2d", SEEDED / "heat_2d" / "bug_one_direction.py", Verdict.REFUTES),
    ("wave_1d", INDEP / "wave_1d" / "correct_mol_rk4.py", Verdict.CONFIRMS),
    ("wave_1d", INDEP / "wave_1d" / "bug_hardcoded_speed.py", Verdict.REFUTES),
    ("advection_1d", INDEP / "advection_1d" / "correct_fourier_rk4.py", Verdict.CONFIRMS),
    ("advection_1d", INDEP / "advection_1d" / "bug_hardcoded_speed.py", Verdict.REFUTES),
    ("poisson_2d", SEEDED / "poisson_2d" / "correct.py", Verdict.CONFIRMS),
    ("poisson_2d", INDEP / "poisson_2d" / "bug_calibrated_coarse.py", Verdict.REFUTES),
]


@pytest.mark.parametrize(
    ("name", "module", "expected"),
    [
        pytest.param(
            *c,
            id=f"{c[1].parent.parent.name}/{c[1].parent.name}/{c[1].stem}",
            marks=[]
            if c[1].stem in FAST and c[0] in ("heat_1d", "wave_1d")
            else [pytest.mark.slow],
        )
        for c in CASES
    ],
)
def test_mms_on_supplied_solvers(name, module, expected, box) -> None:
    spec = parse_file(SPECS_DIR / "dev" / f"{name}.md")
    solver = SandboxedSolver(module, sandbox=box)
    judged = solver.prepare(spec)
    pieces = mms_evidence(judged, solver, lambda n, v: _allowed_error(judged, n, v))
    statuses = {e.status for group in pieces.values() for e in group}
    assert statuses == {expected}, [e.message for g in pieces.values() for e in g]


def test_extrema_and_means_are_evaluated_on_the_manufactured_field() -> None:
    """Non-point observables get exact values too: on heat 1-D with max(u) and mean(u) the
    manufactured mode sin(m pi x/L) gives amp e^{-kappa (m pi/L)^2 t} and
    (1 - cos(m pi))/(m pi) of it."""
    text = (SPECS_DIR / "dev" / "heat_1d.md").read_text()
    extra = 'u_max: {definition: "max(u)", unit: K}\nu_avg: {definition: "mean(u)", unit: K}\n'
    made = manufacture(parse(text.replace("## Observables\n", "## Observables\n" + extra, 1)))
    assert isinstance(made, Manufactured), made
    found = re.search(r"\*sin\((\d*)\*?pi\*x/mms_length_x\)$", made.solution)
    assert found, made.solution
    m = int(found.group(1) or 1)
    kappa, amp = _parameter(made, "kappa"), _parameter(made, "mms_amplitude")
    length = _parameter(made, "mms_length_x")
    t1 = made.spec.domain.time.upper
    peak = amp * math.exp(-kappa * (m * math.pi / length) ** 2 * t1)
    assert made.exact["u_max"] == pytest.approx(peak, rel=1e-9)
    mean = (1 - math.cos(m * math.pi)) / (m * math.pi)
    assert made.exact["u_avg"] == pytest.approx(mean * peak, rel=1e-9)
    assert not made.skipped
