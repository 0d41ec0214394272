"""A planning conversation: answers fill what the planner asked, nothing is asked twice.

A planner drafts from one request. A person answers a question with a fragment ("2 m",
"seconds", "insulated ends"); :class:`Conversation` keeps the request and folds each answer
into it, worded so the planner's readers find it by its cue words: an answer to "unit of
kappa" is written beside kappa's number, an answer to "final time" becomes "final time
60 s". A message sent when no question is pending starts a new problem.
"""

from __future__ import annotations

import math
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


_NUMBER_FIRST = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\b")


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
    units = [i[len("unit of ") :] for i in items if i.startswith("unit of ")]
    if len(units) == 1:
        placed = _place_unit(text, units[0], _asked_value(question.question, units[0]), answer)
        if placed is not None:
            return placed
    values = [re.fullmatch(r"value of (?:the \w+ )?(\w+)", i) for i in items]
    named = [v.group(1) for v in values if v]
    if len(named) == 1 and _NUMBER_FIRST.match(answer) and "=" not in answer:
        return f"{text}. {named[0]} = {answer.strip().rstrip('.')}"  # "0.5" to "value of k"
    if len(items) == 1:
        cue = _CUES.get(items[0])
        if cue is not None and not re.search(r"[=:]", answer):
            return f"{text}. {cue.format(answer)}."
    return f"{text}. {answer}"


def _place_unit(text: str, name: str, value: float | None, answer: str) -> str | None:
    """The request with the unit of ``answer`` written after ``name``'s bare value: after
    ``name = value`` when the request names it, else after the one bare ``value`` in it.
    ``answer`` may be a unit ("seconds", "in seconds", "s.") or the value again with its
    unit ("0.5 s", "T = 0.5 s"). ``None`` when the answer or the place is not clear."""
    from simlab.plan.offline.text import mentions

    unit = _answer_unit(answer, value)
    if unit is None:
        return None
    bare = [n for n in mentions(text) if n.unit is None]
    named = [n for n in bare if n.name == name]
    valued = [n for n in bare if value is not None and math.isclose(n.value, value)]
    at = named if len(named) == 1 else valued
    if len(at) != 1:
        return None
    return f"{text[: at[0].end]} {unit}{text[at[0].end :]}"


def _answer_unit(answer: str, value: float | None) -> str | None:
    """The unit an answer gives: the answer itself, without "in"/"it is in", or the unit
    after the asked value repeated ("0.5 s", "T = 0.5 seconds")."""
    words = re.sub(
        r"^(?:(?:it|that)(?:'s| is)\s+)?(?:in\s+|units?\s*(?:of|:|is)?\s*)?",
        "",
        answer.strip().rstrip(".!").strip(),
        flags=re.IGNORECASE,
    )
    if _is_unit(words):
        return words
    m = re.fullmatch(
        r"(?:\w+\s*=\s*)?(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<unit>\S.*)",
        words,
    )
    if m and value is not None and math.isclose(float(m.group("num")), value):
        return m.group("unit") if _is_unit(m.group("unit")) else None
    return None


def _asked_value(question: str, name: str) -> float | None:
    """The value the question quotes for ``name`` ("In which unit is T = 0.5?")."""
    m = re.search(
        rf"\b{re.escape(name)}\s*=\s*(?P<v>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)",
        question,
    )
    return float(m.group("v")) if m else None


def _is_unit(text: str) -> bool:
    text = text.strip().rstrip(".")
    if not text or re.search(r"\d", re.sub(r"(\^|\*\*)-?\d", "", text)):
        return False
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True
