"""Front speed averaged over the whole run [0, T] instead of the spec's window [T/2, T].

Kind: observable: wrong averaging window
The early, slower transient enters the average.
"""

from correct import SOLVER, Fisher  # noqa: F401


class FullWindow(Fisher):
    def run(self, spec):
        start = self.front(self.initial(spec))
        _, end = super().run(spec)
        return start, end

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        start, end = self.run(spec)
        speed = (end - start) / (self.t1 - self.t0)
        return {name: float(speed) for name in spec["si"]["observables"]}


def solve(spec, resolution):
    return FullWindow().solve(spec, resolution)
