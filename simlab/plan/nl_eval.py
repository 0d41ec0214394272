"""Score a planner on the NL test set (``specs/nl/requests.yaml``).

Three numbers: family accuracy (complete requests drafted as a spec of the expected family),
parameter accuracy (expected parameter values found in those specs, compared in SI units),
and question recall (ambiguous requests answered with a question that names each expected
missing item). The family of a drafted spec is read from the spec itself (its unknowns and
equations), not from the planner's word. Run ``python -m simlab.plan.nl_eval`` for the table.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simlab.errors import PlanError
from simlab.plan.types import ClarifyingQuestion, Planner
from simlab.spec.model import Spec
from simlab.spec.units import split_quantity, to_base

NL_SET = Path(__file__).resolve().parents[2] / "specs" / "nl" / "requests.yaml"


def load_nl_set(path: str | Path = NL_SET) -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not {"complete", "ambiguous"} <= set(data):
        raise PlanError(f"{path} needs 'complete' and 'ambiguous' lists")
    return data


def split_sets(data: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, list]]:
    """``{"main": {...}, "heldout": {...}}``: the lists named ``complete``/``ambiguous`` and
    those named ``complete_<x>``/``ambiguous_<x>``, grouped by suffix."""
    out: dict[str, dict[str, list]] = {}
    for key, cases in data.items():
        kind, _, suffix = key.partition("_")
        out.setdefault(suffix or "main", {"complete": [], "ambiguous": []})[kind] = cases
    return out


def classify(spec: Spec) -> str:
    """The dev family a spec belongs to, read from its unknowns and equations."""
    eq = " ".join(e.text.replace(" ", "") for e in spec.equations.equations)
    unknowns = {u.name for u in spec.equations.unknowns}
    kinds = {c.type for c in spec.boundary.conditions}
    if spec.equations.eigenvalue is not None:
        return "waveguide_te" if kinds == {"neumann"} else "waveguide_tm"
    if {"y1", "y2", "y3"} <= unknowns:
        return "robertson"
    if set("SEIRD") <= unknowns:
        return "seird"
    if "radon(" in eq:
        return "ct"
    if "integral(" in eq and "wavelength" in eq:
        return "fresnel"
    if "exp(u)" in eq and spec.domain.time is None:
        return "bratu_1d"
    if "laplacian(u)" in eq:
        return "heat_2d" if spec.domain.time is not None else "poisson_2d"
    if "diff(u,t,2)" in eq:
        return "wave_1d"
    if "u*(1-u)" in eq:
        return "fisher_kpp"
    if "diff(u,x,2)" in eq:
        return "heat_1d"
    if re.search(r"diff\(u,t\)\+\w+\*diff\(u,x\)", eq):
        return "advection_1d"
    return "unknown"


def spec_value(spec: Spec, name: str) -> float | None:
    """A parameter's value in SI units; ``T`` is the final time, ``L`` the 1-D length."""
    p = spec.equations.parameter(name)
    if p is not None and p.is_numeric:
        return to_base(float(p.value), p.unit)
    if name == "T" and spec.domain.time is not None:
        return to_base(spec.domain.time.upper, spec.domain.time.unit)
    if name == "L" and len(spec.domain.coordinates) == 1:
        c = spec.domain.coordinates[0]
        return to_base(c.length, c.unit)
    return None


def initial_value(spec: Spec, x: float, derivative: int = 0) -> float | None:
    """The spec's initial profile (first unknown) at ``x`` (SI for a dimensional domain), in
    SI: a dimensionally consistent formula evaluates right with every quantity in SI, offset
    scales included. ``None`` when it cannot be evaluated."""
    import sympy

    ic = next((c for c in spec.initial.conditions if c.derivative == derivative), None)
    if ic is None or not spec.domain.coordinates:
        return None
    values = {
        p.name: to_base(float(p.value), p.unit) if p.unit else float(p.value)
        for p in spec.equations.parameters
        if p.is_numeric
    }
    values[spec.domain.coordinates[0].name] = x
    try:
        expr = sympy.sympify(ic.value, locals={k: sympy.Symbol(k) for k in values})
        return float(expr.subs({sympy.Symbol(k): v for k, v in values.items()}))
    except (sympy.SympifyError, TypeError, ValueError):
        return None


