"""One reader of time in requests (issue 15, session 4): spans, ends and instants to look at,
read from pint quantities and cue words. The grammar is tested by combining cue phrases with
values and units, not by sentences."""

from __future__ import annotations

import itertools
import math

import pytest

from simlab.plan import OfflinePlanner, SpecDraft
from simlab.plan.offline.reading import Reading
from simlab.plan.offline.times import read_times
from simlab.spec.units import to_base

UNITS = ("s", "ms", "seconds", "min", "minutes", "hours", "days")
VALUES = (2.0, 0.5, 45.0)

#: span and end phrasings: {v} the value, {u} the unit
END_PHRASES = (
    "from t=0 to {v} {u}",
    "from t = 0 to t = {v} {u}",
    "t from 0 to {v} {u}",
    "for {v} {u}",
    "run it for {v} {u}",
    "simulate {v} {u}",
    "until t = {v} {u}",
    "till {v} {u}",
    "up to t = {v} {u}",
    "over the first {v} {u}",
    "t in [0, {v}] {u}",
    "t ∈ [0, {v}] {u}",
    "0 <= t <= {v} {u}",
    "0 < t < {v} {u}",
    "between 0 and {v} {u}",
    "t between 0 and {v} {u}",
    "between t = 0 and t = {v} {u}",
    "{v} {u} of simulated time",
    "final time {v} {u}",
    "end time = {v} {u}",
    "t_end = {v} {u}",
    "T = {v} {u}",
    "a time horizon of {v} {u}",
)


@pytest.mark.parametrize(
    ("phrase", "value", "unit"), list(itertools.product(END_PHRASES, VALUES, UNITS))
)
def test_every_end_phrasing_with_every_unit(phrase: str, value: float, unit: str) -> None:
    text = f"a rod with kappa = 1e-4 m^2/s, {phrase.format(v=f'{value:g}', u=unit)}, ends at 0 K"
    found = read_times(Reading.of(text))
    assert found.end is not None, text
    assert to_base(found.end.value, found.end.unit) == pytest.approx(to_base(value, unit))
    assert found.instants == []


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("t from 0 to 3", 3.0),
        ("t in [0, 5]", 5.0),
        ("t = 0..2", 2.0),
        ("t up to 5", 5.0),
        ("till t=pi", math.pi),
        ("until t = 2 pi", 2 * math.pi),
        ("0 <= t <= pi/2", math.pi / 2),
        ("T = 5", 5.0),
    ],
)
def test_bare_numbers_are_times_where_t_is_named(text: str, end: float) -> None:
    found = read_times(Reading.of(text))
    assert found.end is not None and found.end.unit is None
    assert found.end.value == pytest.approx(end)


@pytest.mark.parametrize(
    ("text", "instants", "at_end"),
    [
        ("report u after 2 minutes", [120.0], False),
        ("what is u at t = 0.5 s and at the end", [0.5], True),
        ("give u at t = 1, 2 and 3 s", [1.0, 2.0, 3.0], False),
        ("show u at 1 s and 2 s", [1.0, 2.0], False),
        ("y at t = 10", [10.0], False),
        ("whats T at the middle after 90 sec", [90.0], False),
        ("how hot is it after 45 min", [2700.0], False),
        ("value at time 5 s", [5.0], False),
    ],
)
def test_instants_to_look_at(text: str, instants: list[float], at_end: bool) -> None:
    found = read_times(Reading.of(text), ("u", "y", "T"))
    got = [to_base(q.value, q.unit) if q.unit else q.value for q in found.instants]
    assert got == pytest.approx(instants)
    assert found.at_end is at_end
    assert found.end is None  # no span written: the latest instant is the end
    assert found.final() is not None


