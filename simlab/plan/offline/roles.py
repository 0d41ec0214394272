"""Roles of numbers given by the words around them: tolerance, observation point and time.

A number's role is read from its cue words, the way a person reads a request: "to 1e-4
relative", "rel tol 1e-3", "accurate to 1e-5", "within 0.1 percent" are tolerances; "at
x = 0.5", "u(0.5, 1)", "after 60 s", "y(3)" name where and when to observe. Each reader
consumes the numbers it used (so they are not asked about) and records what it read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simlab.plan.offline.reading import Reading
from simlab.plan.offline.text import read_unit
from simlab.plan.offline.times import read_times
from simlab.spec.model import Quantity
from simlab.spec.units import parse_unit, to_base

NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PCT = r"\s*(?P<pct>%|percent|per\s*cent)?"
_REL = r"rel(?:ative)?\.?"

#: cue words before a tolerance: "tolerance 1e-4", "rel tol = 1e-3", "accurate to 1e-5",
#: "within 0.1 percent", "relative error below 1e-4", "error of 1 %"
_LEAD = re.compile(
    rf"(?:\b{_REL}\s*(?:tol(?:erance)?|err(?:or)?|accuracy|precision)?|\btolerance|\btol\b"
    rf"|\br(?:el)?tol\b|\ba(?:bs)?tol\b"
    rf"|\baccura(?:te|cy)|\bprecision|\bwithin|\berror|\babs(?:olute)?\.?\s*(?:tol(?:erance)?|"
    rf"err(?:or)?))\s*(?:of|=|:|is|below|under|<=?|better than|to|at most|about)?\s*"
    rf"(?:to\s+)?(?:within\s+)?(?P<num>{NUM})(?![\w]|\.\d){_PCT}",
    re.IGNORECASE,
)
#: a number followed by its role: "to 1e-4 relative", "1e-3 relative accuracy"
_TRAIL = re.compile(
    rf"(?<![\w=])(?P<num>{NUM}){_PCT}\s*(?P<rel>{_REL}|abs(?:olute)?\.?)"
    rf"(?:\s*(?:tol(?:erance)?|err(?:or)?|accuracy|precision))?(?![\w])",
    re.IGNORECASE,
)
#: "1 percent accuracy", "0.5 % error": a percentage names its role after it
_PCT_TRAIL = re.compile(
    rf"(?<![\w=])(?P<num>{NUM})\s*(?P<pct>%|percent|per\s*cent)\s*"
    rf"(?:accura(?:cy|te)|precision|tolerance|error)\b",
    re.IGNORECASE,
)
#: "u(0.5) to 1e-8." -- a bare "to" only with a small number at the end of a clause
_TO_SMALL = re.compile(rf"\bto\s+(?P<num>{NUM})(?=\s*(?:[.;,]|$))", re.IGNORECASE)


@dataclass(frozen=True)
class ToleranceRead:
    threshold: float
    metric: str  # "relative_error" or "absolute_error"
    unit: str | None = None


def read_tolerance(r: Reading) -> ToleranceRead | None:
    """The tolerance the request asks for, with its metric, or ``None`` when none is given."""
    for pattern in (_LEAD, _TRAIL, _PCT_TRAIL, _TO_SMALL):
        for m in pattern.finditer(r.text):
            value = float(m.group("num"))
            pct = bool(m.groupdict().get("pct"))
            if pattern is _TO_SMALL and not ("e" in m.group("num").lower() or value < 0.1):
                continue
            if pattern is _TO_SMALL and re.search(r"[tx]\s*=\s*$", r.text[: m.start("num")]):
                continue
            if value <= 0:
                continue
            rest = r.text[m.end() :]
            unit, used = (None, 0) if pct else read_unit(rest)
            if unit is not None and parse_unit(unit).dimensionality == {}:
                unit = None
            lead = m.group(0).lower()
            absolute = bool(re.search(r"abs|\batol", lead)) or unit is not None
            if pct:
                value /= 100
            elif not absolute and value >= 1 and pattern is not _TRAIL:
                continue  # "within 2 s", "error 3": not a relative tolerance
            r.consume(m.start(), m.end() + used)
            metric = "absolute_error" if absolute else "relative_error"
            shown = f"{value:g}{' ' + unit if unit else ''}"
            r.read.append(f"tolerance {shown} ({metric.replace('_', ' ')})")
            return ToleranceRead(value, metric, unit)
    return None


# ---------------------------------------------------------------- observation


@dataclass
class Observation:
    """Where and when the request asks to look (each part may be missing)."""

    x: float | None = None
    t: float | None = None
    length_unit: str | None = None
    t_unit: str | None = None
    at_end: bool = False
    midpoint: bool = False
    instants: list[Quantity] = field(default_factory=list)
    end: Quantity | None = None


_REPORT = r"(?:report|give|want|need|evaluate|compute|find|print|output|show|value|what is)"


def read_observation(r: Reading, fields: tuple[str, ...] = ("u",)) -> Observation:
    """The observation point and time the request names; consumes the numbers it used.

    Reads ``u(0.5, 1)`` / ``u(x=0.5, t=1)`` (space then time, as written for u(x, t)),
    ``y(3)`` for a function of time only, ``at x = 0.5 [m]``, ``after 60 s``,
    ``at t = 2``, ``at the midpoint`` and ``at the end``.
    """
    obs = Observation()
    names = "|".join(re.escape(f) for f in fields)
    text = r.text
    # u(x0, t0) and y(t0), not followed by '=' (that is an initial or boundary condition)
    for m in re.finditer(
        rf"\b(?P<f>{names})\s*\(\s*(?:x\s*=\s*)?(?P<a>{NUM})\s*(?P<ua>[A-Za-z]+\s*)?"
        rf"(?:,\s*(?:t\s*=\s*)?(?P<b>{NUM})\s*(?P<ub>[A-Za-z]+\s*)?)?\)(?!\s*=)",
        text,
    ):
        a, b = float(m.group("a")), m.group("b")
        ua, ub = (read_unit(" " + (u or ""))[0] for u in m.group("ua", "ub"))
        if b is not None:
            obs.x, obs.t = a, float(b)
            obs.length_unit, obs.t_unit = _length_unit(ua), _time_unit(ub)
        elif _is_time_function(r, m.group("f")):
            obs.t, obs.t_unit = a, _time_unit(ua)
        else:
            obs.x, obs.length_unit = a, _length_unit(ua)
        r.consume(m.start(), m.end())
        break
    m = _first_free(r, rf"\b(?:at|for)\s+x\s*=\s*(?P<x>{NUM})")
    if obs.x is None and m:
        unit, used = read_unit(text[m.end() :])
        obs.x, obs.length_unit = float(m.group("x")), _length_unit(unit)
        r.consume(m.start(), m.end() + (used if obs.length_unit else 0))
    if obs.x is None:  # "what is T at 10 cm": a length after "at" in the question
        for m in re.finditer(rf"\bat\s+(?P<x>{NUM})", text):
            unit, used = read_unit(text[m.end() :])
            if (
                _length_unit(unit)
                and not r.is_used(m.start(), m.end())
                and not re.match(r"\s*(?:long|wide|deep|thick|from)\b", text[m.end() + used :])
                and (
                    _reported_near(text, m.start(), names)
                    or re.search(r"\bT\s*$", text[: m.start()])
                )
            ):
                obs.x, obs.length_unit = float(m.group("x")), unit
                r.consume(m.start(), m.end() + used)
                break
    times = read_times(r, fields)
    if obs.t is not None:
        times.instants.insert(0, Quantity(obs.t, obs.t_unit))
    obs.instants = times.instants
    obs.end = times.final()
    if obs.t is None and times.instants:
        obs.t, obs.t_unit = times.instants[0].value, times.instants[0].unit
    if re.search(r"\b(?:at|in)\s+the\s+(?:middle|midpoint|centre|center)\b|\bmid-?point\b", text):
        obs.midpoint = obs.x is None
    obs.at_end = times.at_end
    parts = [f"x = {obs.x:g}"] if obs.x is not None else []
    parts += [f"t = {obs.t:g}"] if obs.t is not None else []
    if parts:
        r.read.append("observe at " + ", ".join(parts))
    return obs


def times_to_look(r: Reading, obs: Observation, end: Quantity) -> list[float] | None:
    """The instants to look at in the unit of ``end`` (the end itself when none is named, or
    when the request also asks "at the end"); ``None`` after asking when one is past the end."""
    out = []
    for q in obs.instants:
        t = in_unit(q.value, q.unit, end.unit)
        if t > end.value * (1 + 1e-12):
            r.ask("observation time", f"t = {q} is after the final time {end}.")
            return None
        out.append(t)
    if obs.at_end or not out:
        out.append(end.value)
    return list(dict.fromkeys(out))


def probe_names(base: str, n: int) -> list[str]:
    """``base``, ``base_2``, ``base_3``... for ``n`` observables."""
    return [base] + [f"{base}_{k}" for k in range(2, n + 1)]


def _first_free(r: Reading, pattern: str) -> re.Match | None:
    """The first match whose number no other reader has used."""
    for m in re.finditer(pattern, r.text):
        if not r.is_used(m.start(), m.end()):
            return m
    return None


def _is_time_function(r: Reading, name: str) -> bool:
    """``y(3)`` is a time when ``y`` depends on time only (no spatial interval is given)."""
    return not re.search(rf"\b{re.escape(name)}\s*\(\s*x\b|\bu_x|\[\s*{NUM}\s*,", r.text)


def _reported_near(text: str, pos: int, fields: str = "u") -> bool:
    """'after 60 s' names the observation time when the clause asks for a value, or when the
    field is named right before it ('y at t = 30 s')."""
    clause = re.split(r"[.;]\s", text[:pos])[-1]
    cues = _REPORT + r"|\bu\b|\bat\b|temperature|displacement"
    return bool(re.search(cues, clause, re.I) or re.search(rf"\b(?:{fields})\s*$", clause))


def _length_unit(unit: str | None) -> str | None:
    return unit if unit and _dim(unit) == _dim("m") else None


def _time_unit(unit: str | None) -> str | None:
    return unit if unit and _dim(unit) == _dim("s") else None


def _dim(unit: str):
    return parse_unit(unit).dimensionality


def in_unit(value: float, unit: str | None, target: str | None) -> float:
    """``value`` in ``unit`` expressed in ``target`` (same dimension); as is without units."""
    if unit is None or target is None or unit == target:
        return value
    return to_base(value, unit) / to_base(1.0, target)


# ---------------------------------------------------------------- dimensions of typed formulas

_TRANSCENDENTAL = r"\b(?:sin|cos|tan|exp|log|sinh|cosh|tanh)\(([^()]*(?:\([^()]*\)[^()]*)*)\)"


def length_inside_function(formula: str, lengths: set[str]) -> str | None:
    """The argument of sin/cos/exp/... in ``formula`` that holds ``x`` but no length to
    divide it by, when the domain carries a unit: ``sin(pi*x/3)`` with x in metres takes
    the sine of a length. ``None`` when every such argument is dimensionless."""
    for arg in re.findall(_TRANSCENDENTAL, formula):
        names = set(re.findall(r"\b[A-Za-z_]\w*\b", arg))
        if "x" in names and not names & lengths:
            return arg
    return None


def ask_dimensionless(r: Reading, formula: str, lengths: set[str], unit: str) -> bool:
    """Ask when a typed formula takes a function of a length; ``True`` when it asked."""
    arg = length_inside_function(formula, lengths)
    if arg is None:
        return False
    r.ask(
        "dimensionless formula",
        f"The formula '{formula}' takes a function of '{arg}', which is a length (x is in "
        f"{unit}). Write it with a length, e.g. sin(pi*x/L) with L = 3 {unit}, or give the "
        "domain without units.",
    )
    return True


COORDINATE_UNIT = "length_unit"


def counted_in_unit(
    formula: str, lengths: set[str], coordinates: tuple[str, ...] = ("x",)
) -> str | None:
    """``formula`` with its coordinates counted in the domain's unit, when it uses them but
    names no length: ``sin(pi*x/3)`` or ``x*(1 - x)`` on [0, 3] m become
    ``sin(pi*(x/length_unit)/3)`` and ``(x/length_unit)*(1 - (x/length_unit))`` with
    ``length_unit = 1 m`` (the request measured x in metres and wrote its number). ``None``
    when no coordinate is used, or when the formula also uses a length (``sin(pi*x/L)`` is
    dimensional as written; a mix is asked about)."""
    names = set(re.findall(r"\b[A-Za-z_]\w*\b", formula))
    if not names & set(coordinates) or names & lengths:
        return None
    pattern = r"\b(" + "|".join(coordinates) + r")\b"
    return re.sub(pattern, rf"(\1/{COORDINATE_UNIT})", formula)
