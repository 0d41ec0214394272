"""Time span divided by 3600 ('the rates are per hour'): the run covers 40 s / 3600.

Kind: units: conversion slip
"""

from correct import SOLVER, Robertson  # noqa: F401


class Hours(Robertson):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.t1 = self.t0 + (self.t1 - self.t0) / 3600.0
        self.t = self.time_grid(n)

    def solve(self, spec, resolution):
        out = super().solve(spec, resolution)
        span = spec["si"]["time"]
        t = out["trajectory"]["t"]
        out["trajectory"]["t"] = [span[0] + (v - span[0]) * 3600.0 for v in t]
        return out


def solve(spec, resolution):
    return Hours().solve(spec, resolution)
