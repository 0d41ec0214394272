"""A supplied module certified through the pipeline, against known answers at two points."""

from __future__ import annotations

import math
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from simlab.errors import SandboxError
from simlab.paths import SPECS_DIR
from simlab.sandbox import Sandbox, SandboxedSolver, SandboxLimits, certify_supplied
from simlab.spec.parse import parse_file

HEAT = parse_file(SPECS_DIR / "dev" / "heat_1d.md")
ROBERTSON = parse_file(SPECS_DIR / "dev" / "robertson.md")

CRANK_NICOLSON = """
import numpy as np
from scipy.interpolate import CubicSpline
from scipy.linalg import solve_banded

SOLVER = {{"name": "cn", "family": "parabolic", "formal_order": 2.0,
          "resolutions": [32, 64, 128], "max_resolution": 1024,
          "discretization": {disc}}}

def solve(spec, n):
    si = spec["si"]
    kappa, L = (si["parameters"][k] for k in ("kappa", "L"))
    (a, b), (t0, t1) = si["coordinates"]["x"], si["time"]
    x = np.linspace(a, b, n + 1)
    h = (b - a) / n
    steps = int(np.ceil(32 * n * kappa * (t1 - t0) / L**2))
    dt = (t1 - t0) / steps
    names = {{"pi": np.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "x": x, **si["parameters"]}}
    initial = spec["initial"]["conditions"][0]["value"]
    u = np.broadcast_to(eval(initial, {{}}, names), x.shape).copy()
    r = {factor} * kappa * dt / h**2
    ab = np.zeros((3, n - 1)); ab[0, 1:] = -r; ab[1] = 1 + 2 * r; ab[2, :-1] = -r
    for _ in range(steps):
        rhs = u[1:-1] + r * (u[2:] - 2 * u[1:-1] + u[:-2])
        u[1:-1] = solve_banded((1, 1), ab, rhs)
    return {{name: float(CubicSpline(x, u)(o["at"]["x"]))
            for name, o in si["observables"].items()}}
"""


@pytest.fixture(scope="module")
def box():
    with Sandbox(SandboxLimits(wall_seconds=30, cpu_seconds=60)) as sandbox:
        yield sandbox


def write(tmp_path: Path, factor: float = 0.5, disc: str = '{"scheme": "crank_nicolson"}'):
    path = tmp_path / "heat_cn.py"
    path.write_text(textwrap.dedent(CRANK_NICOLSON.format(factor=factor, disc=disc)))
    return path


def exact(kappa: float) -> float:
    return math.exp(-kappa * math.pi**2 * 0.5 / 4)  # u0 = 1, L = 2, x = L/2, t = 0.5


@pytest.mark.parametrize("kappa", [0.5, 0.2])
def test_a_correct_module_is_certified_at_several_points(box, tmp_path, kappa):
    params = tuple(
        replace(p, value=kappa) if p.name == "kappa" else p for p in HEAT.equations.parameters
    )
    spec = replace(HEAT, equations=replace(HEAT.equations, parameters=params))
    result = certify_supplied(spec, write(tmp_path), sandbox=box, time_budget=60)
    cert = result.certificate
    assert cert.status == "PASS", cert.reasons
    (obs,) = cert.observables
    assert abs(obs.value - exact(kappa)) <= obs.error_bound
    assert abs(obs.value - exact(kappa)) <= 1e-4 * exact(kappa)
    assert obs.observed_order == pytest.approx(2.0, abs=0.3)


def test_a_wrong_module_is_flagged_by_the_certificate(box, tmp_path):
    # factor 1 instead of 1/2: the diffusion is applied twice per step (explicit and implicit)
    result = certify_supplied(HEAT, write(tmp_path, factor=1.0), sandbox=box, time_budget=60)
    assert result.certificate.status == "FLAG"
    assert any("observed order" in r or "not honest" in r for r in result.certificate.reasons)


def test_a_declared_unstable_step_is_rejected_before_anything_runs(box, tmp_path):
    disc = '{"scheme": "explicit_euler", "dt": "1e-3 s"}'
    solver = SandboxedSolver(write(tmp_path, disc=disc), sandbox=box)
    from simlab.pipeline import certify_spec

    result = certify_spec(solver.prepare(HEAT), solver=solver)
    assert result.certificate.status == "REJECT"
    assert solver.calls == []  # the Judge stopped it: no solve ran
    assert any("unstable" in r for r in result.certificate.reasons)


