"""Heat equation u_t = kappa u_xx on [x0, x1], Dirichlet ends: Crank-Nicolson, 3-point FD.

Correct reference implementation of the seeded-bug corpus. ``resolution`` = cells; the step
follows dt ~ h (Crank-Nicolson is second order in both), so the error falls like h^2.
"""

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.linalg import solve_banded

SOLVER = {
    "name": "heat1d_crank_nicolson",
    "family": "parabolic",
    "formal_order": 2.0,
    "resolutions": [32, 64, 128],
    "max_resolution": 2048,
    "discretization": {"method": "finite_difference", "scheme": "crank_nicolson"},
}

FUNCTIONS = {"pi": np.pi, "sin": np.sin, "cos": np.cos, "exp": np.exp, "sqrt": np.sqrt}


def evaluate(text, **names):
    """A spec expression (initial or boundary data) evaluated with numpy."""
    return eval(text.replace("^", "**"), {"__builtins__": {}}, {**FUNCTIONS, **names})


class Heat1D:
    """One class, small steps: bugs in the corpus override exactly one of them."""

    def setup(self, spec, n):
        si = spec["si"]
        self.p = si["parameters"]
        self.kappa = self.p["kappa"]
        self.a, self.b = si["coordinates"]["x"]
        self.t0, self.t1 = si["time"]
        self.n = n
        self.x, self.dx = self.grid(n)
        self.steps = self.time_steps(n)
        self.dt = (self.t1 - self.t0) / self.steps

    def grid(self, n):
        x = np.linspace(self.a, self.b, n + 1)
        return x, (self.b - self.a) / n

    def time_steps(self, n):
        length = self.b - self.a
        return max(1, int(np.ceil(32.0 * n * self.kappa * (self.t1 - self.t0) / length**2)))

    def initial(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        return np.broadcast_to(evaluate(text, x=self.x, **self.p), self.x.shape).astype(float)

    def boundary_values(self, spec):
        values = {
            c["boundary"]: float(evaluate(c["value"], **self.p))
            for c in spec["boundary"]["conditions"]
        }
        return values["left"], values["right"]

    def operator(self):
        """Second difference on the interior nodes, as banded (upper, diag, lower)."""
        m = self.n - 1
        r = self.kappa / self.dx**2
        return r * np.ones(m), -2.0 * r * np.ones(m), r * np.ones(m)

    def step(self, u, left, right):
        """One Crank-Nicolson step of the interior unknowns (boundary values fixed)."""
        up, dg, lo = self.operator()
        half = 0.5 * self.dt
        inner = u[1:-1]
        rhs = inner + half * (dg * inner)
        rhs[1:] += half * lo[1:] * inner[:-1]
        rhs[:-1] += half * up[:-1] * inner[1:]
        rhs[0] += half * lo[0] * left * 2.0
        rhs[-1] += half * up[-1] * right * 2.0
        banded = np.zeros((3, inner.size))
        banded[0, 1:] = -half * up[:-1]
        banded[1] = 1.0 - half * dg
        banded[2, :-1] = -half * lo[1:]
        out = u.copy()
        out[1:-1] = solve_banded((1, 1), banded, rhs)
        out[0], out[-1] = left, right
        return out

    def run(self, spec):
        u = self.initial(spec)
        left, right = self.boundary_values(spec)
        u[0], u[-1] = left, right
        for _ in range(self.steps):
            u = self.step(u, left, right)
        return u

    def probe(self, u, where):
        return float(CubicSpline(self.x, u)(where))

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        u = self.run(spec)
        return {
            name: self.probe(u, obs["at"]["x"]) for name, obs in spec["si"]["observables"].items()
        }


def solve(spec, resolution):
    return Heat1D().solve(spec, resolution)
