"""Angles handed to scikit-image in radians; iradon expects degrees.

Kind: units: conversion slip
"""

import numpy as np
from correct import SOLVER, Ct  # noqa: F401


class Radians(Ct):
    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        data, truth = self.acquire()
        image = self.reconstruct(data, np.radians(self.angles()))
        values = self.metrics(image, truth)
        observables = {name: values[name] for name in spec["si"]["observables"]}
        return {"observables": observables, "fields": {"f": image.tolist()}}


def solve(spec, resolution):
    return Radians().solve(spec, resolution)
