"""The structure of a scalar PDE read from its sympy residual: derivative coefficients + the rest.

The residual ``lhs - rhs`` of the compiled Problem's equation is split into a coefficient for each
derivative of the unknown (when it enters linearly) and a remainder without derivatives
(reaction, source, eigenvalue term), with the unknown as a plain symbol so the remainder can be
read as a polynomial or function of ``u``.
Parameters are substituted by their SI values, so a coefficient that is still symbolic
depends on the coordinates (a variable coefficient) or on an eigenvalue symbol.

Adapters compare this structure with what a kernel implements; they never look at titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from simlab.problem import Problem
from simlab.problem.ode import as_number as as_number  # re-exported for the adapters

DerivativeKey = tuple[tuple[str, int], ...]
"""A derivative as ``((variable, count), ...)``: ``u_xx`` is ``(("x", 2),)``."""


@dataclass(frozen=True)
class PdeStructure:
    """One scalar equation ``sum_k c_k D_k u + remainder(u, coordinates) = 0``.

    Attributes:
        unknown: the unknown's name.
        u: a plain symbol standing for the unknown in ``remainder``.
        derivatives: coefficient of each derivative of the unknown (parameters substituted).
        remainder: every term without a derivative, ``u`` replaced by ``self.u``.
        nonlinear: derivatives that enter nonlinearly (``u u_x``, ``u_x^2`` ...), by label.
        time: the time coordinate's name (``None`` for stationary problems).
        space: the space coordinates' names.
    """

    unknown: str
    u: sp.Symbol
    derivatives: dict[DerivativeKey, sp.Expr]
    remainder: sp.Expr
    nonlinear: tuple[str, ...]
    time: str | None
    space: tuple[str, ...]

    def coefficient(self, *key: tuple[str, int]) -> sp.Expr:
        """The coefficient of one derivative (0 when the equation does not contain it)."""
        return self.derivatives.get(tuple(key), sp.Integer(0))

    def constant(self, *key: tuple[str, int]) -> float | None:
        """A derivative's coefficient as a float, or ``None`` if it is not a real constant."""
        return as_number(self.coefficient(*key))

    def keys_other_than(self, *allowed: DerivativeKey) -> list[DerivativeKey]:
        """The derivatives present that are not in ``allowed``."""
        return [k for k in self.derivatives if k not in allowed]


def read_structure(problem: Problem) -> PdeStructure | str:
    """The structure of the Problem's single equation for its single unknown, or why not.

    The compiled equation's jets replace the unknown and each derivative by a plain symbol,
    so a derivative's coefficient is ``dR/d(jet)``; it is a coefficient of a linear term when
    it contains no jet itself.
    """
    if len(problem.fields) != 1:
        return f"{len(problem.fields)} unknowns; the built-in PDE kernels solve one"
    not_a_box = [r for r in problem.reasons if r.startswith("geometry ")]
    if not_a_box:
        return not_a_box[0]
    if problem.unread_equations:
        return f"the equation cannot be read: {'; '.join(problem.unread_equations)}"
    if len(problem.equations) != 1:
        return (
            f"{len(problem.equations)} equations; the built-in PDE kernels solve one "
            "scalar equation"
        )
    equation = problem.equations[0]
    name = problem.fields[0].name
    jets = [j for j in equation.jets if j.unknown == name]
    value_jets = [j for j in jets if not j.orders]
    u = value_jets[0].symbol if value_jets else sp.Symbol(f"{name}__value", real=True)
    jet_symbols = {j.symbol for j in equation.jets}
    derivatives: dict[DerivativeKey, sp.Expr] = {}
    nonlinear: list[str] = []
    for jet in jets:
        if not jet.orders:
            continue
        coeff = simplified(problem.substitute(sp.diff(equation.jet_residual, jet.symbol)))
        if coeff.free_symbols & jet_symbols:
            nonlinear.append(jet.label)
        elif coeff != 0:
            derivatives[jet.orders] = coeff
    without_derivatives = {j.symbol: 0 for j in jets if j.orders}
    remainder = problem.substitute(equation.jet_residual.subs(without_derivatives))
    return PdeStructure(
        unknown=name,
        u=u,
        derivatives=derivatives,
        remainder=simplified(remainder),
        nonlinear=tuple(nonlinear),
        time=problem.time.name if problem.time else None,
        space=problem.geometry.names if problem.geometry else (),
    )


@lru_cache(maxsize=1024)
def simplified(expr: sp.Expr) -> sp.Expr:
    """``sympy.simplify(expr)``, remembered: the same residual is read by every adapter that
    tries the spec, by the cross-solvers and by each diagnostic re-solve (simplify is a pure
    function of its immutable argument, so the result is the one simplify gives)."""
    return sp.simplify(expr)


def isotropic_laplacian(structure: PdeStructure) -> float | str:
    """The common constant coefficient ``a`` of ``a * laplacian(u)``, or why there is none.

    Every space coordinate must carry its pure second derivative with the same constant
    coefficient, and no other space derivative (first, mixed) may appear.
    """
    if structure.nonlinear:
        return f"terms nonlinear in the derivatives ({_show(structure.nonlinear)})"
    second = [((x, 2),) for x in structure.space]
    others = [k for k in structure.keys_other_than(*second) if not is_time_only(k, structure)]
    if others:
        return f"space derivatives the kernel lacks: {', '.join(map(describe, others))}"
    coeffs = []
    for key in second:
        expr = structure.coefficient(*key)
        number = as_number(expr)
        if number is None:
            return f"the coefficient of {describe(key)} is not constant ({expr})"
        if number == 0.0:
            return f"no {describe(key)} term: the operator is not the Laplacian in every direction"
        coeffs.append(number)
    if any(abs(c - coeffs[0]) > 1e-12 * abs(coeffs[0]) for c in coeffs):
        return f"anisotropic diffusion (coefficients {coeffs}); the kernels are isotropic"
    return coeffs[0]


def describe(key: DerivativeKey) -> str:
    """``(("x", 2),)`` -> ``d^2/dx^2``."""
    order = sum(c for _, c in key)
    wrt = "".join(f"d{v}" + (f"^{c}" if c > 1 else "") for v, c in key)
    return f"d{'^' + str(order) if order > 1 else ''}/{wrt}"


def is_time_only(key: DerivativeKey, structure: PdeStructure) -> bool:
    """True for a pure time derivative (``u_t``, ``u_tt``)."""
    return structure.time is not None and all(v == structure.time for v, _ in key)


def _show(labels: tuple[str, ...]) -> str:
    return ", ".join(labels[:3])
