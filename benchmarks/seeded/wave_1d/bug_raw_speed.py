"""Reads the wave speed as the number written in the spec, ignoring its unit.

Kind: units: conversion slip
Right for 'c: 1 m/s', wrong for '50 cm/s'.
"""

from correct import SOLVER, Wave1D  # noqa: F401


class RawSpeed(Wave1D):
    def setup(self, spec, n):
        self.raw = {p["name"]: p["value"] for p in spec["equations"]["parameters"]}
        super().setup(spec, n)

    def speed(self):
        return float(self.raw["c"])


def solve(spec, resolution):
    return RawSpeed().solve(spec, resolution)
