"""The continuation corpus: every known special point found, typed and located.

40 problems with closed-form special points (benchmarks/continuation_corpus.py), run through
``simlab continue --json`` as a user would. Stationary problems: the Richardson-extrapolated
continuum value's certified bound must cover the true error. ODE equilibria (no
discretisation): the location error must be at round-off, also for a pitchfork met on a
half-branch (refined on the other branch through it; 3.4e-8 before that).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

from bench_continuation_corpus import run_case  # noqa: E402
from continuation_corpus import CASES  # noqa: E402

FAST = {
    "bratu_1d_L10_D1",
    "pitchfork_c1",
    "chafee_infante_L1_D1",
    "cubic_folds",
    "subcritical_pitchfork",
    "brusselator_a1",
    "lorenz_origin",
}
ROUNDOFF = 1e-12


def test_the_corpus_is_large_and_covers_every_type() -> None:
    assert len(CASES) >= 40
    kinds = {k for c in CASES for k, _ in c.expected}
    assert kinds == {"fold", "branch_point", "hopf"}
    assert len({c.name for c in CASES}) == len(CASES)


def _check(case, tmp_path: Path) -> None:
    result = run_case(case, tmp_path)
    assert "error" not in result, result
    for point in result["points"]:
        assert point["found"] is not None, (case.name, point)
        if case.stationary:
            assert point["covered"], (case.name, point)
        else:
            assert point["relative_error"] <= ROUNDOFF, (case.name, point)


@pytest.mark.parametrize("case", [c for c in CASES if c.name in FAST], ids=lambda c: c.name)
def test_representative_cases(case, tmp_path: Path) -> None:
    _check(case, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c.name not in FAST], ids=lambda c: c.name)
def test_every_case(case, tmp_path: Path) -> None:
    _check(case, tmp_path)
