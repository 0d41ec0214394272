"""Reads the velocity as the number written in the spec, ignoring its unit.

Kind: units: conversion slip
"""

from correct import SOLVER, Advection1D  # noqa: F401


class RawUnits(Advection1D):
    def setup(self, spec, n):
        self.raw = {p["name"]: p["value"] for p in spec["equations"]["parameters"]}
        super().setup(spec, n)

    def velocity(self):
        return float(self.raw["a"])


def solve(spec, resolution):
    return RawUnits().solve(spec, resolution)
