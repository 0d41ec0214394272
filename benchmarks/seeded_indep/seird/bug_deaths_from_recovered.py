"""SEIR-D RK4 loops whose final_deaths reads the R compartment.

Kind: wrong compartment: R returned for D
A copy-paste of the index: final_deaths comes from 'SEIRD'.index('R').
"""

from scipy.optimize import brentq

SOLVER = {
    "name": "seird_rk4_loops",
    "family": "ode",
    "formal_order": 4.0,
    "resolutions": [2000, 4000, 8000],
    "max_resolution": 128000,
    "discretization": {"method": "ode", "integrator": "rk4"},
}


def rates(p):
    return p["beta"], p["sigma"], p["gamma"], p["mu"], p["N"]


def derivative(y, beta, sigma, gamma, mu, N):
    S, E, I, R, D = y
    new = beta * S * I / N
    return (-new, new - sigma * E, sigma * E - (gamma + mu) * I, gamma * I, mu * I)


def rk4(y, h, k):
    a = derivative(y, *k)
    b = derivative(tuple(v + 0.5 * h * d for v, d in zip(y, a)), *k)
    c = derivative(tuple(v + 0.5 * h * d for v, d in zip(y, b)), *k)
    d4 = derivative(tuple(v + h * d for v, d in zip(y, c)), *k)
    return tuple(v + h / 6.0 * (p + 2 * q + 2 * r + s) for v, p, q, r, s in zip(y, a, b, c, d4))


def start(spec, p):
    env = {"N": p["N"], "I0": p["I0"]}
    found = {
        c["unknown"]: float(eval(c["value"], {"__builtins__": {}}, env))
        for c in spec["initial"]["conditions"]
    }
    return tuple(found[name] for name in "SEIRD")


def growth(y, k):
    beta, sigma, gamma, mu, N = k
    return sigma * y[1] - (gamma + mu) * y[2]


def solve(spec, resolution):
    si = spec["si"]
    k = rates(si["parameters"])
    t0, t1 = si["time"]
    n = int(resolution)
    h = (t1 - t0) / n
    y = start(spec, si["parameters"])
    peak = None
    for step in range(n):
        nxt = rk4(y, h, k)
        if peak is None and growth(y, k) > 0.0 >= growth(nxt, k):
            base = y
            s = brentq(lambda s: growth(rk4(base, s, k), k), 0.0, h, xtol=1e-10, rtol=1e-15)
            peak = t0 + step * h + s
        y = nxt
    out = {}
    for name, obs in si["observables"].items():
        if obs["function"] == "peak_time":
            out[name] = float(peak if peak is not None else t1)
        else:
            out[name] = float(y["SEIRD".index("R" if obs["function"] == "D" else obs["function"])])
    return out
