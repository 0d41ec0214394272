"""Fresnel diffraction by a slit: the paraxial field integral by composite Simpson (order 4).

U(x) = sqrt(1 / (i lambda z)) * integral over the aperture of exp(i pi (x - xi)^2 / (lambda z));
intensity |U|^2 for a unit plane wave. ``resolution`` = Simpson panels (even).
Correct reference of the seeded-bug corpus.
"""

import numpy as np

SOLVER = {
    "name": "fresnel_simpson",
    "family": "integral_transform",
    "formal_order": 4.0,
    "resolutions": [128, 256, 512],
    "max_resolution": 65536,
    "discretization": {"method": "quadrature", "scheme": "composite_simpson"},
}


class Fresnel:
    def setup(self, spec, n):
        self.p = spec["si"]["parameters"]
        self.a, self.z, self.wavelength = self.geometry()
        self.n = n + (n % 2)

    def geometry(self):
        return self.p["a"], self.p["z"], self.p["wavelength"]

    def nodes(self):
        xi = np.linspace(-self.a / 2, self.a / 2, self.n + 1)
        w = np.ones(self.n + 1)
        w[1:-1:2], w[2:-1:2] = 4.0, 2.0
        return xi, w * (self.a / self.n) / 3.0

    def phase(self, x, xi):
        return np.pi * (x - xi) ** 2 / (self.wavelength * self.z)

    def field(self, x):
        xi, w = self.nodes()
        integral = np.sum(w * np.exp(1j * self.phase(x, xi)))
        return np.sqrt(1.0 / (1j * self.wavelength * self.z)) * integral

    def intensity(self, x):
        return float(abs(self.field(x)) ** 2)

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        observables = {
            name: self.intensity(obs["at"]["x"]) for name, obs in spec["si"]["observables"].items()
        }
        return {"observables": observables, "h": 1.0 / self.n}


def solve(spec, resolution):
    return Fresnel().solve(spec, resolution)
