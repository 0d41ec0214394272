"""The time-only cross-solve: Runge-Kutta on the first-order reduction of the ODEs.

The general engine integrates time-only problems (ODEs, systems, higher-order equations) by
Crank-Nicolson, order 2. This check integrates the same Problem by another method family:
higher-order equations reduced to first order (:func:`simlab.problem.ode.first_order_system`),
then the fixed-step explicit classical Runge-Kutta method (order 4, quintic Hermite dense
output), or Radau IIA (order 5, implicit, on the geometric time grid) when the system is
stiff (the explicit method would need more than ``max_resolution / 4`` steps at
``h rho = 1/8``, ``rho`` the Jacobian's largest spectral radius along a pilot run). Fixed
steps give its own convergence study a clean order, hence its own error bound. Not
registered: the registry never chooses it to answer a spec, only to check one.
"""

from __future__ import annotations

from simlab.problem import Problem
from simlab.solvers.builtin.ode import RungeKuttaOdeSolver
from simlab.solvers.protocol import SpecSolver


class ReducedOdeSolver(RungeKuttaOdeSolver, register=False):
    """Time-only Problems of any order: rk4, or radau5 when stiff (cross-solve only)."""

    name = "ode_reduced_rk"
    reduce_order = True
    stiffness_switch = True

    def _method(self, problem: Problem) -> tuple[str, str | None, str]:
        # a cross-check runs its own method, never the primary's planned integrator
        return "rk4", None, "cross-solve: classical Runge-Kutta on the first-order reduction"

    def independent_of(self, primary: SpecSolver) -> bool:
        # the ODE kernels run the same integrators (their sibling is their cross-check)
        return not isinstance(primary, RungeKuttaOdeSolver)
