"""TE cut-offs by finite volumes with the x and y spacings exchanged.

Kind: geometry: axes swapped
neumann_1d(n, hy) along x and neumann_1d(n, hx) along y: the guide is b x a instead of a x b.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

SOLVER = {
    "name": "te_cells_eigsh",
    "family": "eigenvalue",
    "formal_order": 2.0,
    "resolutions": [96, 192, 384],
    "max_resolution": 768,
    "discretization": {"method": "finite_volume", "scheme": "central_5_point"},
}


def neumann_1d(m, h):
    main = np.full(m, 2.0)
    main[0] = main[-1] = 1.0
    return sp.diags([-np.ones(m - 1), main, -np.ones(m - 1)], [-1, 0, 1]) / h**2


def solve(spec, resolution):
    si = spec["si"]
    (x0, x1), (y0, y1) = si["coordinates"]["x"], si["coordinates"]["y"]
    n = int(resolution)
    hx, hy = (x1 - x0) / n, (y1 - y0) / n
    A = sp.kronsum(neumann_1d(n, hy), neumann_1d(n, hx), format="csc")
    wanted = [int(o["args"][0]) for o in si["observables"].values()]
    count = max(wanted) + 3
    scale = 1.0 / min(x1 - x0, y1 - y0) ** 2
    values = np.sort(eigsh(A, k=count, sigma=-scale, which="LM", return_eigenvectors=False))
    modes = values[values > 1e-8 * values[-1]]
    return {name: float(modes[int(o["args"][0]) - 1]) for name, o in si["observables"].items()}
