"""Input checks shared by the PDE kernels: every bad argument becomes a clear SimlabError."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from simlab.errors import SimlabError

FieldData = float | Callable[..., Any]
"""A constant, or a vectorised callable of the coordinates (``f(x)``, ``f(x, y)``)."""


class KernelInputError(SimlabError, ValueError):
    """A PDE kernel was called with an argument it cannot use."""


def positive(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    number = finite(name, value)
    if number <= 0.0:
        raise KernelInputError(f"{name} must be > 0, got {value!r}")
    return number


def finite(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise KernelInputError(f"{name} must be a real number, got {value!r}") from exc
    if not math.isfinite(number):
        raise KernelInputError(f"{name} must be finite, got {value!r}")
    return number


def cell_count(name: str, value: int, minimum: int = 2) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise KernelInputError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise KernelInputError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def cell_counts_2d(value: int | Sequence[int], minimum: int = 2) -> tuple[int, int]:
    """Cells along x and y from ``n`` (same in both directions) or ``(nx, ny)``."""
    if isinstance(value, Sequence):
        if len(value) != 2:
            raise KernelInputError(f"n must be an integer or a pair (nx, ny), got {value!r}")
        return cell_count("nx", value[0], minimum), cell_count("ny", value[1], minimum)
    count = cell_count("n", value, minimum)
    return count, count


def choice(name: str, value: str, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``allowed``, otherwise raise listing the choices."""
    if value not in allowed:
        raise KernelInputError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")
    return value


def sample(name: str, data: FieldData, *coords: np.ndarray) -> np.ndarray:
    """Evaluate a constant or a vectorised callable on broadcastable coordinate arrays.

    The result is a new float array of the broadcast shape; non-finite values raise.
    """
    shape = np.broadcast_shapes(*(np.shape(c) for c in coords))
    if callable(data):
        try:
            raw = data(*coords)
        except Exception as exc:
            raise KernelInputError(f"{name} could not be evaluated on the grid: {exc}") from exc
    else:
        raw = data
    try:
        values = np.broadcast_to(np.asarray(raw, dtype=float), shape).copy()
    except (TypeError, ValueError) as exc:
        raise KernelInputError(
            f"{name} must return real numbers broadcastable to shape {shape}: {exc}"
        ) from exc
    if not np.all(np.isfinite(values)):
        raise KernelInputError(f"{name} returned non-finite values on the grid")
    return values


def time_steps(t_end: float, dt_target: float, even: bool = False) -> tuple[int, float]:
    """Smallest step count whose uniform step ``t_end / steps`` does not exceed ``dt_target``."""
    steps = max(1, math.ceil(t_end / dt_target * (1.0 - 1e-12)))
    if even and steps % 2:
        steps += 1
    return steps, t_end / steps


def steps_past(t_end: float, dt: float, minimum: int = 1) -> tuple[int, bool]:
    """Steps of size ``dt`` needed to reach or pass ``t_end``, and whether they land on it."""
    ratio = t_end / dt
    steps = max(minimum, math.ceil(ratio - 1e-9))
    return steps, abs(steps - ratio) <= 1e-9 * max(1.0, ratio)


def interpolate_in_time(
    t: float, times: Sequence[float], states: Sequence[np.ndarray]
) -> np.ndarray:
    """Lagrange interpolation through the given time levels (two: linear, four: cubic ...)."""
    result = np.zeros_like(states[-1])
    for i, (ti, state) in enumerate(zip(times, states, strict=True)):
        weight = 1.0
        for j, tj in enumerate(times):
            if j != i:
                weight *= (t - tj) / (ti - tj)
        result = result + weight * state
    return result
