"""Wavelength taken as 'the number written, in nanometres'.

Kind: units: conversion slip
Right for '500 nm', wrong for '0.633 um'.
"""

from correct import SOLVER, Fresnel  # noqa: F401


class Nanometres(Fresnel):
    def geometry(self):
        a, z, _ = super().geometry()
        raw = {p["name"]: p["value"] for p in self.spec["equations"]["parameters"]}
        return a, z, float(raw["wavelength"]) * 1e-9

    def solve(self, spec, resolution):
        self.spec = spec
        return super().solve(spec, resolution)


def solve(spec, resolution):
    return Nanometres().solve(spec, resolution)
