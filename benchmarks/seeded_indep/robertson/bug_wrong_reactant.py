"""Robertson BDF2 whose third reaction consumes y1 instead of y2.

Kind: wrong compartment: rate law on the wrong species
k3 * y1 * y3 instead of k3 * y2 * y3 in the first two equations (Jacobian edited to
match); mass is still conserved, so a conservation check alone cannot see it.
"""

import numpy as np

SOLVER = {
    "name": "robertson_vbdf2",
    "family": "ode_stiff",
    "formal_order": 2.0,
    "resolutions": [400, 800, 1600],
    "max_resolution": 102400,
    "discretization": {"method": "ode", "integrator": "bdf2"},
}
T_SMALL = 1.0e-6


def rhs(y, k1, k2, k3):
    a, b, c = y
    return np.array([-k1 * a + k3 * a * c, k1 * a - k3 * a * c - k2 * b * b, k2 * b * b])


def jac(y, k1, k2, k3):
    a, b, c = y
    return np.array(
        [[-k1 + k3 * c, 0.0, k3 * a], [k1 - k3 * c, -2 * k2 * b, -k3 * a], [0.0, 2 * k2 * b, 0.0]]
    )


def implicit(known, beta, y_guess, k):
    """Solve y - beta f(y) = known by Newton."""
    y = y_guess.copy()
    for _ in range(50):
        g = y - beta * rhs(y, *k) - known
        dy = np.linalg.solve(np.eye(3) - beta * jac(y, *k), -g)
        y = y + dy
        if np.max(np.abs(dy)) < 1e-15 * (1.0 + np.max(np.abs(y))):
            break
    return y


def grid(t0, t1, n):
    q = np.arange(n + 1) / n
    return t0 + T_SMALL * ((1.0 + (t1 - t0) / T_SMALL) ** q - 1.0)


def solve(spec, resolution):
    si = spec["si"]
    p = si["parameters"]
    k = (p["k1"], p["k2"], p["k3"])
    t = grid(*si["time"], int(resolution))
    start = {c["unknown"]: float(c["value"]) for c in spec["initial"]["conditions"]}
    y_old = np.array([start["y1"], start["y2"], start["y3"]], float)
    h_old = t[1] - t[0]
    y = implicit(y_old, h_old, y_old, k)
    for i in range(1, len(t) - 1):
        h = t[i + 1] - t[i]
        w = h / h_old
        known = ((1 + w) ** 2 * y - w * w * y_old) / (1 + 2 * w)
        y_new = implicit(known, h * (1 + w) / (1 + 2 * w), y, k)
        y_old, y, h_old = y, y_new, h
    names = {"y1": 0, "y2": 1, "y3": 2}
    return {name: float(y[names[o["function"]]]) for name, o in si["observables"].items()}
