"""The redesign loop: draft, judge, send the Judge's reasons back, at most ``max_rounds``.

A clarifying question ends the loop at once (a question is an answer, not a failure). A
planner that returns the same spec it was told was rejected cannot redesign: the loop stops
there rather than spending rounds. After the last round the outcome carries the Judge's
rejection certificate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from simlab.plan.errors import ModelOutputError
from simlab.plan.types import ClarifyingQuestion, Draft, Planner, RejectionFeedback, SpecDraft
from simlab.spec.model import Spec


class JudgeOutcome(Protocol):
    """What the loop needs from a Judge report (``simlab.judge.JudgeReport`` has both)."""

    @property
    def accepted(self) -> bool: ...

    def rejection_certificate(self) -> Any: ...


Judge = Callable[[Spec], JudgeOutcome]


@dataclass(frozen=True)
class Round:
    """One round: the draft (``None`` when the planner's output was unusable) and its fate."""

    number: int
    draft: Draft | None
    accepted: bool | None
    reasons: tuple[str, ...] = ()
    source: str = "judge"
    note: str = ""


@dataclass(frozen=True)
class PlanOutcome:
    """Where the loop ended: an accepted spec, a question, or a rejection certificate."""

    status: Literal["accepted", "rejected", "question"]
    rounds: tuple[Round, ...]
    spec: SpecDraft | None = None
    question: ClarifyingQuestion | None = None
    certificate: Any = None
    report: Any = None

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons of the last rejection (empty when accepted)."""
        rejected = [r for r in self.rounds if r.accepted is False]
        return rejected[-1].reasons if rejected else ()


def redesign(planner: Planner, judge: Judge, request: str, max_rounds: int = 3) -> PlanOutcome:
    """Draft ``request`` and redesign on rejection, at most ``max_rounds`` drafts."""
    if max_rounds < 1:
        raise ValueError("max_rounds must be at least 1")
    rounds: list[Round] = []
    feedback: RejectionFeedback | None = None
    rejected: dict[str, tuple[Any, Any]] = {}  # spec text -> (report, certificate)
    last: tuple[Any, Any] | None = None
    error: ModelOutputError | None = None
    for number in range(1, max_rounds + 1):
        try:
            draft = planner.draft(request, feedback=feedback)
        except ModelOutputError as exc:
            if not exc.retryable:
                raise
            error = exc
            rounds.append(Round(number, None, None, exc.problems, "validator", exc.message))
            feedback = RejectionFeedback(number, exc.problems, "", exc.raw, "validator")
            continue
        if isinstance(draft, ClarifyingQuestion):
            rounds.append(Round(number, draft, None))
            return PlanOutcome("question", tuple(rounds), question=draft)
        if draft.text in rejected:
            rounds.append(
                Round(number, draft, False, rounds[-1].reasons, note="unchanged after feedback")
            )
            last = rejected[draft.text]
            break
        report = judge(draft.spec)
        if report.accepted:
            rounds.append(Round(number, draft, True))
            return PlanOutcome("accepted", tuple(rounds), spec=draft, report=report)
        certificate = report.rejection_certificate()
        reasons = reasons_from(certificate)
        rounds.append(Round(number, draft, False, reasons))
        rejected[draft.text] = last = (report, certificate)
        feedback = RejectionFeedback(number, reasons, draft.text, draft.raw, "judge", certificate)
    if last is None:
        assert error is not None
        raise error
    report, certificate = last
    return PlanOutcome("rejected", tuple(rounds), certificate=certificate, report=report)


_LIST_ATTRS = ("violations", "conditions", "reasons", "failures", "items")
_PART_KEYS = (
    ("condition", "gate", "name", "code"),
    ("message", "reason", "detail", "why"),
    ("fix", "hint", "remedy", "suggestion"),
)


def reasons_from(certificate: Any) -> tuple[str, ...]:
    """The certificate's violated conditions as text, one per item, each with its fix."""
    if certificate is None:
        return ()
    if isinstance(certificate, str):
        return (certificate,)
    for attr in _LIST_ATTRS:
        items = (
            certificate.get(attr)
            if isinstance(certificate, Mapping)
            else getattr(certificate, attr, None)
        )
        if items is not None and not callable(items) and not isinstance(items, str):
            return tuple(_reason_text(i) for i in items)
    if isinstance(certificate, Iterable) and not isinstance(certificate, Mapping):
        return tuple(_reason_text(i) for i in certificate)
    return (str(certificate),)


def _reason_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    get = item.get if isinstance(item, Mapping) else lambda k: getattr(item, k, None)
    condition, message, fix = (
        next((str(get(k)) for k in keys if get(k) not in (None, "")), None) for keys in _PART_KEYS
    )
    text = ": ".join(p for p in (condition, message) if p) or str(item)
    return f"{text} (fix: {fix})" if fix else text
