# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""RK4 for the deaths, but the peak time is a value computed once at the calibration point
(76.6179 days) and returned whatever the parameters. Plain numbers."""
SOLVER = {
    "name": "rk4_cached_peak",
    "family": "ode",
    "formal_order": 4,
    "resolutions": [800, 1600, 3200],
    "discretization": {"method": "ode", "integrator": "rk4"},
}
PEAK_SECONDS = 76.61792145 * 86400.0


def solve(spec, resolution):
    p = spec["si"]["parameters"]
    t0, t1 = spec["si"]["time"]
    h = (t1 - t0) / resolution
    S, E, I, R, D = p["N"] - p["I0"], 0.0, p["I0"], 0.0, 0.0

    def f(S, E, I, R, D):
        n = p["beta"] * S * I / p["N"]
        return (-n, n - p["sigma"] * E, p["sigma"] * E - (p["gamma"] + p["mu"]) * I,
                p["gamma"] * I, p["mu"] * I)

    y = (S, E, I, R, D)
    for _ in range(resolution):
        k1 = f(*y)
        k2 = f(*[a + h / 2 * b for a, b in zip(y, k1)])
        k3 = f(*[a + h / 2 * b for a, b in zip(y, k2)])
        k4 = f(*[a + h * b for a, b in zip(y, k3)])
        y = tuple(a + h / 6 * (b + 2 * c + 2 * d + e) for a, b, c, d, e in zip(y, k1, k2, k3, k4))
    return {"final_deaths": y[4], "peak_time": PEAK_SECONDS}
