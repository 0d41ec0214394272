"""Initial data written as an expression with units inside: ``2 mm * sin(pi x/0.65 m)``.

English writes an initial profile as a cue (``initially``, ``starts as``, ``plucked``, ``at
t = 0``), a short noun phrase (``the initial temperature profile is``, ``shape``, ``u =``) and
an expression whose numbers may carry units. Each quantity (a number with a pint unit) is
replaced by a placeholder, the expression is parsed with sympy, and its dimension is worked
out from the quantities' units: every sum must add like dimensions, every function (sin, exp,
...) must take a dimensionless argument, which decides whether ``x`` is a length. The
quantities then become named parameters in their own units: those with the profile's
dimension are its amplitudes, lengths are ``L_shape`` (``L`` when equal to the domain's
length, see :mod:`simlab.plan.offline.evolution`), anything else ``c_shape``. The profile's
unit is its amplitude's; callers check it against the unknown's.

Also read: a Gaussian bump with a stated height, centre and width (standard deviation, or a
full width at half maximum, said in the spec), and a uniform start (``starts at a uniform
300 K``). A profile that is not one of these is left to the dimensionless readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pint
import sympy as sp

from simlab.plan.offline.reading import Reading
from simlab.plan.offline.text import longest_formula, read_unit
from simlab.spec.model import Quantity
from simlab.spec.units import parse_unit

NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
SHAPE_LENGTH = "L_shape"
_DIMENSIONLESS = parse_unit("1").dimensionality
_LENGTH = parse_unit("m").dimensionality

#: words of the noun phrase between the cue and the expression ("initial temperature
#: profile is", "starts out as a uniform", "plucked shape", "initially T =")
_PHRASE = frozenset(
    (
        *("the", "a", "an", "its", "is", "are", "as", "of", "at", "to", "into", "with", "by"),
        *("given", "be", "being", "equal", "equals", "set", "shape", "shaped", "profile"),
        *("condition", "conditions", "data", "state", "value", "values", "distribution"),
        *("field", "temperature", "temp", "displacement", "deflection", "density"),
        *("concentration", "form", "uniform", "uniformly", "constant", "out", "everywhere"),
        *("initial", "initially", "=", ":"),
    )
)
#: words after a quantity that make it part of a shape, not a uniform value
_SHAPE_WORDS = re.compile(
    r"\s*(?:half|sine|sin\b|cos|sinus\w*|gauss\w*|bump|pulse|mode|wave|hump|peak|triang\w*|"
    r"parabol\w*|profile|times|\*|×|·|multiplied)",
    re.IGNORECASE,
)
#: what may follow a uniform value
_UNIFORM_END = re.compile(
    r"\s*(?:$|[,;.)]|and\b|then\b|until\b|over\b|everywhere\b|throughout\b|along\b|"
    r"for\s+\d[\d.eE+-]*\s*(?:s|sec\w*|min\w*|h|hours?|days?|ms)\b|"
    r"across\b|uniform\w*\b|initially\b|at t\b|in the\b|on the\b)",
    re.IGNORECASE,
)
_TIMES = re.compile(r"\s+(?:times|multiplied\s+by)\s+|\s*[×·]\s*", re.IGNORECASE)


@dataclass
class Profile:
    """A profile read from the request: the formula in spec notation, the named quantities,
    its dimension (pint), and where it was written in ``r.text``."""

    formula: str
    values: dict[str, Quantity] = field(default_factory=dict)
    dimension: pint.util.UnitsContainer | None = None
    start: int = 0
    end: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def unit(self) -> str | None:
        """The unit of the profile: its (first) amplitude's unit."""
        for q in self.values.values():
            if q.unit and parse_unit(q.unit).dimensionality == self.dimension:
                return q.unit.removeprefix("delta_")
        return None


def read_profile(
    r: Reading,
    lead: str,
    names: set[str],
    amplitude: str,
    need: str | None = "x",
) -> Profile | None:
    """The first profile with a unit written after a phrase matching ``lead`` (consumed,
    its quantities in ``r.values``); ``None`` when there is none (or after asking)."""
    for m in re.finditer(lead, r.text, re.IGNORECASE):
        sentence = _sentence_after(r.text, m.end())
        for start in _starts(sentence):
            rest = sentence[start:]
            if re.match(r"\s*(?:a\s+)?gauss", rest, re.IGNORECASE):
                found = _gaussian(r, rest, amplitude)
            else:
                found = _expression(r, rest, names, amplitude, need)
            if found is None:
                continue
            if isinstance(found, str):
                r.ask("initial condition", found)
                return None
            found.start, found.end = m.start(), m.end() + start + found.end
            r.consume(found.start, found.end)
            r.values.update(found.values)
            r.profile_keys += [k for k in found.values if k != amplitude]
            shown = ", ".join(f"{k} = {q}" for k, q in found.values.items())
            r.read.append(f"initial profile {found.formula}" + (f" with {shown}" if shown else ""))
            r.choices.extend(found.notes)
            return found
    return None