def expected_value(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    parts = split_quantity(str(value))
    if parts is None:
        raise PlanError(f"expected value '{value}' is not a number with a unit")
    return to_base(parts[0], parts[1] or None)


@dataclass
class CaseResult:
    request: str
    expected: str
    outcome: str
    ok: bool
    detail: str = ""


@dataclass
class NLScore:
    family_hits: int = 0
    family_total: int = 0
    parameter_hits: int = 0
    parameter_total: int = 0
    question_hits: int = 0
    question_total: int = 0
    item_hits: int = 0
    item_total: int = 0
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def family_accuracy(self) -> float:
        return self.family_hits / max(self.family_total, 1)

    @property
    def parameter_accuracy(self) -> float:
        return self.parameter_hits / max(self.parameter_total, 1)

    @property
    def question_rate(self) -> float:
        return self.question_hits / max(self.question_total, 1)

    @property
    def question_recall(self) -> float:
        return self.item_hits / max(self.item_total, 1)

    def table(self) -> str:
        rows = [
            ("family accuracy (complete requests)", self.family_hits, self.family_total),
            ("parameter accuracy (values in SI)", self.parameter_hits, self.parameter_total),
            ("asked instead of drafting (ambiguous)", self.question_hits, self.question_total),
            ("question recall (expected missing items)", self.item_hits, self.item_total),
        ]
        lines = [f"{'metric':44} {'hits':>5} {'total':>5} {'score':>7}"]
        lines += [f"{name:44} {h:5d} {t:5d} {h / max(t, 1):7.1%}" for name, h, t in rows]
        misses = [c for c in self.cases if not c.ok]
        if misses:
            lines.append("misses:")
            lines += [
                f"  [{c.expected}] {c.request[:70]!r}: {c.outcome} {c.detail}" for c in misses
            ]
        return "\n".join(lines)


def score(planner: Planner, cases: dict[str, list[dict[str, Any]]] | None = None) -> NLScore:
    """Run ``planner`` on every request of the NL set and count what it got right."""
    cases = cases or load_nl_set()
    s = NLScore()
    for case in cases["complete"]:
        s.family_total += 1
        expected = case["parameters"] or {}
        s.parameter_total += len(expected)
        draft = _draft(planner, case["request"])
        if isinstance(draft, (str, ClarifyingQuestion)):
            outcome = draft if isinstance(draft, str) else f"asked {list(draft.missing)}"
            s.cases.append(CaseResult(case["request"], case["family"], outcome, False))
            continue
        family = classify(draft.spec)
        hits = [
            n for n, v in expected.items() if _close(spec_value(draft.spec, n), expected_value(v))
        ]
        s.family_hits += family == case["family"]
        s.parameter_hits += len(hits)
        wrong = sorted(set(expected) - set(hits))
        ok = family == case["family"] and not wrong
        s.cases.append(
            CaseResult(
                case["request"],
                case["family"],
                f"drafted {family}",
                ok,
                f"wrong parameters {wrong}" if wrong else "",
            )
        )
    for case in cases["ambiguous"]:
        s.question_total += 1
        items = [str(i).lower() for i in case["missing"]]
        s.item_total += len(items)
        draft = _draft(planner, case["request"])
        if not isinstance(draft, ClarifyingQuestion):
            outcome = draft if isinstance(draft, str) else f"drafted {classify(draft.spec)}"
            s.cases.append(CaseResult(case["request"], "question", outcome, False))
            continue
        s.question_hits += 1
        labels = [m.lower() for m in draft.missing]
        found = [i for i in items if any(i in label for label in labels)]
        s.item_hits += len(found)
        lost = [i for i in items if i not in found]
        s.cases.append(
            CaseResult(
                case["request"],
                "question",
                f"asked {labels}",
                not lost,
                f"did not name {lost}" if lost else "",
            )
        )
    return s


def _draft(planner: Planner, request: str):
    try:
        return planner.draft(request)
    except PlanError as exc:
        return f"error: {exc.message}"


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)


def main(argv: list[str] | None = None) -> int:
    from simlab.plan.offline import OfflinePlanner

    path = (argv or sys.argv[1:] or [NL_SET])[0]
    for name, cases in split_sets(load_nl_set(path)).items():
        result = score(OfflinePlanner(), cases)
        print(f"== {name} ({len(cases['complete'])} complete, {len(cases['ambiguous'])} ambiguous)")
        print(result.table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
