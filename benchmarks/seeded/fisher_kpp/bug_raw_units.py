"""Reads D and r as the numbers written in the spec, ignoring their units.

Kind: units: conversion slip
"""

from correct import SOLVER, Fisher  # noqa: F401


class RawUnits(Fisher):
    def coefficients(self):
        raw = {p["name"]: p["value"] for p in self.spec["equations"]["parameters"]}
        return float(raw["D"]), float(raw["r"])

    def solve(self, spec, resolution):
        self.spec = spec
        return super().solve(spec, resolution)


def solve(spec, resolution):
    return RawUnits().solve(spec, resolution)
