# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Backward Euler in time, finite differences on a node grid whose right boundary node is
duplicated (n + 2 nodes over [0, L], the spacing L/(n+1) used as if it were L/n). Returns
plain numbers, the midpoint value interpolated linearly."""
import numpy as np
from scipy.sparse import diags
from scipy.sparse.linalg import splu

SOLVER = {
    "name": "btcs_duplicated",
    "family": "parabolic",
    "formal_order": 1.0,
    "resolutions": [16, 32, 64],
    "discretization": {"method": "finite_difference", "scheme": "backward_euler"},
}


def solve(spec, resolution):
    P = spec["si"]["parameters"]
    a, b = spec["si"]["coordinates"]["x"]
    t0, t1 = spec["si"]["time"]
    n = int(resolution * (b - a))
    x = np.linspace(a, b, n + 2)          # one node too many
    h = (b - a) / n                       # ... but the spacing of n intervals
    steps = 4 * n
    dt = (t1 - t0) / steps
    m = n  # interior nodes 1..n
    lap = diags([np.ones(m - 1), -2 * np.ones(m), np.ones(m - 1)], [-1, 0, 1]) / h**2
    lu = splu((diags(np.ones(m)) - dt * P["kappa"] * lap).tocsc())
    u = P["u0"] * np.sin(np.pi * x / P["L"])
    inner = u[1:-1].copy()
    for _ in range(steps):
        inner = lu.solve(inner)
    u[1:-1] = inner
    u[0] = u[-1] = 0.0
    where = spec["si"]["observables"]["u_mid"]["at"]["x"]
    return {"u_mid": float(np.interp(where, x, u))}
