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


HEAT_NO_UNIT = (
    "Heat equation in a 2 m rod, kappa = 0.3 m^2/s, ends held at 0 K, initial sine of "
    "amplitude 1 K, for 0.5"
)


@pytest.mark.parametrize(
    "answer, unit",
    [
        ("seconds", "seconds"),
        ("s", "s"),
        ("in seconds", "seconds"),
        ("it's in minutes", "minutes"),
        ("0.5 s", "s"),
        ("T = 0.5 s.", "s"),
    ],
)
def test_a_unit_answer_fills_an_unnamed_value(answer: str, unit: str) -> None:
    """Issue 14 item 3: the value was written without its name ("for 0.5"); the answer's unit
    goes beside that number, and the spec is drafted (not asked again, not a new problem)."""
    _chat, drafts = talk(HEAT_NO_UNIT, answer)
    assert drafts[0].missing == ("unit of T",)
    assert drafts[1].kind == "spec", drafts[1]
    time = drafts[1].spec.domain.time
    assert (time.upper, time.unit) == (0.5, unit)


def test_a_unit_answer_that_fits_no_single_number_is_not_placed_blindly() -> None:
    """Two bare numbers equal to the asked value: the unit is not written beside either."""
    from simlab.plan.conversation import fold_answer
    from simlab.plan.types import ClarifyingQuestion

    q = ClarifyingQuestion("In which unit is T = 2?", ("unit of T",), "offline")
    text = "a 2 rod, for 2"
    assert fold_answer(text, q, "seconds") == "a 2 rod, for 2. seconds"
    assert fold_answer("a 2 m rod, for 2", q, "seconds") == "a 2 m rod, for 2 seconds"


def test_a_bare_number_answers_the_value_asked_for() -> None:
    _, drafts = talk("dy/dt = -a y, y(0) = 1, until t = 2", "0.5")
    assert drafts[0].missing == ("value of a",)
    assert drafts[1].kind == "spec", drafts[1]
    assert drafts[1].spec.equations.parameter("a").value == 0.5


def test_a_time_in_words_answers_the_final_time() -> None:
    _, drafts = talk(
        "cool a 1 m rod with diffusivity 1e-4 m^2/s from a 100 K sine profile, ends at 0 K",
        "half an hour",
    )
    assert drafts[0].missing == ("final time",)
    time = drafts[1].spec.domain.time
    assert (time.upper, time.unit) == (0.5, "hour")
