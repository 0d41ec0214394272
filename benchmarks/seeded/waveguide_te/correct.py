"""TE cutoff wavenumbers: -laplacian(Hz) = kc2 Hz with zero normal derivative on the walls.

Cell-centred 5-point finite volumes (zero flux through the walls: a symmetric matrix with
second-order eigenvalues), shift-invert Lanczos (scipy eigsh) for the smallest eigenvalues;
the constant mode (kc2 = 0, no TE mode) is dropped. ``resolution`` = cells on the short side.
Correct reference of the seeded-bug corpus.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

SOLVER = {
    "name": "te_cell_centred_5point",
    "family": "eigenproblem",
    "formal_order": 2.0,
    "resolutions": [32, 64, 128],
    "max_resolution": 256,
    "discretization": {"method": "finite_volume", "scheme": "central_5_point"},
}


def neumann_1d(m, h):
    """-d2/dx2 on m cells with zero flux at both ends (cell-centred)."""
    main = 2.0 * np.ones(m)
    main[0] = main[-1] = 1.0
    return sp.diags([-np.ones(m - 1), main, -np.ones(m - 1)], [-1, 0, 1]) / h**2


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
        return (
            sp.kron(neumann_1d(self.nx, self.hx), sp.identity(self.ny))
            + sp.kron(sp.identity(self.nx), neumann_1d(self.ny, self.hy))
        ).tocsc()

    def eigenvalues(self, count):
        shift = -1.0 / max(self.lx, self.ly) ** 2
        values = eigsh(
            self.operator(), k=count + 2, sigma=shift, which="LM", return_eigenvectors=False
        )
        values = np.sort(values)
        return values[values > 1e-8 * values.max()][:count]

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        wanted = {name: int(obs["args"][0]) for name, obs in spec["si"]["observables"].items()}
        values = self.eigenvalues(max(wanted.values()))
        return {name: float(values[k - 1]) for name, k in wanted.items()}


def solve(spec, resolution):
    return Waveguide().solve(spec, resolution)
