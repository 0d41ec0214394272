"""Bratu solver with the Numerov weights dropped from the source (declared fourth order).

Kind: method: scheme differs from the declared one
lam e^{u_i} instead of lam (e^{u_{i-1}} + 10 e^{u_i} + e^{u_{i+1}}) / 12: second order.
"""

import numpy as np
from scipy.linalg import solve_banded

SOLVER = {
    "name": "bratu_numerov",
    "family": "elliptic",
    "formal_order": 4.0,
    "resolutions": [16, 32, 64],
    "max_resolution": 2048,
    "discretization": {"method": "finite_difference", "scheme": "central_4th_order"},
}


def residual(u, lam, h):
    e = np.exp(u)
    r = np.zeros_like(u)
    r[1:-1] = (u[:-2] - 2 * u[1:-1] + u[2:]) / h**2 + lam * e[1:-1]
    return r[1:-1]


def newton(lam, n, h):
    u = np.zeros(n + 1)
    for _ in range(60):
        e = np.exp(u)
        m = n - 1
        ab = np.zeros((3, m))
        ab[0, 1:] = 1 / h**2
        ab[1] = -2 / h**2 + lam * e[1:-1]
        ab[2, :-1] = 1 / h**2
        du = solve_banded((1, 1), ab, -residual(u, lam, h))
        u[1:-1] += du
        if np.max(np.abs(du)) < 1e-15:
            break
    return u


def lagrange(x, u, where, width=6):
    j = int(np.clip(np.searchsorted(x, where) - width // 2, 0, x.size - width))
    xs, ys = x[j : j + width], u[j : j + width]
    total = 0.0
    for i in range(width):
        others = np.delete(xs, i)
        total += ys[i] * np.prod((where - others) / (xs[i] - others))
    return float(total)


def solve(spec, resolution):
    si = spec["si"]
    lam = si["parameters"]["lam"]
    x0, x1 = si["coordinates"]["x"]
    n = int(resolution)
    h = (x1 - x0) / n
    x = np.linspace(x0, x1, n + 1)
    u = newton(lam, n, h)
    observables = {name: lagrange(x, u, o["at"]["x"]) for name, o in si["observables"].items()}
    return {"observables": observables, "fields": {"u": u.tolist()}, "grid": {"x": x.tolist()}}
