"""Physics audits of a computed solution: pure functions on arrays, one :class:`CheckResult` each.

Every check compares one computed number (``value``) with a ``threshold`` and says which
condition of the simulability class it evidences (``condition``): the post-run audits realise
S4 (certifiability: the answer satisfies the invariants its error bound presumes), the entropy
check S2 (it selects the unique, physical weak solution). Non-finite input never passes: the
value is reported as ``inf`` and the message says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from simlab.errors import SimlabError

ArrayLike = np.ndarray | Sequence[float]


class AuditInputError(SimlabError, ValueError):
    """An audit check was given arrays or thresholds it cannot use."""


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one audit: ``passed`` iff ``value`` meets ``threshold`` in the stated sense."""

    name: str
    passed: bool
    value: float
    threshold: float
    condition: str
    message: str
    applicable: bool = True

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return asdict(self)

    @classmethod
    def not_applicable(cls, name: str, reason: str, condition: str = "S4") -> CheckResult:
        """An audit that cannot apply here, shown with the reason (never skipped silently)."""
        return cls(name, True, math.nan, math.nan, condition, f"not applicable: {reason}", False)


def conservation(
    totals: ArrayLike, *, rtol: float = 1e-10, name: str = "conservation"
) -> CheckResult:
    """Relative drift ``max_t |Q(t) - Q(0)| / |Q(0)|`` of a conserved total over a history.

    When ``Q(0) = 0`` the drift is measured against ``max |Q|`` (absolute if that is 0 too).
    """
    series = _series("totals", totals)
    rtol = _non_negative("rtol", rtol)
    if not np.all(np.isfinite(series)):
        return _non_finite(name, rtol, "S4")
    scale = abs(series[0]) or float(np.max(np.abs(series))) or 1.0
    drift = float(np.max(np.abs(series - series[0])) / scale)
    return CheckResult(
        name,
        drift <= rtol,
        drift,
        rtol,
        "S4",
        f"relative drift of the conserved total {drift:.3g} (allowed {rtol:.3g})",
    )


def bounds(
    values: ArrayLike,
    *,
    lower: float | None = 0.0,
    upper: float | None = None,
    atol: float = 0.0,
    name: str = "bounds",
) -> CheckResult:
    """Largest excursion below ``lower`` or above ``upper`` (0 when inside), allowed up to atol."""
    data = _array("values", values)
    atol = _non_negative("atol", atol)
    if lower is None and upper is None:
        raise AuditInputError("bounds needs a lower or an upper bound")
    if not np.all(np.isfinite(data)):
        return _non_finite(name, atol, "S4")
    below = float(lower - data.min()) if lower is not None else 0.0
    above = float(data.max() - upper) if upper is not None else 0.0
    worst = max(below, above, 0.0)
    outside = np.zeros(data.shape, dtype=bool)
    if lower is not None:
        outside |= data < lower - atol
    if upper is not None:
        outside |= data > upper + atol
    count = int(np.count_nonzero(outside))
    if upper is None:
        required = f"\u2265 {lower:g}"
    elif lower is None:
        required = f"\u2264 {upper:g}"
    else:
        required = f"in [{lower:g}, {upper:g}]"
    verdict = (
        "every value inside"
        if worst == 0.0
        else f"largest excursion {worst:.3g}, {count} value(s) outside by more than {atol:.3g}"
    )
    return CheckResult(
        name,
        worst <= atol,
        worst,
        atol,
        "S4",
        f"values between {data.min():.6g} and {data.max():.6g}, required {required}: {verdict}",
    )


def positivity(values: ArrayLike, *, atol: float = 0.0, name: str = "positivity") -> CheckResult:
    """All values >= 0 (up to ``atol``): densities, concentrations, populations, intensities."""
    return bounds(values, lower=0.0, upper=None, atol=atol, name=name)


def maximum_principle(
    history: ArrayLike, *, rtol: float = 1e-12, name: str = "maximum principle"
) -> CheckResult:
    """``max |u|`` must not increase in time (heat equation with zero boundary data, no source).

    ``history`` has time along its first axis (each entry a field, or a scalar field value).
    The value is the largest step-to-step increase of ``max |u|`` relative to ``max |u(0)|``.
    """
    data = _array("history", history)
    rtol = _non_negative("rtol", rtol)
    if data.shape[0] < 2:
        raise AuditInputError("maximum_principle needs at least two time levels")
    if not np.all(np.isfinite(data)):
        return _non_finite(name, rtol, "S4")
    peaks = np.abs(data.reshape(data.shape[0], -1)).max(axis=1)
    scale = float(peaks[0]) or 1.0
    growth = float(max(np.max(np.diff(peaks)), 0.0) / scale)
    return CheckResult(
        name,
        growth <= rtol,
        growth,
        rtol,
        "S4",
        f"largest relative increase of max|u| between time levels {growth:.3g} (allowed "
        f"{rtol:.3g})",
    )


