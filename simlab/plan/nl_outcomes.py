"""Outcomes of a planner on the NL sets: right spec, right question, wrong spec, crash.

Every request gets one outcome. A *complete* request is right when the planner drafts a spec
of the expected family (when one is named) with the expected parameter values (in SI), the
expected observation point and time and tolerance, the expected term in its equations (when
one is named: a coefficient typed inline), **and the Judge accepts it**; a question
instead is counted as "asked" (an unnecessary question). An *ambiguous* request is right
when the planner asks and names every expected missing item; an *unsupported* one when it
asks with a "not supported" item. Any spec drafted where a question was due is a wrong
spec. Run ``python -m simlab.plan.nl_outcomes`` for the table.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simlab.errors import PlanError, SimlabError
from simlab.plan.nl_eval import classify, expected_value, initial_value, spec_value
from simlab.plan.types import ClarifyingQuestion, Planner
from simlab.spec.model import Spec

NL_DIR = Path(__file__).resolve().parents[2] / "specs" / "nl"
OUTCOMES = ("right spec", "right question", "asked", "wrong spec", "crash")


@dataclass
class Outcome:
    request: str
    category: str  # complete | ambiguous | unsupported
    outcome: str  # one of OUTCOMES
    detail: str = ""


@dataclass
class OutcomeTable:
    name: str
    rows: list[Outcome] = field(default_factory=list)

    def count(self, category: str | None = None) -> Counter:
        return Counter(r.outcome for r in self.rows if category in (None, r.category))

    @property
    def complete_drafted_rate(self) -> float:
        c = self.count("complete")
        return c["right spec"] / max(sum(c.values()), 1)

    @property
    def wrong_specs(self) -> int:
        return self.count()["wrong spec"]

    def table(self, misses: bool = True) -> str:
        lines = [
            f"== {self.name}",
            f"{'category':12} {'n':>4} " + " ".join(f"{o:>14}" for o in OUTCOMES),
        ]
        for cat in ("complete", "ambiguous", "unsupported"):
            c = self.count(cat)
            n = sum(c.values())
            if n:
                lines.append(f"{cat:12} {n:4d} " + " ".join(f"{c[o]:14d}" for o in OUTCOMES))
        lines.append(
            f"complete requests drafted into an accepted spec: {self.complete_drafted_rate:.1%}; "
            f"wrong specs: {self.wrong_specs}; crashes: {self.count()['crash']}"
        )
        if misses:
            for r in self.rows:
                if r.outcome not in ("right spec", "right question"):
                    lines.append(f"  [{r.category}: {r.outcome}] {r.request[:72]!r} {r.detail}")
        return "\n".join(lines)


def load(path: Path) -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise PlanError(f"{path}: expected lists named complete*/ambiguous*/unsupported*")
    return data


def evaluate(
    planner: Planner, cases: dict[str, list[dict[str, Any]]], name: str, judge: bool = True
) -> OutcomeTable:
    """One outcome per request of every list in ``cases``."""
    table = OutcomeTable(name)
    for key, items in cases.items():
        category = key.split("_")[0]
        for case in items or []:
            table.rows.append(_one(planner, category, case, judge))
    return table


def _one(planner: Planner, category: str, case: dict[str, Any], judge: bool) -> Outcome:
    request = case["request"]
    try:
        draft = planner.draft(request)
    except PlanError as exc:
        return Outcome(request, category, "crash", f"PlanError: {exc.message}")
    except Exception as exc:
        return Outcome(request, category, "crash", f"{type(exc).__name__}: {exc}")
    if isinstance(draft, ClarifyingQuestion):
        labels = [m.lower() for m in draft.missing]
        if category == "complete":
            return Outcome(request, category, "asked", f"asked {labels}")
        if category == "unsupported":
            ok = any("not supported" in m for m in labels)
            return Outcome(request, category, "right question" if ok else "asked", f"{labels}")
        want = [str(i).lower() for i in case.get("missing", [])]
        lost = [i for i in want if not any(i in m for m in labels)]
        return Outcome(
            request,
            category,
            "right question" if not lost else "asked",
            f"did not name {lost}; asked {labels}" if lost else "",
        )
    if category != "complete":
        return Outcome(request, category, "wrong spec", f"drafted {classify(draft.spec)}")
    problems = _check(draft.spec, case)
    if not problems and judge:
        problems = _judged(draft.spec)
    return Outcome(
        request, category, "wrong spec" if problems else "right spec", "; ".join(problems)
    )


def _check(spec: Spec, case: dict[str, Any]) -> list[str]:
    out: list[str] = []
    family = case.get("family")
    if family and classify(spec) != family:
        out.append(f"family {classify(spec)} (expected {family})")
    for name, value in (case.get("parameters") or {}).items():
        got = spec_value(spec, name)
        if not _close(got, expected_value(value)):
            out.append(f"{name} = {got} (expected {value})")
    term = case.get("equation")
    typed = " ".join(e.text for e in spec.equations.equations).replace(" ", "")
    if term is not None and str(term).replace(" ", "") not in typed:
        out.append(f"equation {typed!r} lacks {term!r}")
    initial = case.get("initial")
    if initial is not None:
        got = initial_value(spec, expected_value(initial["x"]))
        if not _close(got, expected_value(initial["value"])):
            out.append(
                f"initial profile at x = {initial['x']}: {got} (expected {initial['value']})"
            )
    tol = case.get("tolerance")
    if tol is not None and not _close(spec.tolerance.threshold, float(tol)):
        out.append(f"tolerance {spec.tolerance.threshold} (expected {tol})")
    for coord, value in (case.get("observable") or {}).items():
        definitions = " ".join(o.definition or "" for o in spec.observables)
        found = re.findall(rf"\b{coord}=([-+\d.eE]+)", definitions)
        if not any(_close(float(v), float(value)) for v in found):
            out.append(f"observable {coord} = {found} (expected {value})")
    return out


def _judged(spec: Spec) -> list[str]:
    from simlab.judge import judge

    try:
        report = judge(spec)
    except SimlabError as exc:
        return [f"Judge error: {exc.message}"]
    if report.accepted:
        return []
    failed = [v for v in report.verdicts if v.status.name == "FAIL"]
    return [f"Judge rejected: {v.gate}: {v.message[:160]}" for v in failed][:2]


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def main(argv: list[str] | None = None) -> int:
    from simlab.plan.offline import OfflinePlanner

    paths = [Path(p) for p in (argv or sys.argv[1:])] or sorted(NL_DIR.glob("requests*.yaml"))
    for path in paths:
        groups: dict[str, dict[str, list]] = {}
        for key, items in load(path).items():
            _kind, _, suffix = key.partition("_")
            groups.setdefault(suffix or "main", {})[key] = items
        for suffix, cases in groups.items():
            print(evaluate(OfflinePlanner(), cases, f"{path.name} [{suffix}]").table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
