"""Counts of a benchmark run: silent failures with and without the Judge, catches, false alarms.

Units of counting:

* a **case** is one module at one parameter point; a case is *wrong* when the module's answer
  there (at its declared resolution, or after the pipeline's refinement) misses the spec's
  tolerance;
* a **variant** is a bug module that is wrong at one or more of its points; a bug module
  that is right everywhere is **benign** (listed, not counted as a bug);
* a mode's **silent failure** is a wrong case it accepts; its **false positive** a right
  case it rejects or flags (``false_positives``: every right case, as the issue defines it).
  They are split: on the correct modules (false alarms on correct code), on benign bug
  modules, and on right answers of buggy modules (a flag there still points at a real
  defect, e.g. an observed order below the declared one);
* the pipeline may also *certify a right value* for a module whose declared-resolution
  answer was wrong: its convergence study refined past the module's own grids.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from simlab.bench.case import CAUGHT, CORRECT, FALSE_POSITIVE, SILENT, CaseResult, ModeResult

EVIDENCE_ORDER = (
    "gate",
    "sandbox",
    "pipeline error",
    "convergence",
    "reference",
    "acceptance",
    "audit",
    "diagnostics",
)
"""Priority for the single 'first evidence' of a catch (pre-execution first)."""


def summarize(cases: list[CaseResult], seconds: float, reference_seconds: float) -> dict[str, Any]:
    """Every count the CLI, the report and the notebook show."""
    by_module: dict[str, list[CaseResult]] = {}
    for c in cases:
        by_module.setdefault(c.module, []).append(c)
    bugs = {k: v for k, v in by_module.items() if not v[0].is_correct_module}
    real = {k: v for k, v in bugs.items() if any(c.module_wrong for c in v)}
    benign = sorted(k for k in bugs if k not in real)
    correct = [c for c in cases if c.is_correct_module]
    wrong = [c for c in cases if c.module_wrong and not c.is_correct_module]
    right = [c for c in cases if not c.module_wrong or c.is_correct_module]

    def silent(mode: str, pool: list[CaseResult]) -> list[CaseResult]:
        return [c for c in pool if _mode(c, mode) is not None and _mode(c, mode).outcome == SILENT]

    pipe_fp = [c for c in cases if c.pipeline.outcome == FALSE_POSITIVE]
    fp_correct = [c for c in pipe_fp if c.is_correct_module]
    fp_benign = [c for c in pipe_fp if c.module in benign]
    fp_buggy = [c for c in pipe_fp if c not in fp_correct and c not in fp_benign]
    correct_or_benign = [c for c in cases if c.is_correct_module or c.module in benign]
    silent_with = silent("pipeline", cases)
    silent_without = silent("baseline", [c for c in cases if not c.is_correct_module])
    out: dict[str, Any] = {
        "variants": len(real),
        "modules": len(by_module),
        "correct_modules": sum(1 for v in by_module.values() if v[0].is_correct_module),
        "benign_modules": benign,
        "points": len({(c.problem, c.point) for c in cases}),
        "cases": len(cases),
        "wrong_cases": len(wrong),
        "silent_with_judge": len(silent_with),
        "silent_without_judge": len(silent_without),
        "silent_rate_with_judge": _rate(len(silent_with), len(wrong)),
        "silent_rate_without_judge": _rate(len(silent_without), len(wrong)),
        "silent_variants_with_judge": len({c.module for c in silent_with}),
        "silent_variants_without_judge": len({c.module for c in silent_without}),
        "caught_with_judge": sum(1 for c in wrong if c.pipeline.outcome == CAUGHT),
        "certified_right_after_refinement": sum(1 for c in wrong if c.pipeline.outcome == CORRECT),
        "caught_without_judge": sum(1 for c in wrong if c.baseline.outcome == CAUGHT),
        "right_cases": len(right),
        "false_positives": len(pipe_fp),
        "false_positive_rate": _rate(len(pipe_fp), len(right)),
        "false_positives_correct_modules": len(fp_correct),
        "false_positive_rate_correct_modules": _rate(len(fp_correct), len(correct)),
        "flags_on_benign_modules": len(fp_benign),
        "benign_module_cases": len(correct_or_benign) - len(correct),
        "flags_on_right_answers_of_buggy_modules": len(fp_buggy),
        "correct_module_cases": len(correct),
        "correct_modules_baseline_wrong": sum(1 for c in correct if c.baseline.wrong),
        "caught_by": _evidence(wrong),
        "first_evidence": _first_evidence(wrong),
        "silent_cases_with_judge": [_label(c) for c in silent_with],
        "silent_details": [_silent_detail(c) for c in silent_with],
        "evidence_per_pass": evidence_per_pass(cases),
        "caught_cases": {
            _label(c): c.pipeline.caught_by for c in wrong if c.pipeline.outcome == CAUGHT
        },
        "false_positive_cases": [_label(c) for c in pipe_fp],
        "physverify": _peer(cases, wrong, benign),
        "per_problem": _per_problem(cases, benign),
        "per_point": _per_point(cases),
        "per_kind": _per_kind(cases),
        "seconds": round(seconds, 1),
        "reference_seconds": round(reference_seconds, 1),
        "case_seconds": round(sum(c.seconds for c in cases), 1),
    }
    return out


def _mode(case: CaseResult, mode: str) -> ModeResult | None:
    return getattr(case, mode)


def _rate(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _label(c: CaseResult) -> str:
    return f"{c.module}@{c.point}"


def _evidence(wrong: list[CaseResult]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for c in wrong:
        if c.pipeline.outcome == CAUGHT:
            counts.update(set(c.pipeline.caught_by))
    return dict(counts.most_common())


def _first_evidence(wrong: list[CaseResult]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for c in wrong:
        if c.pipeline.outcome != CAUGHT or not c.pipeline.caught_by:
            continue
        ranked = sorted(
            c.pipeline.caught_by,
            key=lambda e: next(
                (i for i, p in enumerate(EVIDENCE_ORDER) if e.startswith(p)), len(EVIDENCE_ORDER)
            ),
        )
        counts[ranked[0].split(":")[0]] += 1
    return dict(counts.most_common())


def _peer(cases: list[CaseResult], wrong: list[CaseResult], benign: list[str]) -> dict[str, Any]:
    applies = [c for c in wrong if c.physverify is not None]
    caught = [c for c in applies if c.physverify.outcome == CAUGHT]  # type: ignore[union-attr]
    silent = [c for c in applies if c.physverify.outcome == SILENT]  # type: ignore[union-attr]
    clean = [
        c for c in cases if c.physverify is not None and (c.is_correct_module or c.module in benign)
    ]
    fp = [c for c in clean if c.physverify.outcome == FALSE_POSITIVE]  # type: ignore[union-attr]
    scan = [c for c in caught if any("scan" in e for e in c.physverify.caught_by)]  # type: ignore[union-attr]
    pipe_on_same = [c for c in applies if c.pipeline.outcome != SILENT]
    return {
        "applicable_wrong_cases": len(applies),
        "not_applicable_wrong_cases": len(wrong) - len(applies),
        "caught": len(caught),
        "silent": len(silent),
        "detection_rate": _rate(len(caught), len(applies)),
        "pipeline_not_silent_rate_same_cases": _rate(len(pipe_on_same), len(applies)),
        "caught_by_scan": len(scan),
        "false_positives": len(fp),
        "false_positive_rate": _rate(len(fp), len(clean)),
        "silent_cases": [_label(c) for c in silent],
    }


def _per_problem(cases: list[CaseResult], benign: list[str]) -> list[dict[str, Any]]:
    rows = []
    for name in sorted({c.problem for c in cases}):
        mine = [c for c in cases if c.problem == name]
        wrong = [c for c in mine if c.module_wrong and not c.is_correct_module]
        modules = {c.module for c in mine}
        real = {c.module for c in wrong}
        peer = [c for c in wrong if c.physverify is not None]
        rows.append(
            {
                "problem": name,
                "bugs": len(real),
                "benign": sum(1 for m in modules if m in benign),
                "points": len({c.point for c in mine}),
                "cases": len(mine),
                "wrong": len(wrong),
                "silent_without_judge": sum(1 for c in wrong if c.baseline.outcome == SILENT),
                "silent_with_judge": sum(1 for c in mine if c.pipeline.outcome == SILENT),
                "caught_with_judge": sum(1 for c in wrong if c.pipeline.outcome == CAUGHT),
                "false_positives": sum(
                    1
                    for c in mine
                    if c.pipeline.outcome == FALSE_POSITIVE
                    and (c.is_correct_module or c.module in benign)
                ),
                "physverify_caught": sum(
                    1
                    for c in peer
                    if c.physverify.outcome == CAUGHT  # type: ignore[union-attr]
                ),
                "physverify_applicable": len(peer),
            }
        )
    return rows


def _per_point(cases: list[CaseResult]) -> list[dict[str, Any]]:
    """Silent failures and false positives at every (problem, parameter point)."""
    rows = []
    for prob, point in sorted({(c.problem, c.point) for c in cases}):
        mine = [c for c in cases if c.problem == prob and c.point == point]
        wrong = [c for c in mine if c.module_wrong and not c.is_correct_module]
        correct = [c for c in mine if c.is_correct_module]
        rows.append(
            {
                "problem": prob,
                "point": point,
                "wrong": len(wrong),
                "silent_without_judge": sum(1 for c in wrong if c.baseline.outcome == SILENT),
                "silent_with_judge": sum(1 for c in mine if c.pipeline.outcome == SILENT),
                "correct_cases": len(correct),
                "false_positives_correct_modules": sum(
                    1 for c in correct if c.pipeline.outcome == FALSE_POSITIVE
                ),
            }
        )
    return rows


def _per_kind(cases: list[CaseResult]) -> list[dict[str, Any]]:
    rows = []
    for kind in sorted({c.kind for c in cases if not c.is_correct_module}):
        mine = [c for c in cases if c.kind == kind and not c.is_correct_module]
        wrong = [c for c in mine if c.module_wrong]
        rows.append(
            {
                "kind": kind,
                "modules": len({c.module for c in mine}),
                "wrong": len(wrong),
                "silent_without_judge": sum(1 for c in wrong if c.baseline.outcome == SILENT),
                "silent_with_judge": sum(1 for c in wrong if c.pipeline.outcome == SILENT),
                "physverify_caught": sum(
                    1 for c in wrong if c.physverify and c.physverify.outcome == CAUGHT
                ),
            }
        )
    return rows


def summarize_corpora(
    cases: list[CaseResult], seconds: float, reference_seconds: float
) -> dict[str, Any]:
    """The summary over every case, with the same summary per corpus under ``per_corpus``."""
    out = summarize(cases, seconds, reference_seconds)
    out["corpora"] = sorted({c.corpus for c in cases})
    out["per_corpus"] = {
        name: summarize([c for c in cases if c.corpus == name], 0.0, 0.0) for name in out["corpora"]
    }
    for sub in out["per_corpus"].values():
        for key in ("seconds", "reference_seconds"):
            sub.pop(key)
    return out


def evidence_per_pass(cases: list[CaseResult]) -> dict[str, Any]:
    """How many independent evidence kinds stand behind each PASS (per certified observable).

    ``without_independent_evidence`` lists the PASS certificates with an observable that only
    its own convergence study supports (the issue's target: none).
    """
    passes = [c for c in cases if c.pipeline.accepted]
    counts: list[int] = []
    kinds: Counter[str] = Counter()
    bare: list[str] = []
    for c in passes:
        per_obs = c.pipeline.evidence or {}
        for found in per_obs.values():
            counts.append(len(found))
            kinds.update(k.split(":")[0] for k in found)
        if not per_obs or any(not found for found in per_obs.values()):
            bare.append(_label(c))
    return {
        "passes": len(passes),
        "observables": len(counts),
        "mean": round(sum(counts) / len(counts), 2) if counts else None,
        "min": min(counts) if counts else None,
        "histogram": {str(k): v for k, v in sorted(Counter(counts).items())},
        "by_kind": dict(kinds.most_common()),
        "without_independent_evidence": bare,
    }


def _silent_detail(c: CaseResult) -> dict[str, Any]:
    """A silent case precisely: module, bug, value certified vs truth, what stood behind it."""
    truths = {
        k: {"value": t.get("value"), "allowed": t.get("allowed"), "kind": t.get("kind")}
        for k, t in c.truths.items()
    }
    return {
        "case": _label(c),
        "kind": c.kind,
        "certified": c.pipeline.values,
        "truth": truths,
        "evidence": c.pipeline.evidence,
        "notes": c.pipeline.detail[:400],
    }
