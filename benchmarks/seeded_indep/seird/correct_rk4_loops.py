"""SEIR-D with plain-Python RK4 loops; returns the two observables as plain numbers.

Correct. State is a tuple (S, E, I, R, D) in persons, time in seconds. The infection peak is
the root of dI/dt = sigma E - (gamma + mu) I inside the step where it changes sign, found by
re-taking a single RK4 sub-step of length s from the step's start and solving for s (brentq):
fourth order like the integrator. ``resolution`` = number of steps over [t0, t1]. A forcing
term of the spec (``si["forcing"]``, simlab's manufactured solutions) is added to each rate.
"""

import math

from scipy.optimize import brentq

SOLVER = {
    "name": "seird_rk4_loops",
    "family": "ode",
    "formal_order": 4.0,
    "resolutions": [2000, 4000, 8000],
    "max_resolution": 128000,
    "discretization": {"method": "ode", "integrator": "rk4"},
    "forcing": True,
}
MATH = {"sin": math.sin, "cos": math.cos, "exp": math.exp, "sqrt": math.sqrt, "pi": math.pi}


def forcing(si):
    """A function of t giving the five forcing terms, or None when the spec has none."""
    terms = [si.get("forcing", {}).get(name) for name in "SEIRD"]
    if not any(terms):
        return None
    codes = [compile(t, "<spec>", "eval") if t else None for t in terms]
    env = {**MATH, **si["parameters"]}

    def at(t):
        local = {**env, "t": t}
        return tuple(eval(c, {"__builtins__": {}}, local) if c else 0.0 for c in codes)

    return at


def rates(p):
    return p["beta"], p["sigma"], p["gamma"], p["mu"], p["N"]


def derivative(y, t, k, force):
    beta, sigma, gamma, mu, N = k
    S, E, I, R, D = y
    new = beta * S * I / N
    out = (-new, new - sigma * E, sigma * E - (gamma + mu) * I, gamma * I, mu * I)
    return out if force is None else tuple(a + b for a, b in zip(out, force(t)))


def rk4(y, t, h, k, force):
    a = derivative(y, t, k, force)
    b = derivative(tuple(v + 0.5 * h * d for v, d in zip(y, a)), t + 0.5 * h, k, force)
    c = derivative(tuple(v + 0.5 * h * d for v, d in zip(y, b)), t + 0.5 * h, k, force)
    d4 = derivative(tuple(v + h * d for v, d in zip(y, c)), t + h, k, force)
    return tuple(v + h / 6.0 * (p + 2 * q + 2 * r + s) for v, p, q, r, s in zip(y, a, b, c, d4))


def start(spec, p, t0):
    env = {**MATH, **p, "t": t0}
    found = {
        c["unknown"]: float(eval(c["value"], {"__builtins__": {}}, env))
        for c in spec["initial"]["conditions"]
    }
    return tuple(found[name] for name in "SEIRD")


def growth(y, t, k, force):
    return derivative(y, t, k, force)[2]


def solve(spec, resolution):
    si = spec["si"]
    k = rates(si["parameters"])
    t0, t1 = si["time"]
    n = int(resolution)
    h = (t1 - t0) / n
    force = forcing(si)
    y = start(spec, si["parameters"], t0)
    peak = None
    for step in range(n):
        t = t0 + step * h
        nxt = rk4(y, t, h, k, force)
        if peak is None and growth(y, t, k, force) > 0.0 >= growth(nxt, t + h, k, force):
            base = y

            def slope(s, base=base, t=t):
                return growth(rk4(base, t, s, k, force), t + s, k, force)

            peak = t + brentq(slope, 0.0, h, xtol=1e-10, rtol=1e-15)
        y = nxt
    out = {}
    for name, obs in si["observables"].items():
        if obs["function"] == "peak_time":
            out[name] = float(peak if peak is not None else t1)
        else:
            out[name] = float(y["SEIRD".index(obs["function"])])
    return out
