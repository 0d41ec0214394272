"""Chat -> spec: the planner's draft lands in the editor; questions and errors land in the chat."""

from __future__ import annotations

import pytest

from simlab.errors import PlanError, SimlabError
from simlab.paths import bundled_spec
from simlab.plan.finalize import finish
from simlab.plan.types import ClarifyingQuestion
from simlab.spec import parse_file
from simlab.widgets import ChatSpec, default_planner


class ScriptedPlanner:
    """A planner (simlab.plan.types.Planner protocol) that answers from a script."""

    name = "scripted"

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[str] = []

    def draft(self, request, *, feedback=None):
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_draft_appears_in_editor_valid():
    draft = finish(parse_file(bundled_spec("dev/wave_1d")), planner="scripted", note="read c")
    planner = ScriptedPlanner(draft)
    chat = ChatSpec(planner)
    got = chat.ask("a string fixed at both ends")
    assert got is draft and planner.requests == ["a string fixed at both ends"]
    assert chat.editor.text == draft.text and chat.editor.spec is not None
    assert chat.editor.check.machine_checkable
    who = [w for w, _ in chat.messages]
    assert who == ["You", "simlab"] and "read c" in chat.messages[1][1]
    assert len(chat.feed) == 3  # hint + two messages


def test_question_and_error_stay_in_chat():
    question = ClarifyingQuestion("Which boundary conditions?", ("boundary conditions",), "s")
    planner = ScriptedPlanner(question, PlanError("model output was not JSON"))
    chat = ChatSpec(planner)
    assert chat.ask("heat in a rod") is question
    assert "Which boundary conditions?" in chat.messages[-1][1]
    assert "boundary conditions" in chat.messages[-1][1]
    assert chat.ask("heat again") is None
    assert "could not draft" in chat.messages[-1][1] and "not JSON" in chat.messages[-1][1]
    assert chat.editor.text == ""


def test_send_button_reads_the_input():
    draft = finish(parse_file(bundled_spec("dev/heat_1d")), planner="scripted")
    chat = ChatSpec(ScriptedPlanner(draft))
    chat.input.value = "heat in a rod"
    chat.send_button.clicks += 1
    assert chat.input.value == "" and chat.editor.spec is not None
    assert chat.messages[0] == ("You", "heat in a rod")


def test_without_planner_the_chat_says_so():
    chat = ChatSpec(None)
    assert chat.planner is None
    assert chat.ask("anything") is None
    assert "No planner is available" in chat.messages[-1][1]


def test_default_planners(monkeypatch):
    from simlab.plan import OfflinePlanner

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert isinstance(default_planner("auto"), OfflinePlanner)
    assert isinstance(default_planner("offline"), OfflinePlanner)
    assert default_planner("claude") is None  # no key: not available, not an error
    with pytest.raises(SimlabError, match="unknown planner"):
        default_planner("gpt")


