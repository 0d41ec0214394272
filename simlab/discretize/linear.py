"""Sparse linear solves: SuperLU for 1-D/2-D and small 3-D systems, AMG-preconditioned Krylov
(pyamg) for large 3-D ones, where a direct factorisation's fill-in costs too much memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from simlab.discretize.separable import fast_solver
from simlab.discretize.system import EngineError

DIRECT_LIMIT = 4_000
"""Above this many unknowns a 3-D system is solved iteratively (SuperLU's fill-in in 3-D
costs seconds at 12k unknowns and minutes at 30k)."""
KRYLOV_RTOL = 1e-12


@dataclass(frozen=True)
class Factorization:
    """``b -> A^{-1} b`` for repeated right-hand sides; ``transposed`` applies ``A^{-T}``
    (None when the solver cannot), which the round-off estimate uses."""

    matrix: sps.spmatrix
    solve: Callable[[np.ndarray], np.ndarray]
    transposed: Callable[[np.ndarray], np.ndarray] | None = None

    def __call__(self, b: np.ndarray) -> np.ndarray:
        return self.solve(b)


def factorize(
    matrix: sps.spmatrix, dimension: int, shape: tuple[int, ...] | None = None
) -> Factorization:
    """A solver ``b -> A^{-1} b`` for repeated right-hand sides.

    ``shape``: the state's nodes per axis when it is one unknown on a tensor-product node
    set; a matrix that is then a Kronecker sum (constant coefficients, no mixed derivative)
    is solved by fast diagonalisation (:mod:`simlab.discretize.separable`), else SuperLU."""
    if shape is not None:
        fast = fast_solver(matrix, shape)
        if fast is not None:
            return Factorization(sps.csc_matrix(matrix), *fast)
    a = sps.csc_matrix(matrix)
    if dimension < 3 or a.shape[0] <= DIRECT_LIMIT:
        try:
            lu = spla.splu(a)
        except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
            raise EngineError(
                f"the discretised operator is singular ({exc}): the problem has more than one "
                "solution (e.g. only flux conditions on a stationary problem fix u up to a "
                "constant); prescribe u somewhere, or add a zero-order term"
            ) from None
        return Factorization(a, lu.solve, lambda b: lu.solve(b, trans="T"))
    import pyamg

    csr = a.tocsr()
    asymmetry = abs(csr - csr.T).max() if csr.nnz else 0.0
    symmetric = asymmetry <= 1e-12 * abs(csr).max()
    ml = pyamg.smoothed_aggregation_solver(
        csr,
        symmetry="symmetric" if symmetric else "nonsymmetric",
        max_coarse=400,
        coarse_solver="splu",
    )
    accel = "cg" if symmetric else "gmres"

    def solve(b: np.ndarray) -> np.ndarray:
        if not np.any(b):
            return np.zeros_like(b)
        residuals: list[float] = []
        x = ml.solve(b, tol=KRYLOV_RTOL, accel=accel, maxiter=300, residuals=residuals)
        if residuals and residuals[-1] > 1e3 * KRYLOV_RTOL * residuals[0]:
            raise np.linalg.LinAlgError(
                f"AMG-{accel} stalled at relative residual {residuals[-1] / residuals[0]:.2e}"
            )
        return x

    return Factorization(a, solve, solve if symmetric else None)
