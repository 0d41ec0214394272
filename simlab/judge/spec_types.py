"""Dimensions of everything in a spec besides the equations (part of gate 1, S1).

* **Observables**: any definition (point values ``u(t=0.5, x=1)``, functionals ``max(u)``,
  ``integral(u, x)``, ``peak_time(I)``, ``front_speed(u)``, arithmetic of them) gets a
  dimension, compared with the declared unit. Undeclared names are a FAIL naming them; points
  and times must lie in the closed domain x [t0, T].
* **References**: an analytic reference has the dimension of its observable, and the
  arguments of its transcendental functions are dimensionless (``exp(-kappa*pi**2*t/L)`` with a
  length in the exponent fails).
* **Tolerances**: a threshold written with a unit (``1.0e-3 Pa``) is an absolute bound in the
  observable's dimension; a relative metric is a pure number, and a relative error of a
  quantity on an offset scale (degC, degF) depends on the zero point, so it is refused.
* **Discretization**: a time step with a unit has the dimension of time.

Nothing defaults to dimensionless: a name without a dimension is reported, never skipped.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from simlab.judge.dims import (
    DIMENSIONLESS,
    Dim,
    DimensionMismatch,
    DimEnv,
    NotDimensionless,
    dimension_of,
)
from simlab.judge.report import Finding, Status
from simlab.spec.dialect import to_number
from simlab.spec.expressions import safe_name
from simlab.spec.units import to_base

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

#: functionals whose value has the dimension of their first argument
_SAME = frozenset({"max", "min", "mean", "final", "peak", "abs", "norm", "value", "average"})
#: functionals whose value is a pure number
_PURE = frozenset({"psnr", "ssim", "relative_error", "count"})
#: step functions: any argument dimension, a pure number out
_STEP = frozenset({"heaviside", "Heaviside", "sign"})
_TRANSCENDENTAL = frozenset(
    {"exp", "log", "ln", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "erf", "asinh"}
)
_REL = 1e-9


class TypeProblem(Exception):
    """An expression that cannot be typed: the message names what is wrong."""

    def __init__(self, message: str, fix: str, status: Status = Status.FAIL) -> None:
        super().__init__(message)
        self.fix = fix
        self.status = status


class ObservableTyper:
    """Walks an observable definition (a Python expression tree) and returns its dimension."""

    def __init__(self, ctx: JudgeContext, env: DimEnv) -> None:
        self.ctx, self.env = ctx, env
        spec = ctx.spec
        self.unknowns = {u.name: u for u in spec.equations.unknowns}
        coords = list(spec.domain.coordinates) + ([spec.domain.time] if spec.domain.time else [])
        self.coords = {c.name: c for c in coords}
        self.time = spec.domain.time

    def dim_of_name(self, name: str) -> Dim:
        s = self.ctx.sym
        if name in self.unknowns:
            return self._known(self.env.functions.get(safe_name(name)), name)
        sym = s.symbol(name)
        if sym in self.env.symbols:
            return self._known(self.env.symbols[sym], name)
        if name in self.ctx.spec.equations.definitions and s.ns is not None:
            try:
                r = dimension_of(s.ns.parse(self.ctx.spec.equations.definitions[name]), self.env)
            except (DimensionMismatch, NotDimensionless) as exc:
                raise TypeProblem(f"definition '{name}': {exc}", "fix the definition") from None
            if r.dim is None:
                raise TypeProblem(
                    f"definition '{name}' has no dimension (no unit for "
                    f"{', '.join(sorted(r.missing))})",
                    "declare units for every name in the definition",
                    Status.UNVERIFIABLE,
                )
            return r.dim
        if name in ("pi", "e", "E"):
            return DIMENSIONLESS
        raise TypeProblem(
            f"symbol '{name}' is not declared anywhere in the spec",
            f"declare '{name}' as a parameter with a value and a unit, or correct the name",
        )

    def _known(self, dim: Dim | None, name: str) -> Dim:
        if dim is None:
            raise TypeProblem(
                f"'{name}' has no unit",
                f"give '{name}' a unit (or write 'nondimensional: true' in ## Equations)",
                Status.UNVERIFIABLE,
            )
        return dim

    def walk(self, node: ast.AST) -> Dim:
        if isinstance(node, ast.Expression):
            return self.walk(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float)):
                return DIMENSIONLESS
            raise TypeProblem(f"cannot read the constant {node.value!r}", "write a number")
        if isinstance(node, ast.Name):
            return self.dim_of_name(node.id)
        if isinstance(node, ast.UnaryOp):
            return self.walk(node.operand)
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        raise TypeProblem(
            f"cannot type '{ast.unparse(node)}'", "write a functional such as max(u) or u(x=..)"
        )

    def _binop(self, node: ast.BinOp) -> Dim:
        a, b = self.walk(node.left), self.walk(node.right)
        if isinstance(node.op, (ast.Add, ast.Sub)):
            if a != b:
                raise TypeProblem(
                    f"'{ast.unparse(node.left)}' has dimension {a} but "
                    f"'{ast.unparse(node.right)}' has {b}",
                    "only quantities of the same dimension can be added",
                )
            return a
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            return a / b
        if isinstance(node.op, ast.Pow):
            exp = to_number(ast.unparse(node.right))
            if exp is None:
                if not (a.dimensionless and b.dimensionless):
                    raise TypeProblem(
                        f"symbolic power of a dimensional quantity in '{ast.unparse(node)}'",
                        "raise only pure numbers to symbolic powers",
                    )
                return DIMENSIONLESS
            from fractions import Fraction

            return a ** Fraction(exp).limit_denominator(1000)
        raise TypeProblem(f"operator in '{ast.unparse(node)}' not supported", "use + - * / **")

    def _call(self, node: ast.Call) -> Dim:
        if not isinstance(node.func, ast.Name):
            raise TypeProblem(f"cannot read '{ast.unparse(node)}'", "call a functional by name")
        head = node.func.id
        if head in self.unknowns:
            self._point(head, node)
            return self.dim_of_name(head)
        if head in _TRANSCENDENTAL:
            for arg in node.args:
                d = self.walk(arg)
                if not d.dimensionless:
                    raise TypeProblem(
                        f"the argument '{ast.unparse(arg)}' of {head} has dimension {d}; it must "
                        "be dimensionless",
                        "divide the argument by a reference scale of the same unit",
                    )
            return DIMENSIONLESS
        if head == "sqrt" and node.args:
            from fractions import Fraction

            return self.walk(node.args[0]) ** Fraction(1, 2)
        if head in _SAME and node.args:
            self._keywords(node)
            return self.walk(node.args[0])
        if head == "integral" and node.args:
            return self._integral(node)
        if head == "eigenvalue":
            ev = self.ctx.spec.equations.eigenvalue
            if ev is None:
                raise TypeProblem(
                    "eigenvalue(...) but the spec declares no eigenvalue",
                    "declare 'eigenvalue: {symbol: ..., unit: ...}' in ## Equations",
                )
            return self.dim_of_name(ev.symbol)
        if head == "peak_time":
            self._args_typed(node)
            return self._time_dim()
        if head == "front_speed":
            self._args_typed(node)
            length = self.env.length
            if length is None:
                raise TypeProblem(
                    "the coordinates have no common length unit", "give units", Status.UNVERIFIABLE
                )
            return length / self._time_dim()
        if head in _PURE or head in _STEP:
            self._args_typed(node)
            return DIMENSIONLESS
        if head == "outcome":  # a probability density and regions: the outcome gate reads it
            return DIMENSIONLESS
        if head == "intensity":
            self._keywords(node)
            if len(self.unknowns) == 1:
                return self.dim_of_name(next(iter(self.unknowns))) ** 2
        raise TypeProblem(
            f"'{head}' is neither an unknown nor a functional the Judge knows",
            "use u(x=..., t=...), max, min, mean, integral, eigenvalue, peak_time, front_speed",
            Status.UNVERIFIABLE,
        )

    def _time_dim(self) -> Dim:
        if self.time is None:
            raise TypeProblem("a time functional in a stationary problem", "declare time")
        return self._known(self.env.symbols.get(self.ctx.sym.symbol(self.time.name)), "time")

    def _args_typed(self, node: ast.Call) -> None:
        for arg in node.args:
            self.walk(arg)
        self._keywords(node)

    def _keywords(self, node: ast.Call) -> None:
        """Keyword arguments naming a coordinate are points; others are options (level=)."""
        for kw in node.keywords:
            if kw.arg in self.coords:
                self._inside(kw.arg, kw.value, ast.unparse(node))

    def _integral(self, node: ast.Call) -> Dim:
        body = self.walk(node.args[0])
        if len(node.args) == 1:  # over the whole domain
            for c in self.ctx.spec.domain.coordinates:
                body = body * self.dim_of_name(c.name)
        for arg in node.args[1:]:
            var = arg.elts[0] if isinstance(arg, ast.Tuple) and arg.elts else arg
            if not isinstance(var, ast.Name) or var.id not in self.coords:
                raise TypeProblem(
                    f"integral variable '{ast.unparse(var)}' is not a coordinate",
                    "integrate over a declared coordinate: integral(u, x)",
                )
            body = body * self.dim_of_name(var.id)
        return body

    def _point(self, head: str, node: ast.Call) -> None:
        depends = list(self.unknowns[head].depends_on)
        for i, arg in enumerate(node.args):
            if i < len(depends):
                self._inside(depends[i], arg, ast.unparse(node))
        for kw in node.keywords:
            if kw.arg is None or kw.arg not in self.coords:
                raise TypeProblem(
                    f"'{ast.unparse(node)}': '{kw.arg}' is not a coordinate or time",
                    f"evaluate {head} at declared coordinates: "
                    + ", ".join(f"{c}=..." for c in self.coords),
                )
            self._inside(kw.arg, kw.value, ast.unparse(node))

    def _inside(self, name: str, value: ast.AST, where: str) -> None:
        c = self.coords[name]
        text = ast.unparse(value)
        number = to_number(text)
        s = self.ctx.sym
        if number is not None:
            v, lo, hi = number, c.lower, c.upper
            unit = c.unit or ""
        else:
            if s.ns is None:
                return
            try:
                expr = s.ns.parse(text)
            except Exception:
                raise TypeProblem(
                    f"cannot read the point {name} = {text}", "write a number"
                ) from None
            got = s.evaluator.real_constant(expr)
            if got is None:
                names = sorted(str(f) for f in s.evaluator.substitute(expr).free_symbols)
                raise TypeProblem(
                    f"the point {name} = {text} in '{where}' is not a number"
                    + (f" (unknown: {', '.join(names)})" if names else ""),
                    "write the point as a number in the coordinate's unit",
                )
            v = got
            lo, hi = to_base(c.lower, c.unit), to_base(c.upper, c.unit)
            unit = "SI"
        span = max(abs(hi - lo), abs(hi), abs(lo), 1e-300)
        if v < lo - _REL * span or v > hi + _REL * span:
            what = "time" if self.time is not None and name == self.time.name else "coordinate"
            raise TypeProblem(
                f"'{where}' asks for {name} = {v:g} {unit}, outside the {what} range "
                f"[{lo:g}, {hi:g}]".replace(" SI", ""),
                f"evaluate inside the domain x [t0, T] (or extend the {what} range)",
            )


def observable_dimensions(
    ctx: JudgeContext, env: DimEnv, findings: list[Finding]
) -> dict[str, Dim]:
    """Type every observable; append findings; return the dimensions that are known."""
    from simlab.judge.dims import Dim as _Dim

    typer = ObservableTyper(ctx, env)
    dims: dict[str, Dim] = {}
    for o in ctx.spec.observables:
        where = f"Observables, {o.name}"
        if not o.definition:
            continue
        got: Dim | None = None
        try:
            tree = ast.parse(o.definition.strip(), mode="eval")
            got = typer.walk(tree)
        except SyntaxError:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"observable '{o.name}': cannot read '{o.definition}'",
                    fix="write e.g. u(x=0.5, t=1) or max(u)",
                    where=where,
                )
            )
            continue
        except TypeProblem as exc:
            findings.append(
                Finding(
                    exc.status,
                    "S1",
                    f"observable '{o.name}' = {o.definition}: {exc}",
                    {"observable": o.name},
                    fix=exc.fix,
                    where=where,
                )
            )
            continue
        declared = None
        if o.unit is not None:
            try:
                declared = _Dim.of_unit(o.unit)
            except Exception:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S1",
                        f"observable '{o.name}': unit '{o.unit}' is not a unit",
                        fix="write a unit pint knows, e.g. K, Pa, m/s",
                        where=where,
                    )
                )
                continue
        if declared is not None and got is not None and declared != got:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"observable '{o.name}' = {o.definition} has unit '{o.unit}' ({declared}), "
                    f"but {o.definition} has dimension {got}",
                    {"observable": o.name, "dimension": str(declared), "expected": str(got)},
                    fix=f"give '{o.name}' a unit of dimension {got}",
                    where=where,
                )
            )
            continue
        if got is not None:
            dims[o.name] = got
    return dims


def reference_dimensions(
    ctx: JudgeContext, env: DimEnv, dims: dict[str, Dim], findings: list[Finding]
) -> None:
    """Each analytic reference has its observable's dimension, and is typed throughout."""
    s = ctx.sym
    t = ctx.spec.tolerance
    if s.ns is None:
        return
    for key, ref in t.references.items():
        if ref.kind != "analytic" or ref.value is None:
            continue
        where = "Tolerance, " + ("reference" if key == "*" else f"references, {key}")
        try:
            expr = s.ns.parse(ref.value)
        except Exception as exc:
            findings.append(
                Finding(
                    Status.FAIL, "S1", f"reference '{ref.value}' cannot be read: {exc}", where=where
                )
            )
            continue
        if expr.is_number:
            continue  # a bare number is read in the observable's unit
        try:
            r = dimension_of(expr, env)
        except DimensionMismatch as exc:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"analytic reference '{ref.value}': '{exc.a}' has "
                    f"dimension {exc.da} but '{exc.b}' has {exc.db}",
                    fix="only quantities of the same dimension can be added",
                    where=where,
                )
            )
            continue
        except NotDimensionless as exc:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"analytic reference '{ref.value}': the argument "
                    f"'{exc.arg}' of {exc.func} has dimension {exc.dim}; it must be "
                    "dimensionless",
                    {"argument": str(exc.arg), "dimension": str(exc.dim)},
                    fix="divide by a scale of the same unit (e.g. kappa*t/L**2)",
                    where=where,
                )
            )
            continue
        if r.dim is None:
            undeclared = sorted(
                n for n in r.missing if n.isidentifier() and n not in s.declared_names
            )
            findings.append(
                Finding(
                    Status.FAIL if undeclared else Status.UNVERIFIABLE,
                    "S1",
                    f"analytic reference '{ref.value}': "
                    + (
                        f"symbol(s) {', '.join(undeclared)} not declared"
                        if undeclared
                        else f"no unit for {', '.join(sorted(r.missing))}"
                    ),
                    {"undeclared": undeclared},
                    fix="declare each symbol as a parameter with a value and a unit",
                    where=where,
                )
            )
            continue
        targets = list(dims) if key == "*" else [key]
        for name in targets:
            want = dims.get(name)
            if want is not None and want != r.dim:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S1",
                        f"analytic reference for '{name}' has dimension {r.dim}, but the "
                        f"observable has {want}",
                        {"reference": ref.value, "dimension": str(r.dim), "expected": str(want)},
                        fix="the reference must be the same quantity as the observable",
                        where=where,
                    )
                )


