"""The principal part of each equation, read from coefficients of the highest derivatives.

For the equation governing an unknown ``u`` (holding its highest time derivative, or the
only equation of a stationary scalar problem) the residual is linearised in the jets:

    R = c_t d^m u/dt^m + sum_ab C_ab u_ab + sum_a b_a u_a + c_0 u + (terms without u)

and the coefficients are evaluated at the sample points. In evolution form
``d^m u/dt^m = D:grad grad u - a.grad u + r u + ...`` the diffusion matrix is ``D = -C/c_t``,
the velocity ``a = b/c_t`` and the reaction rate ``r = -c_0/c_t``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simlab.judge.sampling import StateSampler
from simlab.judge.symbolic import Jet, ParsedEquation, SymbolicSpec


@dataclass
class PrincipalPart:
    """Numeric coefficients of one equation in one unknown (arrays over sample points)."""

    unknown: str
    equation: ParsedEquation
    time_order: int
    space_order: dict[str, int]
    c_t: np.ndarray | None
    C: np.ndarray | None  # (n, d, d)
    b: np.ndarray | None  # (n, d)
    c0: np.ndarray | None  # (n,)
    state_dependent: bool
    missing: list[str] = field(default_factory=list)

    @property
    def max_space_order(self) -> int:
        return max(self.space_order.values(), default=0)

    def evolution(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """``(D, a, r)`` over the samples for a time-dependent equation, else ``None``."""
        if self.c_t is None or self.C is None or self.b is None or self.c0 is None:
            return None
        ct = self.c_t
        if np.any(ct == 0):
            return None
        D = -self.C / ct[:, None, None]
        a = self.b / ct[:, None]
        r = -self.c0 / ct
        return D, a, r


def principal_part(
    s: SymbolicSpec, sampler: StateSampler, eq: ParsedEquation, unknown: str
) -> PrincipalPart:
    coords = list(s.coordinate_names)
    d = len(coords)
    n = sampler.size
    m = eq.order(unknown, s.time_name) if s.time_name else 0
    missing: list[str] = []
    state_dep = False

    def coeff(jet: Jet | None) -> np.ndarray:
        nonlocal state_dep
        if jet is None or jet not in eq.jets:
            return np.zeros(n)
        expr = eq.coefficient(jet)
        jet_syms = {j.symbol for j in s.jets.values()}
        if expr.free_symbols & jet_syms:
            state_dep = True
        values = sampler.evaluate(expr, with_jets=True)
        if values is None:
            missing.append(f"coefficient of {jet.label}: {expr}")
            return np.full(n, np.nan)
        return values

    c_t = None
    if m > 0:
        c_t = coeff(s.jet(unknown, **{s.time_name: m}))  # type: ignore[arg-type]
    C = np.zeros((n, d, d))
    b = np.zeros((n, d))
    for i, xi in enumerate(coords):
        b[:, i] = coeff(s.jet(unknown, **{xi: 1}))
        for j, xj in enumerate(coords):
            if j < i:
                continue
            orders = {xi: 2} if i == j else {xi: 1, xj: 1}
            values = coeff(s.jet(unknown, **orders))
            if i == j:
                C[:, i, i] = values
            else:
                C[:, i, j] = C[:, j, i] = values / 2
    c0 = coeff(s.jet(unknown))
    return PrincipalPart(
        unknown,
        eq,
        m,
        {x: eq.order(unknown, x) for x in coords},
        c_t,
        C,
        b,
        c0,
        state_dep,
        missing,
    )


def governing_parts(s: SymbolicSpec, sampler: StateSampler) -> list[PrincipalPart]:
    """One principal part per unknown that has a governing equation."""
    parts = []
    for u in s.unknown_names:
        eq = s.governing(u)
        if eq is None and not s.is_time_dependent:
            holders = [e for e in s.equations if u in e.unknowns()]
            eq = holders[0] if len(holders) == 1 else None
            if eq is None and len(s.equations) == len(s.unknown_names):
                idx = s.unknown_names.index(u)
                eq = s.equations[idx] if idx < len(s.equations) else None
        if eq is not None:
            parts.append(principal_part(s, sampler, eq, u))
    return parts


def definiteness(matrices: np.ndarray) -> tuple[str, float, float]:
    """Sign class of symmetric matrices over samples: ('positive'|'negative'|'indefinite'|
    'semidefinite'|'zero', min eigenvalue, max eigenvalue)."""
    if matrices.size == 0 or matrices.shape[-1] == 0:
        return "zero", 0.0, 0.0
    eig = np.linalg.eigvalsh(0.5 * (matrices + np.swapaxes(matrices, -1, -2)))
    lo, hi = float(np.min(eig)), float(np.max(eig))
    scale = max(abs(lo), abs(hi))
    if scale == 0:
        return "zero", lo, hi
    tol = 1e-12 * scale
    per_sample_min = np.min(eig, axis=-1)
    per_sample_max = np.max(eig, axis=-1)
    if np.all(per_sample_min > tol):
        return "positive", lo, hi
    if np.all(per_sample_max < -tol):
        return "negative", lo, hi
    if np.any(per_sample_min < -tol) and np.any(per_sample_max > tol):
        return "indefinite", lo, hi
    return "semidefinite", lo, hi


@dataclass
class SystemSymbol:
    """Second-order coefficients of a stationary system, evaluated once at the samples."""

    shape: tuple[int, int, int]  # (samples, equations, unknowns)
    terms: list[tuple[int, int, int, int, np.ndarray]]  # (eq, unknown, axis a, axis c, values)
    missing: list[str]

    def at(self, xi: np.ndarray) -> np.ndarray:
        """``P_ij(xi) = sum_ab dR_i/du_j,ab xi_a xi_b`` over the samples."""
        P = np.zeros(self.shape)
        for i, j, a, c, values in self.terms:
            P[:, i, j] += values * xi[a] * xi[c]
        return P


def system_symbol(s: SymbolicSpec, sampler: StateSampler) -> SystemSymbol:
    """Collect ``dR_i/du_j,ab`` for every equation, unknown and pair of space directions."""
    coords = list(s.coordinate_names)
    terms: list[tuple[int, int, int, int, np.ndarray]] = []
    missing: list[str] = []
    for i, eq in enumerate(s.equations):
        for j, u in enumerate(s.unknown_names):
            for a, xa in enumerate(coords):
                for c, xc in enumerate(coords):
                    if c < a:
                        continue
                    orders = {xa: 2} if a == c else {xa: 1, xc: 1}
                    jet = s.jet(u, **orders)
                    if jet is None or jet not in eq.jets:
                        continue
                    values = sampler.evaluate(eq.coefficient(jet), with_jets=True)
                    if values is None:
                        missing.append(f"{eq.label}: coefficient of {jet.label}")
                        continue
                    terms.append((i, j, a, c, values))
    shape = (sampler.size, len(s.equations), len(s.unknown_names))
    return SystemSymbol(shape, terms, missing)


def unit_directions(d: int, count: int = 12) -> list[np.ndarray]:
    """Unit vectors covering the half-sphere (1-D: one; 2-D: ``count`` angles)."""
    if d == 1:
        return [np.array([1.0])]
    if d == 2:
        return [np.array([np.cos(t), np.sin(t)]) for t in np.linspace(0, np.pi, count, False)]
    dirs = []
    for v in (
        (1, 0, 0),
        (0, 1, 0),
        (0, 0, 1),
        (1, 1, 0),
        (1, 0, 1),
        (0, 1, 1),
        (1, -1, 0),
        (1, 0, -1),
        (0, 1, -1),
        (1, 1, 1),
        (1, -1, 1),
        (1, 1, -1),
        (-1, 1, 1),
    ):
        w = np.array(v, dtype=float)
        dirs.append(w / np.linalg.norm(w))
    return dirs[: max(count, 3)] if d == 3 else [np.eye(d)[i] for i in range(d)]
