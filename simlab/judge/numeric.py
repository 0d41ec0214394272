"""Numbers from a spec: parameter values in SI, and fast evaluation of expressions on samples.

Every symbol is evaluated in SI base units (coordinates, time, parameters), so any expression
comes out in the SI unit of its dimension; bare numbers are dimensionless. A whole boundary or
initial value that is a bare number is read in the unit of its unknown (``value: 300`` for a
temperature in K), see :func:`literal_in_unit`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from simlab.spec.model import Coordinate, Spec
from simlab.spec.units import to_base


def si_parameters(spec: Spec) -> dict[str, float]:
    """Numeric parameters in SI base units (dimensionless ones as written)."""
    out: dict[str, float] = {}
    for p in spec.equations.parameters:
        if isinstance(p.value, float):
            try:
                out[p.name] = to_base(p.value, p.unit)
            except Exception:  # an offset unit pint cannot convert alone
                out[p.name] = float(p.value)
    return out


def coordinate_range(c: Coordinate) -> tuple[float, float]:
    """The coordinate's range in SI."""
    return to_base(c.lower, c.unit), to_base(c.upper, c.unit)


def literal_in_unit(value: float, unit: str | None) -> float:
    """A bare number written as the whole value of a quantity with ``unit``, in SI."""
    try:
        return to_base(value, unit)
    except Exception:
        return float(value)


def unit_factor(unit: str | None) -> float:
    """SI size of one ``unit`` (differences; offsets such as degC drop out)."""
    if unit is None:
        return 1.0
    try:
        return to_base(1.0, unit) - to_base(0.0, unit)
    except Exception:
        return 1.0


class Evaluator:
    """Lambdified expressions, cached per (expression, argument symbols)."""

    def __init__(self, constants: dict[sp.Symbol, float]) -> None:
        self.constants = {k: sp.Float(v) for k, v in constants.items()}
        self._cache: dict[tuple[Any, ...], Any] = {}

    def substitute(self, expr: sp.Expr) -> sp.Expr:
        expr = sp.sympify(expr)
        out = expr.xreplace(self.constants) if self.constants else expr
        return sp.sympify(out)

    def constant(self, expr: sp.Expr) -> complex | None:
        """The value of an expression with no free symbols left after substitution."""
        try:
            value = complex(sp.N(self.substitute(expr)))
        except (TypeError, ValueError, AttributeError, ZeroDivisionError):
            return None
        if not (math.isfinite(value.real) and math.isfinite(value.imag)):
            return None
        return value

    def real_constant(self, expr: sp.Expr) -> float | None:
        value = self.constant(expr)
        if value is None or abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
            return None
        return value.real

    def function(self, expr: sp.Expr, args: Sequence[sp.Symbol]) -> Any:
        """A numpy function of ``args`` (``None`` if the expression has other free symbols)."""
        key = (expr, tuple(args))
        if key in self._cache:
            return self._cache[key]
        sub = self.substitute(expr)
        fn = None
        if sub.free_symbols <= set(args) and not sub.has(sp.Integral, sp.Derivative):
            try:
                fn = sp.lambdify(list(args), sub, modules=[_NUMPY_EXTRA_MODULE, "scipy", "numpy"])
            except Exception:  # an expression numpy cannot print
                fn = None
        self._cache[key] = fn
        return fn

    def sample(
        self, expr: sp.Expr, args: Sequence[sp.Symbol], values: Sequence[np.ndarray]
    ) -> np.ndarray | None:
        """``expr`` at sample points (broadcast arrays), or ``None`` when not evaluable."""
        fn = self.function(expr, args)
        if fn is None:
            return None
        try:
            with np.errstate(all="ignore"):
                out = np.asarray(fn(*values), dtype=complex)
        except Exception:  # undefined functions, shape errors ...
            return None
        shape = np.broadcast_shapes(*(np.shape(v) for v in values)) if values else ()
        out = np.broadcast_to(out, shape) if out.shape != shape else out
        if not np.all(np.isfinite(out)):
            return None
        return out


_NUMPY_EXTRA_MODULE = {"Heaviside": lambda x, h=0.5: np.heaviside(x, h)}


def real_part(values: np.ndarray | None, rtol: float = 1e-9) -> np.ndarray | None:
    """Real values, or ``None`` when they carry a significant imaginary part."""
    if values is None:
        return None
    scale = max(float(np.max(np.abs(values))), 1e-300) if values.size else 1.0
    if values.size and float(np.max(np.abs(values.imag))) > rtol * scale:
        return None
    return np.real(values)


def grid_points(ranges: Sequence[tuple[float, float]], per_axis: int) -> list[np.ndarray]:
    """A tensor grid of sample points (including the ends), as flattened arrays per axis."""
    if not ranges:
        return []
    axes = [np.linspace(lo, hi, per_axis) for lo, hi in ranges]
    mesh = np.meshgrid(*axes, indexing="ij")
    return [m.ravel() for m in mesh]
