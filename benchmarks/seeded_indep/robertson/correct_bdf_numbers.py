"""Robertson kinetics by variable-step BDF2 on a log-graded time grid; plain numbers out.

Correct. Step sizes grow geometrically from t_s = 1e-6 s to the end of the run; one
backward-Euler start step, then the variable-coefficient BDF2 formula with Newton iterations
on the analytic Jacobian. Second order; ``resolution`` = number of steps. Returns only the
three end values (no trajectory). A forcing term of the spec (``si["forcing"]``, simlab's
manufactured solutions) enters each implicit stage at the new time level.
"""

import numpy as np

SOLVER = {
    "name": "robertson_vbdf2",
    "family": "ode_stiff",
    "formal_order": 2.0,
    "resolutions": [400, 800, 1600],
    "max_resolution": 102400,
    "discretization": {"method": "ode", "integrator": "bdf2"},
    "forcing": True,
}
T_SMALL = 1.0e-6
NUMPY = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt, "pi": np.pi}


def source(si):
    """t -> the three forcing terms (zeros when the spec has none)."""
    texts = [si.get("forcing", {}).get(name) for name in ("y1", "y2", "y3")]
    codes = [compile(text, "<spec>", "eval") if text else None for text in texts]
    env = {**NUMPY, **si["parameters"]}

    def at(t):
        local = {**env, "t": t}
        return np.array([eval(c, {"__builtins__": {}}, local) if c else 0.0 for c in codes])

    return at


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
    env = {**NUMPY, **p, "t": t[0]}
    start = {
        c["unknown"]: float(eval(str(c["value"]), {"__builtins__": {}}, env))
        for c in spec["initial"]["conditions"]
    }
    force = source(si)
    y_old = np.array([start["y1"], start["y2"], start["y3"]], float)
    h_old = t[1] - t[0]
    y = implicit(y_old + h_old * force(t[1]), h_old, y_old, k)
    for i in range(1, len(t) - 1):
        h = t[i + 1] - t[i]
        w = h / h_old
        beta = h * (1 + w) / (1 + 2 * w)
        known = ((1 + w) ** 2 * y - w * w * y_old) / (1 + 2 * w) + beta * force(t[i + 1])
        y_new = implicit(known, beta, y, k)
        y_old, y, h_old = y, y_new, h
    names = {"y1": 0, "y2": 1, "y3": 2}
    return {name: float(y[names[o["function"]]]) for name, o in si["observables"].items()}
