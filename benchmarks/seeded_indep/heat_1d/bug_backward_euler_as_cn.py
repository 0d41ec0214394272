"""Rod stepped with backward Euler (theta = 1) while declaring Crank-Nicolson.

Kind: method: scheme differs from the declared one
The error falls like dt, not dt^2; the declared order 2 is not what runs.
"""

import math

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.interpolate import CubicSpline

SOLVER = {
    "name": "rod_theta_mol",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [40, 80, 160],
    "max_resolution": 2560,
    "discretization": {"method": "method_of_lines", "scheme": "crank_nicolson"},
}


class Rod:
    theta = 1.0

    def __init__(self, spec, n):
        si = spec["si"]
        self.params = dict(si["parameters"])
        self.kappa = self.params["kappa"]
        self.x0, self.x1 = si["coordinates"]["x"]
        self.t0, self.t1 = si["time"]
        self.n = n
        self.nodes = np.linspace(self.x0, self.x1, n + 1)
        self.h = (self.x1 - self.x0) / n
        tau = (self.x1 - self.x0) ** 2 / self.kappa
        self.steps = max(2, math.ceil(4.0 * n * (self.t1 - self.t0) / tau))
        self.dt = (self.t1 - self.t0) / self.steps
        self.spec = spec

    def expression(self, text):
        env = {"pi": math.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "x": self.nodes}
        env.update(self.params)
        return np.asarray(eval(text.replace("^", "**"), {"__builtins__": {}}, env), float)

    def start(self):
        text = self.spec["initial"]["conditions"][0]["value"]
        return np.broadcast_to(self.expression(text), self.nodes.shape).copy()

    def laplacian(self):
        m = self.n - 1
        main = -2.0 * np.ones(m)
        off = np.ones(m - 1)
        return sp.diags([off, main, off], [-1, 0, 1], format="csc") * (self.kappa / self.h**2)

    def advance(self):
        u = self.start()
        ends = {c["boundary"]: c["value"] for c in self.spec["boundary"]["conditions"]}
        left = float(np.mean(self.expression(ends["left"])))
        right = float(np.mean(self.expression(ends["right"])))
        a = self.laplacian()
        eye = sp.identity(self.n - 1, format="csc")
        lhs = spla.splu((eye - self.theta * self.dt * a).tocsc())
        rhs_op = eye + (1.0 - self.theta) * self.dt * a
        edge = np.zeros(self.n - 1)
        edge[0] = self.kappa / self.h**2 * left
        edge[-1] = self.kappa / self.h**2 * right
        inner = u[1:-1]
        for _ in range(self.steps):
            inner = lhs.solve(rhs_op @ inner + self.dt * edge)
        u[1:-1] = inner
        u[0], u[-1] = left, right
        return u


def solve(spec, resolution):
    rod = Rod(spec, int(resolution))
    u = rod.advance()
    spline = CubicSpline(rod.nodes, u)
    observables = {
        name: float(spline(o["at"]["x"])) for name, o in spec["si"]["observables"].items()
    }
    return {
        "observables": observables,
        "fields": {"u": u.tolist()},
        "grid": {"x": rod.nodes.tolist()},
    }
