"""Finite-volume Fisher-KPP that refines space but keeps 400 time steps.

Kind: study: time step not refined
The study refines h only; the O(dt^2) error of the fixed step stays, and the study
converges to the answer of the 400-step scheme.
"""

import numpy as np
from scipy.linalg import solve_banded

SOLVER = {
    "name": "fisher_fv_cn_newton",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [1600, 3200, 6400],
    "max_resolution": 12800,
    "discretization": {"method": "finite_volume", "scheme": "crank_nicolson"},
}
LEVEL = 0.5


def initial_profile(spec, xc, p):
    text = spec["initial"]["conditions"][0]["value"].replace("^", "**")
    env = {"tanh": np.tanh, "exp": np.exp, "sqrt": np.sqrt, "pi": np.pi, "x": xc, **p}
    return np.broadcast_to(eval(text, {"__builtins__": {}}, env), xc.shape).astype(float)


def diffusion(u, h, D):
    """Net diffusive inflow per cell volume; zero flux through the two end faces."""
    flux = np.zeros(u.size + 1)
    flux[1:-1] = -D * (u[1:] - u[:-1]) / h
    return -(flux[1:] - flux[:-1]) / h


def crossing(u, xc):
    idx = np.nonzero((u[:-1] >= LEVEL) & (u[1:] < LEVEL))[0]
    if idx.size == 0:
        return np.nan
    j = idx[-1]
    return xc[j] + (u[j] - LEVEL) / (u[j] - u[j + 1]) * (xc[j + 1] - xc[j])


def cn_step(u, dt, h, D, r):
    m = u.size
    k = D / h**2
    explicit = u + 0.5 * dt * (diffusion(u, h, D) + r * u * (1.0 - u))
    v = u.copy()
    for _ in range(20):
        g = v - 0.5 * dt * (diffusion(v, h, D) + r * v * (1.0 - v)) - explicit
        diag = np.full(m, 2.0 * k)
        diag[0] = diag[-1] = k
        ab = np.zeros((3, m))
        ab[0, 1:] = -0.5 * dt * k
        ab[2, :-1] = -0.5 * dt * k
        ab[1] = 1.0 + 0.5 * dt * diag - 0.5 * dt * r * (1.0 - 2.0 * v)
        dv = solve_banded((1, 1), ab, -g)
        v += dv
        if np.max(np.abs(dv)) < 1e-13:
            break
    return v


def solve(spec, resolution):
    si = spec["si"]
    p = si["parameters"]
    D, r = p["D"], p["r"]
    a, b = si["coordinates"]["x"]
    t0, t1 = si["time"]
    n = int(resolution)
    h = (b - a) / n
    xc = a + h * (np.arange(n) + 0.5)
    c_star = 2.0 * np.sqrt(r * D)
    steps = 400
    dt = (t1 - t0) / steps
    u = initial_profile(spec, xc, p)
    middle = None
    for k in range(steps):
        u = cn_step(u, dt, h, D, r)
        if k + 1 == steps // 2:
            middle = crossing(u, xc)
    speed = (crossing(u, xc) - middle) / (0.5 * (t1 - t0))
    return {name: float(speed) for name in si["observables"]}
