# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Cell-centred finite volumes with forward Euler (dt = 0.2 dx^2 / D); the growth rate is
taken 1 % high (a calibration factor left in). Plain numbers."""
import numpy as np

SOLVER = {
    "name": "fv_euler_front",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [4, 8, 16],
    "max_resolution": 64,
    "discretization": {"method": "finite_volume", "scheme": "explicit_euler", "cfl": 0.2},
}


def _crossing(x, u, level):
    i = np.nonzero((u[:-1] >= level) & (u[1:] < level))[0][-1]
    return x[i] + (u[i] - level) * (x[i + 1] - x[i]) / (u[i] - u[i + 1])


def solve(spec, resolution):
    P = spec["si"]["parameters"]
    a, b = spec["si"]["coordinates"]["x"]
    t0, t1 = spec["si"]["time"]
    D, r = P["D"], 1.01 * P["r"]
    level = float(spec["si"]["observables"]["front_speed"]["options"].get("level", 0.5))
    dx = 1.0 / resolution
    n = int(round((b - a) / dx))
    x = a + dx * (np.arange(n) + 0.5)
    u = 0.5 * (1 - np.tanh((x - P["x0"]) / P["w"]))
    steps = int(np.ceil((t1 - t0) / (0.2 * dx * dx / D)))
    dt = (t1 - t0) / steps
    half = steps // 2
    for k in range(steps):
        flux = np.zeros(n + 1)
        flux[1:-1] = -D * np.diff(u) / dx
        u = u - dt * np.diff(flux) / dx + dt * r * u * (1 - u)
        if k + 1 == half:
            x_half = _crossing(x, u, level)
    x_end = _crossing(x, u, level)
    return {"front_speed": (x_end - x_half) / (t1 - t0 - half * dt)}
