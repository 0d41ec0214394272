"""Numbers from a Spec, in SI base units: parameters, ranges, expressions as callables.

Solvers work in SI base units throughout (a nondimensional spec passes through unchanged);
the certificate converts back to each observable's declared unit for display.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from simlab.errors import SolverError
from simlab.spec.expressions import Namespace, Relation, safe_name
from simlab.spec.model import Spec
from simlab.spec.units import parse_unit, to_base


@dataclass(frozen=True)
class ObservableCall:
    """An observable definition read as a call: ``u(t=0.5, x=1)`` or ``eigenvalue(1)``."""

    head: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def read_call(definition: str) -> ObservableCall:
    """Parse an observable definition into function name, positional and keyword arguments."""
    try:
        node = ast.parse(definition.strip(), mode="eval").body
    except SyntaxError:
        raise SolverError(f"observable definition '{definition}' is not a call") from None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise SolverError(f"observable definition '{definition}' is not a call like f(...)")

    def value(n: ast.AST) -> Any:
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, ast.Name):
            return n.id
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            inner = value(n.operand)
            return -inner if isinstance(inner, (int, float)) else f"-{inner}"
        return ast.unparse(n)

    args = tuple(value(a) for a in node.args)
    kwargs = {k.arg: value(k.value) for k in node.keywords if k.arg}
    return ObservableCall(node.func.id, args, kwargs)


class SpecValues:
    """SI values of a spec's parameters, coordinates and expressions (built once per spec)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    # -------------------------------------------------------------- scalars
    @cached_property
    def parameters(self) -> dict[str, float]:
        """Numeric parameters in SI base units."""
        out = {}
        for p in self.spec.equations.parameters:
            if isinstance(p.value, float):
                out[p.name] = to_base(p.value, p.unit)
        return out

    def parameter(self, name: str) -> float:
        try:
            return self.parameters[name]
        except KeyError:
            raise SolverError(
                f"the spec has no numeric parameter '{name}'",
                section="Equations",
                hint=f"declare '{name}: <value> <unit>' under parameters",
            ) from None

    def coordinate_range(self, name: str) -> tuple[float, float]:
        c = self.spec.domain.coordinate(name)
        if c is None:
            raise SolverError(f"the domain has no coordinate '{name}'", section="Domain")
        return to_base(c.lower, c.unit), to_base(c.upper, c.unit)

    @property
    def space(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.spec.domain.coordinates)

    @property
    def time_range(self) -> tuple[float, float] | None:
        t = self.spec.domain.time
        return None if t is None else (to_base(t.lower, t.unit), to_base(t.upper, t.unit))

    def kwarg_in_si(self, coord: str, value: Any) -> float:
        """A point coordinate from an observable call (``x=1`` means 1 in the coordinate's unit)."""
        c = self.spec.domain.coordinate(coord)
        number = float(value) if not isinstance(value, str) else float(self.evaluate(value))
        return to_base(number, c.unit if c else None)

    # -------------------------------------------------------------- symbols
    @cached_property
    def namespace(self) -> Namespace:
        e, d = self.spec.equations, self.spec.domain
        return Namespace.build(
            space=[c.name for c in d.coordinates],
            time=d.time.name if d.time else None,
            unknowns={u.name: u.depends_on for u in e.unknowns},
            parameters=[p.name for p in e.parameters],
            definitions=e.definitions,
            extra_symbols=[e.eigenvalue.symbol] if e.eigenvalue else [],
        )

    @cached_property
    def substitutions(self) -> dict[sp.Symbol, float]:
        ns = self.namespace.symbols
        return {ns[safe_name(k)]: v for k, v in self.parameters.items() if safe_name(k) in ns}

    @cached_property
    def relations(self) -> tuple[Relation, ...]:
        return tuple(self.namespace.parse_relation(q.text) for q in self.spec.equations.equations)

    def expression(self, text: str) -> sp.Expr:
        """A spec expression with parameters substituted (coordinates stay symbolic)."""
        return self.namespace.parse(text).subs(self.substitutions)

    def evaluate(self, text: str, **point: float) -> complex | float:
        """Evaluate an expression at a point given in SI units."""
        try:
            return float(text)  # a plain number keeps all 17 digits (sympy would keep 15)
        except ValueError:
            pass
        expr = self.expression(text)
        subs = {self.namespace.symbols[safe_name(k)]: v for k, v in point.items()}
        value = complex(sp.N(expr.subs(subs), 17))
        return value.real if abs(value.imag) <= 1e-14 * max(1.0, abs(value.real)) else value

    def function(self, text: str, variables: tuple[str, ...]) -> Callable[..., np.ndarray]:
        """A vectorised numpy callable of ``variables`` (SI) for an expression."""
        expr = self.expression(text)
        syms = [self.namespace.symbols[safe_name(v)] for v in variables]
        free = expr.free_symbols - set(syms)
        if free:
            raise SolverError(
                f"expression '{text}' depends on {sorted(map(str, free))}, which have no value",
                hint="give each name a numeric parameter value",
            )
        fn = sp.lambdify(syms, expr, modules="numpy")

        def call(*args: np.ndarray) -> np.ndarray:
            shape = np.broadcast(*args).shape if args else ()
            return np.broadcast_to(np.asarray(fn(*args), dtype=float), shape).copy()

        return call

    def observable_scale(self, name: str) -> float:
        """Factor from SI base units to the observable's declared unit."""
        o = self.spec.observable(name)
        if o is None or o.unit is None:
            return 1.0
        quantity = 1 * parse_unit(o.unit)
        if not quantity._is_multiplicative:  # logarithmic (dB) or offset units: no scaling
            return 1.0
        return float(quantity.to_base_units().magnitude)
