"""Validation: the paper's rules, machine-checkability part by part, and every bundled spec."""

from __future__ import annotations

import pytest

from simlab.spec import parse, parse_file
from simlab.spec.validate import validate
from tests.conftest import DEV_SPECS, ROOT
from tests.spec.test_parse import MINIMAL

PAPER = ROOT / "tests" / "data" / "paper_ct_free_text.md"


@pytest.mark.parametrize("path", DEV_SPECS, ids=lambda p: p.stem)
def test_dev_specs_are_valid_and_machine_checkable(path) -> None:
    report = validate(parse_file(path), path.read_text())
    assert report.valid and report.machine_checkable, report.problems


def test_enough_dev_specs() -> None:
    assert len(DEV_SPECS) >= 12


def test_paper_free_text_spec_is_valid_but_not_checkable() -> None:
    report = validate(parse_file(PAPER), PAPER.read_text())
    assert report.valid
    assert not report.machine_checkable
    sections = {p.section for p in report.problems if p.severity == "unverifiable"}
    assert sections == {
        "Domain",
        "Equations",
        "Boundary Conditions",
        "Initial Conditions",
        "Observables",
        "Tolerance",
    }
    assert all(p.line is not None and p.hint for p in report.problems if p.severity != "note")
    # the paper's PSNR_minimum key is read as an acceptance bound on the PSNR observable
    spec = parse_file(PAPER)
    assert spec.tolerance.minimum == {"PSNR": 30.0, "SSIM": 0.85}


def test_unit_only_in_comment_is_pointed_out() -> None:
    text = MINIMAL.replace("kappa: 1.0e-4 m^2/s", "kappa: 1.0e-4   # m^2/s")
    report = validate(parse(text), text)
    (problem,) = [p for p in report.problems if "kappa" in p.message]
    assert problem.severity == "unverifiable"
    assert problem.line == 14
    assert "only in a comment" in problem.hint


@pytest.mark.parametrize(
    ("mutation", "rule"),
    [
        (("metric: relative_error\nthreshold: 1e-3\n", "metric: relative_error\n"), "rule 2"),
        (
            ("equations:\n  - diff(u, t) = kappa*diff(u, x, 2)\n", "equations: []\n"),
            "no equations",
        ),
        (
            ("left: {type: dirichlet, value: 0}", "lft: {type: dirichlet, value: 0}"),
            "not a boundary",
        ),
        (("u: u0*sin(pi*x)", "u: q0*sin(pi*x)"), "undeclared name(s) q0"),
        (("depends_on: [t, x]", "depends_on: [t, z]"), "'z'"),
    ],
)
def test_invalid_specs(mutation, rule) -> None:
    text = MINIMAL.replace(*mutation)
    report = validate(parse(text), text)
    assert not report.valid
    assert any(rule in p.message for p in report.problems if p.severity == "error"), report.problems


def test_missing_units_are_unverifiable_not_guessed() -> None:
    text = MINIMAL.replace("u: {unit: K, depends_on: [t, x]}", "u: {depends_on: [t, x]}")
    report = validate(parse(text), text)
    assert report.valid and not report.machine_checkable
    assert any("unknown 'u' has no unit" in p.message for p in report.problems)
    nondim = text.replace("## Equations\n", "## Equations\nnondimensional: true\n")
    nondim = nondim.replace(" unit: m}", "}").replace(", unit: s}", "}")
    nondim = nondim.replace("1.0e-4 m^2/s", "1.0e-4").replace("u0: 1 K", "u0: 1")
    nondim = nondim.replace(", unit: K}", "}")
    assert validate(parse(nondim), nondim).machine_checkable
