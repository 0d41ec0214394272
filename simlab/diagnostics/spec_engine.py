"""A spec's stationary problem on the general engine's grid, as ``F(u, lam)`` for continuation.

The diagnostics do not discretise anything themselves: the spec is compiled once into a
:class:`simlab.problem.Problem` and discretised by :func:`simlab.discretize.discretize`, the
same residual and sparse Jacobian (exact, from sympy) that ``simlab run`` solves with. This
module only fixes every parameter but the continuation parameter ``lam`` (in SI) and says,
in the diagnostics' words, why a spec cannot be continued.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import sympy

from simlab.discretize import Discretized, EngineError, discretize
from simlab.problem import compile_problem
from simlab.spec.expressions import safe_name
from simlab.spec.model import Spec

SYMMETRY_ULPS = 64
"""|J - J^T| <= SYMMETRY_ULPS eps |J| at the start counts as symmetric (round-off)."""


@dataclass(frozen=True)
class EngineGrid:
    """F(u, lam) = 0 on the free nodes of the engine's grid (lam in SI).

    Attributes:
        disc: the engine's discretization (``residual``, ``jacobian``, ``fields`` ...).
        parameter: the engine's name of ``lam`` (None: every parameter fixed, lam ignored).
        guess: the spec's initial guess on the free nodes.
        symmetric: J is symmetric all along the branch (Hermitian eigensolvers apply).
    """

    disc: Discretized
    parameter: str | None
    guess: np.ndarray
    symmetric: bool
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def size(self) -> int:
        return int(self.disc.size)

    def _values(self, lam: float) -> dict[str, float] | None:
        return None if self.parameter is None else {self.parameter: float(lam)}

    def residual(self, u: np.ndarray, lam: float) -> np.ndarray:
        return self.disc.residual(u, self._values(lam))

    def jacobian(self, u: np.ndarray, lam: float) -> sp.csc_matrix:
        """J(u, lam) in CSC (what SuperLU takes), the last one remembered.

        Continuation asks for J at the same point several times (the corrector's last
        iterate, the tangent, the spectrum): it is assembled once per point. The engine's
        CSR pattern is fixed, so the CSR -> CSC reordering is a precomputed permutation.
        """
        last = self._memo.get("jacobian")
        if last is not None and last[0] == lam and np.array_equal(last[1], u):
            return last[2]
        csr = self.disc.jacobian(u, self._values(lam))
        order = self._memo.get("csc_order")
        if order is None or order[0] != csr.nnz:
            pattern = sp.csr_matrix(
                (np.arange(csr.nnz, dtype=float), csr.indices, csr.indptr), shape=csr.shape
            ).tocsc()
            order = (csr.nnz, pattern.data.astype(np.int64), pattern.indices, pattern.indptr)
            self._memo["csc_order"] = order
        _, perm, indices, indptr = order
        jac = sp.csc_matrix((csr.data[perm], indices, indptr), shape=csr.shape)
        self._memo["jacobian"] = (float(lam), u.copy(), jac)
        return jac

    def dparam(self, u: np.ndarray, lam: float) -> np.ndarray:
        if self.parameter is None:
            return np.zeros(u.size)
        return self.disc.parameter_derivative(u, self.parameter, self._values(lam))

    @property
    def coords(self) -> tuple[np.ndarray, ...]:
        """Coordinates of the free nodes (one unknown: the state's order)."""
        name = self.disc.disc.names[0]
        return tuple(self.disc.disc.node_coordinates(name))

    def describe(self) -> str:
        cells = " x ".join(str(n - 1) for n in self.disc.grid.shape)
        return (
            f"2nd-order finite differences (simlab.discretize), {cells} cells, {self.size} unknowns"
        )


def engine_grid(spec: Spec, parameter: str | None, resolution: int) -> EngineGrid | str:
    """The spec's stationary equations on ``resolution`` cells (shortest side), or why not.

    ``parameter`` (the declared name) stays free; every other parameter takes its SI value.
    """
    problem = compile_problem(spec)
    if problem.time is not None:
        return "time-dependent: continuation follows stationary problems"
    if problem.eigenvalue is not None:
        return "an eigenproblem: linear in the unknown, with no solution branch to follow"
    if problem.reasons:
        return "the spec cannot be compiled: " + "; ".join(problem.reasons)
    if problem.geometry is None or problem.geometry.dimension == 0:
        return "no space coordinates: not a boundary-value problem"
    for eq in problem.equations:
        if sympy.sympify(eq.jet_residual).has(sympy.I):
            return "the equation is complex; continuation follows real branches"
    name = None
    if parameter is not None:
        name = safe_name(parameter)
        if name not in problem.parameters:
            return f"'{parameter}' is not a numeric parameter of the compiled problem"
    try:
        # second order: the continuation's Richardson tables expand in even powers of h and
        # its band eigensolvers need the symmetric 3-point operator
        disc = discretize(problem, max(int(resolution), 2), order=2)
        guess = disc.initial_state()
        if disc.size == 0:
            return "every node carries Dirichlet data: nothing to solve for"
        values = None if name is None else {name: problem.parameters[name]}
        jac = disc.jacobian(guess, values)
    except EngineError as exc:
        return f"the engine does not discretize it: {exc}"
    return EngineGrid(disc, name, guess, _symmetric(problem, jac))


def _symmetric(problem, jac: sp.spmatrix) -> bool:
    """Symmetric along the whole branch, not only at the start.

    Structure: one unknown, only pure second derivatives with coefficients that depend on
    neither the state nor the position (then J = L + diag(dR/du) with L the same symmetric
    operator at every point); and L must be symmetric on this grid (Neumann/Robin ghost rows
    are not), checked on the start's Jacobian.
    """
    if len(problem.fields) != 1 or len(problem.equations) != 1:
        return False
    eq = problem.equations[0]
    expr = sympy.sympify(eq.jet_residual)
    varying = {j.symbol for j in eq.jets} | set(problem.space_symbols)
    for jet in eq.jets:
        if not jet.orders:
            continue
        if len(jet.orders) != 1 or jet.orders[0][1] != 2:
            return False
        if sympy.diff(expr, jet.symbol).free_symbols & varying:
            return False
    asym = abs(jac - jac.T)
    size = float(abs(jac).max()) if jac.nnz else 0.0
    return float(asym.max()) <= SYMMETRY_ULPS * np.finfo(float).eps * size if asym.nnz else True
