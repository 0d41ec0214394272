"""SART with relaxation 1.9 and 10 sweeps ('faster convergence').

Kind: iteration: over-relaxation
scikit-image's SART is semi-convergent; an over-relaxed, long run amplifies noise and
model error instead of fitting the image.
"""

from correct import SOLVER, Ct  # noqa: F401


class OverRelaxed(Ct):
    sweeps = 10
    relaxation = 1.9


def solve(spec, resolution):
    return OverRelaxed().solve(spec, resolution)
