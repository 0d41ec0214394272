"""Integrates over 400 days, the spec's span, hard-coded.

Kind: hard-coded parameter
"""

import numpy as np
from correct import SOLVER, Seird  # noqa: F401


class FixedSpan(Seird):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.t1 = self.t0 + 400 * 86400.0
        self.h = (self.t1 - self.t0) / n
        self.t = self.t0 + self.h * np.arange(n + 1)


def solve(spec, resolution):
    return FixedSpan().solve(spec, resolution)
