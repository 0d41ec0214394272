"""Pure numerical solver kernels: plain numbers in, :class:`~simlab.solvers.solution.Solution` out.

Kernels know nothing about spec.md; adapters in :mod:`simlab.solvers` read a Spec and call them.
"""
