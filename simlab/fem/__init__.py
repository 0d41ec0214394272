"""Finite elements on scikit-fem: an independent second method for elliptic and parabolic
problems, on boxes and on the dialect's disk, annulus and L-shape.

>>> from simlab.fem import cross_solve
>>> cross_solve(spec, 32)          # {"u_center": ...} in SI, P2 elements
"""

from simlab.fem.cross import cross_solve, fem_solution
from simlab.fem.reader import FemProblem, read_fem_problem
from simlab.fem.solve import formal_order, solve_fem

__all__ = [
    "FemProblem",
    "cross_solve",
    "fem_solution",
    "formal_order",
    "read_fem_problem",
    "solve_fem",
]
