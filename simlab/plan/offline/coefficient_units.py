"""Units of bare numbers in a typed equation, when the equation itself fixes them.

``y'' + 4 y = 0`` with t in seconds: every term must have the dimension of ``y''``
(y per s²), so the 4 multiplies y and is in 1/s², whatever the unit of y. A number is
given a unit only when that holds for any unit of the unknown (the term is of the same
degree in the unknown as the derivative term); otherwise (``y'' + 4 = 0``, ``y' = 3 y**2``)
the equation does not determine it and the caller asks.
"""

from __future__ import annotations

import re

import sympy

from simlab.plan.offline.equations import _PLACE, _deriv, _placeholder
from simlab.spec.model import Quantity
from simlab.spec.units import parse_unit

_DIFF = re.compile(r"diff\(\s*(?P<f>[A-Za-z]\w*)\s*,\s*(?P<v>[txyz])\s*(?:,\s*(?P<n>\d))?\s*\)")
_NUMBER = re.compile(r"(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def coefficient_units(
    text: str,
    unknown: str,
    units: dict[str, str | None],
    taken: set[str],
) -> tuple[str, dict[str, Quantity]] | None:
    """``text`` with each bare nonzero number named (``a1``, ``a2``...) and the named
    values with the unit the equation implies, or ``None`` when a number's unit is not
    determined. ``units`` gives the unit of ``t``, ``x`` and every other symbol."""
    placed = _DIFF.sub(lambda m: _placeholder(m["f"], m["v"], int(m["n"] or 1)), text)
    numbers: dict[str, str] = {}
    out, last = [], 0
    for m in _NUMBER.finditer(placed):
        before = placed[: m.start()]
        if float(m.group(0)) == 0 or re.search(r"\*\*\s*$|\^\s*$", before):
            continue
        if before.count("(") != before.count(")"):
            return None  # inside a function or a bracket: not a plain coefficient
        name = _fresh(len(numbers) + 1, taken)
        numbers[name] = m.group(0)
        out.append(placed[last : m.start()] + name)
        last = m.end()
    out.append(placed[last:])
    if not numbers or "=" not in placed:
        return None
    lhs, rhs = "".join(out).split("=", 1)
    try:
        expr = sympy.expand(sympy.sympify(f"({lhs}) - ({rhs})", locals=_symbols(lhs + rhs)))
    except (sympy.SympifyError, TypeError, SyntaxError):
        return None
    coeffs = {sympy.Symbol(n) for n in numbers}
    reference = None
    found: dict[str, tuple[int, object, object]] = {}
    for term in sympy.Add.make_args(expr):
        present = term.free_symbols & coeffs
        dim = _dimension(term.subs({c: 1 for c in present}), unknown, units)
        if dim is None:
            return None
        if not present:
            if reference is not None and not _same(reference, dim):
                return None
            reference = dim
        elif len(present) == 1 and sympy.degree(term, next(iter(present))) == 1:
            name = str(next(iter(present)))
            if name in found:
                return None
            found[name] = dim
        else:
            return None
    if reference is None or set(found) != set(numbers):
        return None
    values: dict[str, Quantity] = {}
    for name, (power, unit) in found.items():
        if power != reference[0]:
            return None  # depends on the unknown's unit: not determined
        implied = (reference[1] / unit).units
        values[name] = Quantity(float(numbers[name]), _unit_text(implied))
    spec_text = _PLACE.sub(lambda m: _deriv(m["f"], m["v"], int(m["n"])), "=".join((lhs, rhs)))
    spec_text = re.sub(r"\s*\*\s*", "*", spec_text)
    return spec_text.strip(), values


_MATH = frozenset({"sin", "cos", "tan", "exp", "log", "sqrt", "sinh", "cosh", "tanh", "pi"})


def _symbols(text: str) -> dict[str, sympy.Symbol]:
    """Every name of ``text`` as a plain symbol: ``N``, ``S``, ``I``, ``E``, ``beta`` or
    ``gamma`` are sympy functions or constants when sympified bare (``N' = -0.2 N``)."""
    return {n: sympy.Symbol(n) for n in re.findall(r"[A-Za-z_]\w*", text) if n not in _MATH}


def _fresh(i: int, taken: set[str]) -> str:
    while f"a{i}" in taken:
        i += 1
    return f"a{i}"


def _dimension(term, unknown: str, units: dict[str, str | None]):
    """(power of the unknown, pint quantity of the rest) of a product, else ``None``."""
    power = 0
    quantity = parse_unit("1") * 1
    for base, exp in term.as_powers_dict().items():
        if base.is_number:
            continue
        if not base.is_Symbol or not exp.is_Integer:
            return None
        name, n = str(base), int(exp)
        m = _PLACE.fullmatch(name)
        if name == unknown or (m and m["f"] == unknown):
            power += n
            if m:
                var = units.get(m["v"])
                if var is None:
                    return None
                quantity = quantity / (parse_unit(var) * 1) ** (int(m["n"]) * n)
            continue
        unit = units.get(name)
        if unit is None:
            return None
        quantity = quantity * (parse_unit(unit) * 1) ** n
    return power, quantity


def _same(a, b) -> bool:
    return a[0] == b[0] and a[1].dimensionality == b[1].dimensionality


def _unit_text(unit) -> str:
    text = f"{unit:~C}"
    return "1" if text in ("", "dimensionless") else text
