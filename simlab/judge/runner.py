"""Run the five gates in order, notify observers, and assemble the report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from simlab.judge import bc_ic, classify, cost, dimensions, well_posedness
from simlab.judge.budget import Budget
from simlab.judge.context import JudgeContext
from simlab.judge.events import GateFinished, GateStarted, JudgeDone, notify
from simlab.judge.report import Finding, GateVerdict, JudgeReport, Status
from simlab.spec.model import Spec

Gate = Callable[[JudgeContext], GateVerdict]

#: the gates in the order they run: (id, title, conditions, check)
GATES: tuple[tuple[str, str, tuple[str, ...], Gate], ...] = tuple(
    (m.GATE_ID, m.TITLE, m.CONDITIONS, m.check)
    for m in (dimensions, bc_ic, well_posedness, classify, cost)
)
GATE_IDS = tuple(g[0] for g in GATES)


def run(spec: Spec, budget: Budget | None = None, observers: Iterable[Any] = ()) -> JudgeReport:
    """Judge ``spec``: every gate runs (failures are collected, not short-circuited)."""
    observers = tuple(observers)
    start = time.perf_counter()
    ctx = JudgeContext(spec, budget)
    verdicts: list[GateVerdict] = []
    total = len(GATES)
    for index, (gate_id, title, conditions, check) in enumerate(GATES):
        notify(observers, GateStarted(gate_id, title, index, total))
        t0 = time.perf_counter()
        verdict = _safe(check, ctx, gate_id, title, conditions)
        verdict = replace(verdict, elapsed_ms=(time.perf_counter() - t0) * 1e3)
        verdicts.append(verdict)
        notify(observers, GateFinished(verdict, index, total))
    analysis = _safe_analysis(ctx)
    try:
        method = ctx.planned_method()
    except Exception:  # an unreadable plan was reported by the gates already
        method = None
    report = JudgeReport(
        file=spec.source,
        title=spec.title,
        verdicts=tuple(verdicts),
        classification=analysis,
        method=method,
        budget=ctx.budget.to_dict(),
        elapsed_ms=(time.perf_counter() - start) * 1e3,
    )
    notify(observers, JudgeDone(report))
    return report


def _safe(
    check: Gate, ctx: JudgeContext, gate_id: str, title: str, conditions: tuple[str, ...]
) -> GateVerdict:
    """A gate that breaks on odd input reports it instead of raising (never a traceback)."""
    try:
        return check(ctx)
    except Exception as exc:  # a bug or an input no gate foresaw: visible, never silent
        finding = Finding(
            Status.UNVERIFIABLE,
            conditions[0],
            f"internal error while checking ({type(exc).__name__}: {exc}); this gate could not "
            "evaluate the spec",
        )
        return GateVerdict.from_findings(gate_id, title, conditions, [finding])


def _safe_analysis(ctx: JudgeContext) -> Any:
    try:
        return ctx.analysis.classification()
    except Exception:  # reported by the classification gate already
        return None
