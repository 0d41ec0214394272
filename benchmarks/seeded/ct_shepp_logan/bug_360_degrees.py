"""Reconstruction told the projections span 360 degrees; they were taken over 180.

Kind: ct: 360 instead of 180 degrees
Every back-projection is smeared to the wrong direction: doubled edges and streaks.
"""

import numpy as np
from correct import SOLVER, Ct  # noqa: F401


class FullTurn(Ct):
    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        data, truth = self.acquire()
        told = np.linspace(0.0, 360.0, self.count, endpoint=False)
        image = self.reconstruct(data, told)
        values = self.metrics(image, truth)
        observables = {name: values[name] for name in spec["si"]["observables"]}
        return {"observables": observables, "fields": {"f": image.tolist()}}


def solve(spec, resolution):
    return FullTurn().solve(spec, resolution)
