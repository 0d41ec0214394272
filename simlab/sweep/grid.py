"""Sweep ranges: ``NAME=start:stop:count`` (or ``NAME=v1,v2,...``) and their product."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simlab.errors import SimlabError
from simlab.spec.model import Spec


class SweepError(SimlabError, ValueError):
    """A sweep that cannot be set up: a bad range, an unknown parameter, a changed sweep."""


@dataclass(frozen=True)
class ParamRange:
    """The values one parameter takes, in the unit the spec declares it in."""

    name: str
    values: tuple[float, ...]

    @property
    def text(self) -> str:
        return f"{self.name}=" + ",".join(repr(v) for v in self.values)


def parse_range(text: str) -> ParamRange:
    """``lam=0.5:3.5:31`` (count points, ends included) or ``lam=1,2,4``."""
    name, sep, body = text.partition("=")
    name = name.strip()
    hint = "write NAME=start:stop:count (e.g. kappa=0.1:1:10) or NAME=v1,v2,..."
    if not sep or not name or not body.strip():
        raise SweepError(f"cannot read the sweep range {text!r}", hint=hint)
    try:
        if ":" in body:
            start, stop, count = body.split(":")
            n = int(count)
            if n < 1:
                raise ValueError("count must be at least 1")
            values = np.linspace(float(start), float(stop), n) if n > 1 else [float(start)]
        else:
            values = [float(v) for v in body.split(",")]
    except ValueError as exc:
        raise SweepError(f"cannot read the sweep range {text!r} ({exc})", hint=hint) from None
    if not all(np.isfinite(values)):
        raise SweepError(f"the sweep range {text!r} has a non-finite value", hint=hint)
    return ParamRange(name, tuple(float(v) for v in values))


def check_ranges(spec: Spec, ranges: Sequence[ParamRange], file: str | None = None) -> None:
    """Every swept name is a numeric parameter of the spec, each named once."""
    numeric = {p.name: p for p in spec.equations.parameters if isinstance(p.value, float)}
    names = [r.name for r in ranges]
    if not ranges:
        raise SweepError("no parameter to sweep", hint="add --param NAME=start:stop:count")
    if len(set(names)) != len(names):
        raise SweepError(f"a parameter is swept twice: {names}", hint="name each parameter once")
    for r in ranges:
        if r.name not in numeric:
            raise SweepError(
                f"'{r.name}' is not a numeric parameter of the spec",
                file=file,
                section="Equations",
                hint=f"parameters: {', '.join(numeric) or 'none'}",
            )


def sweep_points(ranges: Sequence[ParamRange]) -> list[dict[str, float]]:
    """The product of the ranges, first range varying slowest."""
    return [
        dict(zip([r.name for r in ranges], combo, strict=True))
        for combo in itertools.product(*(r.values for r in ranges))
    ]
