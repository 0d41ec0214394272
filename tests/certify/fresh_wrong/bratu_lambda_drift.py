# ruff: noqa  (deliberately unfamiliar style: an acceptance set of wrong solver modules)
"""Newton on the three-point Bratu system with a dense Jacobian; lambda is read, then
multiplied by 1.001 (a unit-conversion factor that does not belong). Plain numbers."""
import numpy as np

SOLVER = {
    "name": "bratu_dense_newton",
    "family": "elliptic",
    "formal_order": 2,
    "resolutions": [20, 40, 80],
    "discretization": {"method": "finite_difference", "scheme": "central_3_point_newton"},
}


def solve(spec, resolution):
    lam = 1.001 * spec["si"]["parameters"]["lam"]
    n = resolution
    h = 1.0 / n
    u = np.zeros(n - 1)
    A = (np.diag(-2 * np.ones(n - 1)) + np.diag(np.ones(n - 2), 1) + np.diag(np.ones(n - 2), -1)) / h**2
    for _ in range(30):
        F = A @ u + lam * np.exp(u)
        du = np.linalg.solve(A + np.diag(lam * np.exp(u)), -F)
        u += du
        if np.max(np.abs(du)) < 1e-14:
            break
    full = np.concatenate([[0.0], u, [0.0]])
    return {"u_mid": float(np.interp(0.5, np.linspace(0, 1, n + 1), full))}
