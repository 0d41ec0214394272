"""The Judge's family names (from ``simlab.judge.classify`` when it exists)."""

from __future__ import annotations

try:  # the Judge's classification is the authority for these names
    from simlab.judge.classify import (  # type: ignore[import-not-found]
        EIGENPROBLEM,
        ELLIPTIC,
        HYPERBOLIC,
        INTEGRAL_TRANSFORM,
        INVERSE,
        NONLINEAR_STATIONARY,
        ODE,
        ODE_STIFF,
        PARABOLIC,
    )
except ImportError:  # the Judge is not there yet: its documented names
    ELLIPTIC = "elliptic"
    PARABOLIC = "parabolic"
    HYPERBOLIC = "hyperbolic"
    EIGENPROBLEM = "eigenproblem"
    NONLINEAR_STATIONARY = "nonlinear_stationary"
    ODE = "ode"
    ODE_STIFF = "ode_stiff"
    INTEGRAL_TRANSFORM = "integral_transform"
    INVERSE = "inverse"

GENERAL = "general"
"""Not a Judge family: the general engine, tried after the family kernels."""

FAMILIES = frozenset(
    {
        GENERAL,
        ELLIPTIC,
        PARABOLIC,
        HYPERBOLIC,
        EIGENPROBLEM,
        NONLINEAR_STATIONARY,
        ODE,
        ODE_STIFF,
        INTEGRAL_TRANSFORM,
        INVERSE,
    }
)
