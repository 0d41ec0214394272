"""Bratu u'' + lam exp(u) = 0, u = 0 at both ends: 3-point FD and Newton from u = 0.

Newton's iteration from the zero initial guess converges to the lower (stable) branch for
lam below the fold. ``resolution`` = cells (even, so x = 1/2 is a node); u(1/2) by cubic
spline otherwise. Correct reference of the seeded-bug corpus.
"""

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.linalg import solve_banded

SOLVER = {
    "name": "bratu_newton_fd",
    "family": "nonlinear_stationary",
    "formal_order": 2.0,
    "resolutions": [64, 128, 256],
    "max_resolution": 65536,
    "discretization": {"method": "finite_difference", "scheme": "central_3_point_newton"},
    "forcing": True,
}
FUNCTIONS = {
    "sin": np.sin,
    "cos": np.cos,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "pi": np.pi,
}


def forcing(spec, x):
    """The spec's forcing term of u at the nodes (zero unless simlab manufactured it)."""
    text = spec["si"].get("forcing", {}).get("u")
    if not text:
        return np.zeros_like(x)
    env = {**FUNCTIONS, **spec["si"]["parameters"], "x": x}
    return np.broadcast_to(eval(text.replace("^", "**"), {"__builtins__": {}}, env), x.shape)


class Bratu:
    f = 0.0  # the spec's forcing term at the interior nodes (simlab's manufactured specs)
    tolerance = 1e-13
    max_iterations = 50

    def setup(self, spec, n):
        si = spec["si"]
        self.lam = si["parameters"]["lam"]
        self.a, self.b = si["coordinates"]["x"]
        self.n = n
        self.x = np.linspace(self.a, self.b, n + 1)
        self.h = (self.b - self.a) / n
        self.f = forcing(spec, self.x)[1:-1]

    def guess(self):
        return np.zeros(self.n - 1)

    def residual(self, u):
        full = np.concatenate([[0.0], u, [0.0]])
        curvature = (full[2:] - 2.0 * full[1:-1] + full[:-2]) / self.h**2
        return curvature + self.lam * np.exp(u) - self.f

    def jacobian_bands(self, u):
        m = u.size
        ab = np.zeros((3, m))
        ab[0, 1:] = 1.0 / self.h**2
        ab[1] = -2.0 / self.h**2 + self.lam * np.exp(u)
        ab[2, :-1] = 1.0 / self.h**2
        return ab

    def newton(self):
        u = self.guess()
        for _ in range(self.max_iterations):
            delta = solve_banded((1, 1), self.jacobian_bands(u), -self.residual(u))
            u = u + delta
            if np.max(np.abs(delta)) < self.tolerance:
                break
        return np.concatenate([[0.0], u, [0.0]])

    def probe(self, u, where):
        return float(CubicSpline(self.x, u)(where))

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        u = self.newton()
        return {
            name: self.probe(u, obs["at"]["x"]) for name, obs in spec["si"]["observables"].items()
        }


def solve(spec, resolution):
    return Bratu().solve(spec, resolution)
