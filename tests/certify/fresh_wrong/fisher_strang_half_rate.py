# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Strang splitting: exact logistic substeps around a Crank-Nicolson diffusion step on a node
grid; the reaction substeps each use r/2 for a half step of dt/2 (the rate is halved twice).
Returns the front positions as a trajectory of one number, no fields."""
import numpy as np
from scipy.linalg import solve_banded

SOLVER = {
    "name": "strang_front",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [4, 8, 16],
    "max_resolution": 64,
    "discretization": {"method": "finite_difference", "scheme": "strang_splitting"},
}


def _logistic(u, r, tau):
    e = np.exp(r * tau)
    return u * e / (1 - u + u * e)


def _front(x, u, level=0.5):
    i = np.nonzero((u[:-1] >= level) & (u[1:] < level))[0][-1]
    return x[i] + (u[i] - level) * (x[i + 1] - x[i]) / (u[i] - u[i + 1])


def solve(spec, resolution):
    P = spec["si"]["parameters"]
    lo, hi = spec["si"]["coordinates"]["x"]
    t0, t1 = spec["si"]["time"]
    n = int(round((hi - lo) * resolution)) + 1
    x = np.linspace(lo, hi, n)
    h = x[1] - x[0]
    dt = h
    steps = int(round((t1 - t0) / dt))
    dt = (t1 - t0) / steps
    mu = P["D"] * dt / h**2
    ab = np.zeros((3, n))
    ab[0, 1:] = -mu / 2
    ab[1, :] = 1 + mu
    ab[2, :-1] = -mu / 2
    ab[0, 1] = -mu
    ab[2, -2] = -mu
    u = 0.5 * (1 - np.tanh((x - P["x0"]) / P["w"]))
    x_half = None
    for k in range(steps):
        u = _logistic(u, P["r"] / 2, dt / 2)
        lap = np.empty(n)
        lap[1:-1] = u[:-2] - 2 * u[1:-1] + u[2:]
        lap[0] = 2 * (u[1] - u[0])
        lap[-1] = 2 * (u[-2] - u[-1])
        u = solve_banded((1, 1), ab, u + mu / 2 * lap)
        u = _logistic(u, P["r"] / 2, dt / 2)
        if k + 1 == steps // 2:
            x_half = _front(x, u)
    return {"front_speed": (_front(x, u) - x_half) / (t1 - t0 - (steps // 2) * dt)}
