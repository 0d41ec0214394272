"""One Newton iteration per step ('it converges quadratically anyway').

Kind: iteration: not converged
The stages are left at the first linearisation: a linearly implicit method of lower order
than the declared Radau IIA order 3.
"""

from correct import SOLVER, Robertson  # noqa: F401


class OneNewton(Robertson):
    newton_max = 1


def solve(spec, resolution):
    return OneNewton().solve(spec, resolution)
