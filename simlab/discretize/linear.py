"""Sparse linear solves: SuperLU for 1-D/2-D and small 3-D systems, AMG-preconditioned Krylov
(pyamg) for large 3-D ones, where a direct factorisation's fill-in costs too much memory."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

DIRECT_LIMIT = 40_000
"""Above this many unknowns a 3-D system is solved iteratively."""
KRYLOV_RTOL = 1e-12


def factorize(matrix: sps.spmatrix, dimension: int) -> Callable[[np.ndarray], np.ndarray]:
    """A solver ``b -> A^{-1} b`` for repeated right-hand sides."""
    a = sps.csc_matrix(matrix)
    if dimension < 3 or a.shape[0] <= DIRECT_LIMIT:
        lu = spla.splu(a)
        return lu.solve
    import pyamg

    csr = a.tocsr()
    ml = pyamg.smoothed_aggregation_solver(csr, max_coarse=500)
    precond = ml.aspreconditioner(cycle="V")

    def solve(b: np.ndarray) -> np.ndarray:
        scale = float(np.linalg.norm(b))
        if scale == 0.0:
            return np.zeros_like(b)
        x, info = spla.gmres(csr, b, M=precond, rtol=KRYLOV_RTOL, atol=0.0, restart=50, maxiter=200)
        if info != 0:
            raise np.linalg.LinAlgError(f"GMRES with AMG did not converge (info {info})")
        return x

    return solve
