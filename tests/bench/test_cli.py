"""``simlab bench seeded --quick`` end to end, on a small subset (serial and on dask)."""

from __future__ import annotations

import json

import pytest

from simlab.cli import main


@pytest.mark.parametrize(("workers", "problems"), [(0, "heat_1d,robertson"), (2, "fresnel")])
def test_quick_subset_reports_the_headline_numbers(capsys, workers, problems):
    code = main(
        ["bench", "seeded", "--quick", "--json", "--workers", str(workers), "--problems", problems]
    )
    out = json.loads(capsys.readouterr().out)
    for key in ("variants", "silent_with_judge", "silent_without_judge", "false_positives"):
        assert key in out
    n = len(problems.split(","))
    assert out["cases"] == 2 * n  # correct + one bug, at the spec's own point
    assert out["variants"] == n
    assert out["silent_with_judge"] == 0 and code == 0
    assert out["silent_without_judge"] == n  # each quick bug fools the no-Judge baseline
    assert out["false_positives"] == 0


def test_an_unknown_problem_is_a_clear_error(capsys):
    code = main(["bench", "seeded", "--quick", "--json", "--workers", "0", "--problems", "nope"])
    assert code == 2
    assert "unknown problem(s) nope" in capsys.readouterr().err
