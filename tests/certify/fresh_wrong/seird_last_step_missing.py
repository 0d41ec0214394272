# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Classical RK4 that stops one step short of the end time and returns its trajectory
(t runs to t1 - h). The reported end values are the last state."""
import numpy as np

SOLVER = {
    "name": "rk4_short",
    "family": "ode",
    "formal_order": 4,
    "resolutions": [1000, 2000, 4000],
    "discretization": {"method": "ode", "integrator": "rk4"},
}


def solve(spec, resolution):
    p = spec["si"]["parameters"]
    t0, t1 = spec["si"]["time"]
    h = (t1 - t0) / resolution

    def f(y):
        S, E, I, R, D = y
        n = p["beta"] * S * I / p["N"]
        return np.array([-n, n - p["sigma"] * E, p["sigma"] * E - (p["gamma"] + p["mu"]) * I,
                         p["gamma"] * I, p["mu"] * I])

    y = np.array([p["N"] - p["I0"], 0, p["I0"], 0, 0], float)
    Y = [y]
    for _ in range(resolution - 1):
        k1 = f(y); k2 = f(y + h / 2 * k1); k3 = f(y + h / 2 * k2); k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        Y.append(y)
    Y = np.array(Y)
    t = t0 + h * np.arange(len(Y))
    k = int(np.argmax(Y[:, 2]))
    traj = {"t": t.tolist(), **{nm: Y[:, i].tolist() for i, nm in enumerate("SEIRD")}}
    return {"observables": {"final_deaths": float(Y[-1, 4]), "peak_time": float(t[k])},
            "trajectory": traj}
