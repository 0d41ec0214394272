"""A planning conversation folds answers into the request (issue 15)."""

from __future__ import annotations

import pytest

from simlab.errors import PlanError
from simlab.plan.conversation import Conversation
from simlab.plan.offline import OfflinePlanner


def talk(*messages: str):
    chat = Conversation(OfflinePlanner())
    return chat, [chat.send(m) for m in messages]


def test_a_unit_answer_is_placed_beside_its_number() -> None:
    _chat, drafts = talk(
        "Diffusion in a 2 m bar with kappa = 0.3, ends held at 0, initially a sine profile of "
        "amplitude 1 K, for 5 s.",
        "m^2/s",
    )
    assert drafts[0].kind == "question" and drafts[0].missing == ("unit of kappa",)
    assert drafts[1].kind == "spec"
    assert drafts[1].spec.equations.parameter("kappa").unit == "m^2/s"


def test_answers_fill_the_missing_items_one_by_one() -> None:
    _, drafts = talk("x'' + x = 0 with x(0) = 1", "x'(0) = 0", "10")
    assert [d.kind for d in drafts] == ["question", "question", "spec"]
    assert drafts[1].missing == ("final time",)
    assert drafts[2].spec.domain.time.upper == 10


def test_given_rates_are_not_asked_again() -> None:
    _, drafts = talk(
        "SEIR-D outbreak: beta = 0.4 per day, gamma = 0.1 per day, N = 10000 people, "
        "5 initially infected, for 200 days.",
        "sigma = 0.2 per day, mu = 0.01 per day",
    )
    assert set(drafts[0].missing) == {"incubation rate", "death rate"}
    assert drafts[1].kind == "spec"


def test_a_new_message_after_a_spec_starts_a_new_problem() -> None:
    chat, drafts = talk("solve y' = -y, y(0) = 1, until t = 5", "Bratu with lambda = 2")
    assert drafts[1].kind == "spec" and "exp(u)" in drafts[1].spec.equations.equations[0].text
    assert chat.request == "Bratu with lambda = 2"


def test_an_empty_message_is_a_clear_error() -> None:
    with pytest.raises(PlanError, match="empty"):
        Conversation(OfflinePlanner()).send("   ")
