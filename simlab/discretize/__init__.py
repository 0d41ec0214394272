"""The general method-of-lines engine on structured grids (1-D, 2-D, 3-D), from a Problem.

>>> from simlab.problem import compile_problem
>>> from simlab.discretize import discretize, solve_problem
>>> d = discretize(compile_problem(spec), 32)     # F(u, p), J(u, p), dF/dp
>>> sol = solve_problem(compile_problem(spec), 32)
"""

from simlab.discretize.api import Discretized, discretize
from simlab.discretize.solve import solve_problem, step_plan
from simlab.discretize.system import FORMAL_ORDER, EngineError

__all__ = ["FORMAL_ORDER", "Discretized", "EngineError", "discretize", "solve_problem", "step_plan"]
