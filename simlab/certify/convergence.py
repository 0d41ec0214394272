"""Solution verification: observed order, Richardson extrapolation and the Grid Convergence Index.

Follows Roache and Celik et al. (2008, J. Fluids Eng. 130, 078001), as in ASME V&V 20. Grid 1 is
the finest, ``h1 < h2 < h3``, ``r21 = h2 / h1``, ``r32 = h3 / h2``, ``eps21 = f2 - f1``,
``eps32 = f3 - f2``:

* observed order ``p = (ln|eps32 / eps21| + q(p)) / ln r21`` with
  ``q(p) = ln((r21^p - s) / (r32^p - s))``, ``s = sign(eps32 / eps21)`` (q = 0 for constant r),
  solved by fixed-point iteration (Celik's procedure; brentq as a fallback);
* Richardson extrapolation ``f_ext = (r21^p f1 - f2) / (r21^p - 1)``;
* ``GCI_fine = Fs |eps21 / f1| / (r21^p - 1)`` (relative) and ``Fs |eps21| / (r21^p - 1)``
  (absolute), with ``Fs = 1.25`` for an observed order from >= 3 grids and ``Fs = 3`` for two
  grids with an assumed order;
* asymptotic range: ``GCI_32 / (r21^p GCI_21) ~ 1``;
* convergence type from ``R = eps21 / eps32``: monotone (0 < R < 1), oscillatory (-1 < R < 0),
  diverging (|R| >= 1).

Nothing here returns NaN: a quantity that cannot be computed is ``None`` and the result's
``status`` and ``message`` say why (round-off level differences, divergence, failed runs).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from scipy.optimize import brentq

from simlab.errors import SimlabError

FS_THREE_GRIDS = 1.25
FS_ASSUMED_ORDER = 3.0
MIN_RATIO = 1.3
ROY_BAND = 0.1
"""An observed order within 10 % of the formal one confirms the asymptotic range (Roy 2005)."""
POLICIES = ("capped", "celik", "roy")
NOISE_FACTOR = 64.0
"""Default noise floor: differences below ``NOISE_FACTOR * eps * max|f|`` count as round-off.
It knows nothing of the solve's conditioning; solvers that estimate their round-off (the
engine: simlab.discretize.roundoff) give the study a floor from it."""
EPS = 2.220446049250313e-16


class StudyInputError(SimlabError, ValueError):
    """A convergence study or plan was given values it cannot use."""


class ConvergenceType(StrEnum):
    """What the sequence of values does as the grid is refined."""

    MONOTONE = "monotone"
    OSCILLATORY = "oscillatory"
    DIVERGING = "diverging"
    ROUND_OFF = "round-off"
    ASSUMED_ORDER = "assumed-order"
    FAILED_RUN = "failed-run"
    ORDER_UNDETERMINED = "order-undetermined"


@dataclass(frozen=True)
class ConvergenceResult:
    """One grid study: the inputs, the observed order and the error bound (finest grid first).

    ``gci_fine_abs`` is the a-posteriori bound on ``|f1 - f_exact|``; it is ``None`` whenever the
    study cannot give one (diverging, round-off, failed run), never NaN.
    """

    values: tuple[float, ...]
    h: tuple[float, ...]
    status: ConvergenceType
    message: str
    ratios: tuple[float, ...] = ()
    differences: tuple[float, ...] = ()
    convergence_ratio: float | None = None
    p_observed: float | None = None
    p_used: float | None = None
    formal_order: float | None = None
    safety_factor: float | None = None
    f_ext: float | None = None
    approx_rel_error: float | None = None
    extrapolated_rel_error: float | None = None
    gci_fine_rel: float | None = None
    gci_fine_abs: float | None = None
    gci_coarse_rel: float | None = None
    gci_coarse_abs: float | None = None
    asymptotic_ratio: float | None = None
    noise_floor: float = 0.0
    order_history: tuple[float | None, ...] = field(default=())

    @property
    def bound_available(self) -> bool:
        """True when the study produced an error bound (``gci_fine_abs``)."""
        return self.gci_fine_abs is not None

    @property
    def error_bound(self) -> float | None:
        """Absolute GCI of the finest value: the estimated bound on its discretisation error."""
        return self.gci_fine_abs

    def consistent_with_formal_order(self, formal: float | None = None, tol: float = 0.5) -> bool:
        """True if the observed order is within ``tol`` of the formal one (given or stored)."""
        target = self.formal_order if formal is None else formal
        if target is None or not math.isfinite(target) or self.p_observed is None:
            return False
        return abs(self.p_observed - target) <= tol

    def in_asymptotic_range(self, tol: float = 0.1) -> bool:
        """True if ``GCI_32 / (r21^p GCI_21)`` is within ``tol`` of 1."""
        return self.asymptotic_ratio is not None and abs(self.asymptotic_ratio - 1.0) <= tol

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (status as its string value)."""
        data = asdict(self)
        data["status"] = self.status.value
        return data


