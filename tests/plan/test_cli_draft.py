"""``simlab draft``: exit 0 spec, 3 question, 2 error; --json; -o; --replay; fallback."""

from __future__ import annotations

import json

import pytest

from simlab.cli import main
from simlab.spec import parse_file
from tests.plan.dev_requests import DEV_REQUESTS
from tests.plan.fixtures.record_session import SESSION, WAVE_REQUEST


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_spec_printed_exit_0(capsys) -> None:
    code, out, err = run(capsys, "draft", "--offline", DEV_REQUESTS["heat_1d"])
    assert code == 0 and out.startswith("# Specification: Heat equation in 1D")
    assert "Offline drafter (no language model)" in err


def test_spec_written_with_o(capsys, tmp_path) -> None:
    target = tmp_path / "out" / "spec.md"
    code, out, err = run(capsys, "draft", "--offline", DEV_REQUESTS["robertson"], "-o", str(target))
    assert code == 0 and out == "" and f"wrote {target}" in err
    assert parse_file(target).title == "Robertson stiff chemical kinetics"


def test_question_exit_3(capsys) -> None:
    code, out, _ = run(capsys, "draft", "--offline", "solve the wave equation")
    assert code == 3 and "boundary conditions" in out.lower()


def test_json_shapes(capsys) -> None:
    code, out, _ = run(capsys, "draft", "--offline", "--json", DEV_REQUESTS["bratu_1d"])
    data = json.loads(out)
    assert code == 0 and data["status"] == "spec" and data["spec_md"].startswith("# Specification")
    code, out, _ = run(capsys, "draft", "--offline", "--json", "k = 0.1, solve diffusion")
    data = json.loads(out)
    assert code == 3 and data["status"] == "question" and "meaning of k" in data["missing"]
    code, out, _ = run(capsys, "draft", "--replay", "missing.jsonl", "--json", "x")
    data = json.loads(out)
    assert code == 2 and data["status"] == "error" and "does not exist" in data["error"]


def test_errors_exit_2(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "draft", "--offline", "  ")
    assert code == 2 and "empty" in err
    code, _, err = run(capsys, "draft", "--replay", str(SESSION), "never recorded")
    assert code == 2 and "is not in the inference log" in err and "Traceback" not in err
    code, _, _ = run(capsys, "draft", "--offline", "--replay", str(SESSION), "x")
    assert code == 2


def test_replay_from_a_recorded_log(capsys) -> None:
    code, out, _ = run(capsys, "draft", "--replay", str(SESSION), "--json", WAVE_REQUEST)
    data = json.loads(out)
    assert code == 3 and data["planner"] == "replay:claude-sonnet-4-6"


def test_without_a_key_it_falls_back_to_offline_and_says_so(capsys) -> None:
    code, out, err = run(capsys, "draft", DEV_REQUESTS["heat_2d"])
    assert code == 0 and "ANTHROPIC_API_KEY is not set; drafting OFFLINE" in err
    assert out.startswith("# Specification: Heat equation on the unit square")


def test_judge_rejection_exit_1_with_the_certificate(capsys) -> None:
    request = DEV_REQUESTS["robertson"] + " Use explicit Euler."
    code, out, err = run(capsys, "draft", "--offline", request)
    assert code == 1 and "Rejection certificate" in err and "S3" in err
    assert out.startswith("# Specification: Robertson")
    code, out, _ = run(capsys, "draft", "--offline", "--json", request)
    data = json.loads(out)
    assert code == 1 and data["status"] == "rejected" and data["reasons"][0].startswith("S3")


def test_no_judge(capsys) -> None:
    request = DEV_REQUESTS["robertson"] + " Use explicit Euler."
    code, _, err = run(capsys, "draft", "--offline", "--no-judge", request)
    assert code == 0 and "not judged" in err
