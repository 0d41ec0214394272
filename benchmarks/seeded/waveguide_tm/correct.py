"""TM cutoff wavenumbers: -laplacian(Ez) = kc2 Ez with Ez = 0 on the walls.

Node-based 5-point finite differences on the interior nodes, shift-invert Lanczos (scipy
eigsh) for the smallest eigenvalues. ``resolution`` = cells on the short side (whole
multiples on the long side). Correct reference of the seeded-bug corpus.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

SOLVER = {
    "name": "tm_5point",
    "family": "eigenproblem",
    "formal_order": 2.0,
    "resolutions": [32, 64, 128],
    "max_resolution": 256,
    "discretization": {"method": "finite_difference", "scheme": "central_5_point"},
}


def dirichlet_1d(m, h):
    """-d2/dx2 on m interior nodes with zero ends."""
    return sp.diags([-np.ones(m - 1), 2.0 * np.ones(m), -np.ones(m - 1)], [-1, 0, 1]) / h**2


class Waveguide:
    def setup(self, spec, n):
        si = spec["si"]
        (x0, x1), (y0, y1) = si["coordinates"]["x"], si["coordinates"]["y"]
        self.lx, self.ly = x1 - x0, y1 - y0
        short = min(self.lx, self.ly)
        self.nx = n * max(1, round(self.lx / short))
        self.ny = n * max(1, round(self.ly / short))
        self.hx, self.hy = self.lx / self.nx, self.ly / self.ny

    def operator(self):
        mx, my = self.nx - 1, self.ny - 1
        return (
            sp.kron(dirichlet_1d(mx, self.hx), sp.identity(my))
            + sp.kron(sp.identity(mx), dirichlet_1d(my, self.hy))
        ).tocsc()

    def eigenvalues(self, count):
        values = eigsh(self.operator(), k=count, sigma=0.0, which="LM", return_eigenvectors=False)
        return np.sort(values)[:count]

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        wanted = {name: int(obs["args"][0]) for name, obs in spec["si"]["observables"].items()}
        values = self.eigenvalues(max(wanted.values()))
        return {name: float(values[k - 1]) for name, k in wanted.items()}


def solve(spec, resolution):
    return Waveguide().solve(spec, resolution)
