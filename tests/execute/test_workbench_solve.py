"""The workbench's "Claude writes the solver" button: the Execute session on the editor's spec."""

from __future__ import annotations

import json

import pytest

from simlab.execute import ClaudeCoder
from simlab.paths import SPECS_DIR
from simlab.ui import Workbench
from tests.execute.test_solve_sessions import cassette
from tests.plan.fake_api import FakeMessagesAPI


@pytest.mark.slow
def test_the_button_runs_the_session_and_shows_its_outcome(tmp_path):
    data = cassette("heat_first_try")
    api = FakeMessagesAPI(*[json.dumps(r["reply"]) for r in data["rounds"]])
    coder = ClaudeCoder(api_key="test-key-0", transport=api.transport, retry_wait=0.0)
    bench = Workbench(SPECS_DIR / "dev" / "heat_1d.md", planner=None, out_dir=tmp_path, coder=coder)
    bench.solve_button.clicks += 1  # what a press does
    bench.wait(300)
    session = bench.session
    assert session is not None and session.certified, bench.error
    assert [r.status for r in session.rounds] == ["PASS"]
    assert bench.runner.state == "PASS"
    assert "certified in round 1" in bench.certificate.pane.object
    assert list(tmp_path.glob("solve-*/round-1-solver.py"))
