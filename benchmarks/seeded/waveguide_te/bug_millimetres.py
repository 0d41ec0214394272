"""Lengths converted to millimetres 'for conditioning'; the eigenvalues never converted back.

Kind: units: conversion slip
"""

from correct import SOLVER, Waveguide  # noqa: F401


class Millimetres(Waveguide):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.lx, self.ly = 1000.0 * self.lx, 1000.0 * self.ly
        self.hx, self.hy = 1000.0 * self.hx, 1000.0 * self.hy


def solve(spec, resolution):
    return Millimetres().solve(spec, resolution)
