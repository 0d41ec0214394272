"""Phrases every family shares: domain, final time, boundary and initial conditions,
tolerance and method. Each reader consumes the numbers it used and asks when a part is
missing; none of them fills a gap with a value the request did not give."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from simlab.plan.offline.reading import Reading, Slot
from simlab.plan.offline.text import longest_formula, read_unit
from simlab.spec.model import Quantity

NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"

END_TIME = Slot(
    "T",
    "final time",
    "s",
    words=(
        "for",
        "until",
        "up to",
        "over",
        "final time",
        "end time",
        "duration",
        "to time",
        "simulate",
        "run",
        "integrate",
        "time",
        "horizon",
    ),
    symbols=("T", "t_end", "tf", "t_final", "t", "T_end"),
)
TIME_STEP = Slot(
    "dt",
    "time step",
    "s",
    words=("time step", "step", "timestep"),
    symbols=("dt",),
    required=False,
)


#: what precedes a time interval, not a spatial one: "t in [0, 5]", "t = 0..2", "time in (0, 1)"
TIME_BEFORE = re.compile(r"\bt(?:ime)?\s*(?:in|∈|=|from)\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- domain


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float
    unit: str | None

    @property
    def length(self) -> Quantity:
        return Quantity(self.upper - self.lower, self.unit)


def interval(r: Reading) -> Interval | None:
    """An explicit interval: ``[0, 2] m``, ``from x = 0 to x = 2``, ``the unit interval``.
    ``None`` when there is none (the template then reads a length, ``a 2 m rod``)."""
    spans = re.finditer(
        rf"(?:\[|\()\s*(?P<a>{NUM})\s*,\s*(?P<b>{NUM})\s*(?:\]|\))"
        rf"|from\s+x\s*=\s*(?P<c>{NUM})\s*\w*\s+to\s+x\s*=\s*(?P<d>{NUM})"
        rf"|(?P<e>{NUM})\s*(?:<|<=)\s*x\s*(?:<|<=)\s*(?P<f>{NUM})"
        rf"|(?<![\w.])(?P<g>{NUM})\s*(?:\.\.|\.\.\.|…)\s*(?P<h>{NUM})",
        r.text,
    )
    m = next(
        (
            m
            for m in spans
            if not TIME_BEFORE.search(r.text[: m.start()]) and not r.is_used(m.start(), m.end())
        ),
        None,
    )
    if m:
        lo, hi = (
            float(v)
            for v in (
                m.group("a", "b")
                if m.group("a")
                else m.group("c", "d")
                if m.group("c")
                else m.group("e", "f")
                if m.group("e")
                else m.group("g", "h")
            )
        )
        unit, used = read_unit(r.text[m.end() :])
        r.consume(m.start(), m.end() + used)
        if hi > lo:
            r.read.append(f"domain [{Quantity(lo)}, {Quantity(hi, unit)}]")
            return Interval(lo, hi, unit)
    if r.has(r"\bunit (interval|segment|rod|string|domain|length)\b"):
        r.read.append("domain: the unit interval [0, 1]")
        return Interval(0.0, 1.0, None)
    return None


def rectangle(r: Reading) -> tuple[Interval, Interval] | None:
    """``the unit square``, ``a 2 m by 1 m plate``, ``[0, 2] x [0, 1]``."""
    if r.has(r"\bunit square\b"):
        r.read.append("domain: the unit square [0, 1] x [0, 1]")
        return Interval(0, 1, None), Interval(0, 1, None)
    m = re.search(
        rf"\[\s*(?P<a>{NUM})\s*,\s*(?P<b>{NUM})\s*\]\s*(?:x|×|\*)\s*"
        rf"\[\s*(?P<c>{NUM})\s*,\s*(?P<d>{NUM})\s*\]",
        r.text,
    )
    if m:
        unit, used = read_unit(r.text[m.end() :])
        r.consume(m.start(), m.end() + used)
        a, b, c, d = (float(v) for v in m.group("a", "b", "c", "d"))
        return Interval(a, b, unit), Interval(c, d, unit)
    m = re.search(
        rf"(?P<a>{NUM})\s*(?P<ua>[A-Za-z]+)?\s*(?:by|x|×)\s*(?P<b>{NUM})\s*(?P<ub>[A-Za-z]+)?",
        r.text,
    )
    if m:
        ua, _ = read_unit(" " + (m.group("ua") or ""))
        ub, _ = read_unit(" " + (m.group("ub") or ""))
        if (ua is None) == (ub is None) and (m.group("ua") is None or ua is not None):
            r.consume(m.start(), m.end())
            r.read.append(f"domain {m.group(0)}")
            return Interval(0, float(m.group("a")), ua), Interval(0, float(m.group("b")), ub)
    r.ask("domain", "On which rectangle (side lengths, with units)?")
    return None


# ---------------------------------------------------------------- boundary conditions

_DIRICHLET_ZERO = (
    r"(?:held|kept|fixed|clamped|pinned|maintained|set|stays?|remains?)\s+(?:at|to)\s+(?:zero|0)\b"
    r"|(?:kept|stays?|remains?|held)\s+(?:zero|0)\b"
    r"(?:\s*[a-z]+\b)?"
    r"|(?:zero|homogeneous)\s+(?:dirichlet|boundary (?:values?|data|conditions?)|temperature"
    r"|displacement)"
    r"|\bu\s*=\s*0\s+(?:at|on)\b(?:\s*(?:both ends|the ends|the boundary|the edges|the walls|"
    r"x\s*=\s*[\w.]+)(?:\s*(?:and|,)\s*x\s*=\s*[\w.]+)?)?"
    r"|(?:fixed|clamped|pinned)\s+(?:ends|edges|boundar\w*)"
    r"|(?:fixed|clamped|pinned)\s+at\s+(?:both|the|its)\s+ends"
    r"|(?:ends?|edges?|walls?|faces?|sides?|boundary)\s+(?:are\s+|is\s+)?(?:fixed|clamped|pinned)\b"
    r"(?:\s+(?:at|to)\s+(?:zero|0)\b(?:\s*[a-z]+\b)?)?"
    r"|vanish\w*\s+(?:at|on)\s+the\s+(?:ends|boundary|edges|walls)"
    r"|dirichlet\s+(?:conditions?\s+)?(?:with\s+)?(?:value\s+)?(?:zero|0)\b"
    r"|zero\s+(?:on|at)\s+the\s+(?:boundary|ends|edges|walls)"
    r"|(?:zero|0)\s+(?:on|at)\s+(?:both ends|the ends|the boundary|the edges|the walls)"
    r"|(?:ends?|edges?|walls?|faces?|sides?|boundary)\s+(?:are\s+|is\s+)?(?:also\s+|too\s+)?"
    r"(?:(?:at|=)\s*)?(?:zero|0)\b(?:\s*[a-z]+\b)?"
)
_NEUMANN_ZERO = (
    r"insulated|no[- ]flux|zero[- ]flux|homogeneous neumann|zero (?:normal )?(?:derivative|"
    r"gradient|slope)|\bfree ends?\b|neumann\s+(?:conditions?\s+)?(?:with\s+)?(?:value\s+)?"
    r"(?:zero|0)\b|reflecting"
)
_DIRICHLET_VALUE = (
    rf"(?:held|kept|fixed|maintained|set|stays?|remains?|(?:ends?|edges?|walls?|faces?|sides?|boundary)"
    rf"(?:\s+are|\s+is)?)"
    rf"\s+(?:at|to)\s+(?P<num>{NUM})"
    rf"|(?:kept|stays?|remains?|held)\s+(?P<bare>{NUM})(?=\s*[A-Za-z°])"
)
_SIDES = {"left": r"\bleft\b|x\s*=\s*0\b", "right": r"\bright\b|x\s*=\s*(?:L|[1-9][\d.]*)\b"}


@dataclass(frozen=True)
class Condition:
    type: str
    value: str | None = None


def _condition_in(
    r: Reading, text: str, offset: int, params: dict[str, Quantity], name: str
) -> Condition | None:
    if re.search(r"periodic", text):
        return Condition("periodic")
    m = re.search(_NEUMANN_ZERO, text)
    if m:
        r.consume(offset + m.start(), offset + m.end())
        return Condition("neumann", "0")
    m = re.search(_DIRICHLET_VALUE, text)
    value = m and float(m.group("num") or m.group("bare"))
    if m and value != 0:
        unit, used = read_unit(r.text[offset + m.end() :])  # units are case-sensitive
        if m.group("bare") and unit is None:
            return None  # "kept 5 ...": a value without its unit is not read as a condition
        r.consume(offset + m.start(), offset + m.end() + used)
        params[name] = Quantity(value, unit)
        return Condition("dirichlet", name)
    m = re.search(_DIRICHLET_ZERO, text)
    if m:
        r.consume(offset + m.start(), offset + m.end())
        return Condition("dirichlet", "0")
    return None


def _side_clauses(text: str) -> list[tuple[int, int]]:
    """Clauses of ``text`` (split at . ; ,), a clause naming both ends split at "and" when
    each part names one end and states a condition ("left end at 0 K and right end at 10 K")."""
    out: list[tuple[int, int]] = []
    for clause in re.finditer(r"[^.;,]+", text):
        parts = [
            (clause.start() + p.start(), clause.start() + p.end())
            for p in re.finditer(r"(?:(?!\band\b).)+", clause.group(0))
        ]
        both = len(parts) > 1 and all(
            sum(bool(re.search(pat, text[a:b])) for pat in _SIDES.values()) == 1
            and _states_condition(text[a:b])
            for a, b in parts
        )
        out += parts if both else [clause.span()]
    return out


def _states_condition(text: str) -> bool:
    return any(
        re.search(pattern, text)
        for pattern in ("periodic", _NEUMANN_ZERO, _DIRICHLET_VALUE, _DIRICHLET_ZERO)
    )


def boundary_1d(r: Reading, params: dict[str, Quantity]) -> dict[str, Condition] | None:
    """A condition for each end; side-specific phrases (``left``, ``x = 0``) first."""
    found: dict[str, Condition] = {}
    sided: list[tuple[int, int]] = []
    for start, end in _side_clauses(r.lower):
        text = r.lower[start:end]
        sides = [s for s, pat in _SIDES.items() if re.search(pat, text)]
        if len(sides) == 1 and sides[0] not in found:
            c = _condition_in(r, text, start, params, f"u_{sides[0]}")
            if c is not None:
                found[sides[0]] = c
                sided.append((start, end))
    if len(found) < 2:
        rest = r.lower
        for clause in sided:  # "left end at 0 K" says nothing about the right end
            rest = rest[: clause[0]] + " " * (clause[1] - clause[0]) + rest[clause[1] :]
        c = _condition_in(r, rest, 0, params, "u_b")
        if c is not None:
            for side in ("left", "right"):
                found.setdefault(side, c)
    if len(found) < 2:
        r.ask(
            "boundary conditions",
            "Which boundary conditions hold at the ends (e.g. held at 0, insulated, periodic)?",
        )
        return None
    if (found["left"].type == "periodic") != (found["right"].type == "periodic"):
        r.ask("boundary conditions", "A periodic condition needs both ends periodic.")
        return None
    r.read.append(
        "boundary: " + ", ".join(f"{s} {c.type} {c.value or ''}".strip() for s, c in found.items())
    )
    return found


def boundary_all(
    r: Reading, params: dict[str, Quantity], where: str = "the boundary"
) -> Condition | None:
    """One condition on the whole boundary of a 2-D domain."""
    c = _condition_in(r, r.lower, 0, params, "u_b")
    if c is None:
        r.ask("boundary conditions", f"Which boundary condition holds on {where}?")
        return None
    r.read.append(f"boundary: {c.type} {c.value or ''}".strip())
    return c


# ---------------------------------------------------------------- initial conditions

_IC_LEAD = (
    r"(?:u|T|temperature|displacement|density|concentration)\s*\(\s*x\s*(?:,\s*y\s*)?,\s*"
    r"(?:t\s*=\s*)?0\s*\)\s*=\s*"
    r"|u\s*\(\s*(?:t\s*=\s*)?0\s*,\s*x\s*(?:,\s*y\s*)?\)\s*=\s*"
    r"|u_?0\s*\(\s*x\s*(?:,\s*y\s*)?\)\s*=\s*"
    r"|(?:initial(?:ly)?|start(?:s|ing)?|at t\s*=\s*0,?)(?:\s+(?:conditions?|profile|temperature|"
    r"temp|displacement|deflection|data|shape|state|density|distribution|concentration|value))?"
    r"\s*(?:is\s+|of\s+|as\s+|:\s*|=\s*|given by\s+)?(?:u0?\s*=\s*)?"
)
#: the cue of an initial profile written as an expression with units (see profiles.py)
PROFILE_LEAD = (
    r"\b(?:initial\w*|start(?:s|ing|ed)?|begins?|plucked|deformed|displaced)\b"
    r"|\bat\s+t\s*=\s*0\b\s*,?"
    r"|\b(?:u|T|temperature|displacement|density|concentration)\s*\(\s*x\s*(?:,\s*y\s*)?,\s*"
    r"(?:t\s*=\s*)?0\s*\)\s*="
    r"|\bu\s*\(\s*(?:t\s*=\s*)?0\s*,\s*x\s*\)\s*=|\bu_?0\s*\(\s*x\s*\)\s*="
)
#: the cue of an initial velocity written without '=' ("initial velocity 0.5 m/s * sin(...)")
VELOCITY_PROFILE_LEAD = (
    r"\binitial(?:ly)?\s+(?:transverse\s+)?(?:velocit\w*|speed)\b(?:\s+(?:profile|distribution))?"
)
_VELOCITY_LEAD = r"(?:u_t|du/dt|diff\(u,\s*t\)|velocity)\s*(?:\(\s*x\s*,\s*0\s*\))?\s*=\s*"


def _sentence_after(text: str, start: int) -> str:
    rest = text[start:]
    end = re.search(r"\.(?:\s|$)|;|\n", rest)
    return rest[: end.start()] if end else rest


def scaled_formula_after(
    r: Reading, lead: str, names: set[str], need: str | None, amplitude: str
) -> str | None:
    """As :func:`formula_after`, but a formula written with a unit (``u_t(x, 0) = 1 m/s``)
    is ``amplitude`` times the formula, the amplitude (with its unit) in ``r.values``."""
    found = _scaled_formula(r, lead, names, need, amplitude)
    return found if found is not None else formula_after(r, lead, names, need)


def formula_after(r: Reading, lead: str, names: set[str], need: str | None = "x") -> str | None:
    """The formula written after a phrase matching ``lead`` (consumed when found)."""
    for m in re.finditer(lead, r.text, re.IGNORECASE):
        sentence, lengths, back = named_lengths(_sentence_after(r.text, m.end()))
        found = longest_formula(sentence, names | set(lengths), need)
        if found is not None:
            formula, used = found
            r.consume(m.start(), m.end() + back(used))
            _keep_lengths(r, formula, lengths)
            return formula
    return None


SHAPE_LENGTH = "L_shape"
_LENGTH_IN_ARGUMENT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>[A-Za-zµμ]+)(?=\s*\))")


def named_lengths(sentence: str) -> tuple[str, dict[str, Quantity], Callable[[int], int]]:
    """``sentence`` with each length written with its unit just before a closing
    parenthesis (``sin(pi x / 0.5 m)``) replaced by a name (``L_shape``, ``L_shape_2``...),
    the lengths by name, and a map from an offset in the new sentence to the old one."""
    lengths: dict[str, Quantity] = {}
    shifts: list[tuple[int, int]] = []  # (end in new text, delta old - new)
    out, last, delta = [], 0, 0
    for m in _LENGTH_IN_ARGUMENT.finditer(sentence):
        unit, n = read_unit(m.group("unit"))
        if unit is None or n < len(m.group("unit")) or not _is_length(unit):
            continue
        name = SHAPE_LENGTH if not lengths else f"{SHAPE_LENGTH}_{len(lengths) + 1}"
        lengths[name] = Quantity(float(m.group("num")), unit)
        out.append(sentence[last : m.start()] + name)
        delta += (m.end() - m.start()) - len(name)
        shifts.append((len("".join(out)), delta))
        last = m.end()
    out.append(sentence[last:])

    def back(i: int) -> int:
        return i + max((d for end, d in shifts if end <= i), default=0)

    return "".join(out), lengths, back


def _keep_lengths(r: Reading, formula: str, lengths: dict[str, Quantity]) -> None:
    for name, q in lengths.items():
        if re.search(rf"\b{name}\b", formula):
            r.values[name] = q
            r.read.append(f"length {q.value:g} {q.unit} inside the profile, named {name}")


def _is_length(unit: str) -> bool:
    from simlab.spec.units import parse_unit

    return parse_unit(unit).dimensionality == parse_unit("m").dimensionality


def initial_formula(
    r: Reading, names: set[str], need: str = "x", amplitude: str | None = None
) -> str | None:
    """The initial profile. With ``amplitude`` (a parameter name), a profile written with a
    unit is read as that amplitude times a shape: ``5 K times sin(pi x / L)``,
    ``sin(pi x/L) times 20 K``, ``sin(pi x / 3) K`` (amplitude 1 K); the amplitude goes
    into ``r.values[amplitude]``."""
    if amplitude is not None:
        from simlab.plan.offline.profiles import read_profile

        profile = read_profile(r, PROFILE_LEAD, names, amplitude, need)
        if profile is not None:
            return profile.formula
        found = _scaled_formula(r, _IC_LEAD, names, need, amplitude)
        if found is not None:
            return found
    return formula_after(r, _IC_LEAD, names, need)


_TIMES = r"\s*(?:\*|×|·|times\b|multiplied by\b)?\s*"


def _scaled_formula(
    r: Reading, lead: str, names: set[str], need: str | None, amplitude: str
) -> str | None:
    if lead == _VELOCITY_LEAD:
        from simlab.plan.offline.profiles import read_profile

        for cue in (lead, VELOCITY_PROFILE_LEAD):
            profile = read_profile(r, cue, names, amplitude, need)
            if profile is not None:
                return profile.formula
    for m in re.finditer(lead, r.text, re.IGNORECASE):
        sentence, lengths, back = named_lengths(_sentence_after(r.text, m.end()))
        names = names | set(lengths)
        start = m.end()
        value, unit, shape, used = None, None, None, 0
        a = re.match(rf"\s*(?P<num>{NUM})", sentence)
        if a:  # "5 K times sin(pi x / L)"
            unit, n = read_unit(sentence[a.end() :])
            times = re.match(_TIMES, sentence[a.end() + n :])
            rest = a.end() + n + (times.end() if times else 0)
            found = longest_formula(sentence[rest:], names, need) if _has_dimension(unit) else None
            if found is not None:
                value, shape, used = float(a.group("num")), found[0], rest + found[1]
        if shape is None:  # "sin(pi x/L) times 20 K", "sin(pi x / 3) K"
            found = longest_formula(sentence, names, need)
            if found is None:
                continue
            tail = sentence[found[1] :]
            t = re.match(_TIMES + rf"(?P<num>{NUM})", tail)
            scale = float(t.group("num")) if t and t.group(0).strip() != t.group("num") else None
            unit, n = read_unit(tail[t.end() :] if scale is not None else tail)
            if not _has_dimension(unit):
                continue
            value, shape = (scale if scale is not None else 1.0), found[0]
            used = found[1] + (t.end() if scale is not None else 0) + n
        r.consume(m.start(), start + back(used))
        _keep_lengths(r, shape, lengths)
        r.values[amplitude] = Quantity(value, unit)
        r.read.append(f"initial profile {amplitude}*({shape}) with {amplitude} = {value:g} {unit}")
        return f"{amplitude}*({shape})" if re.search(r"[-+]", shape) else f"{amplitude}*{shape}"
    return None


def _has_dimension(unit: str | None) -> bool:
    from simlab.spec.units import parse_unit

    return unit is not None and parse_unit(unit).dimensionality != {}


def mentions_sine(r: Reading) -> bool:
    return r.has(r"\b(half[- ]?)?sin(e|usoid(al)?)\b|\bfundamental mode\b")


def at_rest(r: Reading) -> bool:
    return r.has(
        r"\bat rest\b|from rest\b|zero (initial )?(velocity|speed)"
        r"|initial velocity (is )?(zero|0)\b"
        r"|\b(no|without( an?)?) initial (velocity|speed|motion)"
        r"|(u_t|du/dt)\s*(\(x,\s*0\))?\s*=\s*0\b"
    )


# ---------------------------------------------------------------- tolerance and method


def tolerance(r: Reading, default: float, what: str = "relative error") -> float:
    """The relative threshold the request asks for, else the family's default (said as a
    choice). An absolute tolerance is asked about: these templates compare relatively."""
    from simlab.plan.offline.roles import read_tolerance

    found = read_tolerance(r)
    if found is not None:
        if found.metric != "relative_error":
            r.ask(
                "relative tolerance",
                f"This template compares relative errors; the absolute tolerance "
                f"{found.threshold:g} {found.unit or ''} needs a relative one instead.",
            )
        return found.threshold
    r.choices.append(f"tolerance {default:g} ({what}), as none was given")
    return default


_SCHEMES = (
    (r"crank[- ]nicolson", "scheme", "crank_nicolson"),
    (r"(?:explicit|forward)[- ]euler|\bftcs\b", "scheme", "ftcs"),
    (r"backward[- ]euler|implicit[- ]euler", "scheme", "backward_euler"),
    (r"leap[- ]?frog", "scheme", "leapfrog"),
    (r"\bupwind\b", "scheme", "upwind"),
    (r"lax[- ]wendroff", "scheme", "lax_wendroff"),
)
_INTEGRATORS = (
    (r"(?:explicit|forward)[- ]euler", "euler"),
    (r"\brk4\b|runge[- ]kutta", "rk4"),
    (r"\bradau\b", "radau"),
    (r"\bbdf\b|backward differentiation", "bdf"),
    (r"\blsoda\b", "lsoda"),
)


def scheme(r: Reading, default: str) -> str:
    for pattern, _, name in _SCHEMES:
        if r.has(pattern):
            r.read.append(f"scheme {name}")
            return name
    r.choices.append(f"scheme {default}")
    return default


def integrator(r: Reading, default: str) -> str:
    for pattern, name in _INTEGRATORS:
        if r.has(pattern):
            r.read.append(f"integrator {name}")
            return name
    r.choices.append(f"integrator {default}")
    return default
