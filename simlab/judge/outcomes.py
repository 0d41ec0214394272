"""Observables that ask for the outcome of a single random event.

The dialect's functional ``outcome(density, region_1, region_2, ...)`` is the region in which
one event drawn from the probability density lands (a detector click, the slit a single photon
passes). Each region is written ``(x, a, b)`` (or ``(x, a, b, y, c, d)`` in 2-D). The gate
integrates the density over each region (Gauss-Legendre) to get the Born probabilities
``p_k``. The answer is determined only when one ``p_k`` is 1: otherwise the "solution" is not
unique (S2 fails, the quantum-measurement obstruction) and only the distribution ``p_k``, an
ensemble quantity, is computable. The density must be computable from the spec's data
(definitions, parameters, coordinates); one that needs the solved field is not evaluated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from simlab.judge.numeric import real_part

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

OUTCOME = "outcome"
CERTAIN = 1.0 - 1e-9


@dataclass(frozen=True)
class OutcomeCheck:
    observable: str
    probabilities: tuple[float, ...] | None
    problem: str | None = None

    @property
    def determined(self) -> bool | None:
        if self.probabilities is None:
            return None
        return max(self.probabilities) >= CERTAIN

    @property
    def entropy_bits(self) -> float | None:
        if self.probabilities is None:
            return None
        p = np.array([q for q in self.probabilities if q > 0])
        return float(-(p * np.log2(p)).sum())


def outcome_observables(ctx: JudgeContext) -> list[OutcomeCheck]:
    s = ctx.sym
    out: list[OutcomeCheck] = []
    if s.ns is None:
        return out
    for o in ctx.spec.observables:
        if not o.definition or not o.definition.strip().startswith(OUTCOME + "("):
            continue
        try:
            expr = s.ns.parse(o.definition)
        except Exception as exc:  # not readable: the gate reports it
            out.append(OutcomeCheck(o.name, None, f"cannot read the definition: {exc}"))
            continue
        if not isinstance(expr, AppliedUndef) or len(expr.args) < 2:
            out.append(OutcomeCheck(o.name, None, "outcome(density, region, ...) needs regions"))
            continue
        out.append(_probabilities(ctx, o.name, expr.args[0], expr.args[1:]))
    return out


def _probabilities(ctx: JudgeContext, name: str, density: sp.Expr, regions: tuple) -> OutcomeCheck:
    s = ctx.sym
    unknowns = {u for u in s.unknown_names}
    if any(getattr(f.func, "__name__", "") in unknowns for f in density.atoms(AppliedUndef)):
        return OutcomeCheck(name, None, "the density depends on the solved field")
    masses = []
    for region in regions:
        if not isinstance(region, (sp.Tuple, tuple)) or len(region) % 3 != 0:
            return OutcomeCheck(name, None, f"region {region} is not (x, a, b)")
        mass = _integrate(
            ctx, density, [tuple(region[i : i + 3]) for i in range(0, len(region), 3)]
        )
        if mass is None:
            return OutcomeCheck(name, None, "the density could not be integrated")
        masses.append(mass)
    total = sum(masses)
    if not total > 0:
        return OutcomeCheck(name, None, "the density has no mass in the regions")
    return OutcomeCheck(name, tuple(m / total for m in masses))


def _integrate(ctx: JudgeContext, density: sp.Expr, limits: list[tuple]) -> float | None:
    s = ctx.sym
    nodes, weights = np.polynomial.legendre.leggauss(64)
    variables, axes, wts = [], [], []
    for var, lo, hi in limits:
        a, b = s.evaluator.real_constant(lo), s.evaluator.real_constant(hi)
        if a is None or b is None or not b > a:
            return None
        variables.append(var)
        axes.append(0.5 * (b - a) * nodes + 0.5 * (b + a))
        wts.append(0.5 * (b - a) * weights)
    mesh = np.meshgrid(*axes, indexing="ij")
    w = np.ones_like(mesh[0])
    for k, wk in enumerate(wts):
        shape = [1] * len(wts)
        shape[k] = len(wk)
        w = w * wk.reshape(shape)
    vals = real_part(s.evaluator.sample(density, variables, list(mesh)))
    if vals is None or np.any(vals < -1e-12 * max(float(np.max(np.abs(vals))), 1e-300)):
        return None
    return float(np.sum(vals * w))
