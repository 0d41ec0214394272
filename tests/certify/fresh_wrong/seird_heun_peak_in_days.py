# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Heun's method on its own uniform grid; the peak time is handed back in days, not seconds.

Plain numbers only. Bug: unit slip on one output (peak_time / 86400).
"""
import math

SOLVER = {
    "name": "heun_epidemic",
    "family": "ode",
    "formal_order": 2,
    "resolutions": [2000, 4000, 8000],
    "discretization": {"method": "ode", "integrator": "heun"},
}


def _f(p, s):
    S, E, I, R, D = s
    inf = p["beta"] * S * I / p["N"]
    return [-inf, inf - p["sigma"] * E, p["sigma"] * E - (p["gamma"] + p["mu"]) * I,
            p["gamma"] * I, p["mu"] * I]


def solve(spec, resolution):
    p = spec["si"]["parameters"]
    t0, t1 = spec["si"]["time"]
    dt = (t1 - t0) / resolution
    s = [p["N"] - p["I0"], 0.0, p["I0"], 0.0, 0.0]
    for _ in range(resolution):
        k1 = _f(p, s)
        k2 = _f(p, [a + dt * b for a, b in zip(s, k1)])
        s = [a + 0.5 * dt * (b + c) for a, b, c in zip(s, k1, k2)]
    return {"final_deaths": s[4], "peak_time": _refine(p, t0, t1, resolution) / 86400.0}


def _refine(p, t0, t1, n):
    # march again and locate I' = 0 by linear interpolation of the slope
    dt = (t1 - t0) / n
    s = [p["N"] - p["I0"], 0.0, p["I0"], 0.0, 0.0]
    g_old = _f(p, s)[2]
    t = t0
    for _ in range(n):
        k1 = _f(p, s)
        k2 = _f(p, [a + dt * b for a, b in zip(s, k1)])
        s = [a + 0.5 * dt * (b + c) for a, b, c in zip(s, k1, k2)]
        t += dt
        g = _f(p, s)[2]
        if g_old > 0 >= g:
            return t - dt + dt * g_old / (g_old - g)
        g_old = g
    return math.nan
