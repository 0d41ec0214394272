# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Method of lines: second-order finite differences with ghost-node Neumann ends, scipy's BDF
in time at a tolerance tied to the grid; the speed is measured over [T/4, T] instead of
[T/2, T]. Plain numbers."""
import numpy as np
from scipy.integrate import solve_ivp
from scipy.sparse import diags

SOLVER = {
    "name": "mol_bdf_front",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [4, 8, 16],
    "max_resolution": 64,
    "discretization": {"method": "method_of_lines", "integrator": "bdf"},
}


def _front(x, u, level):
    i = np.nonzero((u[:-1] >= level) & (u[1:] < level))[0][-1]
    return x[i] + (u[i] - level) * (x[i + 1] - x[i]) / (u[i] - u[i + 1])


def solve(spec, resolution):
    P = spec["si"]["parameters"]
    lo, hi = spec["si"]["coordinates"]["x"]
    t0, t1 = spec["si"]["time"]
    n = int(round((hi - lo) * resolution)) + 1
    x = np.linspace(lo, hi, n)
    h = x[1] - x[0]
    main = -2.0 * np.ones(n)
    up = np.ones(n - 1)
    up[0] = 2.0
    dn = np.ones(n - 1)
    dn[-1] = 2.0
    L = diags([dn, main, up], [-1, 0, 1], format="csr") * (P["D"] / h**2)

    def rhs(t, u):
        return L @ u + P["r"] * u * (1 - u)

    def jac(t, u):
        return L + diags(P["r"] * (1 - 2 * u))

    u0 = 0.5 * (1 - np.tanh((x - P["x0"]) / P["w"]))
    ta = t0 + 0.25 * (t1 - t0)
    sol = solve_ivp(rhs, (t0, t1), u0, method="BDF", jac=jac, t_eval=[ta, t1],
                    rtol=1e-3 * h**2, atol=1e-9)
    xa = _front(x, sol.y[:, 0], 0.5)
    xb = _front(x, sol.y[:, 1], 0.5)
    return {"front_speed": (xb - xa) / (t1 - ta)}
