"""Units with pint: one shared registry and the parsing of ``1.0e-4 m^2/s``."""

from __future__ import annotations

import difflib
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pint

#: pint's parsed unit definitions, kept between processes (pint's own disk cache, keyed by
#: the definition files' contents); every command, kernel and dask worker builds a registry
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "simlab"
    / f"pint-{pint.__version__}"
)


def _registry() -> pint.UnitRegistry:
    """pint's registry from its disk cache (0.85 -> 0.26 s of start-up, measured), or parsed.

    pint writes its cache without locking, so a process starting while another writes it can
    read a cut file, and a read-only home cannot hold one: then the definitions are parsed
    as without a cache, and a broken cache is removed so the next process writes it anew."""
    try:
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=CACHE)
    except Exception:  # any failure of the cache itself; the registry is the same without it
        shutil.rmtree(CACHE, ignore_errors=True)
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


ureg = _registry()
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