def tolerance_units(ctx: JudgeContext, dims: dict[str, Dim], findings: list[Finding]) -> None:
    t = ctx.spec.tolerance
    metric = (t.metric or "").lower()
    relative = "relative" in metric
    for key, unit in t.threshold_units.items():
        where = "Tolerance, " + ("threshold" if key == "*" else f"thresholds, {key}")
        try:
            got = Dim.of_unit(unit)
        except Exception:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"threshold unit '{unit}' is not a unit",
                    fix="write e.g. 1.0e-3 Pa",
                    where=where,
                )
            )
            continue
        if relative and not got.dimensionless:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"metric '{t.metric}' is a relative error (a pure number), but the threshold "
                    f"has unit '{unit}' ({got})",
                    {"unit": unit, "dimension": str(got)},
                    fix="drop the unit, or use 'metric: absolute_error' with the threshold "
                    f"in {unit}",
                    where=where,
                )
            )
            continue
        for name in list(dims) if key == "*" else [key]:
            want = dims.get(name)
            if want is not None and not relative and want != got:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S1",
                        f"absolute threshold in '{unit}' ({got}) for observable '{name}' of "
                        f"dimension {want}",
                        {"unit": unit, "dimension": str(got), "expected": str(want)},
                        fix=f"write the threshold in a unit of {want}",
                        where=where,
                    )
                )
    if relative:
        for o in ctx.spec.observables:
            if o.unit and is_offset_unit(o.unit):
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S1",
                        f"observable '{o.name}' is in '{o.unit}', an offset scale: its relative "
                        "error depends on where the zero of the scale is (1 K off at 20 degC is "
                        "5 %, at 293 K 0.3 %), so a relative metric is meaningless",
                        {"observable": o.name, "unit": o.unit},
                        fix=f"give '{o.name}' in K, or use 'metric: absolute_error' with a "
                        "threshold in delta_degC",
                        where=f"Observables, {o.name}",
                    )
                )


def is_offset_unit(unit: str) -> bool:
    """A unit with a shifted zero (degC, degF): ``0 unit`` is not zero in SI."""
    try:
        return abs(to_base(0.0, unit)) > 0.0
    except Exception:
        return False


def discretization_units(ctx: JudgeContext, env: DimEnv, findings: list[Finding]) -> None:
    disc = ctx.spec.discretization
    t = ctx.spec.domain.time
    if disc is None or disc.dt is None or disc.dt.unit is None:
        return
    try:
        got = Dim.of_unit(disc.dt.unit)
    except Exception:
        return
    want = env.symbols.get(ctx.sym.symbol(t.name)) if t is not None else Dim.of_unit("s")
    if want is not None and got != want:
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                f"the time step dt = {disc.dt.value:g} {disc.dt.unit} has dimension {got}, "
                f"not {want}",
                {"dt_unit": disc.dt.unit},
                fix="write dt in a unit of time (e.g. 1e-3 s)",
                where="Discretization, dt",
            )
        )


__all__ = [
    "discretization_units",
    "is_offset_unit",
    "observable_dimensions",
    "reference_dimensions",
    "tolerance_units",
]
