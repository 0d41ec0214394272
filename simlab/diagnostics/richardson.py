"""Repeated Richardson extrapolation for error expansions in even powers of h.

A symmetric 2nd-order scheme gives f(h) = f0 + c1 h^2 + c2 h^4 + ...; Neville's scheme in
x = h^2 evaluated at x = 0 removes one more even power per column (Romberg's table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simlab.diagnostics.errors import DiagnosticsError


@dataclass(frozen=True)
class RichardsonTable:
    """The extrapolation table: ``table[i, k]`` removes h^2 ... h^(2k) using grids i-k..i.

    Attributes:
        h: grid steps, coarsest first.
        values: the computed values on each grid.
        table: lower-triangular Neville table (nan above the diagonal).
        value: the most extrapolated entry, table[-1, -1].
        error_estimate: |table[-1, -1] - table[-1, -2]|, the change from the last column.
        order: formal order of ``value`` in h, 2 * len(h) (its error is O(h^order)).
    """

    h: np.ndarray
    values: np.ndarray
    table: np.ndarray
    value: float
    error_estimate: float
    order: int


def extrapolate_even(h: Sequence[float], values: Sequence[float]) -> RichardsonTable:
    """Extrapolate values computed with steps h (any distinct steps) to h = 0."""
    steps = np.asarray(h, dtype=float)
    vals = np.asarray(values, dtype=float)
    if steps.ndim != 1 or steps.shape != vals.shape or steps.size < 2:
        raise DiagnosticsError("need at least two (h, value) pairs of equal length")
    if np.any(steps <= 0) or np.unique(steps).size != steps.size:
        raise DiagnosticsError(f"grid steps must be positive and distinct, got {steps}")
    x = steps**2
    m = steps.size
    table = np.full((m, m), np.nan)
    table[:, 0] = vals
    for k in range(1, m):
        for i in range(k, m):
            table[i, k] = table[i, k - 1] + x[i] * (table[i, k - 1] - table[i - 1, k - 1]) / (
                x[i - k] - x[i]
            )
    return RichardsonTable(
        h=steps,
        values=vals,
        table=table,
        value=float(table[-1, -1]),
        error_estimate=float(abs(table[-1, -1] - table[-1, -2])),
        order=2 * m,
    )
