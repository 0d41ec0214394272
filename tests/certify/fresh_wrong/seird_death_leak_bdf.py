# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Backward Euler with a Newton solve per step (numpy), own grid; the death flow is
mu*I*0.995 in D while I loses mu*I: half a percent of deaths vanish. Returns plain numbers."""
import numpy as np

SOLVER = {
    "name": "be_newton_seird",
    "family": "ode",
    "formal_order": 1.0,
    "resolutions": [4000, 8000, 16000],
    "discretization": {"method": "ode", "integrator": "backward_euler"},
}


def solve(spec, resolution):
    P = spec["si"]["parameters"]
    t0, t1 = spec["si"]["time"]
    h = (t1 - t0) / resolution
    B, s, g, m, N = P["beta"], P["sigma"], P["gamma"], P["mu"], P["N"]

    def F(y):
        S, E, I, R, D = y
        return np.array([-B * S * I / N, B * S * I / N - s * E, s * E - (g + m) * I, g * I, 0.995 * m * I])

    def J(y):
        S, E, I, R, D = y
        return np.array([
            [-B * I / N, 0, -B * S / N, 0, 0],
            [B * I / N, -s, B * S / N, 0, 0],
            [0, s, -(g + m), 0, 0],
            [0, 0, g, 0, 0],
            [0, 0, 0.995 * m, 0, 0],
        ])

    y = np.array([N - P["I0"], 0.0, P["I0"], 0.0, 0.0])
    I_prev, t_peak = -1.0, t0
    slope_prev = None
    for k in range(resolution):
        z = y.copy()
        for _ in range(8):
            r = z - y - h * F(z)
            z = z - np.linalg.solve(np.eye(5) - h * J(z), r)
        slope = s * z[1] - (g + m) * z[2]
        if slope_prev is not None and slope_prev > 0 >= slope:
            t_peak = t0 + k * h + h * slope_prev / (slope_prev - slope)
        slope_prev = slope
        y = z
    return {"final_deaths": float(y[4]), "peak_time": float(t_peak)}
