"""Heat equation u_t = kappa (u_xx + u_yy) on a rectangle, zero Dirichlet data.

Crank-Nicolson in time, 5-point Laplacian in space (sparse LU once per run), dt ~ h.
``resolution`` = cells on the shorter side. Correct reference of the seeded-bug corpus.
"""

import numpy as np
import scipy.sparse as sp
from scipy.interpolate import RectBivariateSpline
from scipy.sparse.linalg import splu

SOLVER = {
    "name": "heat2d_crank_nicolson",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [32, 64, 128],
    "max_resolution": 256,
    "discretization": {"method": "finite_difference", "scheme": "crank_nicolson"},
}

FUNCTIONS = {"pi": np.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt}


def evaluate(text, **names):
    return eval(text.replace("^", "**"), {"__builtins__": {}}, {**FUNCTIONS, **names})


def second_difference(m, h):
    """1-D second difference on m interior nodes with zero Dirichlet ends."""
    return sp.diags([np.ones(m - 1), -2.0 * np.ones(m), np.ones(m - 1)], [-1, 0, 1]) / h**2


class Heat2D:
    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.kappa = self.p["kappa"]
        (self.x0, self.x1), (self.y0, self.y1) = si["coordinates"]["x"], si["coordinates"]["y"]
        self.t0, self.t1 = si["time"]
        short = min(self.x1 - self.x0, self.y1 - self.y0)
        self.nx = n * max(1, round((self.x1 - self.x0) / short))
        self.ny = n * max(1, round((self.y1 - self.y0) / short))
        self.x, self.hx = self.axis(self.x0, self.x1, self.nx)
        self.y, self.hy = self.axis(self.y0, self.y1, self.ny)
        self.steps = self.time_steps(n)
        self.dt = (self.t1 - self.t0) / self.steps

    def axis(self, a, b, cells):
        return np.linspace(a, b, cells + 1), (b - a) / cells

    def time_steps(self, n):
        rate = self.kappa * 2.0 * np.pi**2 * (self.t1 - self.t0)
        return max(1, int(np.ceil(4.0 * n * max(rate, 0.1))))

    def initial(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        X, Y = np.meshgrid(self.x, self.y, indexing="ij")
        return np.broadcast_to(evaluate(text, x=X, y=Y, **self.p), X.shape).astype(float)

    def laplacian(self):
        mx, my = self.nx - 1, self.ny - 1
        return sp.kron(second_difference(mx, self.hx), sp.identity(my)) + sp.kron(
            sp.identity(mx), second_difference(my, self.hy)
        )

    def matrices(self):
        A = self.kappa * self.laplacian()
        eye = sp.identity(A.shape[0])
        return (eye - 0.5 * self.dt * A).tocsc(), (eye + 0.5 * self.dt * A).tocsr()

    def run(self, spec):
        u = self.initial(spec)
        implicit, explicit = self.matrices()
        lu = splu(implicit)
        inner = u[1:-1, 1:-1].ravel()
        for _ in range(self.steps):
            inner = lu.solve(explicit @ inner)
        u[1:-1, 1:-1] = inner.reshape(self.nx - 1, self.ny - 1)
        u[0, :] = u[-1, :] = u[:, 0] = u[:, -1] = 0.0
        return u

    def probe(self, u, at):
        return float(RectBivariateSpline(self.x, self.y, u, kx=3, ky=3)(at["x"], at["y"])[0, 0])

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        u = self.run(spec)
        return {name: self.probe(u, obs["at"]) for name, obs in spec["si"]["observables"].items()}


def solve(spec, resolution):
    return Heat2D().solve(spec, resolution)
