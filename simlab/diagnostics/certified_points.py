"""Special points of the continuum problem: Richardson extrapolation over halved grids.

A fold or branch point of a stationary problem is located on the grids N/2^k (k = 0 ... 3,
none coarser than MIN_CELLS per side) by continuing from the spec's solution in the same
direction up to the same ordinal point of its type. The symmetric second-order scheme has
an error expansion in even powers of h, removed column by column by Neville's scheme
(:func:`simlab.diagnostics.richardson.extrapolate_even`).

The result has the form of an observable's certificate: the extrapolated value, an error
bound (SAFETY x the larger change of the last extrapolation column and diagonal, plus the
location's round-off), the observed order from the three finest grids against the formal
order 2, and PASS only when they agree within ORDER_TOLERANCE.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from simlab.certify.certificate import ORDER_TOLERANCE
from simlab.diagnostics.richardson import extrapolate_even
from simlab.diagnostics.spec_bridge import SpecContinuation
from simlab.errors import SimlabError

FORMAL_ORDER = 2.0
MIN_CELLS = 8
LEVELS = 4
SAFETY = 1.25


@dataclass
class CertifiedValue:
    """A special point's continuum value with its evidence (observable-certificate form)."""

    value: float
    error_bound: float | None
    observed_order: float | None
    formal_order: float
    convergence: str
    resolutions: list[int]
    values: list[float]
    single_grid: float
    status: str = "PASS"
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def grid_levels(resolution: int) -> list[int]:
    """N/8, N/4, N/2, N (coarsest first), none below MIN_CELLS."""
    levels = [resolution // 2**k for k in range(LEVELS) if resolution // 2**k >= MIN_CELLS]
    return sorted(set(levels))


def observed_order(values: list[float], ratio: float = 2.0) -> float | None:
    """p from the three finest values on grids refined by ``ratio`` (None when not monotone)."""
    if len(values) < 3:
        return None
    d_coarse, d_fine = values[-2] - values[-3], values[-1] - values[-2]
    if d_fine == 0.0 or d_coarse == 0.0 or d_coarse * d_fine < 0:
        return None
    return math.log(abs(d_coarse / d_fine)) / math.log(ratio)


def extrapolate(resolutions: list[int], values: list[float], single: float) -> CertifiedValue:
    """The certified value from the located points on each grid (coarsest first)."""
    table = extrapolate_even([1.0 / n for n in resolutions], values)
    t = table.table
    change = abs(t[-1, -1] - t[-1, -2])
    if len(values) > 2:
        change = max(change, abs(t[-1, -1] - t[-2, -2]))
    roundoff = 16 * np.finfo(float).eps * max(abs(v) for v in values) * len(values)
    bound = SAFETY * change + roundoff
    order = observed_order(values)
    reasons = []
    if order is None:
        convergence = "oscillatory or stalled"
        reasons.append("the located values do not converge monotonically on the grids")
    elif abs(order - FORMAL_ORDER) > ORDER_TOLERANCE:
        convergence = "off formal order"
        reasons.append(
            f"observed order {order:.3g} is not the formal {FORMAL_ORDER:g}: "
            "the grids are not in the asymptotic range"
        )
    else:
        convergence = "monotone"
    if len(values) < 3:
        reasons.append("fewer than three grids: no observed order")
    return CertifiedValue(
        value=table.value,
        error_bound=bound,
        observed_order=order,
        formal_order=FORMAL_ORDER,
        convergence=convergence,
        resolutions=list(resolutions),
        values=list(values),
        single_grid=single,
        status="FLAG" if reasons else "PASS",
        reasons=reasons,
    )


def certify_points(
    make_run: Callable[[int], SpecContinuation],
    resolution: int,
    direction: int,
    points: list[tuple[str, int, float]],
    run_kwargs: dict[str, Any],
) -> list[CertifiedValue | str]:
    """For each (type, ordinal, value on ``resolution``): its certified value, or why not.

    ``make_run(cells)`` builds the spec's continuation on a grid; ``run_kwargs`` are those
    of the base run (window, bounds, max_steps).
    """
    levels = [n for n in grid_levels(resolution) if n != resolution]
    found: dict[int, dict[str, list[float]]] = {}
    for cells in levels:
        try:
            run = make_run(cells)
            found[cells] = {}
            for kind in sorted({kind for kind, _, _ in points}):
                most = max(k for t, k, _ in points if t == kind) + 1
                branch = run.run(
                    direction, n_eigs=0, stop_at=(kind,), stop_count=most, **run_kwargs
                )
                found[cells][kind] = [run.value(p.value) for p in branch.of_type(kind)]
        except SimlabError as exc:
            found[cells] = {"error": [str(exc)]}  # type: ignore[list-item]
    out: list[CertifiedValue | str] = []
    for kind, ordinal, value in points:
        values = []
        for cells in levels:
            located = found[cells].get(kind, [])
            if "error" in found[cells] or len(located) <= ordinal:
                break
            values.append(float(located[ordinal]))
        if len(values) < len(levels) or not levels:
            out.append(f"the {kind} was not found on every coarser grid {levels}")
            continue
        out.append(extrapolate([*levels, resolution], [*values, value], value))
    return out
