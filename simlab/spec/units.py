"""Units with pint: one shared registry and the parsing of ``1.0e-4 m^2/s``."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import pint

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("person = [population] = persons = people = individual = individuals")

_NUMBER = re.compile(r"^\s*(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<rest>.*?)\s*$")


class UnitError(ValueError):
    """A unit string pint does not know (``suggestion`` holds a close match, if any)."""

    def __init__(self, text: str, unknown: str, suggestion: str | None) -> None:
        self.text, self.unknown, self.suggestion = text, unknown, suggestion
        super().__init__(f"unknown unit '{unknown}' in '{text}'")


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit expression (``m^2/s``, ``1/day``, ``dimensionless`` or ``1``)."""
    text = text.strip()
    if text in ("", "1", "-", "dimensionless", "nondimensional", "none"):
        return ureg.dimensionless
    try:
        q = ureg.parse_expression(text)
    except pint.UndefinedUnitError as exc:
        names = exc.unit_names if isinstance(exc.unit_names, (list, tuple)) else [exc.unit_names]
        unknown = str(names[0]) if names else text
        close = difflib.get_close_matches(unknown, _unit_names(), n=1)
        raise UnitError(text, unknown, close[0] if close else None) from None
    except Exception:  # pint raises many kinds on junk input
        raise UnitError(text, text, None) from None
    if isinstance(q, (int, float)):
        if q == 1:
            return ureg.dimensionless
        raise UnitError(text, text, None)
    if not isinstance(q, pint.Quantity) or q.magnitude != 1:
        raise UnitError(text, text, None)
    return q.units


def split_quantity(text: str) -> tuple[float, str] | None:
    """Split ``'1.0e-4 m^2/s'`` into ``(1e-4, 'm^2/s')`` (``None``: no leading number)."""
    m = _NUMBER.match(text)
    if not m:
        return None
    return float(m.group("num")), m.group("rest")


def dimensionality(unit: str | None) -> pint.util.UnitsContainer | None:
    """The pint dimensionality of a unit string (``None`` when the unit is not stated)."""
    if unit is None:
        return None
    return parse_unit(unit).dimensionality


def to_base(value: float, unit: str | None) -> float:
    """``value`` in SI base units (dimensionless values pass through)."""
    if unit is None:
        return float(value)
    return float((value * parse_unit(unit)).to_base_units().magnitude)


@lru_cache(maxsize=1)
def _unit_names() -> list[str]:
    return sorted(set(ureg._units.keys()))