def _sentence_after(text: str, start: int) -> str:
    rest = text[start:]
    end = re.search(r"\.(?:\s|$)|;|\n|\?", rest)
    return rest[: end.start()] if end else rest


def _starts(sentence: str) -> Iterator[int]:
    """Where the expression may begin: after 0 to 6 words of the noun phrase."""
    pos = 0
    yield pos
    for _ in range(6):
        m = re.match(r"\s*(?P<w>[A-Za-z_]\w*|=|:)", sentence[pos:])
        if m is None or m.group("w").lower() not in _PHRASE | {"u", "t", "y", "c", "theta"}:
            return
        pos += m.end()
        yield pos


# ---------------------------------------------------------------- quantities in a formula


def _placeholders(text: str) -> tuple[str, dict[str, Quantity], Callable[[int], int]]:
    """``text`` with each number-with-a-unit replaced by ``QTY<i>`` (and "times" by ``*``),
    the quantities by placeholder, and a map from an offset in the new text to the old."""
    out: list[str] = []
    values: dict[str, Quantity] = {}
    shifts: list[tuple[int, int]] = []
    pos, delta = 0, 0
    pattern = re.compile(rf"(?<![\w.])(?P<num>{NUM})|{_TIMES.pattern}", re.IGNORECASE)
    for m in pattern.finditer(text):
        if m.group("num") is None:
            new, end = "*", m.end()
        else:
            segment = re.match(r"[^*()]*", text[m.end() :]).group(0)  # "2 mm*sin(", "0.5 m)^2"
            unit, used = read_unit(segment)
            if unit is None or re.match(r"\s*\(", text[m.end() + used :]):
                continue
            if parse_unit(unit).dimensionality == _DIMENSIONLESS and unit not in ("rad",):
                continue
            name = f"QTY{len(values)}"
            values[name] = Quantity(float(m.group("num")), unit)
            new, end = name, m.end() + used
        out.append(text[pos : m.start()] + new)
        delta += (end - m.start()) - len(new)
        shifts.append((len("".join(out)), delta))
        pos = end
    out.append(text[pos:])

    def back(i: int) -> int:
        return i + max((d for e, d in shifts if e <= i), default=0)

    return "".join(out), values, back


def _expression(
    r: Reading, text: str, names: set[str], amplitude: str, need: str | None
) -> Profile | str | None:
    zero = re.match(r"\s*(?:0(?:\.0*)?|zero)\b", text, re.IGNORECASE)
    if zero and _UNIFORM_END.match(text[zero.end() :]):
        return Profile("0", end=zero.end())  # "initial displacement 0", "initially zero"
    replaced, quantities, back = _placeholders(text)
    if not quantities:
        return None
    allowed = names | set(quantities)
    found = longest_formula(replaced, allowed, need)
    if found is None:
        lone = re.match(r"\s*(?P<q>QTY0)\b", replaced)
        tail = replaced[lone.end() :] if lone else ""
        if lone is None or _SHAPE_WORDS.match(tail) or not _UNIFORM_END.match(tail):
            return None
        found = ("QTY0", lone.end())  # "starts at a uniform 300 K"
    formula, used = found
    present = {k: q for k, q in quantities.items() if re.search(rf"\b{k}\b", formula)}
    if not present:
        return None
    dim = _dimension(formula, present, names)
    if isinstance(dim, str):
        return (
            f"The initial profile '{_shown(formula, present)}' is not dimensionally "
            f"consistent ({dim}); please write it again."
        )
    profile, x_length, inside = dim
    if profile == _DIMENSIONLESS:
        return None  # a dimensionless profile: the plain-formula readers take it
    named = _names(present, profile, amplitude, inside)
    for old, new in named.items():
        formula = re.sub(rf"\b{old}\b", new, formula)
    values = {named[k]: q for k, q in present.items()}
    formula, values, offset_note = _offset_scale(formula, values)
    out = Profile(formula, values, profile, end=back(used))
    if offset_note:
        out.notes.append(offset_note)
    if not x_length and re.search(r"\bx\b", formula):
        out.notes.append("x in the profile is dimensionless as written")
    return out


