"""Eigenvalues taken in the order eigsh returns them, without sorting.

Kind: observable: mode ordering
Shift-invert returns the eigenvalues nearest the shift last.
"""

from correct import SOLVER, Waveguide  # noqa: F401
from scipy.sparse.linalg import eigsh


class Unsorted(Waveguide):
    def eigenvalues(self, count):
        shift = -1.0 / max(self.lx, self.ly) ** 2
        values = eigsh(
            self.operator(), k=count + 2, sigma=shift, which="LM", return_eigenvectors=False
        )
        return values[values > 1e-8 * values.max()][:count]


def solve(spec, resolution):
    return Unsorted().solve(spec, resolution)
