"""``c_t u_t = a laplacian(u) + g(u)`` read from the Problem: shared by the parabolic adapters."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from simlab.problem import Problem
from simlab.solvers.builtin._problem import Box, Plan, read_box, read_plan, time_span
from simlab.solvers.builtin._structure import (
    PdeStructure,
    as_number,
    describe,
    isotropic_laplacian,
    read_structure,
    simplified,
)


@dataclass(frozen=True)
class ReactionDiffusion:
    """``u_t = kappa laplacian(u) + reaction(u)`` on a box over ``[t0, t_end]`` (SI)."""

    structure: PdeStructure
    box: Box
    t0: float
    t_end: float
    kappa: float
    reaction: sp.Expr
    plan: Plan

    @property
    def duration(self) -> float:
        return self.t_end - self.t0


def read_reaction_diffusion(problem: Problem) -> ReactionDiffusion | str:
    """The diffusivity and the reaction term of a scalar reaction-diffusion equation."""
    structure = read_structure(problem)
    if isinstance(structure, str):
        return structure
    span = time_span(problem)
    if isinstance(span, str):
        return f"not an evolution problem: {span}"
    time = structure.time
    rate = structure.constant((time, 1))
    if not rate:
        return f"no constant-coefficient first time derivative d/d{time}"
    second = [((x, 2),) for x in structure.space]
    extra = structure.keys_other_than(((time, 1),), *second)
    if extra:
        return f"derivatives a reaction-diffusion kernel lacks: {', '.join(map(describe, extra))}"
    laplacian = isotropic_laplacian(structure)
    if isinstance(laplacian, str):
        return laplacian
    kappa = -laplacian / rate
    if kappa <= 0.0:
        return f"diffusivity {kappa:g} <= 0: a backward (ill-posed) diffusion equation"
    reaction = simplified(-structure.remainder / rate)
    coords = {str(s) for s in reaction.free_symbols} - {str(structure.u)}
    if coords:
        return (
            f"the reaction/source term {reaction} depends on {sorted(coords)}; the kernels "
            "take no space- or time-dependent source"
        )
    box = read_box(problem, structure.unknown)
    if isinstance(box, str):
        return box
    plan = read_plan(problem)
    if isinstance(plan, str):
        return plan
    return ReactionDiffusion(structure, box, span[0], span[1], kappa, reaction, plan)


def logistic_rate(reaction: sp.Expr, u: sp.Symbol) -> float | str:
    """``r`` when ``reaction == r u (1 - u)`` (a polynomial ``c1 u + c2 u^2``, ``c2 = -c1``)."""
    poly = sp.Poly(sp.expand(reaction), u) if reaction.is_polynomial(u) else None
    if poly is None or poly.degree() != 2:
        return f"reaction term {reaction} is not a quadratic polynomial in the unknown"
    coeffs = [as_number(poly.coeff_monomial(u**k)) for k in range(3)]
    if any(c is None for c in coeffs):
        return f"reaction term {reaction} has non-constant coefficients"
    c0, c1, c2 = coeffs
    if abs(c0) > 1e-12 * abs(c1) or c1 <= 0.0 or abs(c2 + c1) > 1e-12 * abs(c1):
        return (
            f"reaction term {reaction} is not r*u*(1 - u) with r > 0 (constant {c0:g}, "
            f"linear {c1:g}, quadratic {c2:g}); the kernel's carrying capacity is 1"
        )
    return c1
