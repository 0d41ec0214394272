# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Explicit midpoint rule with a hand-rolled state tuple; reports the peak of E as the epidemic
peak (wrong compartment). Plain numbers."""
import numpy as np

SOLVER = {
    "name": "midpoint_seird",
    "family": "ode",
    "formal_order": 2.0,
    "resolutions": [3000, 6000, 12000],
    "discretization": {"method": "ode", "integrator": "midpoint"},
}


def solve(spec, resolution):
    q = spec["si"]["parameters"]
    a, b = spec["si"]["time"]
    h = (b - a) / resolution
    beta, sig, gam, mu, N = q["beta"], q["sigma"], q["gamma"], q["mu"], q["N"]

    def rate(y):
        new = beta * y[0] * y[2] / N
        return np.array([-new, new - sig * y[1], sig * y[1] - (gam + mu) * y[2], gam * y[2], mu * y[2]])

    y = np.array([N - q["I0"], 0, q["I0"], 0, 0], dtype=float)
    ts, es = [a], [y[1]]
    for k in range(resolution):
        y = y + h * rate(y + 0.5 * h * rate(y))
        ts.append(a + (k + 1) * h)
        es.append(y[1])
    es = np.array(es)
    j = int(np.argmax(es))
    j = min(max(j, 1), len(es) - 2)
    # vertex of the parabola through three samples
    y0, y1, y2 = es[j - 1], es[j], es[j + 1]
    shift = 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)
    return {"final_deaths": float(y[4]), "peak_time": float(ts[j] + shift * h)}