def cell_size(cell_count: float, dimension: int, volume: float = 1.0) -> float:
    """Representative cell size ``(volume / N)^(1/dim)`` for an unstructured or 2-D/3-D grid."""
    if cell_count <= 0 or dimension < 1 or volume <= 0:
        raise StudyInputError(
            f"need cell_count > 0, dimension >= 1, volume > 0; got {cell_count}, {dimension}, "
            f"{volume}"
        )
    return (volume / cell_count) ** (1.0 / dimension)


def richardson_extrapolate(f_fine: float, f_coarse: float, ratio: float, order: float) -> float:
    """``(r^p f1 - f2) / (r^p - 1)``: the value the sequence tends to as h -> 0."""
    factor = _checked_factor(ratio, order)
    return (factor * f_fine - f_coarse) / (factor - 1.0)


def gci(
    f_fine: float,
    f_coarse: float,
    ratio: float,
    order: float,
    safety_factor: float = FS_THREE_GRIDS,
) -> tuple[float | None, float]:
    """(relative, absolute) Grid Convergence Index of ``f_fine``; relative is None if f1 = 0."""
    factor = _checked_factor(ratio, order)
    absolute = safety_factor * abs(f_fine - f_coarse) / (factor - 1.0)
    relative = absolute / abs(f_fine) if f_fine != 0.0 else None
    return relative, absolute


def observed_order(
    f1: float, f2: float, f3: float, r21: float, r32: float | None = None
) -> float | None:
    """Celik's observed order for refinement ratios ``r21`` and ``r32`` (default: equal).

    Returns the signed order (negative when the differences grow on refinement), or None when it
    is undefined (a zero difference, or no solution of the non-constant-ratio equation).
    """
    r32 = r21 if r32 is None else r32
    if r21 <= 1.0 or r32 <= 1.0:
        raise StudyInputError(f"refinement ratios must exceed 1, got r21={r21}, r32={r32}")
    eps21, eps32 = f2 - f1, f3 - f2
    if eps21 == 0.0 or eps32 == 0.0:
        return None
    log_ratio = math.log(abs(eps32 / eps21))
    first = log_ratio / math.log(r21)
    if math.isclose(r21, r32, rel_tol=1e-12) or first <= 0.0:
        return first
    sign = math.copysign(1.0, eps32 / eps21)

    def q(p: float) -> float:
        return math.log((r21**p - sign) / (r32**p - sign))

    p = first
    for _ in range(200):
        try:
            updated = (log_ratio + q(p)) / math.log(r21)
        except (ValueError, ZeroDivisionError, OverflowError):
            break
        if abs(updated - p) <= 1e-12 * max(1.0, abs(p)):
            return updated
        p = updated
    return _order_by_root(log_ratio, r21, r32, sign)


