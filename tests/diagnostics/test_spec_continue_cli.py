"""``simlab continue``: branches with typed special points, against independent references.

Bratu: the fold of the 128-cell grid (127 unknowns) equals the shooting reference of that
discrete problem to 1e-9 and the continuum fold 3.513830719125161 to its O(h^2)
discretisation error (1.1e-4 here). Chafee-Infante: branch points of u = 0 at the discrete
Dirichlet eigenvalues (2/h^2)(1 - cos(k h)) -> k^2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simlab.cli import main
from simlab.diagnostics.references import (
    bratu_discrete_fold,
    bratu_fold_exact,
    dirichlet_eigenvalue,
)

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["continue", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_bratu_fold_from_the_dev_spec(capsys: pytest.CaptureFixture) -> None:
    spec = str(SPECS / "dev/bratu_1d.md")
    code, out, _ = _run(capsys, spec, "--param", "lam", "--json", "--steps", "60")
    assert code == 0
    data = json.loads(out)
    assert data["parameter"] == "lam" and data["start_value"] == 1.0
    (fold,) = [p for p in data["special_points"] if p["type"] == "fold"]
    assert abs(fold["single_grid"] - bratu_discrete_fold(127)) < 1e-9
    lam_c, u_c = bratu_fold_exact()
    assert 0 < lam_c - fold["single_grid"] < 1.5e-4  # O(h^2) below the continuum, h = 1/128
    # the reported value is the continuum fold, extrapolated over 16 ... 128 cells
    cert = fold["certificate"]
    assert cert["status"] == "PASS" and cert["resolutions"] == [16, 32, 64, 128]
    assert abs(fold["value"] - lam_c) < 1e-8
    assert abs(fold["value"] - lam_c) <= cert["error_bound"] < 1e-8
    assert abs(cert["observed_order"] - 2.0) < 0.05
    assert fold["residual"] <= fold["residual_threshold"]
    assert abs(fold["measure"] - u_c) < 1e-3  # u(1/2) at the fold
    points = [p for b in data["branch"] for p in b["points"]]
    assert all(p["stable"] for p in points if p["measure"] < 1.0)  # lower branch stable
    assert any(not p["stable"] and p["n_unstable"] == 1 for p in points)  # upper one not


def test_stop_reason_gives_the_range_in_the_parameters_unit(capsys) -> None:
    spec = str(SPECS / "boundary/euler_buckling.md")  # P = 19.2 N, default range +- 10 x 19.2
    code, out, _ = _run(capsys, spec, "--json", "--resolution", "16", "--steps", "200")
    reasons = {b["stop_reason"] for b in json.loads(out)["branch"]}
    assert code == 0 and "P left [-172.8, 211.2] N" in reasons, reasons


def test_resolution_keeps_the_single_grid_answer(capsys: pytest.CaptureFixture) -> None:
    spec = str(SPECS / "dev/bratu_1d.md")
    code, out, _ = _run(capsys, spec, "--json", "--steps", "60", "--resolution", "64")
    (fold,) = [p for p in json.loads(out)["special_points"] if p["type"] == "fold"]
    assert code == 0 and fold["certificate"] is None
    assert abs(fold["value"] - bratu_discrete_fold(63)) < 1e-9


def test_chafee_infante_branch_points_near_n_squared(capsys: pytest.CaptureFixture) -> None:
    spec = SPECS / "interior/chafee_infante_2_5.md"
    code, out, _ = _run(capsys, str(spec), "--json", "--resolution", "64", "--max", "10")
    assert code == 0
    data = json.loads(out)
    values = sorted(p["value"] for p in data["special_points"])
    assert {p["type"] for p in data["special_points"]} == {"branch_point"}
    expected = [dirichlet_eigenvalue(63, k, 3.141592653589793) for k in (1, 2, 3)]
    assert len(values) == 3
    for value, reference, k in zip(values, expected, (1, 2, 3), strict=True):
        assert abs(value - reference) < 1e-8 * reference
        assert abs(value - k**2) < 0.01 * k**2


def test_hopf_points_of_ode_equilibria(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = _run(
        capsys,
        str(SPECS / "boundary/lorenz_rho25.md"),
        "--param",
        "rho",
        "--json",
        "--min",
        "20",
        "--max",
        "30",
    )
    assert code == 0
    hopf = [p for p in json.loads(out)["special_points"] if p["type"] == "hopf"]
    rho_h = 10 * (10 + 8 / 3 + 3) / (10 - 8 / 3 - 1)
    assert hopf  # C+ and/or C-, whichever Newton reached from the trajectory
    assert all(abs(p["value"] - rho_h) < 1e-8 for p in hopf)
    assert all(abs(p["frequency"] - 9.6245) < 1e-3 for p in hopf)


def test_text_output_lists_the_branch_and_its_special_points(capsys) -> None:
    code, out, _ = _run(capsys, str(SPECS / "boundary/bratu_near_fold.md"), "--steps", "40")
    assert code == 0
    assert "continuation in lam from 3.45" in out
    assert "fold" in out and "stable" in out


@pytest.mark.parametrize(
    ("path", "args", "message"),
    [
        ("dev/heat_1d.md", (), "time-dependent PDE"),
        ("dev/poisson_2d.md", (), "no numeric parameter"),
        ("dev/bratu_1d.md", ("--param", "nope"), "not a numeric parameter"),
        ("dev/seird.md", (), "no isolated equilibrium"),
        ("dev/bratu_1d.md", ("--min", "2"), "outside the range"),
    ],
)
def test_not_continuable_specs_exit_2_with_a_reason(capsys, path, args, message) -> None:
    code, out, err = _run(capsys, str(SPECS / path), *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_missing_file_is_an_error(capsys, tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(tmp_path / "missing.md"))
    assert code == 2 and "Traceback" not in err


def test_pitchfork_on_a_half_branch_is_a_branch_point(capsys: pytest.CaptureFixture) -> None:
    """Chafee-Infante from its first nontrivial branch: the path runs through the pitchfork
    at the first Dirichlet eigenvalue; it was typed 'fold' after a silent location failure."""
    spec = str(SPECS / "boundary/chafee_infante_1_buckled.md")
    args = ("--resolution", "64", "--min", "0", "--max", "3", "--steps", "80", "--json")
    code, out, _ = _run(capsys, spec, *args)
    data = json.loads(out)
    assert code == 0 and [p["type"] for p in data["special_points"]] == ["branch_point"]
    (bp,) = data["special_points"]
    assert abs(bp["value"] - dirichlet_eigenvalue(63, 1, 3.141592653589793)) < 1e-7
    assert bp["residual"] <= bp["residual_threshold"]
    assert not any(b["notes"] for b in data["branch"])


def test_switch_follows_the_other_branch(capsys: pytest.CaptureFixture) -> None:
    spec = str(SPECS / "interior/chafee_infante_2_5.md")
    args = ("--resolution", "32", "--min", "0.5", "--max", "3", "--steps", "40", "--switch")
    code, out, _ = _run(capsys, spec, *args, "--json")
    data = json.loads(out)
    switched = [b for b in data["branch"] if b.get("switched_from") is not None]
    assert code == 0 and len(switched) == 2  # both sides of the pitchfork at lam ~ 1
    for b in switched:
        amplitudes = [abs(p["measure"]) for p in b["points"]]
        assert max(amplitudes) > 0.1  # off the trivial branch u = 0
        assert all(p["parameter"] >= 0.999 for p in b["points"])  # supercritical: lam > 1
