"""First step u1 = u0 + dt v0: the Taylor term dt^2/2 c^2 u_xx is left out.

Kind: order: first-order start
The start error O(dt^2) is carried by leapfrog as an O(dt) error at the final time.
"""

from correct import SOLVER, Wave1D  # noqa: F401


class EulerStart(Wave1D):
    def first_step(self, u0, v0):
        return u0 + self.dt * v0


def solve(spec, resolution):
    return EulerStart().solve(spec, resolution)