def _order_by_root(log_ratio: float, r21: float, r32: float, sign: float) -> float | None:
    def equation(p: float) -> float:
        return p * math.log(r21) - log_ratio - math.log((r21**p - sign) / (r32**p - sign))

    try:
        return brentq(equation, 1e-6, 50.0, xtol=1e-13)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def grid_study(
    values: Sequence[float],
    h: Sequence[float],
    *,
    formal_order: float | None = None,
    policy: str = "capped",
    noise_floor: float | None = None,
) -> ConvergenceResult:
    """Verify one scalar over a sequence of resolutions (any order; sorted finest first).

    Args:
        values: the scalar at each resolution (a NaN or inf marks a failed run).
        h: characteristic step sizes (positive, distinct).
        formal_order: the method's declared order. Needed with two grids (then assumed, Fs = 3);
            with three or more it is only compared with the observed order.
        policy: ``"capped"`` (default: Celik with ``p = min(p_obs, p_formal)``, Fs = 1.25,
            but Fs = 3 when the observed order is more than 10 % above the formal one; the
            same as Celik without a formal order), ``"celik"`` (observed p, Fs = 1.25) or
            ``"roy"`` (Roy 2005: Fs = 1.25 with the formal p when the observed one is within
            10 % of it, else Fs = 3 with p = min(max(0.5, p_obs), p_formal)). An observed order
            above the formal one is pre-asymptotic; extrapolating with it shrinks the bound, and
            on Robertson/radau5 (t = 4e5, 25/50/100 steps, p_obs = 5.49) that bound fell below
            the true error (effectivity 0.92). Capping restores it (1.3). An observed order
            far above the formal one (> 10 %) is no asymptotic range at all: a 2-D ADI module
            rounding its step count per grid showed 2.47 on 48/96/125 and its capped Fs = 1.25
            bound (4.3e-5) fell below the true error (5.1e-5); Fs = 3 (Roy) bounds it.
        noise_floor: absolute size below which a difference counts as round-off (default
            ``NOISE_FACTOR * eps * max|f|``).

    With more than three grids the finest three give the result; ``order_history`` holds the
    order of every consecutive triple (finest first) to show whether it settles.
    """
    if policy not in POLICIES:
        raise StudyInputError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    pairs = _sorted_pairs(values, h)
    vals = tuple(v for _, v in pairs)
    steps = tuple(s for s, _ in pairs)
    formal = _checked_formal(formal_order)
    base = {"values": vals, "h": steps, "formal_order": formal}
    bad = [i for i, v in enumerate(vals) if not math.isfinite(v)]
    if bad:
        return ConvergenceResult(
            **base,
            status=ConvergenceType.FAILED_RUN,
            message=f"non-finite value at resolution(s) {bad} (finest first): a run failed",
        )
    floor = noise_floor if noise_floor is not None else NOISE_FACTOR * EPS * max(map(abs, vals))
    ratios = tuple(steps[i + 1] / steps[i] for i in range(len(steps) - 1))
    diffs = tuple(vals[i + 1] - vals[i] for i in range(len(vals) - 1))
    base |= {"ratios": ratios, "differences": diffs, "noise_floor": floor}
    if len(vals) == 2:
        return _two_grid(base, vals, ratios[0], diffs[0], formal, floor)
    history = tuple(
        observed_order(vals[i], vals[i + 1], vals[i + 2], ratios[i], ratios[i + 1])
        for i in range(len(vals) - 2)
    )
    base["order_history"] = history
    return _three_grid(base, vals, ratios, diffs, formal, floor, policy)


def _two_grid(
    base: dict, vals: tuple[float, ...], r: float, eps21: float, formal: float | None, floor: float
) -> ConvergenceResult:
    if formal is None:
        raise StudyInputError("two grids need an assumed (formal) order; give formal_order")
    if abs(eps21) <= floor:
        return ConvergenceResult(
            **base,
            status=ConvergenceType.ROUND_OFF,
            message="the two values agree to round-off: no error estimate; use coarser grids",
        )
    rel, absolute = gci(vals[0], vals[1], r, formal, FS_ASSUMED_ORDER)
    return ConvergenceResult(
        **base,
        status=ConvergenceType.ASSUMED_ORDER,
        message=f"two grids: order {formal} assumed, Fs = {FS_ASSUMED_ORDER}",
        p_used=formal,
        safety_factor=FS_ASSUMED_ORDER,
        f_ext=richardson_extrapolate(vals[0], vals[1], r, formal),
        approx_rel_error=abs(eps21 / vals[0]) if vals[0] != 0.0 else None,
        gci_fine_rel=rel,
        gci_fine_abs=absolute,
    )


