"""Reads the diffusivity's number as written in the spec, ignoring its unit.

Kind: units: conversion slip
Right whenever kappa is written in m^2/s; 2000 cm^2/s becomes 2000 m^2/s.
"""

from correct import SOLVER, Heat1D  # noqa: F401


class RawUnits(Heat1D):
    def setup(self, spec, n):
        super().setup(spec, n)
        raw = {p["name"]: p["value"] for p in spec["equations"]["parameters"]}
        self.kappa = float(raw["kappa"])
        self.steps = self.time_steps(n)
        self.dt = (self.t1 - self.t0) / self.steps


def solve(spec, resolution):
    return RawUnits().solve(spec, resolution)
