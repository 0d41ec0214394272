"""The spec compiled once into a typed, immutable :class:`Problem` (SI numbers, sympy physics).

>>> from simlab.problem import compile_problem
>>> problem = compile_problem(spec)          # cached per spec object
>>> problem.geometry.faces, problem.equations[0].jet_residual, problem.functionals
"""

from simlab.problem.compile import compile_problem
from simlab.problem.model import (
    LOWER,
    UPPER,
    BoundaryCondition,
    Constraint,
    Equation,
    Face,
    Field,
    Functional,
    Geometry,
    InitialData,
    Problem,
    TimeInterval,
    Tolerance,
)

__all__ = [
    "LOWER",
    "UPPER",
    "BoundaryCondition",
    "Constraint",
    "Equation",
    "Face",
    "Field",
    "Functional",
    "Geometry",
    "InitialData",
    "Problem",
    "TimeInterval",
    "Tolerance",
    "compile_problem",
]
