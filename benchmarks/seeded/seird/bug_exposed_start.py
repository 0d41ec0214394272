"""Starts with E = I0 as well as I = I0 ('the index cases were exposed too').

Kind: initial condition misread
"""

from correct import SOLVER, Seird  # noqa: F401


class ExposedStart(Seird):
    def initial(self, spec):
        y = super().initial(spec)
        y[1] = self.p["I0"]
        return y


def solve(spec, resolution):
    return ExposedStart().solve(spec, resolution)
