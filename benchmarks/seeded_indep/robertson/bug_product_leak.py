"""Robertson Radau IIA (trajectory returned) in which 0.9 % of the dimer product is lost.

Kind: conservation: 0.9 % leak
dy3/dt = 0.991 k2 y2^2: y1 + y2 + y3 drifts below 1.
"""

import numpy as np

SOLVER = {
    "name": "robertson_radau_iia2",
    "family": "ode_stiff",
    "formal_order": 3.0,
    "resolutions": [100, 200, 400],
    "max_resolution": 25600,
    "discretization": {"method": "ode", "integrator": "radau3"},
}
A = np.array([[5 / 12, -1 / 12], [3 / 4, 1 / 4]])
SPECIES = ("y1", "y2", "y3")


class Kinetics:
    def __init__(self, p):
        self.k1, self.k2, self.k3 = p["k1"], p["k2"], p["k3"]

    def f(self, y):
        a, b, c = y
        fast = self.k3 * b * c
        dimer = self.k2 * b * b
        return np.array([-self.k1 * a + fast, self.k1 * a - fast - dimer, 0.991 * dimer])

    def J(self, y):
        a, b, c = y
        k1, k2, k3 = self.k1, self.k2, self.k3
        return np.array(
            [
                [-k1, k3 * c, k3 * b],
                [k1, -k3 * c - 2 * k2 * b, -k3 * b],
                [0.0, 2 * 0.991 * k2 * b, 0.0],
            ]
        )

    def step(self, y, h):
        z = np.zeros((2, 3))
        for _ in range(40):
            stages = y + z
            F = np.array([self.f(s) for s in stages])
            G = (z - h * A @ F).ravel()
            Js = [self.J(s) for s in stages]
            M = np.eye(6)
            for i in range(2):
                for j in range(2):
                    M[3 * i : 3 * i + 3, 3 * j : 3 * j + 3] -= h * A[i, j] * Js[j]
            dz = np.linalg.solve(M, -G).reshape(2, 3)
            z += dz
            if np.max(np.abs(dz)) < 1e-15:
                break
        return y + z[1]  # stiffly accurate: the last stage is the step's end


def times(t0, t1, n, ts=1e-5):
    return t0 + ts * ((1 + (t1 - t0) / ts) ** (np.arange(n + 1) / n) - 1)


def solve(spec, resolution):
    si = spec["si"]
    model = Kinetics(si["parameters"])
    t = times(*si["time"], int(resolution))
    init = {c["unknown"]: float(c["value"]) for c in spec["initial"]["conditions"]}
    ys = np.empty((t.size, 3))
    ys[0] = [init[s] for s in SPECIES]
    for k in range(t.size - 1):
        ys[k + 1] = model.step(ys[k], t[k + 1] - t[k])
    end = {s: float(ys[-1, i]) for i, s in enumerate(SPECIES)}
    observables = {name: end[o["function"]] for name, o in si["observables"].items()}
    trajectory = {"t": t.tolist(), **{s: ys[:, i].tolist() for i, s in enumerate(SPECIES)}}
    return {"observables": observables, "trajectory": trajectory}
