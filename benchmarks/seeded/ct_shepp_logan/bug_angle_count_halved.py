"""n_angles read as 'projections per 360 degrees': only half of them used over 180 degrees,
and the positivity clip of the iterations dropped.

Kind: ct: 360 instead of 180 degrees
"""

from correct import SOLVER, Ct  # noqa: F401
from skimage.transform import iradon, iradon_sart


class Halved(Ct):
    def setup(self, spec, resolution):
        super().setup(spec, resolution)
        self.count = max(4, self.count // 2)

    def reconstruct(self, data, theta):
        image = iradon(data, theta, filter_name="ramp", circle=True)
        for _ in range(self.sweeps):
            image = iradon_sart(data, theta, image=image, relaxation=self.relaxation)
        return image


def solve(spec, resolution):
    return Halved().solve(spec, resolution)