def monotonicity(
    series: ArrayLike,
    *,
    increasing: bool = True,
    atol: float = 0.0,
    name: str = "monotonicity",
) -> CheckResult:
    """A series that must be non-decreasing (or non-increasing): largest step the wrong way."""
    data = _series("series", series)
    atol = _non_negative("atol", atol)
    if not np.all(np.isfinite(data)):
        return _non_finite(name, atol, "S4")
    steps = np.diff(data) if increasing else -np.diff(data)
    worst = float(max(-steps.min(), 0.0)) if steps.size else 0.0
    direction = "non-decreasing" if increasing else "non-increasing"
    return CheckResult(
        name,
        worst <= atol,
        worst,
        atol,
        "S4",
        f"must be {direction}: largest step the wrong way {worst:.3g} (allowed {atol:.3g})",
    )


def symmetry(
    field: ArrayLike,
    *,
    axis: int = 0,
    error_bound: float = 0.0,
    rtol: float = 1e-10,
    name: str = "symmetry",
) -> CheckResult:
    """Mirror symmetry of a field about the middle of ``axis`` (the grid must be symmetric).

    If the exact field is symmetric and each value is within ``error_bound`` of it (e.g. the GCI
    of the field), ``|u - mirror(u)| <= 2 error_bound``; ``rtol * max|u|`` adds round-off room.
    """
    data = _array("field", field)
    if not -data.ndim <= axis < data.ndim:
        raise AuditInputError(f"axis {axis} out of range for a {data.ndim}-D field")
    error_bound = _non_negative("error_bound", error_bound)
    rtol = _non_negative("rtol", rtol)
    threshold = 2.0 * error_bound + rtol * (float(np.max(np.abs(data))) if data.size else 0.0)
    if not np.all(np.isfinite(data)):
        return _non_finite(name, threshold, "S4")
    asymmetry = float(np.max(np.abs(data - np.flip(data, axis=axis))))
    return CheckResult(
        name,
        asymmetry <= threshold,
        asymmetry,
        threshold,
        "S4",
        f"max |u - mirror(u)| about axis {axis}: {asymmetry:.3g} (allowed {threshold:.3g} = "
        f"2 x discretisation bound + round-off)",
    )


def residual_norm(
    residual: ArrayLike, *, tol: float, scale: float = 1.0, name: str = "residual"
) -> CheckResult:
    """``||r||_2 / scale`` of a discrete residual (e.g. ``scale = ||b||`` for ``A u = b``)."""
    data = _array("residual", residual)
    tol = _non_negative("tol", tol)
    if not scale > 0.0:
        raise AuditInputError(f"scale must be > 0, got {scale!r}")
    if not np.all(np.isfinite(data)):
        return _non_finite(name, tol, "S4")
    value = float(np.linalg.norm(data.ravel()) / scale)
    return CheckResult(
        name, value <= tol, value, tol, "S4", f"residual norm {value:.3g} (allowed {tol:.3g})"
    )


