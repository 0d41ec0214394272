"""Strang splitting with the second reaction half step forgotten.

Kind: dropped source term
Only half of the reaction acts each step: the growth rate is effectively r / 2.
"""

from correct import SOLVER, Fisher  # noqa: F401


class HalfReaction(Fisher):
    def run(self, spec):
        u = self.initial(spec)
        bands = self.laplacian_bands()
        half = self.steps // 2
        middle = None
        for k in range(self.steps):
            u = self.reaction(u, 0.5 * self.dt)
            u = self.diffuse(u, k, bands)
            if k + 1 == half:
                middle = self.front(u)
        return middle, self.front(u)


def solve(spec, resolution):
    return HalfReaction().solve(spec, resolution)
