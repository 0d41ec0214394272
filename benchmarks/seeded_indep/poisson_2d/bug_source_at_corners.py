"""Cell-centred Poisson that samples the source at each cell's lower-left corner.

Kind: source evaluated at the wrong location (cell corner for centre)
f(x_c - h/2, y_c - h/2): a first-order error in the load, the study sees order 1.
"""

import numpy as np
import scipy.sparse as sp
from scipy.interpolate import RectBivariateSpline
from scipy.sparse.linalg import spsolve

SOLVER = {
    "name": "poisson_cell_centred_fv",
    "family": "elliptic",
    "formal_order": 2.0,
    "resolutions": [64, 128, 256],
    "max_resolution": 2048,
    "discretization": {"method": "finite_volume", "scheme": "central_5_point"},
}


def expression(text, p, **where):
    env = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "pi": np.pi, **p, **where}
    return eval(text.replace("^", "**"), {"__builtins__": {}}, env)


def one_d(m, h):
    """-d2/dx2 on m cells, Dirichlet walls by mirrored ghosts (3 on the end diagonals)."""
    main = np.full(m, 2.0)
    main[0] = main[-1] = 3.0
    return sp.diags([-np.ones(m - 1), main, -np.ones(m - 1)], [-1, 0, 1]) / h**2


def solve(spec, resolution):
    si = spec["si"]
    p = dict(si["parameters"])
    (x0, x1), (y0, y1) = si["coordinates"]["x"], si["coordinates"]["y"]
    h = min(x1 - x0, y1 - y0) / int(resolution)
    nx, ny = round((x1 - x0) / h), round((y1 - y0) / h)
    xc = x0 + h * (np.arange(nx) + 0.5)
    yc = y0 + h * (np.arange(ny) + 0.5)
    X, Y = np.meshgrid(xc, yc, indexing="ij")
    f = np.broadcast_to(
        expression(spec["equations"]["definitions"]["f"], p, x=X - h / 2, y=Y - h / 2), X.shape
    )
    walls = {
        c["boundary"]: float(expression(c["value"], p)) for c in spec["boundary"]["conditions"]
    }
    rhs = np.array(f, float)
    rhs[0, :] += 2.0 * walls["left"] / h**2
    rhs[-1, :] += 2.0 * walls["right"] / h**2
    rhs[:, 0] += 2.0 * walls["bottom"] / h**2
    rhs[:, -1] += 2.0 * walls["top"] / h**2
    A = sp.kron(one_d(nx, h), sp.identity(ny)) + sp.kron(sp.identity(nx), one_d(ny, h))
    u = spsolve(A.tocsc(), rhs.ravel()).reshape(nx, ny)
    full = np.empty((nx + 2, ny + 2))
    full[1:-1, 1:-1] = u
    full[0, :], full[-1, :] = walls["left"], walls["right"]
    full[:, 0], full[:, -1] = walls["bottom"], walls["top"]
    xs = np.concatenate([[x0], xc, [x1]])
    ys = np.concatenate([[y0], yc, [y1]])
    spline = RectBivariateSpline(xs, ys, full, kx=3, ky=3)
    observables = {
        name: float(spline(o["at"]["x"], o["at"]["y"])[0, 0])
        for name, o in si["observables"].items()
    }
    return {
        "observables": observables,
        "fields": {"u": full.tolist()},
        "grid": {"x": xs.tolist(), "y": ys.tolist()},
    }
