"""The supplied-solver protocol: declarations, the spec payload, the merged discretization."""

from __future__ import annotations

import pytest

from simlab.errors import SandboxError
from simlab.judge import judge
from simlab.paths import SPECS_DIR
from simlab.sandbox.protocol import (
    SolverDeclaration,
    read_result,
    spec_payload,
    with_declared_discretization,
)
from simlab.spec.parse import parse_file

HEAT = parse_file(SPECS_DIR / "dev" / "heat_1d.md")
SEIRD = parse_file(SPECS_DIR / "dev" / "seird.md")
ROBERTSON = parse_file(SPECS_DIR / "dev" / "robertson.md")


def declaration(**disc) -> SolverDeclaration:
    raw = {"name": "mine", "formal_order": 2, "resolutions": [16, 32, 64], "discretization": disc}
    return SolverDeclaration.read(raw, None, "mine.py")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([1, 2], "must be a dict"),
        ({"formal_order": 2, "resolutions": [1, 2, 4]}, "name"),
        ({"name": "x", "formal_order": "two", "resolutions": [1, 2, 4]}, "formal_order"),
        ({"name": "x", "formal_order": -1, "resolutions": [1, 2, 4]}, "> 0"),
        ({"name": "x", "formal_order": 2, "resolutions": [4, 2, 8]}, "increasing"),
        ({"name": "x", "formal_order": 2, "resolutions": [2, 4]}, ">= 3"),
    ],
)
def test_a_bad_declaration_is_a_clear_error(raw, message):
    with pytest.raises(SandboxError, match=message):
        SolverDeclaration.read(raw, None, "mine.py")


def test_the_payload_holds_si_values_at_several_units():
    data = spec_payload(SEIRD)
    si = data["si"]
    assert si["parameters"]["beta"] == pytest.approx(0.5 / 86400)  # 1/day -> 1/s
    assert si["time"] == [0.0, pytest.approx(400 * 86400)]
    assert si["observables"]["final_deaths"]["at"]["t"] == pytest.approx(400 * 86400)
    assert si["observables"]["peak_time"]["function"] == "peak_time"
    heat = spec_payload(HEAT)["si"]
    assert heat["coordinates"]["x"] == [0.0, 2.0]
    assert heat["observables"]["u_mid"]["at"] == {"t": 0.5, "x": 1.0}


def test_the_declared_method_replaces_the_planned_one():
    merged = with_declared_discretization(HEAT, declaration(scheme="explicit_euler", dt="1e-3 s"))
    d = merged.discretization
    assert d.scheme == "explicit_euler" and d.method is None
    assert d.dt.value == 1e-3 and d.dt.unit == "s"
    assert d.resolution == {"n": 64}  # the finest declared grid is the one checked


@pytest.mark.parametrize(
    ("spec", "disc", "accepted"),
    [
        (HEAT, {"scheme": "crank_nicolson"}, True),
        (HEAT, {"scheme": "explicit_euler", "dt": 1e-3}, False),  # diffusion number 2 at n=64
        (HEAT, {"scheme": "explicit_euler", "dt": 1e-4}, True),  # 0.2: stable
        (ROBERTSON, {"integrator": "radau"}, True),
        (ROBERTSON, {"integrator": "rk4"}, False),  # explicit on a stiff system
        (SEIRD, {"integrator": "forward_euler", "dt": "10 day"}, False),
    ],
)
def test_the_judge_checks_what_the_module_declares(spec, disc, accepted):
    report = judge(with_declared_discretization(spec, declaration(**disc)))
    assert report.accepted is accepted
    if not accepted:
        assert any(v.gate == "well_posedness" and v.status == "FAIL" for v in report.verdicts)


def test_results_must_give_every_observable_as_a_number():
    assert read_result({"u_mid": 1}, HEAT, "m.py") == ({"u_mid": 1.0}, {})
    obs, extras = read_result({"observables": {"u_mid": 0.5}, "h": 0.1}, HEAT, "m.py")
    assert obs == {"u_mid": 0.5} and extras == {"h": 0.1}
    with pytest.raises(SandboxError, match="no value for u_mid"):
        read_result({"other": 1.0}, HEAT, "m.py")
    with pytest.raises(SandboxError, match="not a number"):
        read_result({"u_mid": "0.5"}, HEAT, "m.py")
    with pytest.raises(SandboxError, match="not a dict"):
        read_result([0.5], HEAT, "m.py")
