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
}

A = np.array([[5.0 / 12.0, -1.0 / 12.0], [3.0 / 4.0, 1.0 / 4.0]])


class Robertson:
    newton_tol = 1e-14
    newton_max = 30

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.k1, self.k2, self.k3 = self.rates()
        self.t0, self.t1 = si["time"]
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
        values = {c["unknown"]: float(c["value"]) for c in spec["initial"]["conditions"]}
        return np.array([values["y1"], values["y2"], values["y3"]])

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
            F = np.array([self.rhs(Y[0]), self.rhs(Y[1])])
            residual = stages - np.concatenate([y, y]) - h * (A @ F).ravel()
            J = [self.jacobian(Y[0]), self.jacobian(Y[1])]
            M = np.eye(6) - h * np.block([[A[i, j] * J[j] for j in range(2)] for i in range(2)])
            delta = np.linalg.solve(M, residual)
            stages = stages - delta
            if np.max(np.abs(delta)) <= self.newton_tol:
                break
        return stages[3:]

    def run(self, spec):
        y = self.initial(spec)
        states = [y]
        for k in range(self.n):
            y = self.step(y, self.t[k + 1] - self.t[k])
            states.append(y)
        return np.array(states)

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        states = self.run(spec)
        names = ("y1", "y2", "y3")
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
