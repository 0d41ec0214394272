"""The update uses (c dt / dx) where (c dt / dx)^2 belongs.

Kind: wrong coefficient
Invisible for c = 1 m/s (the spec's value), wrong for any other speed.
"""

from correct import SOLVER, Wave1D  # noqa: F401


class Linear(Wave1D):
    def first_step(self, u0, v0):
        return u0 + self.dt * v0 + 0.5 * self.c * self.dt**2 * self.second_difference(u0)

    def leapfrog(self, previous, current):
        return 2.0 * current - previous + self.c * self.dt**2 * self.second_difference(current)


def solve(spec, resolution):
    return Linear().solve(spec, resolution)
