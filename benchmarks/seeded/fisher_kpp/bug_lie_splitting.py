"""Lie splitting (a full reaction step, then diffusion) declared as second order.

Kind: order: first-order method declared second order
Strang's symmetric half steps were 'simplified' away: the splitting error is O(dt).
"""

from correct import SOLVER, Fisher  # noqa: F401


class Lie(Fisher):
    def run(self, spec):
        u = self.initial(spec)
        bands = self.laplacian_bands()
        half = self.steps // 2
        middle = None
        for k in range(self.steps):
            u = self.reaction(u, self.dt)
            u = self.diffuse(u, k, bands)
            if k + 1 == half:
                middle = self.front(u)
        return middle, self.front(u)


def solve(spec, resolution):
    return Lie().solve(spec, resolution)
