"""Robertson kinetics with a fixed-step 2-stage Radau IIA method (order 3, L-stable).

Steps are uniform in log(1 + t / t_s) (fine in the initial layer, long later), Newton with
the analytic Jacobian in every step. ``resolution`` = number of steps. Returns the
trajectory too, so simlab can audit it against the spec's equations. Correct reference.
"""

import numpy as np

SOLVER = {
    "name": "robertson_radau3",
    "family": "ode_stiff",
    "formal_order": 3.0,
    "resolutions": [40, 80, 160],
    "max_resolution": 20000,
    "discretization": {"method": "ode", "integrator": "radau3"},
    "forcing": True,
}
NAMES = ("y1", "y2", "y3")
FUNCTIONS = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt, "pi": np.pi}

A = np.array([[5.0 / 12.0, -1.0 / 12.0], [3.0 / 4.0, 1.0 / 4.0]])


class Robertson:
    newton_tol = 1e-14
    newton_max = 30
    terms = ()  # compiled forcing terms per unknown (simlab's manufactured specs)
    now = 0.0  # the start of the current step

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.k1, self.k2, self.k3 = self.rates()
        self.t0, self.t1 = si["time"]
        self.now = self.t0
        terms = si.get("forcing", {})
        self.terms = tuple(
            compile(terms[k], "<spec>", "eval") if k in terms else None for k in NAMES
        )
        self.n = n
        self.t = self.time_grid(n)

    def rates(self):
        return self.p["k1"], self.p["k2"], self.p["k3"]

    def time_grid(self, n):
        span = self.t1 - self.t0
        scale = 1e-5 * span
        s = np.linspace(0.0, np.log1p(span / scale), n + 1)
        t = self.t0 + scale * np.expm1(s)
        t[-1] = self.t1
        return t

    def initial(self, spec):
        env = {**FUNCTIONS, **self.p, "t": self.now}
        values = {
            c["unknown"]: float(eval(str(c["value"]), {"__builtins__": {}}, env))
            for c in spec["initial"]["conditions"]
        }
        return np.array([values["y1"], values["y2"], values["y3"]])

    def forcing(self, t):
        """The spec's forcing terms at t, added to each equation (zero when there are none)."""
        if not any(self.terms):
            return 0.0
        env = {**FUNCTIONS, **self.p, "t": t}
        return np.array([eval(c, {"__builtins__": {}}, env) if c else 0.0 for c in self.terms])

    def rhs(self, y):
        fast = self.k3 * y[1] * y[2]
        dimer = self.k2 * y[1] * y[1]
        return np.array([-self.k1 * y[0] + fast, self.k1 * y[0] - fast - dimer, dimer])

    def jacobian(self, y):
        k1, k2, k3 = self.k1, self.k2, self.k3
        return np.array(
            [
                [-k1, k3 * y[2], k3 * y[1]],
                [k1, -k3 * y[2] - 2.0 * k2 * y[1], -k3 * y[1]],
                [0.0, 2.0 * k2 * y[1], 0.0],
            ]
        )

    def step(self, y, h):
        stages = np.concatenate([y, y])
        for _ in range(self.newton_max):
            Y = stages.reshape(2, 3)
            t = self.now
            F = np.array([self.rhs(Y[0]), self.rhs(Y[1])]) + self.forcing_at(t, h)
            residual = stages - np.concatenate([y, y]) - h * (A @ F).ravel()
            J = [self.jacobian(Y[0]), self.jacobian(Y[1])]
            M = np.eye(6) - h * np.block([[A[i, j] * J[j] for j in range(2)] for i in range(2)])
            delta = np.linalg.solve(M, residual)
            stages = stages - delta
            if np.max(np.abs(delta)) <= self.newton_tol:
                break
        return stages[3:]

    def forcing_at(self, t, h):
        """Forcing at the two Radau IIA stages (c = 1/3, 1), shaped like the stage rates."""
        if not any(self.terms):
            return 0.0
        return np.array([self.forcing(t + h / 3.0), self.forcing(t + h)])

    def run(self, spec):
        y = self.initial(spec)
        states = [y]
        for k in range(self.n):
            self.now = self.t[k]
            y = self.step(y, self.t[k + 1] - self.t[k])
            states.append(y)
        return np.array(states)

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        states = self.run(spec)
        names = NAMES
        end = dict(zip(names, states[-1], strict=False))
        observables = {}
        for name, obs in spec["si"]["observables"].items():
            observables[name] = float(end[obs["function"]])
        trajectory = {
            "t": self.t.tolist(),
            **{k: states[:, i].tolist() for i, k in enumerate(names)},
        }
        return {"observables": observables, "trajectory": trajectory}


def solve(spec, resolution):
    return Robertson().solve(spec, resolution)
