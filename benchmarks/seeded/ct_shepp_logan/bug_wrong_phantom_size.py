"""Data simulated on a 64-pixel grid and the image upsampled to 128 ('to save time').

Kind: grid: resolution mismatch
"""

from correct import OVERSAMPLING, SOLVER, Ct  # noqa: F401
from skimage.transform import resize

from simlab.solvers.kernels.ct import phantom, sinogram


class Small(Ct):
    def solve(self, spec, resolution):
        self.setup(spec, int(resolution))
        full = self.size
        self.size = full // 2
        data = sinogram(self.size, self.angles(), OVERSAMPLING)
        image = resize(self.reconstruct(data, self.angles()), (full, full), order=1)
        self.size = full
        truth = phantom(full, OVERSAMPLING)
        values = self.metrics(image, truth)
        observables = {name: values[name] for name in spec["si"]["observables"]}
        return {"observables": observables, "fields": {"f": image.tolist()}}


def solve(spec, resolution):
    return Small().solve(spec, resolution)
