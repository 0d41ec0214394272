"""dt = cfl dx / |a| kept and int(T / dt) steps taken: the run ends before T.

Kind: time: final time not reached
"""

from correct import SOLVER, Advection1D  # noqa: F401


class ShortRun(Advection1D):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.dt = self.cfl * self.dx / abs(self.speed)
        self.steps = int((self.t1 - self.t0) / self.dt)


def solve(spec, resolution):
    return ShortRun().solve(spec, resolution)
