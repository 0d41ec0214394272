"""Manufactured solutions through an explicit forcing term: ODE systems and nonlinear PDEs.

The forced specs are checked by integrating their own written text with scipy (a path that
shares nothing with sympy's derivation); the solvers are modules of both seeded corpora and
a module that declares the forcing term but ignores it, run in the sandbox.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from simlab.certify.evidence import Verdict
from simlab.certify.manufacture import Manufactured
from simlab.certify.manufacture_forcing import forced
from simlab.certify.mms import mms_evidence
from simlab.paths import REPO_ROOT, SPECS_DIR
from simlab.pipeline import _allowed_error
from simlab.sandbox import Sandbox, SandboxedSolver, SandboxLimits, spec_payload
from simlab.solvers.builtin.general import GeneralEngineSolver
from simlab.spec.parse import parse_file

SEEDED = REPO_ROOT / "benchmarks" / "seeded"
INDEP = REPO_ROOT / "benchmarks" / "seeded_indep"
DATA = Path(__file__).parent / "data"
METHOD, RTOL = "LSODA", 1e-10
NUMPY = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt, "tanh": np.tanh}


def _forced(name: str) -> Manufactured:
    made = forced(parse_file(SPECS_DIR / "dev" / f"{name}.md"))
    assert isinstance(made, Manufactured), made
    return made


def _integrate(made: Manufactured, names: tuple[str, ...]):
    """The written spec's ODEs with their forcing, integrated by scipy from its own text."""
    payload = spec_payload(made.spec)
    si = payload["si"]
    env = {**NUMPY, "pi": math.pi, **si["parameters"]}
    t0, t1 = si["time"]
    y0 = [
        float(eval(c["value"], {"__builtins__": {}}, {**env, "t": t0}))
        for c in sorted(payload["initial"]["conditions"], key=lambda c: names.index(c["unknown"]))
    ]
    rhs_text = {
        e.text.split("=", 1)[0].strip(): e.text.split("=", 1)[1]
        for e in made.spec.equations.equations
    }
    forcing = {k: compile(v, "<f>", "eval") for k, v in si["forcing"].items()}
    rates = [
        compile(rhs_text[f"diff({n}, t)"].split("+ mms_forcing_")[0].strip(), "<r>", "eval")
        for n in names
    ]

    def rhs(t, y):
        local = {**env, **dict(zip(names, y, strict=True)), "t": t}
        return [
            eval(r, {"__builtins__": {}}, local) + eval(forcing[n], {"__builtins__": {}}, local)
            for r, n in zip(rates, names, strict=True)
        ]

    return solve_ivp(
        rhs, (t0, t1), y0, method=METHOD, rtol=RTOL, atol=RTOL * 1e-3 * max(y0), dense_output=True
    )


def test_a_forced_ode_system_holds_its_manufactured_solution() -> None:
    made = _forced("robertson")
    assert made.strategy == "forcing"
    texts = [e.text for e in made.spec.equations.equations]
    assert [t.rsplit("+ ", 1)[1] for t in texts] == [f"mms_forcing_y{k}" for k in (1, 2, 3)]
    k1 = next(p for p in made.spec.equations.parameters if p.name == "k1").value
    assert not math.isclose(k1, 0.04, rel_tol=0.04)  # the coefficients moved
    sol = _integrate(made, ("y1", "y2", "y3"))
    end = sol.y[:, -1]
    for k, name in enumerate(("y1_end", "y2_end", "y3_end")):
        assert end[k] == pytest.approx(made.exact[name], rel=1e-6)


def test_a_peak_time_is_the_peak_of_the_manufactured_compartment() -> None:
    made = _forced("seird")
    names = ("S", "E", "I", "R", "D")
    sol = _integrate(made, names)
    t0, t1 = sol.t[0], sol.t[-1]
    ts = np.linspace(t0, t1, 20001)
    infected = sol.sol(ts)[2]
    assert made.exact["peak_time"] == pytest.approx(
        ts[int(np.argmax(infected))], abs=(t1 - t0) / 10000
    )
    assert t0 + 0.1 * (t1 - t0) < made.exact["peak_time"] < t1 - 0.1 * (t1 - t0)
    assert sol.y[4, -1] == pytest.approx(made.exact["final_deaths"], rel=1e-7)


def test_a_manufactured_front_outruns_the_spreading_speed() -> None:
    """Fisher-KPP: the front must be at least 1.25 x 2 sqrt(D r) (moved coefficients), or the
    natural pulled front overtakes it; its speed is the crossing's, exactly."""
    made = _forced("fisher_kpp")
    params = {p.name: float(p.value) for p in made.spec.equations.parameters}
    spreading = 2 * math.sqrt(params["D"] * params["r"])
    assert made.exact["front_speed"] >= 1.25 * spreading * (1 - 1e-9)
    si = spec_payload(made.spec)["si"]
    env = {**NUMPY, "pi": math.pi, **si["parameters"]}
    x = np.linspace(*si["coordinates"]["x"], 200001)
    u0 = eval(
        made.spec.initial.conditions[0].value, {"__builtins__": {}}, {**env, "x": x, "t": 0.0}
    )
    start = x[np.argmin(np.abs(u0 - 0.5))]
    t1 = si["time"][1]
    # the written solution at t1, from the written definition of the boundary data's shape
    u_text = made.solution.split("= ", 1)[1]
    u1 = eval(u_text, {"__builtins__": {}}, {**env, "x": x, "t": t1})
    end = x[np.argmin(np.abs(u1 - 0.5))]
    assert (end - start) / t1 == pytest.approx(made.exact["front_speed"], rel=1e-4)


