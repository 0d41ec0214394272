"""Fisher-KPP u_t = D u_xx + r u (1 - u), zero-flux ends: Strang splitting, second order.

Half a step of the exact logistic flow, one Crank-Nicolson diffusion step (ghost-node
Neumann closure, second order), half a logistic step; the first diffusion step is two
backward-Euler half steps (Rannacher start, damps the steep initial data). dt ~ h with an
even step count, so T/2 is a time level. Observable: mean speed of the u = 1/2 crossing over
[T/2, T]. A forcing term of the spec (simlab's manufactured solutions) is a fourth piece of
the symmetric splitting, around the diffusion step. Correct reference of the seeded-bug corpus.
"""

import numpy as np
from scipy.linalg import solve_banded

SOLVER = {
    "name": "fisher_strang",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [1000, 2000, 4000],
    "max_resolution": 16384,
    "discretization": {"method": "finite_difference", "scheme": "crank_nicolson"},
    "forcing": True,
}

FUNCTIONS = {
    "pi": np.pi,
    "sin": np.sin,
    "cos": np.cos,
    "exp": np.exp,
    "tanh": np.tanh,
    "sqrt": np.sqrt,
}


def evaluate(text, **names):
    return eval(text.replace("^", "**"), {"__builtins__": {}}, {**FUNCTIONS, **names})


class Fisher:
    level = 0.5
    source = None  # the spec's forcing term of u (simlab's manufactured specs), compiled

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.D, self.r = self.coefficients()
        self.a, self.b = si["coordinates"]["x"]
        self.t0, self.t1 = si["time"]
        self.n = n
        self.x = np.linspace(self.a, self.b, n + 1)
        self.dx = (self.b - self.a) / n
        speed = 2.0 * np.sqrt(self.r * self.D)
        per_cell = 2 * max(1, int(np.ceil(speed * (self.t1 - self.t0) / (self.b - self.a))))
        self.steps = n * per_cell
        self.dt = (self.t1 - self.t0) / self.steps
        text = si.get("forcing", {}).get("u")
        self.source = compile(text, "<spec>", "eval") if text else None

    def forced(self, u, t, tau):
        """Exact flow of u' = F(x, t) over [t, t + tau] (midpoint rule, O(tau^3))."""
        if self.source is None:
            return u
        env = {**FUNCTIONS, **self.p, "x": self.x, "t": t + 0.5 * tau}
        return u + tau * np.broadcast_to(eval(self.source, {"__builtins__": {}}, env), u.shape)

    def coefficients(self):
        return self.p["D"], self.p["r"]

    def initial(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        return np.broadcast_to(evaluate(text, x=self.x, **self.p), self.x.shape).astype(float)

    def reaction(self, u, tau):
        """Exact flow of u' = r u (1 - u) over tau."""
        g = np.exp(self.r * tau)
        return u * g / (1.0 + u * (g - 1.0))

    def laplacian_bands(self):
        """D u_xx with ghost-node Neumann ends, as banded rows (upper, diag, lower)."""
        m = self.n + 1
        k = self.D / self.dx**2
        upper, diag, lower = k * np.ones(m), -2.0 * k * np.ones(m), k * np.ones(m)
        upper[1] = 2.0 * k  # row 0: (2 u1 - 2 u0) / dx^2
        lower[-2] = 2.0 * k  # row n: (2 u_{n-1} - 2 u_n) / dx^2
        return upper, diag, lower

    def apply(self, bands, u):
        upper, diag, lower = bands
        out = diag * u
        out[:-1] += upper[1:] * u[1:]
        out[1:] += lower[:-1] * u[:-1]
        return out

    def banded(self, bands, factor):
        upper, diag, lower = bands
        ab = np.zeros((3, diag.size))
        ab[0] = -factor * upper
        ab[1] = 1.0 - factor * diag
        ab[2] = -factor * lower
        return ab

    def diffuse(self, u, k, bands):
        if k == 0:  # Rannacher start: two backward-Euler half steps
            ab = self.banded(bands, 0.5 * self.dt)
            return solve_banded((1, 1), ab, solve_banded((1, 1), ab, u))
        ab = self.banded(bands, 0.5 * self.dt)
        return solve_banded((1, 1), ab, u + 0.5 * self.dt * self.apply(bands, u))

    def front(self, u):
        above = np.flatnonzero((u[:-1] >= self.level) & (u[1:] < self.level))
        if above.size == 0:
            return np.nan
        j = above[-1]
        return self.x[j] + (u[j] - self.level) / (u[j] - u[j + 1]) * self.dx

    def run(self, spec):
        u = self.initial(spec)
        bands = self.laplacian_bands()
        half = self.steps // 2
        middle = None
        for k in range(self.steps):
            t = self.t0 + k * self.dt
            u = self.reaction(u, 0.5 * self.dt)
            u = self.forced(u, t, 0.5 * self.dt)  # symmetric: forcing around the diffusion
            u = self.diffuse(u, k, bands)
            u = self.forced(u, t + 0.5 * self.dt, 0.5 * self.dt)
            u = self.reaction(u, 0.5 * self.dt)
            if k + 1 == half:
                middle = self.front(u)
        return middle, self.front(u)

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        middle, end = self.run(spec)
        speed = (end - middle) / (0.5 * (self.t1 - self.t0))
        return {name: float(speed) for name in spec["si"]["observables"]}


def solve(spec, resolution):
    return Fisher().solve(spec, resolution)
