"""Cell-centred grid with the wall value copied into the ghost cell (u_ghost = u_wall).

Kind: boundary: first-order closure
The Dirichlet value sits half a cell outside the first unknown; the second-order closure is
u_ghost = 2 u_wall - u_1. The copy shifts the wall by h/2: an O(h) error.
"""

import numpy as np
from correct import SOLVER, Heat1D  # noqa: F401
from scipy.interpolate import CubicSpline
from scipy.linalg import solve_banded


class HalfCell(Heat1D):
    def grid(self, n):
        dx = (self.b - self.a) / n
        return self.a + dx * (np.arange(n) + 0.5), dx

    def run(self, spec):
        u = self.initial(spec)
        left, right = self.boundary_values(spec)
        r = self.kappa / self.dx**2
        m = u.size
        A = np.zeros((3, m))
        A[0, 1:] = -0.5 * self.dt * r
        A[1] = 1.0 + self.dt * r
        A[2, :-1] = -0.5 * self.dt * r
        for _ in range(self.steps):
            ghost_l, ghost_r = left, right  # should be 2*left - u[0], 2*right - u[-1]
            lap = np.empty(m)
            lap[1:-1] = u[2:] - 2 * u[1:-1] + u[:-2]
            lap[0] = u[1] - 2 * u[0] + ghost_l
            lap[-1] = ghost_r - 2 * u[-1] + u[-2]
            rhs = u + 0.5 * self.dt * r * lap
            rhs[0] += 0.5 * self.dt * r * ghost_l
            rhs[-1] += 0.5 * self.dt * r * ghost_r
            u = solve_banded((1, 1), A, rhs)
        self.nodes = np.concatenate([[self.a], self.x, [self.b]])
        return np.concatenate([[left], u, [right]])

    def probe(self, u, where):
        return float(CubicSpline(self.nodes, u)(where))


def solve(spec, resolution):
    return HalfCell().solve(spec, resolution)
