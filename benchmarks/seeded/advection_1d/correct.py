"""Linear advection u_t + a u_x = 0, periodic: first-order upwind at Courant number <= 0.8.

The upwind side follows the sign of a. ``resolution`` = cells of the periodic grid (the
node at the right end is the node at the left end). Correct reference of the corpus.
"""

import numpy as np
from scipy.interpolate import CubicSpline

CFL = 0.8
SOLVER = {
    "name": "advection_upwind",
    "family": "hyperbolic",
    "formal_order": 1.0,
    "resolutions": [128, 256, 512],
    "max_resolution": 32768,
    "discretization": {"method": "finite_volume", "scheme": "upwind", "cfl": CFL},
}

FUNCTIONS = {"pi": np.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt}


def evaluate(text, **names):
    return eval(text.replace("^", "**"), {"__builtins__": {}}, {**FUNCTIONS, **names})


class Advection1D:
    cfl = CFL

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.speed = self.velocity()
        self.x0, self.x1 = si["coordinates"]["x"]
        self.t0, self.t1 = si["time"]
        self.n = n
        self.x, self.dx = self.grid(n)
        self.steps = max(
            1, int(np.ceil((self.t1 - self.t0) * abs(self.speed) / (self.cfl * self.dx)))
        )
        self.dt = (self.t1 - self.t0) / self.steps

    def velocity(self):
        return self.p["a"]

    def grid(self, n):
        dx = (self.x1 - self.x0) / n
        return self.x0 + dx * np.arange(n), dx

    def initial(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        return np.broadcast_to(evaluate(text, x=self.x, **self.p), self.x.shape).astype(float)

    def step(self, u):
        nu = self.speed * self.dt / self.dx
        if self.speed >= 0:
            return u - nu * (u - np.roll(u, 1))
        return u - nu * (np.roll(u, -1) - u)

    def run(self, spec):
        u = self.initial(spec)
        for _ in range(self.steps):
            u = self.step(u)
        return u

    def probe(self, u, where):
        x = np.append(self.x, self.x1)
        spline = CubicSpline(x, np.append(u, u[0]), bc_type="periodic")
        return float(spline(self.x0 + (where - self.x0) % (self.x1 - self.x0)))

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        u = self.run(spec)
        return {
            name: self.probe(u, obs["at"]["x"]) for name, obs in spec["si"]["observables"].items()
        }


def solve(spec, resolution):
    return Advection1D().solve(spec, resolution)
