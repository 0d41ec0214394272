"""Solvers: a registry of kernels keyed by the Judge's classification."""
