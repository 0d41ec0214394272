"""``simlab judge FILE... [--json]``: exit 0 accepted, 1 rejected, 2 unreadable."""

from __future__ import annotations

import json
from pathlib import Path

from simlab.cli import main
from tests.judge.builders import heat

ROOT = Path(__file__).resolve().parents[2]
HEAT = ROOT / "specs" / "dev" / "heat_1d.md"


def test_accepted_spec_exits_zero(capsys) -> None:
    assert main(["judge", str(HEAT)]) == 0
    out = capsys.readouterr().out
    assert "ACCEPTED" in out and "dimensions" in out


def test_rejected_spec_exits_one_and_prints_fixes(tmp_spec, capsys) -> None:
    path = tmp_spec(heat(equation="diff(u, t) = -kappa*diff(u, x, 2)"))
    assert main(["judge", str(path)]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "S2" in out and "fix" in out


def test_unreadable_file_exits_two_without_traceback(tmp_spec, capsys) -> None:
    path = tmp_spec("not a spec at all")
    assert main(["judge", str(path), str(HEAT)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err
    assert main(["judge", "no/such/file.md"]) == 2


def test_json_output_per_file(tmp_spec, capsys) -> None:
    bad = tmp_spec(heat(kappa="0.5 m/s"), "bad.md")
    assert main(["judge", str(HEAT), str(bad), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in data] == [str(HEAT), str(bad)]
    assert [d["accepted"] for d in data] == [True, False]
    for item in data:
        assert len(item["gates"]) == 5
        for g in item["gates"]:
            assert {"gate", "status", "condition", "message"} <= set(g)


def test_json_for_an_unreadable_file(tmp_spec, capsys) -> None:
    path = tmp_spec("# Specification: x\n\n## Domain\n")
    assert main(["judge", str(path), "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data[0]["accepted"] is False and data[0]["gates"] == [] and "error" in data[0]


def test_budget_options(capsys) -> None:
    assert main(["judge", str(HEAT), "--budget-memory", "10B", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    cost = next(g for g in data[0]["gates"] if g["gate"] == "cost")
    assert cost["status"] == "FAIL" and cost["numbers"]["budget_memory_bytes"] == 10
    assert main(["judge", str(HEAT), "--budget-time", "10min", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["budget"]["time_seconds"] == 600
    assert main(["judge", str(HEAT), "--budget-memory", "plenty"]) == 2
    assert "cannot read memory budget" in capsys.readouterr().err


def _proofs(gates: list[dict]) -> list[tuple[str, dict]]:
    """Every proof record in the JSON: (finding status, record)."""
    out = []
    for g in gates:
        for f in g["findings"]:
            for value in [f["numbers"], *f["numbers"].values()]:
                if isinstance(value, dict) and value.get("proof") in (
                    "proven",
                    "violated",
                    "touches",
                    "undecided",
                ):
                    out.append((f["status"], value))
    return out


def test_json_shows_the_bound_or_the_witness_of_each_proof(capsys) -> None:
    adv = ROOT / "specs" / "adversarial"
    files = [
        HEAT,
        adv / "r01_narrow_negative_band.md",
        adv / "r02_diffusivity_turns_negative_in_time.md",
        adv / "r04_speed_bump_courant_above_one.md",
        adv / "r05_speed_bump_within_limit.md",
        adv / "h01_fourth_order_wrong_sign.md",
    ]
    main(["judge", *map(str, files), "--json"])
    reports = json.loads(capsys.readouterr().out)
    seen = set()
    for report in reports:
        for status, proof in _proofs(report["gates"]):
            seen.add(proof["proof"])
            if proof["proof"] == "proven":
                assert status == "PASS"
                bound = proof.get("lower_bound", proof.get("coefficient_bounds"))
                assert bound is not None
            if proof["proof"] == "violated":
                assert status == "FAIL"
                witness = proof.get("witness") or proof["coefficient_bounds"]["witness_points"]
                assert witness
    assert {"proven", "violated"} <= seen
