"""eigenvalue(k) read as the 0-based index k: the second observable gets the third mode.

Kind: off-by-one index
"""

from correct import SOLVER, Waveguide  # noqa: F401


class ZeroBased(Waveguide):
    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        wanted = {name: int(obs["args"][0]) for name, obs in spec["si"]["observables"].items()}
        values = self.eigenvalues(max(wanted.values()) + 1)
        return {name: float(values[k]) for name, k in wanted.items()}


def solve(spec, resolution):
    return ZeroBased().solve(spec, resolution)
