"""Works in the spec's written units (days) throughout and returns the peak time in days.

Kind: units: conversion slip
Rates and times read as written; the result is never converted back to seconds, and a
rate written per hour is taken as per day.
"""

import numpy as np
from correct import SOLVER, Seird  # noqa: F401


class Days(Seird):
    def setup(self, spec, n):
        raw = {p["name"]: float(p["value"]) for p in spec["equations"]["parameters"]}
        self.p = raw
        self.beta, self.sigma, self.gamma, self.mu = (
            raw["beta"],
            raw["sigma"],
            raw["gamma"],
            raw["mu"],
        )
        self.N = raw["N"]
        self.t0, self.t1 = spec["domain"]["time"]["lower"], spec["domain"]["time"]["upper"]
        self.n = n
        self.h = (self.t1 - self.t0) / n
        self.t = self.t0 + self.h * np.arange(n + 1)

    def solve(self, spec, resolution):
        out = super().solve(spec, resolution)
        out["trajectory"]["t"] = [v * 86400.0 for v in out["trajectory"]["t"]]
        return out


def solve(spec, resolution):
    return Days().solve(spec, resolution)
