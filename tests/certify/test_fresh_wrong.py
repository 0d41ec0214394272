"""Acceptance: wrong solver modules written apart from benchmarks/seeded are never certified.

tests/certify/fresh_wrong/ holds modules in styles the seeded corpus does not use (plain
numbers, grids and steppers of their own, declared methods across the vocabulary) with
one bug each (unit slip on one output, wrong compartment, a leak, a cached answer, a
calibration factor, a measurement window, a duplicated node, float32 state ...). Each runs
through the bench's case runner at a parameter point where the spec has no exact
reference (the hard case): the full pipeline must not PASS a wrong answer, and the ground
truth must find the module wrong (so the test can fail).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simlab.bench.case import SILENT, run_case
from simlab.bench.corpus import Variant
from simlab.bench.run import REFERENCE_CACHE, reference_truths

HERE = Path(__file__).parent / "fresh_wrong"
POINTS = {
    "seird": "slower",
    "robertson": "fast_k1_hours",
    "fisher_kpp": "fast_growth",
    "heat_1d": "kappa_cgs",
    "bratu_1d": "spec",
}
MODULES = sorted(HERE.glob("*.py"))


def _variant(path: Path) -> Variant:
    prefix = path.stem.split("_")[0]
    problem = {"fisher": "fisher_kpp", "heat": "heat_1d", "bratu": "bratu_1d"}.get(prefix, prefix)
    return Variant(problem, path.stem, path, "fresh", path.stem)


def test_the_acceptance_set_is_large_enough() -> None:
    assert len(MODULES) >= 10


@pytest.mark.slow
@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_fresh_wrong_module_is_not_certified(path: Path, tmp_path: Path) -> None:
    variant = _variant(path)
    point = POINTS[variant.problem]
    cache = tmp_path / "references.json"  # the bench's cached truths, never written back
    shutil.copy(REFERENCE_CACHE, cache)
    truths = reference_truths([(variant, point)], cache)[(variant.problem, point)]
    case = run_case(variant, point, truths)
    assert case.module_wrong, f"{path.stem} is right at {point}: the test could not fail"
    assert case.pipeline.outcome != SILENT, (case.status, case.pipeline.detail)