REFERENCE_LEVEL = "u_ref"


def _offset_scale(
    formula: str, values: dict[str, Quantity]
) -> tuple[str, dict[str, Quantity], str | None]:
    """Temperatures on an offset scale (degC, degF): one standing alone in a sum is a
    temperature; one multiplying a shape is a difference from the scale's zero (``30 degC *
    sin(...)`` is 0 degC at the nodes and 30 degC at the crest), so it becomes ``delta_degC``
    and, when the sum has no temperature term, the scale's zero ``u_ref = 0 degC`` is added."""
    offset = {k: q for k, q in values.items() if q.unit and _is_offset(q.unit)}
    if not offset:
        return formula, values, None
    expr = sp.sympify(formula, locals={k: sp.Symbol(k) for k in values} | {"x": sp.Symbol("x")})
    alone = {str(t) for t in sp.Add.make_args(expr) if t.is_Symbol}
    scaled = {k for k in offset if k not in alone}
    if not scaled:
        return formula, values, None
    out = dict(values)
    for k in scaled:
        out[k] = Quantity(values[k].value, f"delta_{values[k].unit}")
    unit = values[next(iter(scaled))].unit
    if not alone & set(offset):
        out[REFERENCE_LEVEL] = Quantity(0.0, unit)
        formula = f"{REFERENCE_LEVEL} + {formula}"
    note = (
        f"{unit} multiplying the profile's shape read as a difference from 0 {unit} "
        f"(delta_{unit}); the unknown is in {unit}"
    )
    return formula, out, note


def _is_offset(unit: str) -> bool:
    from simlab.spec.units import to_base

    return parse_unit(unit).dimensionality == {"[temperature]": 1} and to_base(0.0, unit) != 0


def _names(
    present: dict[str, Quantity], profile, amplitude: str, inside: set[str]
) -> dict[str, str]:
    """Placeholder -> parameter name: amplitudes (quantities of the profile's dimension
    outside every function's argument), lengths (``L_shape``...), others (``c_shape``...)."""
    out: dict[str, str] = {}
    amplitudes = lengths = others = 0
    for k, q in present.items():
        dim = parse_unit(q.unit).dimensionality
        if dim == profile and k not in inside:
            amplitudes += 1
            out[k] = amplitude if amplitudes == 1 else f"{amplitude}_{amplitudes}"
        elif dim == _LENGTH:
            lengths += 1
            out[k] = SHAPE_LENGTH if lengths == 1 else f"{SHAPE_LENGTH}_{lengths}"
        else:
            others += 1
            out[k] = f"c_shape{'' if others == 1 else f'_{others}'}"
    return out


def _shown(formula: str, present: dict[str, Quantity]) -> str:
    for k, q in present.items():
        formula = re.sub(rf"\b{k}\b", f"{q.value:g} {q.unit}", formula)
    return formula


# ---------------------------------------------------------------- dimensions with sympy + pint


def _dimension(
    formula: str, present: dict[str, Quantity], names: set[str]
) -> tuple[pint.util.UnitsContainer, bool, set[str]] | str:
    """The profile's dimension, whether ``x`` is a length in it and the names inside a
    function's argument, or why it is inconsistent. ``x`` is tried as a length first, then
    as a pure number."""
    symbols = {n: sp.Symbol(n) for n in names | set(present) | {"x", "y"}}
    try:
        expr = sp.sympify(formula, locals=symbols)
    except (sp.SympifyError, TypeError, SyntaxError):
        return "it does not parse"
    inside = {str(s) for f in expr.atoms(sp.Function) for s in f.free_symbols}
    dims = {k: parse_unit(q.unit).dimensionality for k, q in present.items()}
    dims["L"] = _LENGTH
    reason = ""
    for x_length in (True, False):
        trial = dict(dims, x=_LENGTH if x_length else _DIMENSIONLESS)
        trial.setdefault("y", trial["x"])
        try:
            return _walk(expr, trial), x_length, inside
        except _Mismatch as exc:
            reason = reason or str(exc)
    return reason


class _Mismatch(Exception):
    pass