def discrete_residual(
    operator: np.ndarray | Callable[[np.ndarray], np.ndarray] | object,
    solution: ArrayLike,
    rhs: ArrayLike,
    *,
    rtol: float = 1e-8,
    name: str = "discrete residual",
) -> CheckResult:
    """``||A u - b|| / ||b||`` for a matrix (dense or scipy.sparse) or a callable ``A(u)``."""
    u = _array("solution", solution).ravel()
    b = _array("rhs", rhs).ravel()
    try:
        applied = np.asarray(operator(u) if callable(operator) else operator @ u, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AuditInputError(f"the operator cannot be applied to the solution: {exc}") from exc
    if applied.size != b.size:
        raise AuditInputError(f"A u has {applied.size} entries but b has {b.size}")
    residual = applied.ravel() - b
    scale = float(np.linalg.norm(b)) or 1.0
    return residual_norm(residual, tol=rtol, scale=scale, name=name)


def entropy_condition(
    u_left: float,
    u_right: float,
    shock_speed: float,
    *,
    characteristic_speed: Callable[[float], float] = lambda u: u,
    atol: float = 0.0,
    name: str = "entropy (Lax)",
) -> CheckResult:
    """Lax's condition for a shock: ``a(u_L) > s > a(u_R)`` with ``a = f'`` (Burgers: a(u) = u).

    The value is the margin ``min(a(u_L) - s, s - a(u_R))``: positive for an admissible shock,
    negative when characteristics leave the discontinuity (an expansion shock: the solution
    should have been a rarefaction). Passes when the margin exceeds ``-atol``.
    """
    ul, ur, s = (
        _finite(n, v)
        for n, v in (("u_left", u_left), ("u_right", u_right), ("shock_speed", shock_speed))
    )
    atol = _non_negative("atol", atol)
    a_left, a_right = float(characteristic_speed(ul)), float(characteristic_speed(ur))
    margin = min(a_left - s, s - a_right)
    verdict = "admissible shock" if margin > -atol else "violates the entropy condition"
    return CheckResult(
        name,
        margin > -atol,
        margin,
        -atol,
        "S2",
        f"a(u_L) = {a_left:.6g} > s = {s:.6g} > a(u_R) = {a_right:.6g}? margin {margin:.3g}: "
        f"{verdict}",
    )


def rankine_hugoniot(
    u_left: float,
    u_right: float,
    shock_speed: float,
    *,
    flux: Callable[[float], float] = lambda u: 0.5 * u * u,
    rtol: float = 0.05,
    name: str = "Rankine-Hugoniot",
) -> CheckResult:
    """Measured speed vs ``(f(u_L) - f(u_R)) / (u_L - u_R)`` (Burgers flux by default)."""
    ul, ur, s = (
        _finite(n, v)
        for n, v in (("u_left", u_left), ("u_right", u_right), ("shock_speed", shock_speed))
    )
    if ul == ur:
        raise AuditInputError("equal left and right states carry no shock")
    expected = (float(flux(ul)) - float(flux(ur))) / (ul - ur)
    error = abs(s - expected) / max(abs(expected), abs(ul - ur))
    return CheckResult(
        name,
        error <= rtol,
        error,
        rtol,
        "S4",
        f"measured speed {s:.6g} vs jump condition {expected:.6g}: relative error {error:.3g}",
    )


def shock_position(x: ArrayLike, u: ArrayLike, u_left: float, u_right: float) -> float:
    """Where a 1-D profile crosses the mean of the two states (linear interpolation)."""
    xs, us = _series("x", x), _series("u", u)
    if xs.shape != us.shape:
        raise AuditInputError("x and u must have the same length")
    level = 0.5 * (_finite("u_left", u_left) + _finite("u_right", u_right))
    side = np.sign(us - level)
    crossings = np.nonzero(side[:-1] * side[1:] <= 0)[0]
    if crossings.size == 0:
        raise AuditInputError("the profile never crosses the mean of the two states")
    k = crossings[np.argmax(np.abs(np.diff(us))[crossings])]  # the steepest crossing
    if us[k + 1] == us[k]:
        return float(xs[k])
    return float(xs[k] + (level - us[k]) * (xs[k + 1] - xs[k]) / (us[k + 1] - us[k]))


def _array(name: str, values: ArrayLike) -> np.ndarray:
    try:
        data = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AuditInputError(f"{name} must be an array of real numbers: {exc}") from exc
    if data.size == 0:
        raise AuditInputError(f"{name} is empty")
    return data


def _series(name: str, values: ArrayLike) -> np.ndarray:
    data = _array(name, values)
    if data.ndim != 1:
        raise AuditInputError(f"{name} must be 1-D, got shape {data.shape}")
    return data


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise AuditInputError(f"{name} must be a real number, got {value!r}") from exc
    if not math.isfinite(number):
        raise AuditInputError(f"{name} must be finite, got {value!r}")
    return number


def _non_negative(name: str, value: float) -> float:
    number = _finite(name, value)
    if number < 0.0:
        raise AuditInputError(f"{name} must be >= 0, got {value!r}")
    return number


def _non_finite(name: str, threshold: float, condition: str) -> CheckResult:
    return CheckResult(
        name, False, math.inf, threshold, condition, "non-finite values in the input: a run failed"
    )
