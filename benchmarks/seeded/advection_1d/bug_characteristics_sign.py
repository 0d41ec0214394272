"""Method of characteristics with the foot of the characteristic at x + a t instead of x - a t.

Kind: sign error
The exact transport u(x, t) = u0(x - a t) written with the wrong sign; it looks exact on
every grid (no discretisation error at all).
"""

import numpy as np
from correct import SOLVER, Advection1D, evaluate  # noqa: F401


class Characteristics(Advection1D):
    def run(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        length = self.x1 - self.x0
        foot = self.x0 + (self.x + self.speed * (self.t1 - self.t0) - self.x0) % length
        return np.broadcast_to(evaluate(text, x=foot, **self.p), self.x.shape).astype(float)


def solve(spec, resolution):
    return Characteristics().solve(spec, resolution)
