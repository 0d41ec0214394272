"""Reading a request: numbers with their units (pint), symbol assignments, formulas.

Nothing here guesses what a number means; it only records what was written next to it
(the symbol in ``kappa = 0.5 m^2/s``, the words before ``a 2 m rod``), so the family
templates can match numbers to parameters and ask when the match is not clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simlab.spec.expressions import ExpressionError, check_syntax
from simlab.spec.units import UnitError, parse_unit

#: pint knows these as units, but in a sentence they are words or symbols
_NOT_UNITS = frozenset(
    {
        "a",
        "an",
        "at",
        "in",
        "rod",
        "and",
        "or",
        "to",
        "for",
        "of",
        "on",
        "is",
        "by",
        "the",
        "with",
        "as",
        "it",
        "h",
        "c",
        "t",
        "b",
        "l",
        "e",
        "d",
        "x",
        "y",
        "z",
        "u",
        "v",
        "w",
        "r",
        "are",
        "pi",
        "from",
        "over",
        "per",
        "until",
        "up",
    }
)
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SUPERSCRIPTS = str.maketrans(
    {"²": "^2", "³": "^3", "⁻": "-", "¹": "1", "·": "*", "µ": "u", "μ": "u"}
)

_NUMBER = re.compile(
    r"(?<![\w.^])(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
    r"|10\s*\^\s*\(?[-+]?\d+\)?)"
    r"(?:\s*(?:x|×|\*)\s*10\s*\^\s*\(?(?P<exp>[-+]?\d+)\)?)?"
    r"(?![A-Za-z_\d])"
)
_ASSIGN = re.compile(r"(?P<name>[A-Za-z_\u0370-\u03ff][\w\u0370-\u03ff]*)\s*(?:=|:=|:)\s*$")
#: the value of a function at an instant, named with it: "I(0) = 50" is named "I(0)"
_CALL_ASSIGN = re.compile(r"(?P<name>[A-Za-z]\w*\s*\(\s*0\s*\))\s*=\s*$")
_ARGUMENT = re.compile(r"\b[A-Za-z]\w*\s*\(\s*$")
#: a symbol written right before its value without '=': "beta 0.6 per day", "k1 0.04"
_BARE_NAME = re.compile(
    r"(?<![\w])(?P<name>alpha|beta|gamma|delta|sigma|mu|nu|kappa|lambda|lam|tau|omega|rho|"
    r"theta|[A-Za-z]_?\d)\s+$"
)
#: after a number, "in" is an inch when nothing follows it, or a size word does ("0.5 in wide",
#: "1 in by 2 in", "0.25 in,"); before anything else it is the preposition ("5 in the middle")
_INCH_AFTER = re.compile(
    r"n(?:\.?\s*$|\s*[,;)]|\s+(?:wide|long|thick|high|deep|tall|by|x|×|diameter|radius|span|"
    r"apart|away|amplitude|displacement|deflection|gap|slit|wire|rod|bar|guide|and)\b)",
    re.IGNORECASE,
)
#: a unit factor with a negative power written after a space: ' s^-1', ' K-1'
_INVERSE_FACTOR = re.compile(r"\s+(?P<u>[A-Za-z]+)\s*(?:\^|\*\*)?-(?P<p>\d)(?![\w.])")
_GREEK = {
    **{"κ": "kappa", "λ": "lambda", "β": "beta", "γ": "gamma", "σ": "sigma", "μ": "mu"},
    **{"α": "alpha", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta", "θ": "theta"},
    **{"ν": "nu", "ξ": "xi", "ρ": "rho", "τ": "tau", "φ": "phi", "ϕ": "phi", "χ": "chi"},
    **{"ψ": "psi", "ω": "omega", "Θ": "Theta", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega"},
}


@dataclass(frozen=True)
class Mention:
    """A number in the request, with what was written around it."""

    value: float
    unit: str | None
    start: int
    end: int
    name: str | None
    before: str
    after: str

    @property
    def has_unit(self) -> bool:
        return self.unit is not None and parse_unit(self.unit).dimensionality != {}


def normalize(text: str) -> str:
    """Unicode math written in chat (``m²/s``, ``κ``, ``−``) as plain text, and a count of
    time written in words as a number ("an hour", "half an hour", "two minutes")."""
    text = text.replace("\u2212", "-").replace("\u2013", "-").translate(_SUPERSCRIPTS)
    text = re.sub(r"[°º]\s*([CF])\b", r"deg\1", text).replace("π", " pi ")
    for greek, name in _GREEK.items():
        text = text.replace(greek, name)
    return _COUNTED_TIME.sub(_counted, text)


def _counted(m: re.Match) -> str:
    """ "an hour" -> "1 hour"; "0.3 a day" -> "0.3 per day"; "a second" stays (an ordinal:
    "a second rod")."""
    n, unit = m.group("n").lower(), m.group("u")
    before = m.string[: m.start()]
    if n in ("a", "an") and re.search(r"(?:\d|\bonce|\btwice|\bthrice)\s*$", before, re.I):
        return f"per {unit}"  # "0.3 a day", "twice a day": a rate
    if n == "a" and unit.lower().startswith("second"):
        return m.group(0)
    return f"{_COUNTS[n]:g} {unit}"


_COUNTS = {
    "half an": 0.5,
    "half a": 0.5,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
}
_COUNTED_TIME = re.compile(
    r"\b(?P<n>half an?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty)"
    r"\s+(?P<u>seconds?|minutes?|hours?|days?|weeks?|years?)\b",
    re.IGNORECASE,
)


def _to_float(raw: str) -> float:
    raw = raw.replace(",", "").replace(" ", "")
    if raw.startswith("10^"):
        return 10.0 ** int(raw[3:].strip("()"))
    return float(raw)


def read_unit(rest: str) -> tuple[str | None, int]:
    """The unit at the start of ``rest`` (one token, or ``per <unit>``) and its length."""
    m = re.match(r"\s*(?P<tok>[^\s,;]+)", rest)
    if not m:
        return None, 0
    token = m.group("tok").rstrip(".:)?!")
    if token.lower() == "per":
        nxt = re.match(r"\s*per\s+(?P<tok>[A-Za-z]+)", rest)
        if nxt and _is_unit(nxt.group("tok")):
            return f"1/{nxt.group('tok')}", nxt.end()
        return None, 0
    if token == "%":
        return "percent", m.end()
    if token.startswith("/") and _is_unit(token[1:]):  # '0.5/day' is 0.5 per day
        return f"1{token}", m.start("tok") + len(token)
    if token == "in" and _INCH_AFTER.match(rest[m.start("tok") + 1 :]):
        return "inch", m.start("tok") + 2  # '0.5 in wide', '1 in by 2 in': inches
    if not _is_unit(token):
        powered = re.sub(r"(?<=[A-Za-z])([23])(?=/|$)", r"^\1", token)  # 'm2/s' is m^2/s
        if powered != token and _is_unit(powered):
            return powered, m.start("tok") + len(token)
        glued = re.match(r"[^*()]+(?=[*(])", token)  # '2 mm*sin(...)': the unit before '*'
        if glued and _is_unit(glued.group(0)):
            return glued.group(0), m.start("tok") + glued.end()
        return None, 0
    end = m.start("tok") + len(token)
    while inverse := _INVERSE_FACTOR.match(rest[end:]):  # 'm^2 s^-1', 'W m-2 K-1'
        token += f"*{inverse.group('u')}^-{inverse.group('p')}"
        end += inverse.end()
    per = re.match(r"\s+per\s+(?P<tok>[A-Za-z]+)", rest[end:])
    if per and _is_unit(per.group("tok")):
        return f"{token}/{per.group('tok')}", end + per.end()
    return token, end


def _is_unit(token: str) -> bool:
    if not token or token.lower() in _NOT_UNITS or not re.search(r"[A-Za-z%]", token):
        return False
    if not re.fullmatch(r"(?:[A-Za-z%]|1/[A-Za-z])[\w^/*().-]*", token):
        return False
    try:
        parse_unit(token)
    except UnitError:
        return False
    return True


def mentions(text: str) -> list[Mention]:
    """Every number in ``text`` with its unit, its symbol (``k = 0.1``) and its context."""
    out: list[Mention] = []
    last_end = 0
    for m in _NUMBER.finditer(text):
        if m.start() < last_end or re.search(r"[A-Za-z]-$", text[: m.start()]):
            continue  # part of the previous unit ('1/s'), or of a name ('WR-90')
        if re.match(r"\s*-?\s*[dD]\b", text[m.end() :]):
            continue  # a dimension count: '1-D', '2D', '3-d'

        value = _to_float(m.group("num"))
        if m.group("exp"):
            value *= 10.0 ** int(m.group("exp"))
        end = m.end()
        word = re.match(r"\s+(thousand|million|billion)\b", text[end:], re.IGNORECASE)
        if word:
            value *= _MULTIPLIERS[word.group(1).lower()]
            end += word.end()
        unit, used = read_unit(text[end:])
        people = re.match(
            r"(?:\s+[a-z-]+){0,2}\s+(people|persons|individuals|inhabitants)\b", text[end:], re.I
        )
        if (unit is None and people) or unit in ("people", "persons", "individuals"):
            unit = "person"
        end += used
        head = text[: m.start()]
        if _ARGUMENT.search(head) and re.match(r"\s*\)\s*=", text[m.end() :]):
            continue  # the 0 of "I(0) = 50": an argument, not a value
        assign = (
            _CALL_ASSIGN.search(head[-40:])
            or _ASSIGN.search(head[-40:])
            or _BARE_NAME.search(head[-40:])
        )
        name = assign.group("name") if assign else None
        before_start = m.start() - (len(assign.group(0)) if assign else 0)
        out.append(
            Mention(
                value=value,
                unit=unit,
                start=before_start,
                end=end,
                name=name,
                before=_clause_tail(text[last_end:before_start]),
                after=_clause_head(re.split(r"\d", text[end:], maxsplit=1)[0]),
            )
        )
        last_end = end
    return _shared_units(text, out)


#: one unit for the numbers before it: "k1=0.04, k2=3e7, k3=1e4 (all 1/s)", "(all in days)"
_SHARED_UNIT = re.compile(r"\(\s*(?:all|each|both)\s+(?:in\s+)?(?P<u>[^()]+?)\s*\)", re.IGNORECASE)


def _shared_units(text: str, found: list[Mention]) -> list[Mention]:
    """Named bare numbers of a sentence followed by "(all <unit>)" take that unit; the
    numbers inside the parenthesis are part of the unit, not values."""
    from dataclasses import replace

    for m in _SHARED_UNIT.finditer(text):
        unit = re.sub(r"^per\s+", "1/", m.group("u").strip())  # "(all per second)"
        if not _is_unit(unit) and not re.fullmatch(r"1/[A-Za-z]+", unit):
            continue
        start = max(text.rfind(". ", 0, m.start()), text.rfind(";", 0, m.start()), 0)
        found = [
            replace(n, unit=unit)
            if start <= n.start and n.end <= m.start() and n.unit is None and n.name
            else n
            for n in found
            if not (m.start() <= n.start < m.end())
        ]
    return found


def _clause_tail(text: str, words: int = 6) -> str:
    clause = re.split(r"[.;:!?]\s|,\s|\band\b|\(|\n", text)[-1]
    return " ".join(clause.lower().split()[-words:])


def _clause_head(text: str, words: int = 4) -> str:
    clause = re.split(r"[.;:!?](?:\s|$)|,|\band\b|\)|\n", text)[0]
    return " ".join(clause.lower().split()[:words])


# ---------------------------------------------------------------- formulas

_FUNCTIONS = frozenset(
    {
        "sin",
        "cos",
        "tan",
        "exp",
        "log",
        "ln",
        "sqrt",
        "sinh",
        "cosh",
        "tanh",
        "atan",
        "erf",
        "abs",
        "heaviside",
    }
)
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>\*\*|[-+*/^()]))"
)


def user_formula(text: str, names: frozenset[str] | set[str]) -> str | None:
    """A formula typed in chat (``sin(pi x / L)``, ``e^(-x^2)``) in spec notation, or
    ``None`` when it is not one: only ``names``, elementary functions and ``pi`` are allowed."""
    text = normalize(text).strip()
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip():
                return None
            break
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    if not tokens:
        return None
    out: list[str] = []
    prev: tuple[str, str] | None = None
    for kind, tok in tokens:
        if kind == "name" and tok not in names and tok not in _FUNCTIONS and tok not in ("pi", "e"):
            return None
        if prev is not None:
            prev_kind, prev_tok = prev
            ends_value = (
                prev_kind == "num"
                or prev_tok == ")"
                or (prev_kind == "name" and prev_tok not in _FUNCTIONS)
            )
            starts_value = kind in ("num", "name") or tok == "("
            if ends_value and starts_value:
                out.append("*")
        if kind == "name" and prev is not None and prev[1] in _FUNCTIONS and tok != "(":
            return None
        out.append("**" if tok == "^" else tok)
        prev = (kind, tok)
    formula = "".join(f" {t} " if t in "+-" else t for t in out)
    formula = re.sub(r"\s+", " ", formula).strip().replace("( ", "(").replace(" )", ")")
    formula = re.sub(r"^- ", "-", formula).replace("(- ", "(-")
    try:
        check_syntax(formula)
    except ExpressionError:
        return None
    return formula


def longest_formula(
    text: str, names: frozenset[str] | set[str], need: str | None = "x"
) -> tuple[str, int] | None:
    """The longest prefix of ``text`` that reads as a formula using the name ``need`` (any
    formula when ``need`` is ``None``), with the number of characters it took."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    for n in range(len(spans), 0, -1):
        end = spans[n - 1][1]
        candidate = text[:end].rstrip(".,;")
        formula = user_formula(candidate, names)
        if formula is not None and (need is None or re.search(rf"\b{need}\b", formula)):
            return formula, len(candidate)
    return None
