"""`simlab solve` end to end: the live path through the SDK (mocked transport), then --replay."""

from __future__ import annotations

import json

import httpx2
import pytest

from simlab.cli import main
from simlab.paths import SPECS_DIR
from tests.execute.test_solve_sessions import cassette
from tests.plan.fake_api import FakeMessagesAPI

KEY = "sk-ant-test-cli-0123456789"


@pytest.mark.slow
def test_solve_then_replay_without_a_key(tmp_path, monkeypatch, capsys):
    data = cassette("heat_first_try")
    api = FakeMessagesAPI(*[json.dumps(r["reply"]) for r in data["rounds"]])
    monkeypatch.setattr(httpx2, "HTTPTransport", lambda *a, **k: api.transport)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    spec = SPECS_DIR / "dev" / "heat_1d.md"
    code = main(["solve", str(spec), "--out", str(tmp_path / "runs"), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["certified"]
    assert [r["status"] for r in result["rounds"]] == ["PASS"]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    code = main(["solve", "--replay", result["bundle"], "--json"])
    replayed = json.loads(capsys.readouterr().out)
    assert code == 0 and replayed["identical"], replayed


def test_solve_without_a_key_says_how_to_replay(monkeypatch, capsys):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert main(["solve", str(SPECS_DIR / "dev" / "heat_1d.md")]) == 2
    assert "--replay" in capsys.readouterr().err
