"""``simlab validate`` and ``simlab show``: exit codes, JSON shape, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from simlab.cli import main
from tests.conftest import DEV_SPECS, ROOT
from tests.spec.test_parse import MINIMAL


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_dev_specs_exit_0(capsys) -> None:
    code, out, _ = run(capsys, "validate", *map(str, DEV_SPECS))
    assert code == 0
    assert out.count("valid, machine-checkable") == len(DEV_SPECS)


def test_validate_json_shape(capsys, tmp_spec) -> None:
    bad = tmp_spec(MINIMAL.replace("threshold: 1e-3\n", ""), "invalid.md")
    paper = ROOT / "tests" / "data" / "paper_ct_free_text.md"
    code, out, _ = run(capsys, "validate", "--json", str(DEV_SPECS[0]), str(paper), str(bad))
    assert code == 1
    data = json.loads(out)
    assert [d["valid"] for d in data] == [True, True, False]
    assert [d["machine_checkable"] for d in data] == [True, False, False]
    for item in data:
        assert {"file", "valid", "machine_checkable", "problems"} <= set(item)
        for p in item["problems"]:
            assert {"line", "section", "message"} <= set(p)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", MINIMAL.replace("m^2/s", "m^2/sx").encode()],
    ids=["empty", "binary", "bad-unit"],
)
def test_unreadable_exit_2_with_line(capsys, tmp_spec, content) -> None:
    path = tmp_spec(content)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "line" in err and "Traceback" not in err


def test_explain_shows_upgrades(capsys) -> None:
    paper = ROOT / "tests" / "data" / "paper_ct_free_text.md"
    code, out, _ = run(capsys, "validate", "--explain", str(paper))
    assert code == 0
    assert "unknowns:" in out and "depends_on" in out


def test_strict_fails_free_text(capsys) -> None:
    paper = ROOT / "tests" / "data" / "paper_ct_free_text.md"
    assert run(capsys, "validate", "--strict", str(paper))[0] == 1


def test_show_renders_and_json(capsys) -> None:
    code, out, _ = run(capsys, "show", str(DEV_SPECS[0]))
    assert code == 0 and out.startswith("# Specification:")
    code, out, _ = run(capsys, "show", "--json", str(DEV_SPECS[0]))
    assert code == 0 and "domain" in json.loads(out)


def test_console_script_has_no_traceback(tmp_path) -> None:
    path = tmp_path / "junk.md"
    path.write_bytes(b"\xff\xfe\x00junk")
    proc = subprocess.run(
        [sys.executable, "-m", "simlab", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "UTF-16" in proc.stderr


def test_usage_error_exit_2(capsys) -> None:
    assert run(capsys, "validate")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2
