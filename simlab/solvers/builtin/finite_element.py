"""Finite elements (scikit-fem) as registered solvers: ``fem_p2`` and ``fem_p1``.

Family ``general``, registered after the engine: the registry picks them when neither a family
kernel nor the box engine fits, i.e. on the dialect's disk, annulus and L-shape; on 1-D, 2-D
and 3-D boxes they are the independent cross-solve of the finite-difference engine and
kernels (``certify_spec(spec, solver_name="fem_p2")``).
"""

from __future__ import annotations

from simlab.fem import FemProblem, formal_order, read_fem_problem, solve_fem
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.families import GENERAL
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

RESOLUTIONS = {1: ((8, 16, 32), 8192), 2: (None, None), 3: ((2, 4, 8), 16)}
"""First triple and largest resolution by dimension (``None``: the class's own). A 3-D box
at n = 16 holds 33^3 = 35937 order-2 unknowns on the unit cube (hexahedra)."""
EVOLUTION_3D_LARGEST = 12
"""A 3-D evolution factorises a 3-D operator and steps ``~ n`` times: at n = 16 one cross-solve
of specs/general/18 took 650 s on the loaded machine (SuperLU fill-in grows faster than the
study's cost model assumes), far past CROSS_BUDGET; n = 12 took 14 s and confirmed."""


class _FiniteElementSolver(SpecDrivenSolver[FemProblem]):
    order = 2

    def analyse(self, problem: Problem) -> FemProblem | str:
        # The disk, annulus and L-shape are not in the Problem yet (its geometry is a box):
        # the finite-element reader still reads their shapes from the spec.
        fem = read_fem_problem(problem.spec)
        if isinstance(fem, str):
            return fem
        self.formal_order = formal_order(fem, self.order)
        triple, largest = RESOLUTIONS[fem.dimension]
        if fem.dimension == 3 and fem.capacity != 0.0:
            largest = EVOLUTION_3D_LARGEST
        self.resolutions = triple or type(self).resolutions
        self.max_resolution = largest or type(self).max_resolution
        return fem

    def solve(self, spec: Spec, resolution: int) -> Solution:
        return self.remember(solve_fem(self.problem(spec), int(resolution), self.order))


class FemP2Solver(_FiniteElementSolver):
    """P2 triangles (isoparametric on curved boundaries): order 3 stationary, 2 in time."""

    name = "fem_p2"
    family = GENERAL
    formal_order = 3.0
    order = 2
    resolutions = (8, 16, 32)
    max_resolution = 512


class FemP1Solver(_FiniteElementSolver):
    """P1 triangles: order 2."""

    name = "fem_p1"
    family = GENERAL
    formal_order = 2.0
    order = 1
    resolutions = (16, 32, 64)
    max_resolution = 1024
