"""The mode a sandbox reports, and `simlab doctor` on this machine."""

from __future__ import annotations

import json

import pytest

from simlab.cli import main
from simlab.errors import SandboxError
from simlab.sandbox.confinement import KERNEL_LAYERS, SandboxMode, chosen_isolation, module_grants

ALL = {name: "mechanism" for name in KERNEL_LAYERS}


def test_every_kernel_layer_makes_the_mode_full():
    mode = SandboxMode.from_ready({"layers": ALL}, "bwrap", {})
    assert mode.level == "full"


def test_a_missing_layer_makes_it_partial_and_says_which():
    layers = {k: v for k, v in ALL.items() if k != "disk"}
    mode = SandboxMode.from_ready(
        {"layers": layers, "missing": {"disk": "no tmpfs"}}, "process", {}
    )
    assert mode.level == "partial"
    assert "missing: disk" in mode.summary()


def test_no_network_files_or_processes_is_none():
    layers = {"ptrace": "x", "signals": "y"}
    assert SandboxMode.from_ready({"layers": layers}, "process", {}).level == "none"


def test_a_failed_verification_is_never_full():
    mode = SandboxMode.from_ready({"layers": ALL, "missing": {"verification": "x"}}, "bwrap", {})
    assert mode.level == "partial"


def test_an_unknown_isolation_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SIMLAB_SANDBOX_ISOLATION", "chroot")
    with pytest.raises(SandboxError, match="unknown sandbox isolation"):
        chosen_isolation(None)


def test_a_module_in_the_home_gets_only_its_own_file(tmp_path):
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    assert module_grants(home / "solver.py", str(home)) == [str(home / "solver.py")]
    assert module_grants(home / "project" / "s.py", str(home)) == [str(home / "project")]
    assert module_grants(tmp_path / "s.py", str(home)) == [str(tmp_path / "s.py")]


def test_doctor_reports_the_mode_of_this_machine(capsys):
    code = main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    best = report["modes"]["auto"]
    assert best["level"] in ("full", "partial", "none")
    assert code == (0 if best["level"] == "full" else 1)
    for name in KERNEL_LAYERS:
        assert name in best["layers"] or best["missing"].get(name)
    assert "landlock" in report["facts"]
