"""Fresnel diffraction of a unit plane wave by a single slit of width ``a`` (1-D aperture).

    U(x) = sqrt(1 / (i lam z)) * integral_{-a/2}^{a/2} exp(i pi (x - xi)^2 / (lam z)) d xi,
    I(x) = |U(x)|^2.

The kernel evaluates the integral with a composite Newton-Cotes rule on ``panels`` equal panels
(Simpson, order 4 in ``h = a / panels``; or the trapezoid rule, order 2). The closed form
follows from ``v = sqrt(2 / (lam z)) (xi - x)``: ``U = (dC + i dS) / sqrt(2 i)`` with
``dC = C(v2) - C(v1)``, ``dS = S(v2) - S(v1)``, ``v1,2 = sqrt(2 / (lam z)) (-+a/2 - x)`` and
C, S the Fresnel integrals (:func:`scipy.special.fresnel`). A wide slit gives ``I -> 1`` inside
and ``I = 1/4`` at its edge.

The integrand turns through ``pi a (a + 2 |x|) / (lam z)`` radians over the slit, so the rule is
only in its asymptotic range once a panel spans well under one radian of phase; ``meta`` reports
the phase per panel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import fresnel

from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.solution import Solution

RULES = {"simpson": 4.0, "trapezoid": 2.0}


def fresnel_slit_exact(
    a: float, z: float, lam: float, x: float | Sequence[float] | np.ndarray
) -> np.ndarray:
    """Exact complex field U(x) behind the slit, from the Fresnel integrals C and S."""
    a, z, lam = _checked_geometry(a, z, lam)
    points = _checked_points(x)
    scale = math.sqrt(2.0 / (lam * z))
    s_upper, c_upper = fresnel(scale * (a / 2 - points))
    s_lower, c_lower = fresnel(scale * (-a / 2 - points))
    return ((c_upper - c_lower) + 1j * (s_upper - s_lower)) / np.sqrt(2j)


def fresnel_number(a: float, z: float, lam: float) -> float:
    """``a^2 / (lam z)``: >> 1 near field (geometric shadow), << 1 far field (Fraunhofer)."""
    a, z, lam = _checked_geometry(a, z, lam)
    return a * a / (lam * z)


def solve_fresnel_slit(
    a: float,
    z: float,
    lam: float,
    x: float | Sequence[float] | np.ndarray,
    panels: int,
    *,
    rule: str = "simpson",
    probe: float = 0.0,
) -> Solution:
    """Field and intensity on the screen points ``x`` by quadrature with ``panels`` panels.

    Observables: ``intensity_probe`` (I at ``x = probe``), ``intensity_max`` (over ``x``) and
    ``field_probe_re`` / ``field_probe_im``. ``Solution.h = a / panels``.
    """
    a, z, lam = _checked_geometry(a, z, lam)
    points = _checked_points(x)
    check.choice("rule", rule, tuple(RULES))
    panels = check.cell_count("panels", panels, minimum=2 if rule == "simpson" else 1)
    if rule == "simpson" and panels % 2:
        raise check.KernelInputError(f"Simpson's rule needs an even number of panels: {panels}")
    probe = check.finite("probe", probe)
    nodes = np.linspace(-a / 2, a / 2, panels + 1)
    weights = _weights(rule, panels) * (a / panels)
    field = _quadrature(points, nodes, weights, lam, z)
    at_probe = complex(_quadrature(np.array([probe]), nodes, weights, lam, z)[0])
    intensity = np.abs(field) ** 2
    phase_per_panel = math.pi * (a / panels) * (a + 2 * float(np.max(np.abs(points)))) / (lam * z)
    return Solution(
        grid={"x": points},
        fields={"intensity": intensity, "field_re": field.real, "field_im": field.imag},
        resolution=float(panels),
        h=a / panels,
        order=RULES[rule],
        observables={
            "intensity_probe": abs(at_probe) ** 2,
            "intensity_max": float(intensity.max()),
            "field_probe_re": at_probe.real,
            "field_probe_im": at_probe.imag,
        },
        meta={
            "rule": rule,
            "panels": panels,
            "fresnel_number": a * a / (lam * z),
            "max_phase_per_panel": phase_per_panel,
            "probe": probe,
        },
    )


def _weights(rule: str, panels: int) -> np.ndarray:
    weights = np.ones(panels + 1)
    if rule == "trapezoid":
        weights[[0, -1]] = 0.5
        return weights
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    return weights / 3.0


def _quadrature(
    points: np.ndarray, nodes: np.ndarray, weights: np.ndarray, lam: float, z: float
) -> np.ndarray:
    """sqrt(1 / (i lam z)) sum_k w_k exp(i pi (x - xi_k)^2 / (lam z)), in row blocks."""
    result = np.empty(points.size, dtype=complex)
    block = max(1, 2_000_000 // nodes.size)
    for start in range(0, points.size, block):
        sl = slice(start, start + block)
        phase = np.pi * (points[sl, None] - nodes[None, :]) ** 2 / (lam * z)
        result[sl] = np.exp(1j * phase) @ weights
    return result / np.sqrt(1j * lam * z)


def _checked_geometry(a: float, z: float, lam: float) -> tuple[float, float, float]:
    return check.positive("a", a), check.positive("z", z), check.positive("lam", lam)


def _checked_points(x: float | Sequence[float] | np.ndarray) -> np.ndarray:
    try:
        points = np.atleast_1d(np.asarray(x, dtype=float)).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise check.KernelInputError(f"x must be real screen positions, got {x!r}") from exc
    if points.size == 0 or not np.all(np.isfinite(points)):
        raise check.KernelInputError("x must hold at least one finite screen position")
    return points
