"""``simlab bench seeded --quick`` end to end, on a small subset (serial and on dask)."""

from __future__ import annotations

import json

import pytest

from simlab.cli import main

KEYS = (
    "variants",
    "silent_with_judge",
    "silent_without_judge",
    "false_positives",
    "evidence_per_pass",
    "caught_cases",
)


@pytest.mark.parametrize(
    ("workers", "problems", "corpus", "corpora"),
    [(0, "heat_1d,robertson", "all", 2), (2, "fresnel", "seeded", 1)],
)
def test_quick_subset_reports_the_headline_numbers(capsys, workers, problems, corpus, corpora):
    code = main(
        [
            "bench",
            "seeded",
            "--quick",
            "--json",
            "--workers",
            str(workers),
            "--problems",
            problems,
            "--corpus",
            corpus,
        ]
    )
    out = json.loads(capsys.readouterr().out)
    n = len(problems.split(","))
    assert len(out["per_corpus"]) == corpora
    for summary in [out, *out["per_corpus"].values()]:
        for key in KEYS:
            assert key in summary
    for sub in out["per_corpus"].values():  # per corpus: correct + one bug per problem
        assert sub["cases"] == 2 * n and sub["variants"] == n
        assert sub["silent_without_judge"] == n  # each quick bug fools the no-Judge baseline
    assert out["cases"] == 2 * n * corpora
    assert out["silent_with_judge"] == 0 and code == 0
    assert out["false_positives"] == 0
    assert len(out["caught_cases"]) == n * corpora
    evidence = out["evidence_per_pass"]
    assert evidence["passes"] == n * corpora  # the correct modules
    assert evidence["without_independent_evidence"] == []  # each quick PASS has a reference


def test_an_unknown_problem_is_a_clear_error(capsys):
    code = main(["bench", "seeded", "--quick", "--json", "--workers", "0", "--problems", "nope"])
    assert code == 2
    assert "unknown problem(s) nope" in capsys.readouterr().err


def test_an_unknown_corpus_is_a_clear_error(capsys):
    code = main(["bench", "seeded", "--quick", "--json", "--workers", "0", "--corpus", "nope"])
    assert code == 2
    assert "unknown corpus nope" in capsys.readouterr().err
