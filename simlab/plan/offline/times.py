"""Time in a request: the span to simulate (its end) and the instants to look at inside it.

One reader for every template. A time is a quantity (pint: any unit of dimension time, or a
bare number where the request names the time coordinate, ``t = 3``, or writes a multiple of
``pi``), and its role comes from the cue words around it, the way English writes them:

* a span: ``t in [0, 2] s``, ``t ∈ [0, 2]``, ``t = 0..2``, ``0 <= t <= 2 s``, ``from t = 0 to
  2 s``, ``(t) between 0 and 2 s``, ``t from 0 to 400 ms``;
* an end: ``until t = 2 s``, ``till 2 s``, ``t up to 5``, ``for 2 seconds``, ``over the first
  2 s``, ``simulate 25 ms``, ``run (it) for 3 minutes``, ``final time 4e4 s``, ``T = 5``,
  ``2 s of simulated time``;
* instants to look at: ``at t = 0.5 s``, ``after 2 minutes``, ``at 30 s``, ``at t = 1, 2 and
  3 s``, ``at time 5``, and ``at the end``.

A span must start at 0 (the templates' time starts there); a start elsewhere is left unread
and its numbers are asked about. ``t = 0`` is the initial instant, never an end or an
instant to look at. Without a span or an end, the latest instant to look at is the end.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from simlab.plan.offline.reading import Reading
from simlab.plan.offline.text import read_unit
from simlab.spec.model import Quantity
from simlab.spec.units import parse_unit, to_base

NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
#: a time value: a number, or a multiple of pi ("pi", "2 pi", "2*pi", "pi/2")
VALUE = rf"(?:(?:{NUM})\s*\*?\s*)?(?:pi|π)(?:\s*/\s*{NUM})?\b|{NUM}"
_T = r"\bt(?:ime)?"
_EQ = r"\s*(?:=|:=)\s*"


@dataclass
class Times:
    """The end of the span (``None`` when not written) and the instants to look at.
    Without a written end, the latest instant is the end (:meth:`final`)."""

    end: Quantity | None = None
    instants: list[Quantity] = field(default_factory=list)
    at_end: bool = False

    def final(self) -> Quantity | None:
        """The written end, else the latest instant to look at."""
        return self.end if self.end is not None else self.latest()

    def latest(self) -> Quantity | None:
        """The latest instant to look at (compared in SI when units are given)."""
        if not self.instants:
            return None
        return max(self.instants, key=lambda q: to_base(q.value, q.unit) if q.unit else q.value)


def is_time(unit: str | None) -> bool:
    return unit is not None and parse_unit(unit).dimensionality == parse_unit("s").dimensionality


def time_value(text: str) -> float:
    """A number, or a multiple of pi."""
    m = re.fullmatch(rf"(?:(?P<a>{NUM})\s*\*?\s*)?(?:pi|π)(?:\s*/\s*(?P<b>{NUM}))?", text.strip())
    if m is None:
        return float(text)
    return float(m.group("a") or 1) * math.pi / float(m.group("b") or 1)


def _unit_after(text: str, pos: int) -> tuple[str | None, int]:
    """A time unit right after ``pos`` and where it ends (``None, pos`` when there is none)."""
    unit, used = read_unit(text[pos:])
    return (unit, pos + used) if is_time(unit) else (None, pos)


# ---------------------------------------------------------------- spans

_SPANS = (
    # t in [0, 2] s, t ∈ (0, 2), time in [0, 60] min
    re.compile(
        rf"{_T}\s*(?:in|∈|=)\s*[\[(]\s*(?P<a>{VALUE})\s*(?P<ua>[A-Za-z]+)?\s*,\s*(?P<b>{VALUE})"
        rf"\s*(?P<ub>[A-Za-z]+)?\s*[\])]",
        re.IGNORECASE,
    ),
    # t = 0..2, t = 0 to 30 min
    re.compile(rf"{_T}{_EQ}(?P<a>{VALUE})\s*(?:\.\.\.?|…|to)\s*(?P<b>{VALUE})", re.IGNORECASE),
    # 0 <= t <= 2, 0 < t < 3 s
    re.compile(
        rf"(?<![\w.])(?P<a>{VALUE})\s*(?P<ua>[A-Za-z]+)?\s*(?:<=?|≤)\s*t\s*(?:<=?|≤)\s*(?P<b>{VALUE})",
        re.IGNORECASE,
    ),
    # (t) from (t =) 0 (s) to (t =) 2 s, (t) between 0 and 2 s
    re.compile(
        rf"(?P<tb>{_T}\s+)?(?:from|between)\s+(?P<ta>t{_EQ})?(?P<a>{VALUE})\s*(?P<ua>[A-Za-z]+)?"
        rf"\s*(?:to|and|until|till|-)\s+(?P<tc>t{_EQ})?(?P<b>{VALUE})",
        re.IGNORECASE,
    ),
)


def _spans(r: Reading) -> tuple[Quantity, int, int] | None:
    """The first time span starting at 0: its end, and where the span is written."""
    for pattern in _SPANS:
        for m in pattern.finditer(r.text):
            if r.is_used(m.start("a"), m.end()):
                continue
            unit, end = _unit_after(r.text, m.end())
            ua = m.groupdict().get("ua")
            ub = m.groupdict().get("ub")
            if ub and is_time(read_unit(ub)[0]):
                unit = read_unit(ub)[0]
            lower_unit = read_unit(ua)[0] if ua else None
            if ua and not is_time(lower_unit):
                continue  # "0 m to 2 m": a spatial interval
            named = pattern is not _SPANS[3] or any(m.group(g) for g in ("tb", "ta", "tc"))
            if not named and unit is None:
                continue  # "from 0 to 1": a time only when t or a time unit says so
            if time_value(m.group("a")) != 0:
                continue
            return Quantity(time_value(m.group("b")), unit), m.start(), end
    return None


# ---------------------------------------------------------------- ends

_NAMED_END = re.compile(
    rf"\b(?:T|t_?end|t_?final|t_?f|t_?max|t_?stop|T_?end|T_?final|T_?max)"
    rf"{_EQ}(?P<v>{VALUE})"
)
_END_OF_T = re.compile(
    rf"(?:\b(?:until|till|til|up\s+to|through|to)\s+(?:time\s+)?t{_EQ}"
    rf"|\bt\s+(?:up\s+to|until|till|to)\s+)(?P<v>{VALUE})",
    re.IGNORECASE,
)
#: cue words before a duration or an end time written with a time unit
_END_CUE = re.compile(
    r"\b(?:for|over|during|until|till|til|up\s+to|simulate[sd]?|simulating|runs?|running"
    r"|integrate[sd]?|integrating|evolve[sd]?|march(?:ing)?|advance|final\s+time|end\s+time"
    r"|stop\s+time|time\s+horizon|horizon|duration|time\s+span|total\s+time)"
    r"(?:\s+(?:it|them|this|that|the\s+(?:first|next|whole)|a\s+(?:total|period|time|span|"
    r"duration|time\s+span)\s+of|a|an|of|is|=|:|for|to|until|up\s+to|over|about|roughly))*\s*"
    rf"(?P<v>{VALUE})",
    re.IGNORECASE,
)
#: "2 s of simulated time", "3 minutes of simulation"
_END_AFTER = re.compile(
    rf"(?<![\w.])(?P<v>{VALUE})\s*(?P<u>[A-Za-zµμ]+)\s+(?:of\s+)?"
    r"(?:(?:simulated|simulation|physical|model)\s+time|simulation)\b",
    re.IGNORECASE,
)
#: cue words whose number is an end even without a unit
_BARE_END_CUE = re.compile(r"final\s+time|end\s+time|stop\s+time|horizon|duration", re.I)


def _ends(r: Reading) -> tuple[Quantity, int, int] | None:
    """The first end time written with its cue words."""
    for pattern in (_NAMED_END, _END_OF_T, _END_AFTER):
        for m in pattern.finditer(r.text):
            if r.is_used(m.start("v"), m.end("v")):
                continue
            if pattern is _END_AFTER:
                unit, _ = read_unit(" " + m.group("u"))
                if not is_time(unit):
                    continue
                end = m.end()
            else:
                after, _ = read_unit(r.text[m.end() :])
                if after is not None and not is_time(after):
                    continue  # "T = 8 K": a temperature, not a time
                unit, end = _unit_after(r.text, m.end())
            if time_value(m.group("v")) == 0:
                continue
            return Quantity(time_value(m.group("v")), unit), m.start(), end
    for m in _END_CUE.finditer(r.text):
        if r.is_used(m.start("v"), m.end("v")):
            continue
        unit, end = _unit_after(r.text, m.end())
        if unit is None and not _BARE_END_CUE.search(m.group(0)):
            continue  # "for x = 0.5", "over 3 m": a time needs its unit here
        if unit is None and read_unit(r.text[m.end() :])[0] is not None:
            continue
        if time_value(m.group("v")) == 0:
            continue
        return Quantity(time_value(m.group("v")), unit), m.start("v"), end
    return None


# ---------------------------------------------------------------- instants

_LIST = (
    rf"(?P<v>{VALUE})"
    rf"(?P<more>(?:\s*[A-Za-z]*\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)(?:t{_EQ})?(?:{NUM}))*)"
)
_AT_T = re.compile(
    rf"\b(?:at|when|for|after)\s+(?:(?:a\s+)?time\s+(?:of\s+)?)?(?:t{_EQ})?{_LIST}",
    re.IGNORECASE,
)
_IN = re.compile(rf"\b(?:in|at)\s+{_LIST}", re.IGNORECASE)

_REPORT = (
    r"(?:report|give|want|need|evaluate|compute|find|print|output|show|value|what|whats|how|"
    r"tell|plot|get|determine|predict|estimate|calculate|interested|look|observe|probe)"
)


def _reported_near(text: str, pos: int, fields: tuple[str, ...]) -> bool:
    """A time names an instant to look at when its clause (up to a comma) asks for a value,
    when its sentence is a question, or when the field is named right before it (``y at
    t = 30 s``, ``T at the middle after 90 s``). "a heater switches on after 10 s" or "the
    source turns off at t = 0.5 s" name events, which are asked about, not looked at."""
    clause = re.split(r"[.;,!?](?:\s|$)", text[:pos])[-1]
    if re.search(_REPORT, clause, re.I):
        return True
    sentence_end = re.search(r"[.;!?](?:\s|$)|$", text[pos:])
    if text[pos:][sentence_end.start() : sentence_end.start() + 1] == "?":
        return True
    names = "|".join(re.escape(f) for f in fields)
    nouns = r"temperature|temp|displacement|deflection|concentration|density"
    return bool(
        re.search(rf"^\s*(?:the\s+)?(?:{names}|{nouns})\b(?:\s+at\s+[^,;]*)?\s*$", clause, re.I)
    )


