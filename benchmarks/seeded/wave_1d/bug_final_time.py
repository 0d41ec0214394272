"""dt = cfl dx / c kept as is and int(T / dt) steps taken: the run ends before T.

Kind: time: final time not reached
"""

from correct import SOLVER, Wave1D  # noqa: F401


class ShortRun(Wave1D):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.dt = self.cfl * self.dx / abs(self.c)
        self.steps = int((self.t1 - self.t0) / self.dt)


def solve(spec, resolution):
    return ShortRun().solve(spec, resolution)
