"""Equations typed by the user: ``u_t + 3 u_x = 0``, ``y'' + y = 0``, ``dN/dt = -N/tau``.

The notations people type in chat (subscripts, primes, Leibniz quotients, implicit
multiplication, ``^`` for powers) are rewritten into the spec's notation
(``diff(u, t) + 3*diff(u, x) = 0``). Nothing is guessed: a symbol that is neither the
unknown, a coordinate, a function nor a constant is reported as a parameter whose value the
request must give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simlab.plan.offline.text import normalize, user_formula

#: ``u_t``, ``u_xx``, ``u_tt``: a one-letter unknown with derivative subscripts
_SUBSCRIPT = re.compile(r"\b(?P<f>[A-Za-z])_(?P<v>[txyz]{1,4})\b")
#: ``y'``, ``y''``, ``u'''``
_GREEK_NAMES = (
    "alpha|beta|gamma|delta|epsilon|eps|zeta|eta|theta|Theta|kappa|lam|mu|nu|xi|rho|sigma|"
    "tau|phi|Phi|chi|psi|Psi|omega|Omega"
)
_PRIME = re.compile(rf"\b(?P<f>(?:{_GREEK_NAMES})|[A-Za-z]\w?)(?P<p>'{{1,3}}|′{{1,3}}|\"|″)")
#: ``dy/dt``, ``d^2y/dt^2``, ``d2y/dt2``, ``du/dx``
_LEIBNIZ = re.compile(
    r"\bd\s*(?:\^?\s*(?P<n>[23]))?\s*(?P<f>[A-Za-z]\w?)\s*/\s*d\s*(?P<v>[txyz])\s*(?:\^?\s*[23])?"
)
#: ``diff(u, t)`` written in spec notation already
_DIFF = re.compile(r"\bdiff\(\s*(?P<f>[A-Za-z]\w*)\s*,\s*(?P<v>[txyz])(?:\s*,\s*(?P<n>\d))?\s*\)")

_CONSTANTS = frozenset({"pi", "e", "E"})
_FUNCTIONS = frozenset(
    {"sin", "cos", "tan", "exp", "log", "ln", "sqrt", "sinh", "cosh", "tanh", "atan", "abs"}
)
#: names people write that the spec language spells differently
_RENAME = {"lambda": "lam", "ln": "log"}
_GREEK = frozenset(
    {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "kappa",
        "lam",
        "mu",
        "nu",
        "omega",
        "sigma",
        "tau",
        "theta",
        "rho",
        "eps",
        "epsilon",
        "phi",
        "zeta",
        "eta",
        "xi",
        "psi",
        "chi",
    }
)


@dataclass(frozen=True)
class UserEquation:
    """One equation typed by the user, in spec notation."""

    text: str  # spec notation, e.g. "diff(u, t) = 0.1*diff(u, x, 2)"
    unknown: str
    time_order: int  # highest derivative order in t (0: stationary)
    space_vars: tuple[str, ...]  # coordinates differentiated (in order of first use)
    space_order: int
    parameters: tuple[str, ...]  # other symbols, whose values the request must give
    span: tuple[int, int]  # where the equation was written in the request


def _deriv(f: str, v: str, n: int) -> str:
    return f"diff({f}, {v})" if n == 1 else f"diff({f}, {v}, {n})"


def _placeholder(f: str, v: str, n: int) -> str:
    return f"DER{n}{v}O{f}"


_PLACE = re.compile(r"DER(?P<n>\d)(?P<v>[txyz])O(?P<f>[A-Za-z]\w*)")


def _with_placeholders(text: str, prime_var: str) -> str:
    """Every derivative notation replaced by one name-like token."""

    def sub(m: re.Match) -> str:
        vs = m.group("v")
        return _placeholder(m.group("f"), vs[0], len(vs)) if len(set(vs)) == 1 else m.group(0)

    text = _SUBSCRIPT.sub(sub, text)
    text = _LEIBNIZ.sub(
        lambda m: _placeholder(m.group("f"), m.group("v"), int(m.group("n") or 1)), text
    )
    text = _DIFF.sub(
        lambda m: _placeholder(m.group("f"), m.group("v"), int(m.group("n") or 1)), text
    )

    def prime(m: re.Match) -> str:
        p = m.group("p")
        n = 2 if p in ('"', "″") else len(p)
        return _placeholder(m.group("f"), prime_var, n)

    return _PRIME.sub(prime, text)


def has_derivatives(text: str) -> bool:
    """Whether the text holds a derivative in any notation people type."""
    t = normalize(text)
    return bool(_SUBSCRIPT.search(t) or _PRIME.search(t) or _LEIBNIZ.search(t) or _DIFF.search(t))


def prime_variable(request: str) -> str:
    """What a prime means in this request: ``t`` unless the request is about space only (a
    domain like ``[0, 1]`` with values at both ends and no time anywhere)."""
    lower = request.lower()
    time_cues = re.search(
        r"\bt\s*=|\buntil\b|\bintegrat|\btime\b|\bafter\b|\bsecond|\bminute|\bhour|\bday|"
        r"\b\d\s*s\b|oscillat|\bdecay|growth|\b\w+'\(0\)|\bfrom rest\b|\bt\s*(?:in|∈)\s*[\[(]",
        lower,
    )
    if re.search(r"\b[xyz]\s*(?:'|′|\")", request):
        return "t"  # x'' + x = 0: the unknown is x, so primes are in time
    points: dict[str, set[str]] = {}
    for f, a in re.findall(r"\b([A-Za-z])\s*\(\s*([-+]?[\d.]+|L)\s*\)\s*=", request):
        points.setdefault(f, set()).add(a)
    if any(len(v) > 1 for v in points.values()) and not re.search(r"[A-Za-z]'\s*\(\s*0", request):
        return "x"  # values at two points: a boundary-value problem in x
    space_cues = re.search(r"[\[(]\s*-?[\d.]+\s*,\s*-?[\d.]+\s*[\])]|\bx\s*=|\bon\s+\[", lower)
    return "x" if space_cues and not time_cues else "t"


_CLAUSE_END = re.compile(
    r"(?:[.;:](?:\s|$)|,|\s+(?:with|on|for|"
    r"from|until|where|subject|starting|over|in)\s+|\s+and\s+(?=[a-zA-Z]\w*\s*\())",
    re.IGNORECASE,
)


def read_equations(request: str) -> list[UserEquation]:
    """Every differential equation typed in ``request``, in spec notation."""
    text = normalize(request)
    var = prime_variable(text)
    placed = _with_placeholders(text, var)
    if not _PLACE.search(placed):
        return []
    defined = set(re.findall(r"\b([A-Za-z_]\w*)\s*=\s*[-+]?[\d.]", text))
    out: list[UserEquation] = []
    original_eqs = [m.start() for m in re.finditer(r"=", text)]
    for k, m in enumerate(re.finditer(r"=", placed)):
        if placed[m.start() - 1 : m.start()] in "<>!=" or placed[m.end() : m.end() + 1] == "=":
            continue
        left_start = _clause_start(placed, m.start())
        right_end = _clause_end(placed, m.end())
        lhs, rhs = placed[left_start : m.start()], placed[m.end() : right_end]
        if not (_PLACE.search(lhs) or _PLACE.search(rhs)):
            continue
        if re.search(r"\(\s*(?:x\s*,\s*)?0\s*\)\s*$", lhs) or re.search(r"\(0\)", lhs):
            continue  # an initial value: y'(0) = 1, u_t(x, 0) = 0
        eq = _translate(lhs, rhs, defined)
        if eq is not None and "diff(" in eq:
            at = original_eqs[k] if k < len(original_eqs) else 0
            span = (_clause_start(text, at), _clause_end(text, at + 1))
            out.append(_describe(eq, span))
    return out


def _clause_start(text: str, eq_pos: int) -> int:
    head = text[:eq_pos]
    cut = 0
    for m in re.finditer(
        r"[.;:!?](?:\s|$)|,\s|\b(?:with|on|for|solve|solving|equation|problem|eq|eqn|where|"
        r"and|ode|pde|then|until|till|up to|after|at|report|give|find|integrate|to)\b\s*|\)\s*:\s*",
        head,
        re.IGNORECASE,
    ):
        if not _inside_parens(head, m.start()):
            cut = m.end()
    return cut


def _clause_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return i
        elif depth == 0:
            m = _CLAUSE_END.match(text, i)
            if m:
                return i
    return len(text)


def _inside_parens(text: str, pos: int) -> bool:
    return text[:pos].count("(") > text[:pos].count(")")


def _translate(lhs: str, rhs: str, defined: set[str]) -> str | None:
    names = {
        n
        for n in re.findall(r"[A-Za-z_]\w*", lhs + " " + rhs)
        if _PLACE.fullmatch(n) or len(n) <= 2 or n in defined or n in _GREEK
    } | set(_RENAME.values())
    sides = []
    for k, side in enumerate((lhs, rhs)):
        side = side.strip().rstrip(",")
        for old, new in _RENAME.items():
            side = re.sub(rf"\b{old}\b", new, side)
        formula = _longest_suffix(side, names) if k == 0 else _formula_then_words(side, names)
        if formula is None:
            return None
        sides.append(formula)
    spec = f"{sides[0]} = {sides[1]}"
    spec = re.sub(r"\be\*\*\(([^()]*)\)", r"exp(\1)", spec)
    spec = re.sub(r"\be\*\*(\w+)", r"exp(\1)", spec)
    return _PLACE.sub(lambda m: _deriv(m.group("f"), m.group("v"), int(m.group("n"))), spec)


def _formula_then_words(text: str, names: set[str]) -> str | None:
    """The right-hand side: all of ``text``, or its longest head that reads as a formula when
    plain words follow it ("0 w/ y(0) = 1", "0 subject to"), never a head cut before an
    operator ("-k y + sin t" is not "-k y")."""
    whole = user_formula(text, names)
    if whole is not None:
        return whole
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    for n in range(len(spans) - 1, 0, -1):
        rest = text[spans[n][0] :]
        word = re.match(r"(?P<w>[A-Za-z]{2,}|w/)", rest)
        if word is None or word.group("w") in names or word.group("w") in _FUNCTIONS:
            continue
        formula = user_formula(text[: spans[n - 1][1]], names)
        if formula is not None:
            return formula
    return None


def _longest_suffix(text: str, names: set[str]) -> str | None:
    """The longest tail of ``text`` that reads as a formula (drops 'Logistic growth')."""
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    for start in starts:
        formula = user_formula(text[start:], names)
        if formula is not None:
            return formula
    return None


def _describe(text: str, span: tuple[int, int]) -> UserEquation:
    derivs = re.findall(r"diff\((\w+), ([txyz])(?:, (\d))?\)", text)
    unknowns = [f for f, _, _ in derivs]
    unknown = max(set(unknowns), key=unknowns.count)
    time_order = max((int(n or 1) for f, v, n in derivs if v == "t"), default=0)
    space = tuple(dict.fromkeys(v for _, v, _ in derivs if v != "t"))
    space_order = max((int(n or 1) for _, v, n in derivs if v != "t"), default=0)
    bare = re.sub(r"diff\([^)]*\)", " ", text)
    symbols = set(re.findall(r"\b[A-Za-z_]\w*\b", bare))
    params = sorted(
        s
        for s in symbols
        if s not in _FUNCTIONS
        and s not in _CONSTANTS
        and s != unknown
        and s not in ("x", "y", "z", "t")
    )
    return UserEquation(text, unknown, time_order, space, space_order, tuple(params), span)
