"""Supplied solvers: a documented module protocol and a sandboxed subprocess runner.

- :mod:`simlab.sandbox.protocol`: what a supplied module defines (``SOLVER``, ``solve``).
- :class:`Sandbox`: a fork server running each call in a confined child process.
- :class:`SandboxedSolver` / :func:`certify_supplied`: a module as a pipeline solver.
"""

from simlab.sandbox.limits import SandboxLimits, minimal_environment
from simlab.sandbox.protocol import SolverDeclaration, spec_payload, with_declared_discretization
from simlab.sandbox.runner import CallResult, Sandbox, SandboxCallError, shared_sandbox
from simlab.sandbox.solver import SandboxedSolver, certify_supplied

__all__ = [
    "CallResult",
    "Sandbox",
    "SandboxCallError",
    "SandboxLimits",
    "SandboxedSolver",
    "SolverDeclaration",
    "certify_supplied",
    "minimal_environment",
    "shared_sandbox",
    "spec_payload",
    "with_declared_discretization",
]
