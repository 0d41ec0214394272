"""One Newton step from u = 0 ('the problem is only mildly nonlinear').

Kind: iteration: not converged
"""

from correct import SOLVER, Bratu  # noqa: F401


class OneStep(Bratu):
    max_iterations = 1


def solve(spec, resolution):
    return OneStep().solve(spec, resolution)
