"""Crank-Nicolson with the factor 1/2 applied twice: (I -+ dt/4 A).

Kind: wrong coefficient
The half-step factor is already in 'half = dt / 2' and was multiplied by 0.5 again: the run
covers half the diffusion time.
"""

import scipy.sparse as sp
from correct import SOLVER, Heat2D  # noqa: F401


class HalfTheta(Heat2D):
    def matrices(self):
        A = self.kappa * self.laplacian()
        eye = sp.identity(A.shape[0])
        half = 0.5 * self.dt
        return (eye - 0.5 * half * A).tocsc(), (eye + 0.5 * half * A).tocsr()


def solve(spec, resolution):
    return HalfTheta().solve(spec, resolution)
