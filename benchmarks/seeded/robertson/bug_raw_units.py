"""Rate constants read as the numbers written in the spec, ignoring their units.

Kind: units: conversion slip
'k1: 288 1/h' becomes 288 1/s.
"""

from correct import SOLVER, Robertson  # noqa: F401


class RawUnits(Robertson):
    def setup(self, spec, n):
        self.raw = {p["name"]: float(p["value"]) for p in spec["equations"]["parameters"]}
        super().setup(spec, n)

    def rates(self):
        return self.raw["k1"], self.raw["k2"], self.raw["k3"]


def solve(spec, resolution):
    return RawUnits().solve(spec, resolution)
