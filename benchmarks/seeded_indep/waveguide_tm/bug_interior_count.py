"""TM cut-offs with n interior nodes per side on an n-cell grid.

Kind: off-by-one: duplicated boundary node
m = n instead of n - 1: the last interior node sits on the wall, which is counted twice:
the guide is one cell too wide.
"""

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.linalg import eigsh

SOLVER = {
    "name": "tm_vertex_loops",
    "family": "eigenvalue",
    "formal_order": 2.0,
    "resolutions": [48, 96, 192],
    "max_resolution": 768,
    "discretization": {"method": "finite_difference", "scheme": "central_5_point"},
}


def assemble(n, hx, hy):
    m = n
    rows, cols, vals = [], [], []

    def index(i, j):
        return i * m + j

    for i in range(m):
        for j in range(m):
            k = index(i, j)
            rows.append(k)
            cols.append(k)
            vals.append(2.0 / hx**2 + 2.0 / hy**2)
            for di, dj, h in ((-1, 0, hx), (1, 0, hx), (0, -1, hy), (0, 1, hy)):
                a, b = i + di, j + dj
                if 0 <= a < m and 0 <= b < m:
                    rows.append(k)
                    cols.append(index(a, b))
                    vals.append(-1.0 / h**2)
    return coo_matrix((vals, (rows, cols)), shape=(m * m, m * m)).tocsc()


def solve(spec, resolution):
    si = spec["si"]
    (x0, x1), (y0, y1) = si["coordinates"]["x"], si["coordinates"]["y"]
    n = int(resolution)
    A = assemble(n, (x1 - x0) / n, (y1 - y0) / n)
    wanted = max(int(o["args"][0]) for o in si["observables"].values())
    values = np.sort(eigsh(A, k=wanted + 2, sigma=0.0, which="LM", return_eigenvectors=False))
    return {name: float(values[int(o["args"][0]) - 1]) for name, o in si["observables"].items()}
