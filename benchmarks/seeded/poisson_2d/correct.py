"""Poisson -laplacian(u) = f on a rectangle, zero Dirichlet data: 5-point FD, sparse LU.

``resolution`` = cells on the shorter side (whole multiples on the longer one), so both
spacings halve together. Correct reference of the seeded-bug corpus.
"""

import numpy as np
import scipy.sparse as sp
from scipy.interpolate import RectBivariateSpline
from scipy.sparse.linalg import spsolve

SOLVER = {
    "name": "poisson_5point",
    "family": "elliptic",
    "formal_order": 2.0,
    "resolutions": [64, 128, 256],
    "max_resolution": 512,
    "discretization": {"method": "finite_difference", "scheme": "central_5_point"},
}

FUNCTIONS = {"pi": np.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt}


def evaluate(text, **names):
    return eval(text.replace("^", "**"), {"__builtins__": {}}, {**FUNCTIONS, **names})


def second_difference(m, h):
    return sp.diags([np.ones(m - 1), -2.0 * np.ones(m), np.ones(m - 1)], [-1, 0, 1]) / h**2


class Poisson2D:
    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        (self.x0, self.x1), (self.y0, self.y1) = si["coordinates"]["x"], si["coordinates"]["y"]
        short = min(self.x1 - self.x0, self.y1 - self.y0)
        self.nx = n * max(1, round((self.x1 - self.x0) / short))
        self.ny = n * max(1, round((self.y1 - self.y0) / short))
        self.x, self.hx = np.linspace(self.x0, self.x1, self.nx + 1), (self.x1 - self.x0) / self.nx
        self.y, self.hy = np.linspace(self.y0, self.y1, self.ny + 1), (self.y1 - self.y0) / self.ny

    def source(self, spec):
        X, Y = np.meshgrid(self.x[1:-1], self.y[1:-1], indexing="ij")
        text = spec["equations"]["definitions"]["f"]
        return np.broadcast_to(evaluate(text, x=X, y=Y, **self.p), X.shape).astype(float)

    def matrix(self):
        mx, my = self.nx - 1, self.ny - 1
        lap = sp.kron(second_difference(mx, self.hx), sp.identity(my)) + sp.kron(
            sp.identity(mx), second_difference(my, self.hy)
        )
        return (-lap).tocsc()

    def interior(self, spec):
        return spsolve(self.matrix(), self.source(spec).ravel())

    def field(self, spec):
        u = np.zeros((self.nx + 1, self.ny + 1))
        u[1:-1, 1:-1] = self.interior(spec).reshape(self.nx - 1, self.ny - 1)
        return u

    def probe(self, u, at):
        return float(RectBivariateSpline(self.x, self.y, u, kx=3, ky=3)(at["x"], at["y"])[0, 0])

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        u = self.field(spec)
        return {name: self.probe(u, obs["at"]) for name, obs in spec["si"]["observables"].items()}


def solve(spec, resolution):
    return Poisson2D().solve(spec, resolution)
