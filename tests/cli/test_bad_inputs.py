"""Mistakes a new user makes on the command line: each gets a clear message, never a traceback.

Usage errors (unknown command or option, a missing argument, a value out of range, an output
path that cannot be written) exit 2 with the usage line, a hint and the offending option,
before any work is done. Files that cannot be read exit 2 with the file and a fix.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simlab.cli import main
from tests.conftest import SPECS

HEAT = str(SPECS / "dev" / "heat_1d.md")
USAGE = "Usage: simlab"

# (argv, exit code, words the message must contain)
CASES: list[tuple[list[str], int, tuple[str, ...]]] = [
    (["rn", HEAT], 2, (USAGE, "No such command 'rn'", "Did you mean 'run'")),
    (["runn", HEAT], 2, ("Did you mean 'run'",)),
    (["judg", HEAT], 2, ("Did you mean 'judge'",)),
    (["run"], 2, ("Usage: simlab run", "Missing argument 'FILE'", "simlab run --help")),
    (["run", "--bogus", HEAT], 2, ("No such option: --bogus",)),
    (["run", HEAT, "--steps", "0"], 2, ("No such option: --steps",)),
    (["run", HEAT, "--time-budget", "-1"], 2, ("'--time-budget'", "positive number of seconds")),
    (["run", HEAT, "--time-budget", "0"], 2, ("'--time-budget'", "positive")),
    (["run", HEAT, "--time-budget", "nan"], 2, ("'--time-budget'",)),
    (["run", HEAT, "--time-budget", "inf"], 2, ("'--time-budget'",)),
    (["run", HEAT, "--time-budget", "abc"], 2, ("'--time-budget'", "number")),
    (["run", HEAT, "--out", "afile"], 2, ("'--out'", "afile is a file")),
    (["run", "nosuch.md"], 2, ("nosuch.md", "no such file")),
    (["run", "adir"], 2, ("adir", "directory")),
    (["run", "binary.bin"], 2, ("binary.bin", "binary data")),
    (["run", HEAT, "--json-out"], 2, ("No such option: --json-out",)),
    (["validate"], 2, ("Usage: simlab validate", "Missing argument")),
    (["validate", "nosuch.md"], 2, ("nosuch.md", "no such file")),
    (["validate", "binary.bin"], 2, ("binary data",)),
    (["validate", HEAT, "--strictt"], 2, ("--strictt", "--strict")),
    (["show"], 2, ("Usage: simlab show",)),
    (["show", "empty.md"], 2, ("empty.md",)),
    (["judge"], 2, ("Usage: simlab judge",)),
    (["judge", "nosuch.md"], 2, ("no such file",)),
    (["judge", HEAT, "--budget-memory", "lots"], 2, ("memory budget 'lots'", "2GB")),
    (["judge", HEAT, "--budget-time", "-5"], 2, ("time budget",)),
    (["verify"], 2, ("Usage: simlab verify", "Missing argument 'BUNDLE'")),
    (["verify", "nosuch"], 2, ("not a run bundle",)),
    (["verify", "afile"], 2, ("not a run bundle",)),
    (["continue"], 2, ("Usage: simlab continue",)),
    (["continue", HEAT, "--steps", "0"], 2, ("'--steps'", "greater than or equal to 1")),
    (["continue", HEAT, "--steps", "-3"], 2, ("'--steps'",)),
    (["continue", HEAT, "--resolution", "1"], 2, ("'--resolution'",)),
    (["continue", HEAT, "--min", "5", "--max", "1"], 2, ("--min 5 is not below --max 1",)),
    (["continue", HEAT, "--min", "inf"], 2, ("'--min'", "finite")),
    (["continue", HEAT], 2, ("not continuable",)),
    (["draft"], 2, ("Usage: simlab draft", "Missing argument 'TEXT'")),
    (["draft", "heat", "-o", "adir"], 2, ("'-o' / '--output'", "adir is a folder")),
    (["draft", "heat", "--replay", "binary.bin"], 2, ("'--replay'", "not UTF-8 text")),
    (["draft", "heat", "--replay", "nosuch.jsonl"], 2, ("'--replay'", "does not exist")),
    (["draft", "heat", "--replay", "adir"], 2, ("'--replay'", "is a folder")),
    (["draft", "heat", "--offline", "--replay", "afile"], 2, ("either --offline or --replay",)),
    (["draft", "heat", "--rounds", "0"], 2, ("'--rounds'",)),
    (["draft", "heat", "--log", "adir"], 2, ("'--log'", "is a folder")),
    (["bench", "seeded", "--workers", "-1"], 2, ("'--workers'",)),
    (["bench", "seeded", "--time-budget", "-1"], 2, ("'--time-budget'",)),
    (["bench", "seeded", "--out", "adir"], 2, ("'--out'", "adir is a folder")),
    (["bench", "seeded", "--problems", "nosuch"], 2, ("'--problems'", "nosuch", "heat_1d")),
    (["bench", "nosuch"], 2, ("Usage: simlab bench", "No such command 'nosuch'")),
    (["app", "--port", "70000"], 2, ("'--port'",)),
    (["app", "--port", "-1"], 2, ("'--port'",)),
    (["app", "nosuch.md"], 2, ("nosuch.md", "no such file")),
    (["app", HEAT, "--planner", "gpt"], 2, ("unknown planner 'gpt'", "offline")),
    (["app", HEAT, "--time-budget", "0"], 2, ("'--time-budget'",)),
    (["demo", "--spec", "nosuch.md"], 2, ("'--spec'", "does not exist")),
    (["demo", "--out", "afile"], 2, ("'--out'", "afile is a file")),
    (["--nonsense"], 2, ("No such option: --nonsense",)),
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the usual suspects: a file, a folder, binary data, an empty spec."""
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 2)
    (tmp_path / "empty.md").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    return tmp_path


