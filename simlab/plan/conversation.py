"""A planning conversation: answers fill what the planner asked, nothing is asked twice.

A planner drafts from one request. A person answers a question with a fragment ("2 m",
"seconds", "insulated ends"); :class:`Conversation` keeps the request and folds each answer
into it, worded so the planner's readers find it by its cue words: an answer to "unit of
kappa" is written beside kappa's number, an answer to "final time" becomes "final time
60 s". A message sent when no question is pending starts a new problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simlab.errors import PlanError
from simlab.plan.types import ClarifyingQuestion, Draft, Planner, RejectionFeedback
from simlab.spec.units import UnitError, parse_unit

#: how an answer to a missing item is worded for the planner's readers
_CUES = {
    "final time": "final time {}",
    "domain length": "length {}",
    "length": "length {}",
    "domain": "on the domain {}",
    "diffusivity": "diffusivity {}",
    "wave speed": "wave speed {}",
    "advection velocity": "velocity {}",
    "initial velocity": "initial velocity {}",
    "amplitude of the initial profile": "amplitude {}",
}


@dataclass
class Conversation:
    """The state of one chat with a planner."""

    planner: Planner
    request: str = ""
    pending: ClarifyingQuestion | None = None
    turns: list[tuple[str, str]] = field(default_factory=list)

    def send(self, message: str, *, feedback: RejectionFeedback | None = None) -> Draft:
        """The planner's draft or question for ``message`` read in the conversation so far."""
        if not isinstance(message, str) or not message.strip():
            raise PlanError(
                "the message is empty", hint="describe the problem, or answer the question"
            )
        message = message.strip()
        self.turns.append(("user", message))
        if self.pending is None:
            self.request = message
        else:
            self.request = fold_answer(self.request, self.pending, message)
        draft = self.planner.draft(self.request, feedback=feedback)
        self.pending = draft if isinstance(draft, ClarifyingQuestion) else None
        self.turns.append(("planner", draft.question if self.pending else draft.note))
        return draft

    def reset(self) -> None:
        """Forget the conversation: the next message is a new problem."""
        self.request, self.pending = "", None
        self.turns.clear()


def fold_answer(request: str, question: ClarifyingQuestion, answer: str) -> str:
    """``request`` with ``answer`` to ``question`` worded where the readers will find it."""
    items = list(question.missing)
    text = request.rstrip().rstrip(".")
    if len(items) == 1:
        item = items[0]
        unit_of = re.fullmatch(r"unit of (\w+)", item)
        if unit_of and _is_unit(answer):
            placed = _with_unit(text, unit_of.group(1), answer)
            if placed is not None:
                return placed
        cue = _CUES.get(item)
        if cue is not None and not re.search(r"[=:]", answer):
            return f"{text}. {cue.format(answer)}."
    units = [i for i in items if i.startswith("unit of ")]
    if units and _is_unit(answer) and len(units) == 1:
        placed = _with_unit(text, units[0][len("unit of ") :], answer)
        if placed is not None:
            return placed
    return f"{text}. {answer}"


def _is_unit(text: str) -> bool:
    if re.search(r"\d", re.sub(r"(\^|\*\*)-?\d", "", text)):
        return False
    try:
        parse_unit(text.strip().rstrip("."))
    except UnitError:
        return False
    return True


def _with_unit(text: str, name: str, unit: str) -> str | None:
    """``kappa = 0.3`` -> ``kappa = 0.3 m^2/s`` (the first bare value of ``name``)."""
    m = re.search(
        rf"\b{re.escape(name)}\s*(?:=|:)?\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text
    )
    if m is None:
        return None
    return f"{text[: m.end()]} {unit.strip().rstrip('.')}{text[m.end() :]}"