def test_offline_planner_drafts_a_checkable_spec(monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    chat = ChatSpec("offline")
    draft = chat.ask(
        "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are held at "
        "0 K and the initial temperature is a sine profile with amplitude 1 K. Simulate for 0.5 s."
    )
    assert draft.kind == "spec" and chat.editor.check.machine_checkable
    params = {p.name: p for p in chat.editor.spec.equations.parameters}
    assert set(params) >= {"kappa", "L", "u0"}
    question = chat.ask("Heat in a rod.")
    assert question.kind == "question" and question.missing
    assert chat.editor.text == draft.text  # a question leaves the drafted spec in place


# ---------------------------------------------------------------- the conversation

HEAT_START = (
    "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are held at 0 K "
    "and the initial temperature is a sine profile with amplitude 1 K."
)
HEAT_ANSWER = (
    "Simulate for 0.5 s and report the temperature at the middle of the rod to a relative "
    "error of 1e-4."
)


def test_answer_fills_what_was_asked_offline():
    """The offline drafter asks for the final time; the answer completes the same request."""
    chat = ChatSpec("offline")
    assert getattr(chat.ask(HEAT_START), "kind", None) == "question"
    assert "final time" in chat.messages[-1][1]
    draft = chat.ask(HEAT_ANSWER)
    assert getattr(draft, "kind", None) == "spec", chat.messages[-1]
    assert "accepted by the Judge in round 1" in chat.messages[-1][1]
    assert chat.turns == [HEAT_START, HEAT_ANSWER] and chat.question is None
    spec = chat.editor.spec
    assert spec is not None and spec.title and chat.editor.check.machine_checkable
    # the next message starts a new request
    chat.ask("a string fixed at both ends")
    assert chat.turns == ["a string fixed at both ends"]


def test_answers_are_sent_with_the_whole_conversation():
    question = ClarifyingQuestion("In which unit is T = 0.5?", ("unit of T",), "scripted")
    draft = finish(parse_file(bundled_spec("dev/heat_1d")), planner="scripted")
    planner = ScriptedPlanner(question, draft)
    chat = ChatSpec(planner)
    chat.ask("heat in a rod for 0.5")
    chat.ask("seconds")
    # the answer is placed beside the number it gives the unit of
    assert planner.requests == ["heat in a rod for 0.5", "heat in a rod for 0.5 seconds"]
    assert chat.turns == ["heat in a rod for 0.5", "seconds"]
    chat.clear()
    assert chat.turns == [] and chat.messages == [] and len(chat.feed) == 1


def test_a_unit_answer_fills_the_slot_offline():
    """Issue 14 item 3: "seconds" to "In which unit is T = 0.5?" completes the draft, it is
    not asked again nor read as a new problem."""
    chat = ChatSpec("offline")
    question = chat.ask(
        "Heat conduction in a 2 m rod, kappa = 0.3 m^2/s, ends held at 0 K, initially a sine "
        "of amplitude 1 K, for 0.5, temperature at the middle to 1e-4 relative."
    )
    assert getattr(question, "missing", None) == ("unit of T",), chat.messages[-1]
    draft = chat.ask("seconds")
    assert getattr(draft, "kind", None) == "spec", chat.messages[-1]
    assert "accepted by the Judge" in chat.messages[-1][1]
    time = chat.editor.spec.domain.time
    assert (time.upper, time.unit) == (0.5, "seconds")


def test_every_draft_is_judged_and_a_rejection_is_redesigned():
    """A draft the Judge rejects goes back with its reasons; the board sees every judgement."""
    good = parse_file(bundled_spec("dev/heat_1d"))
    text = bundled_spec("dev/heat_1d").read_text()
    backward = text.replace("kappa*diff(u, x, 2)", "-kappa*diff(u, x, 2)")
    assert backward != text
    from simlab.spec import parse

    bad = finish(parse(backward, file="backward.md"), planner="scripted")
    feedback: list = []

    class Redesigning(ScriptedPlanner):
        def draft(self, request, *, feedback=None):
            received.append(feedback)
            return super().draft(request)

    received = feedback
    events: list[str] = []
    planner = Redesigning(bad, finish(good, planner="scripted"))
    chat = ChatSpec(planner, judge_observers=[lambda e: events.append(type(e).__name__)])
    draft = chat.ask("heat in a rod")
    assert draft.text == finish(good, planner="scripted").text
    assert feedback[0] is None and feedback[1] is not None and feedback[1].reasons
    assert "accepted by the Judge in round 2" in chat.messages[-1][1]
    assert events.count("JudgeDone") == 2  # both drafts were judged, live

    # a planner that keeps the rejected draft: the chat says so and shows the last draft
    stubborn = ChatSpec(ScriptedPlanner(bad, bad, bad))
    stubborn.ask("heat backwards")
    assert "rejected" in stubborn.messages[-1][1] and "S" in stubborn.messages[-1][1]
    assert stubborn.editor.text == bad.text


def test_a_streaming_planner_writes_into_the_chat_while_it_drafts():
    draft = finish(parse_file(bundled_spec("dev/heat_1d")), planner="scripted")
    seen: list[int] = []

    class Streaming(ScriptedPlanner):
        on_text = None

        def draft(self, request, *, feedback=None):
            for piece in ("Reading ", "the rod"):
                self.on_text(piece)
                seen.append(len(chat.feed))
            return super().draft(request, feedback=feedback)

    planner = Streaming(draft)
    chat = ChatSpec(planner)
    chat.ask("heat")
    assert seen == [3, 3]  # hint, the request, the reply as it streams
    assert planner.on_text is None  # restored
    assert len(chat.feed) == 3 and "Drafted" in chat.messages[-1][1]