def _instants(r: Reading, fields: tuple[str, ...]) -> list[Quantity]:
    out: list[Quantity] = []
    for pattern in (_AT_T, _IN):
        for m in pattern.finditer(r.text):
            if r.is_used(m.start(), m.end()) or not _reported_near(r.text, m.start(), fields):
                continue
            cue = r.text[m.start() : m.start("v")].lower()
            named = bool(re.search(r"t\s*=|time", cue))  # "at t = 2", "at time 2"
            unit, end = _unit_after(r.text, m.end())
            inner = re.findall(r"[A-Za-zµμ]+", m.group("more") or "")
            if unit is None and inner:
                unit = read_unit(" " + inner[0])[0]  # "at 1 s and 2 s"
            if unit is None:
                unit = read_unit(r.text[m.end("v") :])[0]
            if unit is not None and not is_time(unit):
                continue  # "at 10 cm": a place
            if unit is None and not (named or (pattern is _AT_T and cue.startswith("after"))):
                continue  # "at 0.5", "for 2": not a time without t or a unit
            values = [time_value(i) for i in [m.group("v"), *re.findall(NUM, m.group("more"))]]
            if any(val == 0 for val in values):
                continue  # "at t = 0": the initial instant
            out += [Quantity(val, unit) for val in values]
            r.consume(m.start(), end if end > m.end() else m.end())
    return out


# ---------------------------------------------------------------- the reader


def read_end(r: Reading) -> Quantity | None:
    """The end of the simulated span, from a span or an end's cue words (consumed)."""
    span = _spans(r) or _ends(r)
    if span is None:
        return None
    r.consume(span[1], span[2])
    r.read.append(f"final time {_show(span[0])}")
    return span[0]


def read_times(r: Reading, fields: tuple[str, ...] = ("u",)) -> Times:
    """The span's end and the instants to look at; consumes the numbers it used."""
    found = Times(end=read_end(r), instants=_instants(r, fields))
    if re.search(r"\bat the end\b|\bat the final time\b|\bfinal value\b|\bin the end\b", r.lower):
        found.at_end = True
    if found.instants:
        r.read.append("look at t = " + ", ".join(_show(q) for q in found.instants))
    return found


def _show(q: Quantity) -> str:
    return f"{q.value:g}{' ' + q.unit if q.unit else ''}"
