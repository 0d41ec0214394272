"""Typed inputs and outputs of the continuation machinery."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

from simlab.diagnostics.errors import DiagnosticsError

Matrix = np.ndarray | sp.spmatrix | sp.sparray
Residual = Callable[[np.ndarray, float], np.ndarray]
Jacobian = Callable[[np.ndarray, float], Matrix]
SpecialType = Literal["fold", "branch_point", "hopf"]


@dataclass(frozen=True)
class ContinuationProblem:
    """F(u, lam) = 0 with u in R^n, as plain callables.

    Stability and Hopf detection read F as the vector field of du/dt = F(u, lam).

    Attributes:
        residual: F(u, lam) -> (n,) array.
        jacobian: dF/du (u, lam) -> dense (n, n) array or scipy.sparse matrix.
        dparam: dF/dlam (u, lam) -> (n,) array; central differences when omitted.
        parameter: the name of lam (reported in special points).
        functional: scalar summary of u stored along a branch (default: RMS norm).
        symmetric: True when the Jacobian is symmetric (eigsh instead of eigs).
    """

    residual: Residual
    jacobian: Jacobian
    dparam: Residual | None = None
    parameter: str = "lam"
    functional: Callable[[np.ndarray], float] | None = None
    symmetric: bool = False

    def dF_dparam(self, u: np.ndarray, lam: float) -> np.ndarray:
        """dF/dlam, exact when ``dparam`` is given, else by central differences."""
        if self.dparam is not None:
            return np.asarray(self.dparam(u, lam), dtype=float)
        eps = 1e-6 * (1.0 + abs(lam))
        return (self.residual(u, lam + eps) - self.residual(u, lam - eps)) / (2.0 * eps)

    def measure(self, u: np.ndarray) -> float:
        """The scalar stored along a branch for plotting (``functional`` or the RMS norm)."""
        if self.functional is not None:
            return float(self.functional(u))
        return float(np.linalg.norm(u) / np.sqrt(max(u.size, 1)))

    def check(self, u: np.ndarray, lam: float) -> None:
        """Raise a clear error when the callables do not fit u."""
        f = np.asarray(self.residual(u, lam))
        if f.shape != u.shape:
            raise DiagnosticsError(
                f"residual returned shape {f.shape} for u of shape {u.shape}",
                hint="F(u, lam) must return an array shaped like u",
            )
        jac = self.jacobian(u, lam)
        if getattr(jac, "shape", None) != (u.size, u.size):
            raise DiagnosticsError(
                f"jacobian returned shape {getattr(jac, 'shape', None)}, "
                f"expected {(u.size, u.size)}",
                hint="J(u, lam) must be the (n, n) matrix dF/du, dense or scipy.sparse",
            )


@dataclass(frozen=True)
class SpecialPoint:
    """A located fold, branch point or Hopf point.

    Attributes:
        type: 'fold', 'branch_point' or 'hopf'.
        parameter: name of the continuation parameter.
        value: parameter value at the point.
        u: state at the point.
        measure: the branch functional at the point.
        residual: max-norm of F at the located point.
        test_residual: what the defining condition leaves: |J v| (fold, v a unit null
            vector), |test function| after bisection (branch point), |Re mu| of the
            critical pair (Hopf).
        tangent: unit tangent (u, lam) of the branch the point was found on.
        null_vector: fold: null vector of J (unit 2-norm); branch point: the direction
            (u, lam) of the other branch, perpendicular to ``tangent``.
        frequency: Hopf angular frequency |Im mu| of the critical pair.
        index: index of the branch point just before the special point.
    """

    type: SpecialType
    parameter: str
    value: float
    u: np.ndarray
    measure: float
    residual: float
    test_residual: float
    tangent: np.ndarray
    null_vector: np.ndarray | None = None
    frequency: float | None = None
    index: int = 0


@dataclass
class Branch:
    """Points of one solution branch in the order they were computed.

    Attributes:
        parameter: name of the continuation parameter.
        lam: parameter values, shape (m,).
        measure: the problem's functional of u at each point, shape (m,).
        u: states, shape (m, n).
        stable: True where every computed eigenvalue has a negative real part.
        n_unstable: number of computed eigenvalues with a positive real part.
        eigenvalues: the leading (largest real part) computed eigenvalues, shape (m, k);
            NaN where they were not recomputed (symmetric J: the unstable count is carried
            between points where det J neither changes sign nor dips).
        special_points: located folds, branch points and Hopf points.
        stop_reason: why continuation stopped.
        notes: detected events that could not be located, with the reason.
    """

    parameter: str
    lam: np.ndarray
    measure: np.ndarray
    u: np.ndarray
    stable: np.ndarray
    n_unstable: np.ndarray
    eigenvalues: np.ndarray
    special_points: list[SpecialPoint] = field(default_factory=list)
    stop_reason: str = ""
    notes: list[str] = field(default_factory=list)

    def of_type(self, kind: SpecialType) -> list[SpecialPoint]:
        """The special points of one type, in branch order."""
        return [p for p in self.special_points if p.type == kind]

    def __len__(self) -> int:
        return int(self.lam.size)


@dataclass(frozen=True)
class Setup:
    """A ready-to-continue problem: callables, grid, step and a starting solution."""

    problem: ContinuationProblem
    grid: np.ndarray
    h: float
    u0: np.ndarray
    lam0: float
