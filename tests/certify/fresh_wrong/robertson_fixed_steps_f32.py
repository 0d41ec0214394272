# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Linearly implicit Euler in float32 on a geometric grid of its own of 150 steps, whatever the
resolution asked for (resolution ignored): the answer does not change under refinement and
is off by about 1 %. Plain numbers."""
import numpy as np

SOLVER = {
    "name": "rosenbrock1_f32",
    "family": "ode",
    "formal_order": 1,
    "resolutions": [4000, 8000, 16000],
    "discretization": {"method": "ode", "integrator": "backward_euler"},
}


def solve(spec, resolution):
    k = spec["si"]["parameters"]
    t0, t1 = spec["si"]["time"]
    k1, k2, k3 = k["k1"], k["k2"], k["k3"]
    first = 1e-6
    grid = np.concatenate([[t0], t0 + np.geomspace(first, t1 - t0, 150)])
    y = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    for a, b in zip(grid[:-1], grid[1:]):
        h = np.float32(b - a)
        y1, y2, y3 = (float(v) for v in y)
        f = np.array([-k1 * y1 + k3 * y2 * y3, k1 * y1 - k3 * y2 * y3 - k2 * y2 * y2, k2 * y2 * y2])
        J = np.array([[-k1, k3 * y3, k3 * y2],
                      [k1, -k3 * y3 - 2 * k2 * y2, -k3 * y2],
                      [0, 2 * k2 * y2, 0]])
        dy = np.linalg.solve(np.eye(3) - float(h) * J, float(h) * f)
        y = (y + dy.astype(np.float32)).astype(np.float32)
    return {"y1_end": float(y[0]), "y2_end": float(y[1]), "y3_end": float(y[2])}