def test_a_module_without_solve_or_solver_is_a_clear_error(box, tmp_path):
    path = tmp_path / "empty.py"
    path.write_text("SOLVER = {'name': 'x', 'formal_order': 1, 'resolutions': [1, 2, 4]}\n")
    with pytest.raises(SandboxError, match="no solve"):
        SandboxedSolver(path, sandbox=box).prepare(HEAT)
    path.write_text("def solve(spec, n):\n    return {}\n")
    with pytest.raises(SandboxError, match="SOLVER must be a dict"):
        SandboxedSolver(path, sandbox=box).prepare(HEAT)


def test_the_ode_audit_catches_a_trajectory_of_other_equations(box, tmp_path):
    """k3 taken 10x too large: converges nicely, but the trajectory fails the spec's ODE."""
    path = tmp_path / "robertson.py"
    path.write_text(
        textwrap.dedent(
            """
            import numpy as np
            from scipy.integrate import solve_ivp
            SOLVER = {"name": "r", "formal_order": 3.0, "resolutions": [40, 80, 160],
                      "discretization": {"integrator": "radau"}}
            def solve(spec, n):
                p = spec["si"]["parameters"]
                k1, k2, k3 = p["k1"], p["k2"], 10 * p["k3"]
                def f(t, y):
                    return [-k1*y[0] + k3*y[1]*y[2], k1*y[0] - k3*y[1]*y[2] - k2*y[1]**2,
                            k2*y[1]**2]
                t0, t1 = spec["si"]["time"]
                t = np.concatenate([[t0], np.geomspace(1e-6, t1, n)])
                sol = solve_ivp(f, (t0, t1), [1, 0, 0], method="Radau", t_eval=t,
                                rtol=1e-10, atol=1e-14)
                y = sol.y
                obs = {"y1_end": y[0, -1], "y2_end": y[1, -1], "y3_end": y[2, -1]}
                return {"observables": obs, "trajectory": {"t": t.tolist(), "y1": y[0].tolist(),
                        "y2": y[1].tolist(), "y3": y[2].tolist()}}
            """
        )
    )
    result = certify_supplied(ROBERTSON, path, sandbox=box, time_budget=60)
    audit = {a.name: a for a in result.certificate.audit}
    assert not audit["ODE residual"].passed
    assert audit["initial state"].passed and audit["conservation"].passed
    assert result.certificate.status == "FLAG"


def test_the_certificate_states_the_sandbox_mode(box, tmp_path):
    cert = certify_supplied(HEAT, write(tmp_path), sandbox=box).certificate
    data = cert.to_dict()["sandbox"]
    assert data["level"] == box.mode.level
    assert data["violations"] == []
    assert set(data["layers"]) >= {"environment", "descriptors", "limits"}


def test_a_violation_at_the_finest_resolution_rejects_the_certificate(box, tmp_path):
    """Good answers on coarse grids do not excuse an escape attempt on the finest."""
    if "network" not in box.mode.layers:
        pytest.skip(f"no network confinement here: {box.mode.missing.get('network')}")
    path = write(tmp_path)
    text = path.read_text().replace(
        "def solve(spec, n):\n",
        "def solve(spec, n):\n    if n > 64:\n"
        "        import socket; socket.create_connection(('1.1.1.1', 53), timeout=1)\n",
    )
    path.write_text(text)
    run = certify_supplied(HEAT, path, sandbox=box)
    cert = run.certificate
    assert cert.status.value == "REJECT"
    assert "network" in {v["kind"] for v in cert.sandbox["violations"]}
    assert cert.reasons[0].startswith("sandbox violation (network)")


def test_a_violation_on_import_rejects_without_running(box, tmp_path):
    path = tmp_path / "on_import.py"
    path.write_text("import os\nos.system('true')\nSOLVER = {}\ndef solve(spec, n):\n    pass\n")
    cert = certify_supplied(HEAT, path, sandbox=box).certificate
    assert cert.status.value == "REJECT"
    assert {v["kind"] for v in cert.sandbox["violations"]} == {"process"}
