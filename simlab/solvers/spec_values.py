"""Expressions written in a spec's own words, evaluated in SI: what the Problem does not carry.

The solvers read the compiled :class:`~simlab.problem.Problem`. What remains here serves
text that is not compiled into it: reference values in the tolerance section (pipeline,
bench), the integral-transform and CT families, finite-element shapes, the sandbox protocol's
observable calls and the parameter probe. Values are SI; a nondimensional spec passes through.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any

import sympy as sp

from simlab.errors import SolverError
from simlab.problem import compile_problem
from simlab.problem.calls import read_call as read_call  # re-exported
from simlab.spec.expressions import Namespace, Relation, safe_name
from simlab.spec.model import Spec
from simlab.spec.units import parse_unit, to_base


class SpecValues:
    """SI values of a spec's parameters, coordinates and expressions (built once per spec)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    # -------------------------------------------------------------- scalars
    @cached_property
    def parameters(self) -> dict[str, float]:
        """Numeric parameters in SI base units (read from the compiled Problem)."""
        si = compile_problem(self.spec).parameters
        return {
            p.name: si[safe_name(p.name)]
            for p in self.spec.equations.parameters
            if isinstance(p.value, float) and safe_name(p.name) in si
        }

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
        t = compile_problem(self.spec).time
        return None if t is None else (t.start, t.end)

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
        expr = self.namespace.parse(text)
        pairs = tuple((k, type(v), v) for k, v in self.substitutions.items())
        try:
            return _substituted(expr, pairs)
        except TypeError:  # an unhashable expression: substitute every time
            return expr.subs(self.substitutions)

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

    def observable_scale(self, name: str) -> float:
        """Factor from SI base units to the observable's declared unit."""
        o = self.spec.observable(name)
        if o is None or o.unit is None:
            return 1.0
        quantity = 1 * parse_unit(o.unit)
        if not quantity._is_multiplicative:  # logarithmic (dB) or offset units: no scaling
            return 1.0
        return float(quantity.to_base_units().magnitude)


@lru_cache(maxsize=4096)
def _substituted(expr: sp.Expr, pairs: tuple[tuple[sp.Symbol, type, float], ...]) -> sp.Expr:
    """``expr.subs`` of parameter values, remembered (the run's solvers, cross-solvers and
    diagnostic re-solves read the same expressions with the same values)."""
    return expr.subs({symbol: value for symbol, _, value in pairs})