def _walk(e: sp.Expr, dims: dict) -> pint.util.UnitsContainer:
    if e.is_Number or e in (sp.pi, sp.E):
        return _DIMENSIONLESS
    if e.is_Symbol:
        if e.name not in dims:
            raise _Mismatch(f"'{e.name}' has no known unit")
        return dims[e.name]
    if e.is_Add:
        found = {_walk(a, dims) for a in e.args}
        if len(found) > 1:
            raise _Mismatch(f"'{e}' adds unlike units")
        return found.pop()
    if e.is_Mul:
        out = _DIMENSIONLESS
        for a in e.args:
            out = out * _walk(a, dims)
        return out
    if e.is_Pow:
        base, power = e.args
        if _walk(power, dims) != _DIMENSIONLESS:
            raise _Mismatch(f"the power in '{e}' has a unit")
        b = _walk(base, dims)
        if b == _DIMENSIONLESS:
            return b
        if not power.is_Number:
            raise _Mismatch(f"'{e}' raises a unit to a symbolic power")
        return b ** float(power)
    if isinstance(e, sp.Function) or e.func in (sp.Abs,):
        for a in e.args:
            if _walk(a, dims) != _DIMENSIONLESS:
                raise _Mismatch(f"the argument of {e.func} in '{e}' has a unit")
        return _DIMENSIONLESS
    raise _Mismatch(f"'{e}' is not understood")


# ---------------------------------------------------------------- Gaussian bumps

_Q = rf"(?P<num>{NUM})"
_GAUSS_PARTS = {
    "height": re.compile(
        rf"\b(?:height|amplitude|peak(?:\s+value)?|max(?:imum)?|strength)\s*(?:of|=|:|is)?\s*{_Q}",
        re.IGNORECASE,
    ),
    "centre": re.compile(
        rf"\b(?:cent(?:red|ered|re|er)|located|peaked|placed)\s*(?:at|on|around|about|=|:)?\s*"
        rf"(?:x\s*=\s*)?{_Q}",
        re.IGNORECASE,
    ),
    "sigma": re.compile(
        rf"\b(?:width|standard\s+deviation|std|sigma|spread)\s*(?:of|=|:|is)?\s*{_Q}",
        re.IGNORECASE,
    ),
    "fwhm": re.compile(
        rf"\b(?:fwhm|full\s+width\s+at\s+half\s+max\w*)\s*(?:of|=|:|is)?\s*{_Q}", re.IGNORECASE
    ),
}


def _gaussian(r: Reading, text: str, amplitude: str) -> Profile | str | None:
    """``a Gaussian bump of height 10 K centred at 0.75 m with width 0.1 m``."""
    parts: dict[str, Quantity] = {}
    end = 0
    for key, pattern in _GAUSS_PARTS.items():
        m = pattern.search(text)
        if m is None:
            continue
        unit, used = read_unit(text[m.end() :])
        if re.search(r"half[- ]width", text[: m.end()], re.IGNORECASE) and key == "sigma":
            return "Is the Gaussian's half-width its standard deviation or half its FWHM?"
        parts[key] = Quantity(float(m.group("num")), unit)
        end = max(end, m.end() + used)
    width = "fwhm" if "fwhm" in parts else "sigma"
    missing = [w for w in ("height", "centre", width) if w not in parts]
    if missing:
        return (
            "The initial Gaussian needs its " + ", ".join(missing) + " (with units), e.g. "
            "'a Gaussian of height 1 K centred at 0.5 m with standard deviation 0.05 m'."
        )
    lengths = {parts["centre"].unit is None, parts[width].unit is None}
    if len(lengths) > 1:
        return "Give the Gaussian's centre and width in the same kind of unit (both lengths)."
    for key in ("centre", width):
        q = parts[key]
        if q.unit is not None and parse_unit(q.unit).dimensionality != _LENGTH:
            return f"The Gaussian's {key} {q} is not a length."
    height = parts["height"]
    values = {amplitude: height, "x_c": parts["centre"], "w": parts[width]}
    if width == "fwhm":
        formula = f"{amplitude}*exp(-4*log(2)*(x - x_c)**2/w**2)"
        note = "Gaussian width read as its full width at half maximum w"
    else:
        formula = f"{amplitude}*exp(-(x - x_c)**2/(2*w**2))"
        note = "Gaussian width read as its standard deviation w: exp(-(x - x_c)^2/(2 w^2))"
    dim = parse_unit(height.unit).dimensionality if height.unit else _DIMENSIONLESS
    return Profile(formula, values, dim, end=end, notes=[note])
