"""Quantities written inside an observable's call: ``T(x=20 mm, t=2 min)``.

A coordinate in an observable call is a number in the coordinate's declared unit. People
also write the unit, often a different one. This rewrites each ``name=<number> <unit>``
whose name is a coordinate (or time) of the domain into the plain number in the declared
unit, with pint, so every reader of the spec sees the one form it knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pint

from simlab.spec.units import UnitError, parse_unit

_ARGUMENT = re.compile(
    r"(?P<head>\b(?P<name>[A-Za-z_]\w*)\s*=\s*)"
    r"(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\d.]|[eE][-+]?\d)\s*"
    r"(?P<unit>[A-Za-z°µμ][\w°µμ/*^.]*(?:\s*[*/]\s*[A-Za-z][\w^.]*)*)"
    r"(?=\s*[,)])"
)


def plain_numbers(
    definition: str,
    units: Mapping[str, str | None],
    error: Callable[[str, str], Exception],
) -> str:
    """``definition`` with every ``coordinate=<number> <unit>`` in the coordinate's unit.

    ``units`` maps the domain's coordinate and time names to their declared units (``None``:
    the coordinate has none). ``error(message, hint)`` builds the exception raised when a
    unit is unknown, has the wrong dimension, or is given to a coordinate without a unit.
    """

    def plain(m: re.Match[str]) -> str:
        name, text = m.group("name"), m.group("unit")
        if name not in units:
            return m.group(0)
        declared = units[name]
        written = f"{m.group('num')} {text}"
        if declared is None:
            raise error(
                f"'{name}={written}' gives a unit, but coordinate '{name}' has none",
                f"write {name}={m.group('num')}, or declare the unit of '{name}' in ## Domain",
            )
        try:
            quantity = float(m.group("num")) * parse_unit(text)
            value = quantity.to(parse_unit(declared)).magnitude
        except UnitError as exc:
            raise error(
                f"unknown unit '{exc.unknown}' in '{name}={written}'",
                f"did you mean '{exc.suggestion}'?" if exc.suggestion else "write a pint unit",
            ) from None
        except pint.DimensionalityError:
            raise error(
                f"'{name}={written}' is not in units of {declared}",
                f"give '{name}' a value in a unit of {declared} (its unit in ## Domain)",
            ) from None
        return f"{m.group('head')}{float(value)!r}"

    return _ARGUMENT.sub(plain, definition)


__all__ = ["plain_numbers"]
