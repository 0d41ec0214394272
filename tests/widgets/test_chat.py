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