def test_a_nonlinear_stationary_equation_gets_a_forcing_term() -> None:
    made = _forced("bratu_1d")
    (equation,) = made.spec.equations.equations
    assert equation.text == "diff(u, x, 2) + lam*exp(u) = 0 + mms_forcing_u"
    # mode 2 has a node at x = 1/2: mode 3, amplitude 1 (the initial guess is zero)
    assert made.exact["u_mid"] == pytest.approx(-1.0, rel=1e-12)


@pytest.fixture(scope="module")
def box():
    with Sandbox(SandboxLimits(wall_seconds=120, cpu_seconds=240)) as sandbox:
        yield sandbox


def _verdicts(name: str, module: Path, box) -> dict[str, list]:
    spec = parse_file(SPECS_DIR / "dev" / f"{name}.md")
    solver = SandboxedSolver(module, sandbox=box)
    judged = solver.prepare(spec)
    return mms_evidence(judged, solver, lambda n, v: _allowed_error(judged, n, v))


CASES = [
    ("bratu_1d", SEEDED / "bratu_1d" / "correct.py", {Verdict.CONFIRMS}),
    ("bratu_1d", INDEP / "bratu_1d" / "correct_numerov_newton.py", {Verdict.CONFIRMS}),
    ("bratu_1d", SEEDED / "bratu_1d" / "bug_source_sign.py", {Verdict.REFUTES}),
    ("bratu_1d", DATA / "bratu_forcing_ignored.py", {Verdict.REFUTES}),
    ("seird", SEEDED / "seird" / "correct.py", {Verdict.CONFIRMS}),
    ("seird", SEEDED / "seird" / "bug_rk4_stage_typo.py", {Verdict.REFUTES}),
    ("robertson", SEEDED / "robertson" / "bug_rates_swapped.py", {Verdict.REFUTES}),
    ("fisher_kpp", SEEDED / "fisher_kpp" / "correct.py", {Verdict.CONFIRMS}),
]
FAST = {"correct.py", "bratu_forcing_ignored.py", "bug_source_sign.py"}


@pytest.mark.parametrize(
    ("name", "module", "expected"),
    [
        pytest.param(
            *c,
            id=f"{c[0]}/{c[1].stem}",
            marks=[] if c[0] == "bratu_1d" and c[1].name in FAST else [pytest.mark.slow],
        )
        for c in CASES
    ],
)
def test_forced_mms_on_supplied_solvers(name, module, expected, box) -> None:
    pieces = _verdicts(name, module, box)
    statuses = {e.status for group in pieces.values() for e in group}
    assert statuses == expected, [e.message for g in pieces.values() for e in g]


def test_a_module_that_does_not_declare_the_forcing_is_told_how(box) -> None:
    pieces = _verdicts("bratu_1d", INDEP / "bratu_1d" / "bug_lam_1001.py", box)
    (only,) = pieces["u_mid"]
    assert only.status == Verdict.NOT_APPLICABLE
    assert "declare SOLVER['forcing'] = True" in only.message


class _RobinAsNeumann(GeneralEngineSolver, register=False):
    """The engine on the spec with every Robin end read as Neumann (alpha u dropped)."""

    name = "robin_as_neumann"

    def solve(self, spec, resolution):
        conditions = tuple(
            replace(c, type="neumann", alpha=None) if c.type == "robin" else c
            for c in spec.boundary.conditions
        )
        changed = replace(spec, boundary=replace(spec.boundary, conditions=conditions))
        return super().solve(changed, resolution)


@pytest.mark.parametrize(
    ("solver", "expected"),
    [(GeneralEngineSolver, Verdict.CONFIRMS), (_RobinAsNeumann, Verdict.REFUTES)],
)
def test_robin_ends_are_manufactured(solver, expected) -> None:
    """Spec 02 (a Robin-cooled wall): the manufactured mode has neither value nor slope zero
    at the Robin end, its data du/dn + alpha u come from the spec's alpha; the engine (which
    honours every term) confirms, the same engine reading Robin as Neumann is refuted."""
    spec = parse_file(SPECS_DIR / "general" / "02_robin_cooling_steady.md")
    made = forced(spec)
    assert isinstance(made, Manufactured), made
    surface = next(c for c in made.spec.boundary.conditions if c.boundary == "surface")
    assert (
        surface.type == "robin" and surface.alpha == "hc/k" and "mms_amplitude_T" in surface.value
    )
    instance = solver()
    assert instance.fit(spec).ok
    pieces = mms_evidence(spec, instance, lambda n, v: _allowed_error(spec, n, v))
    assert {e.status for g in pieces.values() for e in g} == {expected}
