"""Property test: mutated dev specs get the verdict an independent dense-evaluation oracle says.

Mutations of the dev specs (text edits, as a careless author would make them):

* a sign flip inside a coefficient: ``kappa`` becomes ``kappa*(1 - a*exp(-((x-x0)/w)**2)
  - b*t/T)``; the oracle evaluates the factor on a dense 4001 x 41 grid of the domain and time
  interval (numpy, not the Judge's interval code) and says negative (FAIL S2) or positive;
* a unit swap: a parameter's unit replaced by one of another dimension (FAIL S1) or by an
  equivalent one with the value converted (no S1 failure);
* a dropped boundary condition on a second-order problem (FAIL in gate 2);
* a shifted observable point: outside the closed domain x [0, T] is a FAIL (S1), inside not.

Cases too close to the boundary of the oracle's decision (``|min| < 1e-3``) are discarded:
the oracle's grid cannot decide them either.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from simlab.judge import Status, judge
from simlab.spec import parse

ROOT = Path(__file__).resolve().parents[2]
HEAT = (ROOT / "specs" / "dev" / "heat_1d.md").read_text()
SECOND_ORDER = {
    name: (ROOT / "specs" / "dev" / f"{name}.md").read_text()
    for name in ("heat_1d", "heat_2d", "wave_1d", "poisson_2d")
}
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
L_ROD, T_END = 2.0, 0.5


def _run(text: str):
    return judge(parse(text))


@SETTINGS
@given(
    a=st.floats(0.0, 2.0),
    x0=st.floats(0.0, L_ROD),
    w=st.floats(0.002, 0.5),
    b=st.floats(0.0, 2.5),
)
def test_sign_flip_inside_a_coefficient(a: float, x0: float, w: float, b: float) -> None:
    factor = f"(1 - {a!r}*exp(-((x - {x0!r}*L/2)/({w!r}*L/2))**2) - {b!r}*t/T)"
    text = HEAT.replace("  u0: 1 K\n", "  u0: 1 K\n  T: 0.5 s\n").replace(
        "diff(u, t) = kappa*diff(u, x, 2)", f"diff(u, t) = kappa*{factor}*diff(u, x, 2)"
    )
    x = np.linspace(0.0, L_ROD, 4001)[:, None]
    t = np.linspace(0.0, T_END, 41)[None, :]
    dense = 1 - a * np.exp(-(((x - x0) / w) ** 2)) - b * t / T_END
    if w < 0.05:  # a narrow bump: make sure its peak is on the oracle's grid
        dense = np.minimum(dense.min(), 1 - a - b)
    oracle_min = float(np.min(dense))
    assume(abs(oracle_min) > 1e-3)
    verdict = _run(text).verdict("well_posedness")
    if oracle_min < 0:
        assert verdict.status == Status.FAIL and verdict.condition == "S2", verdict.message
        proof = verdict.numbers["u_principal_symbol"]
        assert proof["proof"] == "violated" and proof["min_found"] < 0
    else:
        assert verdict.status != Status.FAIL, verdict.message
        assert verdict.numbers["u_principal_symbol"]["proof"] == "proven"
        assert verdict.numbers["u_principal_symbol"]["lower_bound"] <= oracle_min + 1e-12


UNITS = [
    ("0.5 m^2/s", False),
    ("5000 cm^2/s", False),
    ("1800 m^2/h", False),
    ("0.5 m/s", True),
    ("0.5 m^2", True),
    ("0.5 1/s", True),
    ("0.5 m^2/K", True),
]


@pytest.mark.parametrize(("unit", "breaks"), UNITS)
def test_unit_swap(unit: str, breaks: bool) -> None:
    text = HEAT.replace("kappa: 0.5 m^2/s", f"kappa: {unit}")
    verdict = _run(text).verdict("dimensions")
    assert (verdict.status == Status.FAIL) is breaks, verdict.message


@SETTINGS
@given(name=st.sampled_from(sorted(SECOND_ORDER)), which=st.integers(0, 3))
def test_dropped_boundary_condition(name: str, which: int) -> None:
    text = SECOND_ORDER[name]
    head, rest = text.split("## Boundary Conditions\n", 1)
    block, tail = rest.split("\n\n", 1)
    lines = block.splitlines()
    drop = which % len(lines)
    kept = "\n".join(line for i, line in enumerate(lines) if i != drop)
    report = _run(head + "## Boundary Conditions\n" + kept + "\n\n" + tail)
    assert not report.accepted
    assert report.verdict("bc_ic").status == Status.FAIL


@SETTINGS
@given(x=st.floats(-1.0, 3.0), t=st.floats(-0.3, 0.8))
def test_shifted_observable_point(x: float, t: float) -> None:
    inside = 0.0 <= x <= L_ROD and 0.0 <= t <= T_END
    near = min(abs(x), abs(x - L_ROD), abs(t), abs(t - T_END))
    assume(near > 1e-6)
    text = HEAT.replace("definition: u(t=0.5, x=1)", f"definition: u(t={t!r}, x={x!r})")
    verdict = _run(text).verdict("dimensions")
    assert (verdict.status == Status.FAIL) is (not inside), verdict.message
    if not inside:
        assert "outside" in verdict.message
