"""Returns the cutoff wavenumber kc (1/m) where the spec asks for kc^2 (1/m^2).

Kind: units: conversion slip
"""

import numpy as np
from correct import SOLVER, Waveguide  # noqa: F401


class Root(Waveguide):
    def eigenvalues(self, count):
        return np.sqrt(super().eigenvalues(count))


def solve(spec, resolution):
    return Root().solve(spec, resolution)
