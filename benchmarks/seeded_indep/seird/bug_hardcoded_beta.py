"""SEIR-D Kutta-3 with the transmission rate typed in as 0.5 per day.

Kind: hard-coded parameter
beta = 0.5 / 86400 1/s whatever the spec says.
"""

import numpy as np
from scipy.optimize import brentq

SOLVER = {
    "name": "seird_kutta3_numpy",
    "family": "ode",
    "formal_order": 3.0,
    "resolutions": [4000, 8000, 16000],
    "max_resolution": 256000,
    "discretization": {"method": "ode", "integrator": "rk3"},
}
ORDER = ("S", "E", "I", "R", "D")


class Epidemic:
    def __init__(self, spec):
        si = spec["si"]
        p = si["parameters"]
        self.beta, self.sigma = 0.5 / 86400.0, p["sigma"]
        self.gamma, self.mu, self.N = p["gamma"], p["mu"], p["N"]
        env = {"N": p["N"], "I0": p["I0"]}
        init = {
            c["unknown"]: float(eval(c["value"], {"__builtins__": {}}, env))
            for c in spec["initial"]["conditions"]
        }
        self.y0 = np.array([init[k] for k in ORDER])
        self.t0, self.t1 = si["time"]

    def f(self, y):
        s, e, i = y[0], y[1], y[2]
        inf = self.beta * s * i / self.N
        return np.array(
            [
                -inf,
                inf - self.sigma * e,
                self.sigma * e - (self.gamma + self.mu) * i,
                self.gamma * i,
                self.mu * i,
            ]
        )

    def integrate(self, n):
        t = np.linspace(self.t0, self.t1, n + 1)
        h = t[1] - t[0]
        ys = np.empty((n + 1, 5))
        ys[0] = self.y0
        for k in range(n):
            y = ys[k]
            k1 = self.f(y)
            k2 = self.f(y + 0.5 * h * k1)
            k3 = self.f(y - h * k1 + 2.0 * h * k2)
            ys[k + 1] = y + h / 6.0 * (k1 + 4.0 * k2 + k3)
        return t, ys

    def peak(self, t, ys):
        slopes = np.array([self.f(y) for y in ys])
        di = slopes[:, 2]
        change = np.nonzero((di[:-1] > 0) & (di[1:] <= 0))[0]
        if change.size == 0:
            return float(t[int(np.argmax(ys[:, 2]))])
        k = change[0]
        h = t[k + 1] - t[k]

        def dI(time):
            s = (time - t[k]) / h
            # derivative of the cubic Hermite interpolant of I over the step
            p0, p1 = ys[k, 2], ys[k + 1, 2]
            m0, m1 = slopes[k, 2] * h, slopes[k + 1, 2] * h
            return (
                (6 * s**2 - 6 * s) * p0
                + (3 * s**2 - 4 * s + 1) * m0
                + (-6 * s**2 + 6 * s) * p1
                + (3 * s**2 - 2 * s) * m1
            ) / h

        return float(brentq(dI, t[k], t[k + 1], xtol=1e-9, rtol=1e-15))


def solve(spec, resolution):
    model = Epidemic(spec)
    t, ys = model.integrate(int(resolution))
    observables = {}
    for name, obs in spec["si"]["observables"].items():
        if obs["function"] == "peak_time":
            observables[name] = model.peak(t, ys)
        else:
            observables[name] = float(ys[-1, ORDER.index(obs["function"])])
    trajectory = {"t": t.tolist(), **{k: ys[:, j].tolist() for j, k in enumerate(ORDER)}}
    return {"observables": observables, "trajectory": trajectory}
