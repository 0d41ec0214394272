"""sympy expressions of a Problem as numpy callables, lambdified once per expression."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import sympy as sp


@lru_cache(maxsize=1024)
def numpy_lambda(symbols: tuple[sp.Symbol, ...], expr: sp.Expr) -> Callable[..., Any]:
    """``sympy.lambdify(symbols, expr, "numpy")``, remembered: the generated function is
    stateless, so every caller of the same expression can share it."""
    return sp.lambdify(list(symbols), expr, modules="numpy")
