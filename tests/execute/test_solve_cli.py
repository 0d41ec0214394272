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


@pytest.mark.slow
def test_solve_from_words_drafts_first_and_replays_the_drafting_too(tmp_path, monkeypatch, capsys):
    from tests.plan.dev_requests import dev_spec
    from tests.plan.fake_api import spec_reply

    data = cassette("heat_first_try")
    api = FakeMessagesAPI(
        spec_reply(dev_spec("heat_1d")), *[json.dumps(r["reply"]) for r in data["rounds"]]
    )
    monkeypatch.setattr(httpx2, "HTTPTransport", lambda *a, **k: api.transport)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    words = "heat in a 1 m rod, kappa 1e-4 m^2/s, sine start, ends held at 0; u at the middle"
    assert main(["solve", words, "--out", str(tmp_path / "runs"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    bundle = result["bundle"]
    log = (tmp_path / "runs").glob("solve-*/inference.jsonl")
    purposes = [json.loads(line)["purpose"] for line in next(log).read_text().splitlines()]
    assert purposes == ["plan", "execute"]
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert main(["solve", "--replay", bundle, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["identical"]
