"""SEIR-D epidemic with classical fixed-step RK4 (order 4), in SI units (seconds).

peak_time: root of I' = sigma E - (gamma + mu) I on the cubic Hermite interpolant of the
step where I peaks (fourth order, like the integrator). ``resolution`` = steps. Returns the
trajectory too, so simlab can audit it against the spec's equations. Correct reference.
"""

import numpy as np
from scipy.optimize import brentq

SOLVER = {
    "name": "seird_rk4",
    "family": "ode",
    "formal_order": 4.0,
    "resolutions": [1600, 3200, 6400],
    "max_resolution": 200000,
    "discretization": {"method": "ode", "integrator": "rk4"},
    "forcing": True,
}
NAMES = ("S", "E", "I", "R", "D")
FUNCTIONS = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt, "pi": np.pi}


class Seird:
    terms = ()  # compiled forcing terms per unknown (simlab's manufactured specs)
    now = 0.0  # the start of the current step

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.beta, self.sigma, self.gamma, self.mu = self.rates()
        self.N = self.p["N"]
        self.t0, self.t1 = si["time"]
        self.n = n
        self.h = (self.t1 - self.t0) / n
        self.t = self.t0 + self.h * np.arange(n + 1)
        self.now = self.t0
        terms = si.get("forcing", {})
        self.terms = tuple(
            compile(terms[k], "<spec>", "eval") if k in terms else None for k in NAMES
        )

    def forcing(self, t):
        """The spec's forcing terms at t, added to each equation (zero when there are none)."""
        if not any(self.terms):
            return 0.0
        env = {**FUNCTIONS, **self.p, "t": t}
        return np.array([eval(c, {"__builtins__": {}}, env) if c else 0.0 for c in self.terms])

    def rates(self):
        return self.p["beta"], self.p["sigma"], self.p["gamma"], self.p["mu"]

    def initial(self, spec):
        names = {**FUNCTIONS, **self.p, "t": self.now}
        values = {
            c["unknown"]: float(eval(c["value"], {"__builtins__": {}}, names))
            for c in spec["initial"]["conditions"]
        }
        return np.array([values[k] for k in NAMES])

    def rhs(self, y):
        S, E, I, _R, _D = y
        infection = self.beta * S * I / self.N
        return np.array(
            [
                -infection,
                infection - self.sigma * E,
                self.sigma * E - (self.gamma + self.mu) * I,
                self.gamma * I,
                self.mu * I,
            ]
        )

    def step(self, y, h):
        t = self.now
        k1 = self.rhs(y) + self.forcing(t)
        k2 = self.rhs(y + 0.5 * h * k1) + self.forcing(t + 0.5 * h)
        k3 = self.rhs(y + 0.5 * h * k2) + self.forcing(t + 0.5 * h)
        k4 = self.rhs(y + h * k3) + self.forcing(t + h)
        return y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)

    def run(self, spec):
        y = self.initial(spec)
        states = np.empty((self.n + 1, 5))
        states[0] = y
        for k in range(self.n):
            self.now = self.t[k]
            y = self.step(y, self.h)
            states[k + 1] = y
        return states

    def growth(self, state):
        return self.sigma * state[1] - (self.gamma + self.mu) * state[2]

    def hermite(self, k, states, slopes, time):
        h = self.t[k + 1] - self.t[k]
        s = (time - self.t[k]) / h
        h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
        h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
        return h00 * states[k] + h10 * h * slopes[k] + h01 * states[k + 1] + h11 * h * slopes[k + 1]

    def peak_time(self, states):
        slopes = np.array(
            [self.rhs(y) + self.forcing(t) for y, t in zip(states, self.t, strict=False)]
        )
        k = int(np.argmax(states[:, 2]))
        left = k - 1 if slopes[k, 2] <= 0.0 else k
        left = max(0, min(left, self.n - 1))

        def g(time):
            forced = self.forcing(time)
            extra = forced[2] if np.ndim(forced) else 0.0
            return self.growth(self.hermite(left, states, slopes, time)) + extra

        a, b = self.t[left], self.t[left + 1]
        if g(a) * g(b) > 0:
            return float(self.t[k])
        return float(brentq(g, a, b, xtol=1e-12 * max(1.0, b), rtol=1e-15))

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        states = self.run(spec)
        observables = {}
        for name, obs in spec["si"]["observables"].items():
            if obs["function"] == "peak_time":
                observables[name] = self.peak_time(states)
            else:
                observables[name] = float(states[-1, NAMES.index(obs["function"])])
        trajectory = {
            "t": self.t.tolist(),
            **{k: states[:, i].tolist() for i, k in enumerate(NAMES)},
        }
        return {"observables": observables, "trajectory": trajectory}


def solve(spec, resolution):
    return Seird().solve(spec, resolution)
