# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""scipy BDF at tolerances tied to the resolution; the end time is read as hours
(t1 * 3600 s). Plain numbers."""
from scipy.integrate import solve_ivp

SOLVER = {
    "name": "bdf_hours",
    "family": "ode",
    "formal_order": 1.0,
    "resolutions": [100, 200, 400],
    "discretization": {"method": "ode", "integrator": "bdf"},
}


def solve(spec, resolution):
    k = spec["si"]["parameters"]
    t0, t1 = spec["si"]["time"]

    def rhs(t, y):
        a, b, c = y
        return [-k["k1"] * a + k["k3"] * b * c,
                k["k1"] * a - k["k3"] * b * c - k["k2"] * b * b,
                k["k2"] * b * b]

    tol = 1e-4 / resolution
    out = solve_ivp(rhs, (t0, t1 * 3600.0), [1.0, 0.0, 0.0], method="BDF", rtol=tol, atol=tol * 1e-6)
    y = out.y[:, -1]
    return {"y1_end": y[0], "y2_end": y[1], "y3_end": y[2]}
