"""Facts about numerical methods the Judge needs: explicit or not, formal order, stability.

Time integrators carry their stability function ``R(z)`` (the growth factor of one step on
``y' = lambda y`` with ``z = dt*lambda``); explicit Runge-Kutta methods have polynomials, the
implicit ones here are A-stable. Spatial schemes say how they discretise advection (central or
upwind) and their order. A *scheme* name may fix both (``ftcs`` = forward Euler in time, central
in space; ``lax_wendroff`` is a one-step space-time scheme with its own amplification factor).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Stability = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class TimeMethod:
    name: str
    explicit: bool
    order: float
    stability: Stability
    real_interval: float  # length of the stability interval on the negative real axis
    adaptive: bool = False


def _poly(*coeffs: float) -> Stability:
    return lambda z: sum(c * z**k for k, c in enumerate(coeffs))


_EULER = TimeMethod("forward_euler", True, 1, _poly(1, 1), 2.0)
_RK2 = TimeMethod("rk2", True, 2, _poly(1, 1, 1 / 2), 2.0)
_RK3 = TimeMethod("rk3", True, 3, _poly(1, 1, 1 / 2, 1 / 6), 2.5127)
_RK4 = TimeMethod("rk4", True, 4, _poly(1, 1, 1 / 2, 1 / 6, 1 / 24), 2.7853)
_DOPRI = TimeMethod(
    "rk45", True, 5, _poly(1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 600), 3.3066, adaptive=True
)
_RK23 = TimeMethod("rk23", True, 3, _poly(1, 1, 1 / 2, 1 / 6), 2.5127, adaptive=True)
_DOP853 = TimeMethod(
    "dop853",
    True,
    8,
    _poly(1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040),
    6.0,
    adaptive=True,
)
_BE = TimeMethod("backward_euler", False, 1, lambda z: 1 / (1 - z), math.inf)
_CN = TimeMethod("crank_nicolson", False, 2, lambda z: (1 + z / 2) / (1 - z / 2), math.inf)
_BDF = TimeMethod("bdf", False, 2, lambda z: 1 / (1 - z), math.inf, adaptive=True)
_RADAU5 = TimeMethod(
    "radau5",
    False,
    5,
    lambda z: (1 + 2 * z / 5 + z**2 / 20) / (1 - 3 * z / 5 + 3 * z**2 / 20 - z**3 / 60),
    math.inf,
)
_RADAU3 = TimeMethod(
    "radau3", False, 3, lambda z: (1 + z / 3) / (1 - 2 * z / 3 + z**2 / 6), math.inf
)
_LSODA = TimeMethod("lsoda", False, 2, lambda z: 1 / (1 - z), math.inf, adaptive=True)

_ALIASES: dict[str, TimeMethod] = {}
for _m, _names in (
    (_EULER, ("forward_euler", "explicit_euler", "euler", "ftcs")),
    (_RK2, ("rk2", "heun", "midpoint", "ssprk2")),
    (_RK3, ("rk3", "ssprk3")),
    (_RK4, ("rk4", "classical_rk4", "runge_kutta_4")),
    (_DOPRI, ("rk45", "dopri5", "dormand_prince", "ode45")),
    (_RK23, ("rk23", "bogacki_shampine")),
    (_DOP853, ("dop853",)),
    (_BE, ("backward_euler", "implicit_euler", "btcs")),
    (_CN, ("crank_nicolson", "trapezoidal", "trapezoid_rule_in_time")),
    (_BDF, ("bdf", "bdf2", "gear", "ode15s")),
    (_RADAU5, ("radau", "radau5", "radau_iia")),
    (_RADAU3, ("radau3",)),
    (_LSODA, ("lsoda", "lsode", "cvode")),
):
    for _n in _names:
        _ALIASES[_n] = _m

IMPLICIT_DEFAULT = "radau5"


def time_method(name: str | None) -> TimeMethod | None:
    if not name:
        return None
    return _ALIASES.get(_norm(name))


@dataclass(frozen=True)
class SpaceScheme:
    """How a named scheme discretises space (and time, when it fixes the integrator)."""

    name: str
    order: float
    advection: str  # "central" | "upwind" | "lax_wendroff" | "lax_friedrichs" | "none"
    integrator: str | None  # time integrator the scheme implies (None: from 'integrator')
    two_level_second_order: bool = False  # leapfrog for u_tt
    locking_free: bool = False


_SCHEMES: dict[str, SpaceScheme] = {}
for _s, _names in (
    (SpaceScheme("ftcs", 2, "central", "forward_euler"), ("ftcs", "explicit_central")),
    (
        SpaceScheme("upwind", 1, "upwind", "forward_euler"),
        ("upwind", "first_order_upwind", "donor_cell"),
    ),
    (SpaceScheme("lax_wendroff", 2, "lax_wendroff", None), ("lax_wendroff",)),
    (SpaceScheme("lax_friedrichs", 1, "lax_friedrichs", None), ("lax_friedrichs",)),
    (SpaceScheme("leapfrog", 2, "central", "leapfrog", True), ("leapfrog", "central_leapfrog")),
    (SpaceScheme("crank_nicolson", 2, "central", "crank_nicolson"), ("crank_nicolson",)),
    (SpaceScheme("backward_euler", 2, "central", "backward_euler"), ("backward_euler", "btcs")),
    (
        SpaceScheme("central", 2, "central", None),
        (
            "central",
            "central_3_point",
            "central_5_point",
            "central_difference",
            "central_3_point_newton",
            "finite_difference",
            "second_order_central",
        ),
    ),
    (SpaceScheme("fourth_order_central", 4, "central", None), ("central_4th_order",)),
    (SpaceScheme("p1_fem", 2, "central", None), ("p1", "p1_fem", "linear_fem", "q1")),
    (
        SpaceScheme("mixed_fem", 2, "central", None, locking_free=True),
        ("mixed_fem", "taylor_hood", "mini", "u_p_mixed", "hellinger_reissner", "b_bar"),
    ),
    (SpaceScheme("simpson", 4, "none", None), ("composite_simpson", "simpson")),
    (SpaceScheme("trapezoid", 2, "none", None), ("composite_trapezoid", "trapezoid")),
):
    for _n in _names:
        _SCHEMES[_n] = _s


def space_scheme(name: str | None) -> SpaceScheme | None:
    if not name:
        return None
    return _SCHEMES.get(_norm(name))


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def max_amplification(method: TimeMethod, z: np.ndarray) -> float:
    """``max |R(z)|`` over the given ``z = dt*lambda`` values."""
    with np.errstate(all="ignore"):
        r = np.abs(method.stability(np.asarray(z, dtype=complex)))
    r = r[np.isfinite(r)] if r.size else r
    return float(np.max(r)) if r.size else 1.0