def _three_grid(
    base: dict,
    vals: tuple[float, ...],
    ratios: tuple[float, ...],
    diffs: tuple[float, ...],
    formal: float | None,
    floor: float,
    policy: str,
) -> ConvergenceResult:
    f1, f2, _ = vals[:3]
    r21, r32 = ratios[:2]
    eps21, eps32 = diffs[:2]
    if abs(eps21) <= floor:
        where = "all three values agree" if abs(eps32) <= floor else "the finest two values agree"
        return ConvergenceResult(
            **base,
            status=ConvergenceType.ROUND_OFF,
            message=f"{where} to round-off (|eps21| <= {floor:.3g}): the discretisation error "
            "is hidden by round-off, no order or bound; use coarser grids",
        )
    ratio = eps21 / eps32 if abs(eps32) > floor else math.inf
    base["convergence_ratio"] = ratio if math.isfinite(ratio) else None
    if abs(ratio) >= 1.0:
        p = observed_order(*vals[:3], r21, r32) if math.isfinite(ratio) else None
        return ConvergenceResult(
            **base,
            status=ConvergenceType.DIVERGING,
            message=f"differences do not shrink on refinement (R = eps21/eps32 = {ratio:.3g}): "
            "no convergence, no bound",
            p_observed=p,
        )
    kind = ConvergenceType.MONOTONE if ratio > 0.0 else ConvergenceType.OSCILLATORY
    p_obs = observed_order(*vals[:3], r21, r32)
    if p_obs is None or p_obs <= 0.0:
        return ConvergenceResult(
            **base,
            status=ConvergenceType.ORDER_UNDETERMINED,
            message="the observed-order equation has no positive solution",
            p_observed=p_obs,
        )
    p_used, fs, note = _order_and_safety(p_obs, formal, policy)
    gci_rel, gci_abs = gci(f1, f2, r21, p_used, fs)
    coarse_rel, coarse_abs = gci(f2, vals[2], r32, p_used, fs)
    f_ext = richardson_extrapolate(f1, f2, r21, p_used)
    asymptotic = None
    if gci_rel is not None and coarse_rel is not None and gci_rel > 0.0:
        asymptotic = coarse_rel / (r21**p_used * gci_rel)
    message = f"{kind.value} convergence, observed order {p_obs:.4g}" + note
    if kind is ConvergenceType.OSCILLATORY:
        message += "; oscillatory: the GCI is less reliable than for monotone convergence"
    return ConvergenceResult(
        **base,
        status=kind,
        message=message,
        p_observed=p_obs,
        p_used=p_used,
        safety_factor=fs,
        f_ext=f_ext,
        approx_rel_error=abs(eps21 / f1) if f1 != 0.0 else None,
        extrapolated_rel_error=abs((f_ext - f1) / f_ext) if f_ext != 0.0 else None,
        gci_fine_rel=gci_rel,
        gci_fine_abs=gci_abs,
        gci_coarse_rel=coarse_rel,
        gci_coarse_abs=coarse_abs,
        asymptotic_ratio=asymptotic,
    )


def _order_and_safety(p_obs: float, formal: float | None, policy: str) -> tuple[float, float, str]:
    if formal is None:
        return p_obs, FS_THREE_GRIDS, ""
    if policy == "celik" or (policy == "capped" and p_obs <= formal):
        return p_obs, FS_THREE_GRIDS, f" (formal {formal:g})"
    if policy == "capped":
        if p_obs <= (1.0 + ROY_BAND) * formal:
            return (
                formal,
                FS_THREE_GRIDS,
                f"; above formal {formal:g}: extrapolated with p = formal",
            )
        # more than 10 % above: the triple is not in the asymptotic range (Roy 2005), e.g. a
        # solver whose step count is rounded per grid so its error is no function of h alone
        return (
            formal,
            FS_ASSUMED_ORDER,
            f"; {p_obs:.3g} > 1.1 x formal {formal:g}: p = formal, Fs = 3",
        )
    if abs(p_obs - formal) <= ROY_BAND * formal:
        return formal, FS_THREE_GRIDS, f"; Roy: within 10 % of formal {formal:g}, p = formal"
    p_used = min(max(0.5, p_obs), formal)
    return p_used, FS_ASSUMED_ORDER, f"; Roy: off formal {formal:g}, p = {p_used:.4g}, Fs = 3"


@dataclass(frozen=True)
class ResolutionPlan:
    """Resolutions (finest first) predicted to bring the fine-grid GCI under the tolerance."""

    h: tuple[float, ...]
    ratios: tuple[float, ...]
    error_constant: float
    predicted_error: float
    predicted_gci: float
    costs: tuple[float, ...]
    total_cost: float
    feasible: bool
    message: str


def error_constant(
    h_fine: float, f_fine: float, h_coarse: float, f_coarse: float, order: float
) -> float:
    """``C`` in ``|f(h) - f_exact| ~ C h^p`` from two runs: ``|f2 - f1| / (h1^p (r^p - 1))``."""
    if not 0.0 < h_fine < h_coarse:
        raise StudyInputError(f"need 0 < h_fine < h_coarse, got {h_fine}, {h_coarse}")
    factor = _checked_factor(h_coarse / h_fine, order)
    return abs(f_coarse - f_fine) / (h_fine**order * (factor - 1.0))


