"""What a planner returns: a spec draft or a clarifying question, and the Judge's feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from simlab.spec.model import Spec


@dataclass(frozen=True)
class SpecDraft:
    """A drafted spec: the typed model and its spec.md text (``parse(text) == spec``).

    ``note`` is the planner's message to the person (which numbers it read, which defaults it
    used); ``raw`` is the model's raw output when a language model wrote the draft.
    """

    spec: Spec
    text: str
    planner: str
    note: str = ""
    raw: str = ""

    kind = "spec"


@dataclass(frozen=True)
class ClarifyingQuestion:
    """The request is ambiguous or incomplete: ask instead of guessing.

    ``missing`` names each item that is missing or ambiguous (e.g. ``"boundary conditions"``,
    ``"meaning of k"``), so front ends and tests can read it without parsing the question.
    """

    question: str
    missing: tuple[str, ...]
    planner: str
    note: str = ""
    raw: str = ""

    kind = "question"


Draft = SpecDraft | ClarifyingQuestion


@dataclass(frozen=True)
class RejectionFeedback:
    """Why the previous draft was rejected, sent back to the planner for the next round.

    ``source`` is ``"judge"`` (a gate rejected the spec) or ``"validator"`` (the planner's
    output was not a valid, machine-checkable spec); ``reasons`` are the violated conditions
    with their fixes, one per item, as text a person (or a model) can act on.
    """

    round: int
    reasons: tuple[str, ...]
    previous_text: str = ""
    previous_raw: str = ""
    source: str = "judge"
    certificate: Any = field(default=None, compare=False, repr=False)

    def message(self) -> str:
        """The feedback as one message for the planner."""
        who = "The Judge rejected" if self.source == "judge" else "simlab could not accept"
        lines = [f"{who} your previous answer (round {self.round}). Reasons:"]
        lines += [f"- {r}" for r in self.reasons] or ["- (no reason given)"]
        lines.append(
            "Revise the spec so that every reason is addressed, or ask a clarifying question "
            "if the fix needs information the request does not give. Do not invent values."
        )
        return "\n".join(lines)


@runtime_checkable
class Planner(Protocol):
    """Turns a request (chat text) into a spec draft or a clarifying question."""

    name: str

    def draft(self, request: str, *, feedback: RejectionFeedback | None = None) -> Draft:
        """Draft a spec for ``request``; with ``feedback``, revise the rejected draft."""
        ...
