"""The result of one solve: fields on a grid, plus what the solver did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Solution:
    """Discrete solution returned by every solver kernel.

    Attributes:
        grid: coordinate arrays by name (``"x"``, ``"y"``, ``"t"`` ...): 1-D node positions.
        fields: solution arrays by unknown name, shaped like the grid (time axis first when
            ``"t"`` is stored in ``history``).
        resolution: the resolution parameter the solver was called with (cells per unit
            length, number of nodes, or an inverse tolerance; see ``h``).
        h: the characteristic step size used by the convergence study (smaller is finer).
        order: the formal order of accuracy of the method in ``h``.
        observables: named scalar outputs computed from the fields.
        history: optional time series (``{"t": ..., "u": ...}``) for audits.
        meta: what the solver did (scheme, dt, steps, iterations, residual norms ...).
    """

    grid: dict[str, np.ndarray]
    fields: dict[str, np.ndarray]
    resolution: float
    h: float
    order: float
    observables: dict[str, float] = field(default_factory=dict)
    history: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
