"""Built-in spec-driven solvers: importing a module registers its solvers (one line each)."""

from simlab.solvers.builtin import eigen as eigen
from simlab.solvers.builtin import elliptic as elliptic
from simlab.solvers.builtin import finite_element as finite_element  # after general
from simlab.solvers.builtin import general as general
from simlab.solvers.builtin import hyperbolic as hyperbolic
from simlab.solvers.builtin import inverse as inverse
from simlab.solvers.builtin import nonlinear as nonlinear
from simlab.solvers.builtin import ode as ode
from simlab.solvers.builtin import parabolic as parabolic
from simlab.solvers.builtin import transform as transform
