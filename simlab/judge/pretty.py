"""Expressions printed the way a spec writes them: ``diff(u, x, 2)`` and ``u``, not
``Derivative(u(t, x), (x, 2))``."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.str import StrPrinter


class _SpecPrinter(StrPrinter):
    def __init__(self, unknowns: frozenset[str]) -> None:
        super().__init__({"order": "none"})
        self.unknowns = unknowns

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        inner = self._print(expr.expr)
        parts = []
        for var, n in expr.variable_count:
            parts.append(f"{self._print(var)}" + (f", {n}" if n != 1 else ""))
        return f"diff({inner}, {', '.join(parts)})"

    def _print_Function(self, expr: sp.Function) -> str:
        if isinstance(expr, AppliedUndef) and expr.func.__name__ in self.unknowns:
            return expr.func.__name__
        return super()._print_Function(expr)

    def _print_Integral(self, expr: sp.Integral) -> str:
        limits = ", ".join(
            "(" + ", ".join(self._print(x) for x in lim) + ")" for lim in expr.limits
        )
        return f"integral({self._print(expr.function)}, {limits})"


def show(expr: sp.Basic, unknowns: tuple[str, ...] | frozenset[str] = (), limit: int = 80) -> str:
    """``expr`` as spec text, clipped to ``limit`` characters."""
    try:
        text = _SpecPrinter(frozenset(unknowns)).doprint(expr)
    except Exception:  # printing must never fail a gate
        text = str(expr)
    text = text.replace("**", "^")
    return text if len(text) <= limit else text[: limit - 1] + "…"
