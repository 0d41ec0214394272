"""First-order-in-time systems ``U_t = P(x, t, d/dx) U`` classified by their symbol.

A system such as ``u_t = v, v_t = c^2 u_xx`` has no single equation of second order, so the
per-equation principal parts see nothing. Its full symbol ``P(i xi)`` (entry ``(i, j)``: the
coefficients of unknown ``j``'s space derivatives in ``u_i``'s equation, times ``(i xi)^alpha``,
divided by the time-derivative coefficient) decides the type from how its eigenvalues scale
with ``|xi|``:

* ``max Re lambda`` growing without bound as ``|xi| -> inf``: ill-posed (Hadamard), FAIL with
  the witness point and wavenumber;
* ``Re lambda ~ -|xi|^2``: parabolic; ``lambda`` imaginary with ``|lambda| ~ |xi|``:
  hyperbolic, with the characteristic speeds ``|lambda|/|xi|``.

Coefficients are frozen at the sample points; with constant coefficients this is exact, with
variable ones it is evidence at those points (reported as such, never as a proof).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from simlab.judge.principal import unit_directions

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

#: wavenumbers (times 1/L) at which the symbol's eigenvalues are compared
_SCALES = (1e2, 1e3, 1e4)


@dataclass
class SystemType:
    family: str  # 'parabolic' | 'hyperbolic' | 'ill_posed' | 'unknown'
    description: str
    constant: bool
    speeds: float | None = None
    growth_rate: float | None = None  # max Re lambda at the largest wavenumber
    witness: dict[str, float] = field(default_factory=dict)
    coupled: bool = True  # unknowns coupled through space derivatives of each other


def system_type(ctx: JudgeContext) -> SystemType | None:
    """The type of a first-order-in-time coupled system (``None`` if not such a system)."""
    if "first_order_system" in ctx.cache:
        return ctx.cache["first_order_system"]
    out = _system_type(ctx)
    ctx.cache["first_order_system"] = out
    return out


def _system_type(ctx: JudgeContext) -> SystemType | None:
    s = ctx.sym
    t = s.time_name
    if t is None or not s.has_space_derivatives or len(s.unknown_names) < 2:
        return None
    names = list(s.unknown_names)
    if any(s.time_order(u) != 1 for u in names):
        return None
    eqs = [s.governing(u) for u in names]
    if any(e is None for e in eqs):
        return None
    coords = list(s.coordinate_names)
    sampler = ctx.sampler
    n_pts = sampler.size
    terms: list[tuple[int, int, dict[str, int], np.ndarray]] = []
    constant = True
    for i, (u, eq) in enumerate(zip(names, eqs, strict=True)):
        assert eq is not None
        tjet = s.jet(u, **{t: 1})
        if tjet is None:
            return None
        c_t = sampler.evaluate(eq.coefficient(tjet), with_jets=True)
        if c_t is None or np.any(c_t == 0):
            return None
        for jet in eq.jets:
            if jet.order(t) > 0 or jet.unknown not in names:
                continue
            expr = eq.coefficient(jet)
            values = sampler.evaluate(expr, with_jets=True)
            if values is None:
                return None
            sub = s.evaluator.substitute(expr)
            constant = constant and not sub.free_symbols
            terms.append((i, names.index(jet.unknown), dict(jet.orders), -values / c_t))
    if not any(sum(o.values()) > 0 for _, _, o, _ in terms):
        return None
    coupled = any(i != j and sum(o.values()) > 0 for i, j, o, _ in terms)
    lengths = [max(hi - lo, 1e-300) for lo, hi in (s.ranges_si[c] for c in coords)]
    k0 = 1.0 / min(lengths)
    n = len(names)
    best: dict[float, tuple[float, float, int, np.ndarray]] = {}
    for scale in _SCALES:
        k = scale * k0
        worst_re, max_abs, where, xi_at = -np.inf, 0.0, 0, np.zeros(len(coords))
        for direction in unit_directions(len(coords), 8):
            P = np.zeros((n_pts, n, n), dtype=complex)
            for i, j, orders, values in terms:
                factor = 1.0 + 0j
                for var, m in orders.items():
                    factor *= (1j * k * direction[coords.index(var)]) ** m
                P[:, i, j] += values * factor
            lam = np.linalg.eigvals(P)
            re = lam.real.max(axis=1)
            p = int(np.argmax(re))
            if re[p] > worst_re:
                worst_re, where, xi_at = float(re[p]), p, direction * k
            max_abs = max(max_abs, float(np.abs(lam).max()))
        best[scale] = (worst_re, max_abs, where, xi_at)
    re_lo, abs_lo, _, _ = best[_SCALES[1]]
    re_hi, abs_hi, where, xi_at = best[_SCALES[2]]
    growth_order = np.log10(max(abs_hi, 1e-300) / max(abs_lo, 1e-300))
    point = {c: float(sampler.coords[s.symbol(c)][where]) for c in coords}
    sampled = "" if constant else f" (frozen coefficients at {n_pts} sample points)"
    if re_hi > 0 and re_hi > 1e-6 * abs_hi and re_hi > 5 * max(re_lo, 0.0):
        return SystemType(
            "ill_posed",
            f"the system's symbol has eigenvalues with real part {re_hi:.3g}/s at wavenumber "
            f"{np.linalg.norm(xi_at):.3g}/m, growing without bound with the wavenumber"
            f"{sampled}",
            constant,
            growth_rate=re_hi,
            witness={**point, "wavenumber_per_m": float(np.linalg.norm(xi_at))},
            coupled=coupled,
        )
    if growth_order > 1.5:
        return SystemType(
            "parabolic",
            f"first-order-in-time system, parabolic: symbol eigenvalues ~ |xi|^"
            f"{growth_order:.2g}{sampled}",
            constant,
            coupled=coupled,
        )
    speed = abs_hi / (_SCALES[2] * k0)
    return SystemType(
        "hyperbolic",
        f"first-order-in-time system, hyperbolic (wave-like): imaginary symbol eigenvalues, "
        f"characteristic speed up to {speed:.4g} m/s{sampled}",
        constant,
        speeds=speed,
        coupled=coupled,
    )
