"""Parallel-beam CT of the Shepp-Logan phantom: filtered back-projection, then 3 SART sweeps.

The acquisition (data and reference image) comes from simlab's CT kernel, as a measured data
set would; the reconstruction and the quality metrics are this module's own (scikit-image).
``resolution`` r uses round(n_angles * r / 4) of the spec's angles over its angle range, so
r = 4 is the full acquisition. No formal order (the error saturates at the pixel floor).
Correct reference of the seeded-bug corpus.
"""

import numpy as np
from skimage.metrics import peak_signal_noise_ratio
from skimage.transform import iradon, iradon_sart

from simlab.solvers.kernels.ct import phantom, sinogram

SOLVER = {
    "name": "ct_fbp_sart",
    "family": "inverse",
    "formal_order": float("nan"),
    "resolutions": [1, 2, 4],
    "max_resolution": 4,
    "discretization": {"method": "filtered_back_projection", "scheme": "ramp_filter_then_sart"},
}
OVERSAMPLING = 3


class Ct:
    sweeps = 3
    relaxation = 0.15

    def setup(self, spec, resolution):
        si = spec["si"]
        self.size = int(spec["domain"]["grid"].get("nx", 128))
        self.span = np.degrees(si["parameters"]["angle_range"])
        self.count = max(4, round(si["parameters"]["n_angles"] * resolution / 4))

    def angles(self):
        return np.linspace(0.0, self.span, self.count, endpoint=False)

    def acquire(self):
        return sinogram(self.size, self.angles(), OVERSAMPLING), phantom(self.size, OVERSAMPLING)

    def reconstruct(self, data, theta):
        image = np.clip(iradon(data, theta, filter_name="ramp", circle=True), 0.0, None)
        for _ in range(self.sweeps):
            image = iradon_sart(data, theta, image=image, relaxation=self.relaxation)
            image = np.clip(image, 0.0, None)
        return image

    def disk(self):
        c = np.arange(self.size) - self.size // 2
        return (c[:, None] ** 2 + c[None, :] ** 2) <= (self.size // 2) ** 2

    def metrics(self, image, truth):
        d = self.disk()
        return {
            "psnr": float(
                peak_signal_noise_ratio(truth, image, data_range=truth.max() - truth.min())
            ),
            "relative_error": float(np.linalg.norm(image[d] - truth[d]) / np.linalg.norm(truth[d])),
        }

    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        data, truth = self.acquire()
        image = self.reconstruct(data, self.angles())
        values = self.metrics(image, truth)
        observables = {name: values[name] for name in spec["si"]["observables"]}
        return {"observables": observables, "fields": {"f": image.tolist()}}


def solve(spec, resolution):
    return Ct().solve(spec, resolution)
