"""The public face of a discretized stationary problem: ``F(u, p)``, ``J(u, p)``, ``dF/dp``.

Continuation, sensitivities and audits call these; parameters are passed by name in SI
(``{"lam": 2.0}``) and override the spec's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sps

from simlab.discretize import equations
from simlab.discretize.observe import evaluate
from simlab.discretize.solve import initial_state
from simlab.discretize.system import Discretization, ResidualSet
from simlab.problem.model import Functional, Problem


@dataclass
class Discretized:
    """A Problem on one grid, with the stationary residual ready to evaluate."""

    problem: Problem
    resolution: int
    order: int | None = None
    """Stencil order (2 or 4); None: the engine's choice (simlab.discretize.order)."""
    disc: Discretization = field(init=False)
    _residual: ResidualSet | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.disc = Discretization(self.problem, self.resolution, self.order)

    @property
    def residual_set(self) -> ResidualSet:
        if self._residual is None:
            self._residual = equations.stationary(self.disc)
        return self._residual

    @property
    def size(self) -> int:
        return self.disc.size

    @property
    def grid(self):
        return self.disc.grid

    def initial_state(self) -> np.ndarray:
        return initial_state(self.disc)

    def residual(
        self, u: np.ndarray, parameters: dict | None = None, t: float | None = None
    ) -> np.ndarray:
        return self.residual_set.value(u, t, parameters)

    def jacobian(
        self, u: np.ndarray, parameters: dict | None = None, t: float | None = None
    ) -> sps.csr_matrix:
        return self.residual_set.jacobian(u, t, parameters)

    def parameter_derivative(
        self, u: np.ndarray, name: str, parameters: dict | None = None
    ) -> np.ndarray:
        return self.residual_set.parameter_derivative(u, name, None, parameters)

    def fields(self, u: np.ndarray, t: float | None = None) -> dict[str, np.ndarray]:
        return self.disc.fields(u, t)

    def observe(self, functional: Functional, u: np.ndarray, t: float | None = None) -> float:
        field = self.disc.fields(u, t)[functional.unknown]
        return evaluate(functional, self.disc.grid, field, self.disc.order)


def discretize(problem: Problem, resolution: int, order: int | None = None) -> Discretized:
    """``problem`` on the grid with ``resolution`` cells along its shortest side, with the
    stencils of ``order`` (2 or 4; None: the engine's choice for the Problem)."""
    return Discretized(problem, resolution, order)
