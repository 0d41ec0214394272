"""Robertson BDF2 that stops one step before the end of its graded grid.

Kind: time: final time off by one step
``range(1, len(t) - 2)``: on a geometric grid the last step is the longest, so the state is
read well before T.
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
    return np.array([-k1 * a + k3 * b * c, k1 * a - k3 * b * c - k2 * b * b, k2 * b * b])


def jac(y, k1, k2, k3):
    a, b, c = y
    return np.array(
        [[-k1, k3 * c, k3 * b], [k1, -k3 * c - 2 * k2 * b, -k3 * b], [0.0, 2 * k2 * b, 0.0]]
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
    for i in range(1, len(t) - 2):
        h = t[i + 1] - t[i]
        w = h / h_old
        known = ((1 + w) ** 2 * y - w * w * y_old) / (1 + 2 * w)
        y_new = implicit(known, h * (1 + w) / (1 + 2 * w), y, k)
        y_old, y, h_old = y, y_new, h
    names = {"y1": 0, "y2": 1, "y3": 2}
    return {name: float(y[names[o["function"]]]) for name, o in si["observables"].items()}