@pytest.mark.parametrize(
    "text",
    [
        "for x = 0.5",  # a place
        "over 3 m",  # a length
        "T = 8 K * sin(pi x)",  # a temperature named T
        "report u at 10 cm",  # a place in a question
        "report u at t = 0",  # the initial instant
        "from 1 to 3 s",  # a span that does not start at 0: asked about, not read
        "between 0 and 2 m",  # a spatial interval
        "within 0.1 percent",  # a tolerance
        "from 0 to 1",  # no t and no time unit
    ],
)
def test_what_is_not_a_time(text: str) -> None:
    found = read_times(Reading.of(text))
    assert found.end is None and found.instants == []


def test_the_numbers_read_are_consumed() -> None:
    r = Reading.of("t between 0 and 2 s, report u at t = 0.5 s")
    read_times(r)
    assert all(i in r.used for i, _ in enumerate(r.all_mentions))


def _draft(text: str):
    d = OfflinePlanner().draft(text)
    assert isinstance(d, SpecDraft), getattr(d, "question", d)
    return d.spec


@pytest.mark.parametrize(
    "span",
    [
        "t between 0 and 2 s",
        "for 2 seconds",
        "over the first 2 s",
        "2 s of simulated time",
        "from t=0 to 2 s",
        "t in [0, 2] s",
        "until t = 2 s",
        "for 2000 ms",
    ],
)
def test_a_heat_request_reads_its_span_in_any_wording(span: str) -> None:
    spec = _draft(
        "heat in a rod of 1 m, kappa 1e-4 m^2/s, ends held at 0 K, initial temperature "
        f"5 K sin(pi x / L), {span}, report u at x = 0.5 m"
    )
    t = spec.domain.time
    assert to_base(t.upper, t.unit) == pytest.approx(2.0)


def test_instants_inside_the_span_are_observables() -> None:
    spec = _draft(
        "heat in a rod of 2 m, kappa 1e-3 m^2/s, ends held at 0 K, initial temperature "
        "4 K sin(pi x/L); give u at x = 0.5 m at t = 0.5 s and at the end, end time 10 s"
    )
    defs = sorted(o.definition for o in spec.observables)
    assert defs == ["u(t=0.5, x=0.5)", "u(t=10, x=0.5)"]
    assert to_base(spec.domain.time.upper, spec.domain.time.unit) == pytest.approx(10.0)


def test_an_instant_after_the_end_is_asked_about() -> None:
    d = OfflinePlanner().draft(
        "heat in a rod of 2 m, kappa 1e-3 m^2/s, ends held at 0 K, initial temperature "
        "4 K sin(pi x/L), for 10 s, report u at x = 0.5 m at t = 20 s"
    )
    assert not isinstance(d, SpecDraft)
    assert "observation time" in d.missing


def test_a_typed_ode_looks_at_several_instants() -> None:
    spec = _draft("dy/dt = -3y, y(0)=2, report y at t = 0.5 and t = 1")
    assert sorted(o.definition for o in spec.observables) == ["y(t=0.5)", "y(t=1)"]
    assert spec.domain.time.upper == pytest.approx(1.0)


@pytest.mark.parametrize(
    "event",
    [
        "a heater switches on after 10 s",
        "the source turns off at t = 0.5 s",
        "after 2 s of preheating",
    ],
)
def test_an_event_time_is_asked_about_not_looked_at(event: str) -> None:
    """A time in a clause that asks for nothing names an event the template cannot hold: it
    is asked about, never turned into an observable (a wrong spec)."""
    d = OfflinePlanner().draft(
        "heat in a 1 m rod, kappa 1e-4 m^2/s, ends at 0 K, initial temperature 5 K "
        f"sin(pi x / 1 m), {event}, run 60 s"
    )
    assert not isinstance(d, SpecDraft)
    assert any(m.startswith("meaning of") for m in d.missing)


def test_a_question_sentence_names_the_instant() -> None:
    found = read_times(Reading.of("Temperature at the centre after 5 minutes?"), ("u",))
    assert [to_base(q.value, q.unit) for q in found.instants] == [300.0]