def plan_resolutions(
    formal_order: float,
    tolerance: float,
    trial: Sequence[tuple[float, float]],
    *,
    cost: Callable[[float], float] = lambda h: 1.0 / h,
    n_grids: int = 3,
    ratio: float = 2.0,
    safety_factor: float = FS_THREE_GRIDS,
    budget: float | None = None,
    snap: Callable[[float], float] | None = None,
) -> ResolutionPlan:
    """Choose ``n_grids`` geometric resolutions whose finest should reach ``tolerance``.

    The error constant comes from the two finest ``(h, value)`` pairs of a cheap ``trial``,
    assuming the formal order. The finest grid is the coarsest ``h1`` with
    ``safety_factor * C * h1^p <= tolerance`` (the GCI of a study in the asymptotic range is about
    ``Fs C h1^p``); the others are ``h1 r, h1 r^2 ...``. ``snap`` maps a wanted h to an achievable
    one no larger (e.g. ``lambda h: 1 / ceil(1 / h)`` for integer cell counts); ratios are checked
    again after snapping. ``feasible`` is False when the ratios fall under 1.3, the trial shows no
    measurable error, or the summed ``cost`` exceeds ``budget``.
    """
    order = _checked_formal(formal_order)
    if order is None or order <= 0.0:
        raise StudyInputError(f"planning needs a positive formal order, got {formal_order!r}")
    if not tolerance > 0.0:
        raise StudyInputError(f"tolerance must be > 0, got {tolerance!r}")
    if n_grids < 3:
        raise StudyInputError(f"a study needs >= 3 grids for an observed order, got {n_grids}")
    if ratio < MIN_RATIO:
        raise StudyInputError(f"refinement ratio must be >= {MIN_RATIO}, got {ratio}")
    pairs = _sorted_pairs([v for _, v in trial], [s for s, _ in trial])
    (h_a, f_a), (h_b, f_b) = pairs[0], pairs[1]
    if not (math.isfinite(f_a) and math.isfinite(f_b)):
        raise StudyInputError("the trial runs must give finite values")
    constant = error_constant(h_a, f_a, h_b, f_b, order)
    if constant == 0.0:
        return _plan(
            pairs[0][0],
            ratio,
            n_grids,
            0.0,
            order,
            safety_factor,
            cost,
            budget,
            snap,
            "trial values agree exactly: no error constant, study at the trial grid",
        )
    h_finest = (tolerance / (safety_factor * constant)) ** (1.0 / order)
    return _plan(h_finest, ratio, n_grids, constant, order, safety_factor, cost, budget, snap, "")


def _plan(
    h_finest: float,
    ratio: float,
    n_grids: int,
    constant: float,
    order: float,
    safety_factor: float,
    cost: Callable[[float], float],
    budget: float | None,
    snap: Callable[[float], float] | None,
    note: str,
) -> ResolutionPlan:
    wanted = [h_finest * ratio**k for k in range(n_grids)]
    steps = tuple(snap(s) if snap else s for s in wanted)
    if any(not (0.0 < s <= w * (1 + 1e-12)) for s, w in zip(steps, wanted, strict=True)):
        raise StudyInputError("snap must return a positive h no larger than the one asked for")
    ratios = tuple(steps[i + 1] / steps[i] for i in range(n_grids - 1))
    costs = tuple(float(cost(s)) for s in steps)
    total = sum(costs)
    problems = [note] if note else []
    if min(ratios) < MIN_RATIO:
        problems.append(f"after snapping a ratio is {min(ratios):.3g} < {MIN_RATIO}")
    if budget is not None and total > budget:
        problems.append(f"cost {total:.3g} exceeds the budget {budget:.3g}")
    predicted = constant * steps[0] ** order
    return ResolutionPlan(
        h=steps,
        ratios=ratios,
        error_constant=constant,
        predicted_error=predicted,
        predicted_gci=safety_factor * predicted,
        costs=costs,
        total_cost=total,
        feasible=not problems,
        message="; ".join(problems) if problems else "ok",
    )


def _sorted_pairs(values: Sequence[float], h: Sequence[float]) -> list[tuple[float, float]]:
    if len(values) != len(h):
        raise StudyInputError(f"{len(values)} values but {len(h)} step sizes")
    if len(values) < 2:
        raise StudyInputError("a convergence study needs at least two resolutions")
    try:
        pairs = sorted((float(s), float(v)) for s, v in zip(h, values, strict=True))
    except (TypeError, ValueError) as exc:
        raise StudyInputError(f"values and h must be real numbers: {exc}") from exc
    steps = [s for s, _ in pairs]
    if not all(math.isfinite(s) and s > 0.0 for s in steps):
        raise StudyInputError(f"step sizes must be finite and > 0, got {steps}")
    if len(set(steps)) != len(steps):
        raise StudyInputError(f"step sizes must be distinct, got {steps}")
    return pairs


def _checked_formal(order: float | None) -> float | None:
    if order is None:
        return None
    value = float(order)
    return value if math.isfinite(value) else None


def _checked_factor(ratio: float, order: float) -> float:
    if not ratio > 1.0 or not order > 0.0:
        raise StudyInputError(f"need ratio > 1 and order > 0, got r = {ratio}, p = {order}")
    return ratio**order
