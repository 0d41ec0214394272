"""Wave equation u_tt = c^2 u_xx on [x0, x1], fixed ends: leapfrog at Courant number <= 0.8.

The first step uses the Taylor start u1 = u0 + dt v0 + dt^2/2 c^2 u0_xx, so the scheme is
second order in h (dt = cfl h / c, rounded down so the last step lands on the final time).
Correct reference of the seeded-bug corpus.
"""

import numpy as np
from scipy.interpolate import CubicSpline

CFL = 0.8
SOLVER = {
    "name": "wave_leapfrog",
    "family": "hyperbolic",
    "formal_order": 2.0,
    "resolutions": [32, 64, 128],
    "max_resolution": 8192,
    "discretization": {"method": "finite_difference", "scheme": "leapfrog", "cfl": CFL},
}

FUNCTIONS = {"pi": np.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt}


def evaluate(text, **names):
    return eval(text.replace("^", "**"), {"__builtins__": {}}, {**FUNCTIONS, **names})


class Wave1D:
    cfl = CFL

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.c = self.speed()
        self.a, self.b = si["coordinates"]["x"]
        self.t0, self.t1 = si["time"]
        self.n = n
        self.x = np.linspace(self.a, self.b, n + 1)
        self.dx = (self.b - self.a) / n
        self.steps = self.time_steps()
        self.dt = (self.t1 - self.t0) / self.steps

    def speed(self):
        return self.p["c"]

    def time_steps(self):
        return max(1, int(np.ceil((self.t1 - self.t0) * abs(self.c) / (self.cfl * self.dx))))

    def data(self, spec):
        u0 = v0 = None
        for cond in spec["initial"]["conditions"]:
            value = np.broadcast_to(evaluate(cond["value"], x=self.x, **self.p), self.x.shape)
            if cond["derivative"] == 0:
                u0 = value.astype(float)
            else:
                v0 = value.astype(float)
        return u0, np.zeros_like(u0) if v0 is None else v0

    def second_difference(self, u):
        out = np.zeros_like(u)
        out[1:-1] = (u[2:] - 2.0 * u[1:-1] + u[:-2]) / self.dx**2
        return out

    def first_step(self, u0, v0):
        return u0 + self.dt * v0 + 0.5 * (self.c * self.dt) ** 2 * self.second_difference(u0)

    def leapfrog(self, previous, current):
        return 2.0 * current - previous + (self.c * self.dt) ** 2 * self.second_difference(current)

    def run(self, spec):
        u0, v0 = self.data(spec)
        previous, current = u0, self.first_step(u0, v0)
        current[0] = current[-1] = 0.0
        for _ in range(self.steps - 1):
            previous, current = current, self.leapfrog(previous, current)
            current[0] = current[-1] = 0.0
        return current

    def probe(self, u, where):
        return float(CubicSpline(self.x, u)(where))

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        u = self.run(spec)
        return {
            name: self.probe(u, obs["at"]["x"]) for name, obs in spec["si"]["observables"].items()
        }


def solve(spec, resolution):
    return Wave1D().solve(spec, resolution)
