"""The structured node grid on a box: nodes on both faces of each axis (one face if periodic).

Nodes are stored in C order (axis 0 slowest). ``h`` is the spacing per axis; the study's step
is the spacing of the shortest axis (every axis halves together).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simlab.problem.model import LOWER, Geometry


@dataclass(frozen=True)
class Grid:
    """Node positions per axis (SI) and which axes are periodic."""

    geometry: Geometry
    cells: tuple[int, ...]
    periodic: tuple[bool, ...]

    @classmethod
    def build(cls, geometry: Geometry, resolution: int, periodic: tuple[bool, ...]) -> Grid:
        return cls(geometry, geometry.cells(resolution), periodic)

    @cached_property
    def h(self) -> tuple[float, ...]:
        return tuple(L / n for L, n in zip(self.geometry.lengths, self.cells, strict=True))

    @cached_property
    def axes(self) -> tuple[np.ndarray, ...]:
        out = []
        for a, (lo, n, per) in enumerate(
            zip(self.geometry.lower, self.cells, self.periodic, strict=True)
        ):
            count = n if per else n + 1
            out.append(lo + self.h[a] * np.arange(count))
        return tuple(out)

    @cached_property
    def shape(self) -> tuple[int, ...]:
        return tuple(a.size for a in self.axes)

    @cached_property
    def size(self) -> int:
        return int(np.prod(self.shape)) if self.shape else 1

    @property
    def step(self) -> float:
        """The study's characteristic step: the spacing along the shortest axis."""
        return min(self.h) if self.h else 1.0

    @cached_property
    def coordinates(self) -> tuple[np.ndarray, ...]:
        """Flattened node coordinates per axis (length ``size`` each)."""
        if not self.axes:
            return ()
        mesh = np.meshgrid(*self.axes, indexing="ij")
        return tuple(m.ravel() for m in mesh)

    def face_mask(self, axis: int, end: str) -> np.ndarray:
        """Boolean mask (flattened) of the nodes on one face."""
        index = np.zeros(self.shape, dtype=bool)
        sl: list[slice | int] = [slice(None)] * len(self.shape)
        sl[axis] = 0 if end == LOWER else self.shape[axis] - 1
        index[tuple(sl)] = True
        return index.ravel()