@pytest.mark.parametrize(("argv", "code", "words"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_gets_a_clear_message(workdir, capsys, argv, code, words):
    before = sorted(os.listdir(workdir))
    assert main(argv) == code
    out, err = capsys.readouterr()
    text = out + err
    assert "Traceback" not in text and "internal error" not in text, text
    for word in words:
        assert word in text, (word, text)
    if words[0] == USAGE or "'--" in "".join(words) or "'-o'" in "".join(words):
        assert "--help' for help" in err, err  # usage errors point at the command's help
    assert sorted(os.listdir(workdir)) == before, "a refused command wrote something"


def test_help_and_version(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("demo", "draft", "validate", "judge", "run", "verify", "continue", "bench"):
        assert name in out
    assert main(["-h"]) == 0
    assert "Usage: simlab" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("simlab ")
    assert main([]) == 2  # bare `simlab`: the help, as a usage error


def test_help_lists_commands_without_importing_them():
    """``simlab --help`` names every command from the table, importing none of them."""
    import subprocess
    import sys

    code = (
        "import sys; from simlab.cli import main; main(['--help']); "
        "print(sorted(m for m in sys.modules if m.startswith('simlab.cli.') "
        "or m.split('.')[0] in ('panel', 'holoviews', 'anthropic', 'dask', 'sympy', 'pint')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "['simlab.cli.common']", out


def test_run_bundles_the_inference_log_that_draft_left_beside_the_spec(tmp_path, capsys):
    """``simlab draft -o heat.md`` leaves heat.inference.jsonl; ``simlab run heat.md`` keeps it."""
    from simlab.bundle import verify

    spec = tmp_path / "heat.md"
    spec.write_text(Path(HEAT).read_text())
    log = '{"request_hash": "abc", "purpose": "plan"}\n'
    (tmp_path / "heat.inference.jsonl").write_text(log)
    code = main(["run", str(spec), "--out", str(tmp_path / "runs"), "--json"])
    assert code == 0, capsys.readouterr()
    (bundle,) = (tmp_path / "runs").iterdir()
    assert (bundle / "inference.jsonl").read_text() == log
    assert verify(bundle).status == "intact"


def test_run_json_fields_are_documented(tmp_path, capsys):
    """Every field ``simlab run --json`` prints is explained in docs/run-json.md; no
    observable is printed twice; the Judge's five gates are included."""
    import json

    from tests.conftest import ROOT

    code = main(["run", HEAT, "--out", str(tmp_path / "runs"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["schema"] == "simlab.run/1" and data["status"] == "PASS"
    doc = (ROOT / "docs" / "run-json.md").read_text()
    fields = set(data) | set(data["judge"]) | set(data["conditions"][0])
    fields |= set(data["judge"]["gates"][0]) | set(data["audit"][0]) | set(data["diagnostics"][0])
    fields |= set(data["timings_s"])
    for observable in data["observables"]:
        fields |= set(observable)
    missing = sorted(f for f in fields if f"`{f}`" not in doc and f".{f}`" not in doc)
    assert missing == [], f"undocumented fields: {missing}"
    assert [g["gate"] for g in data["judge"]["gates"]] == [
        "dimensions",
        "bc_ic",
        "well_posedness",
        "classification",
        "cost",
    ]
    assert [o["name"] for o in data["observables"]] == ["u_mid"]
    assert json.dumps(data).count('"u_mid"') == 1 + json.dumps(data["diagnostics"]).count('"u_mid"')
