"""Equations and expressions in sympy notation, read safely.

Text is checked with :mod:`ast` before sympy sees it (no attribute access, no dunder names,
no lambdas or comprehensions), so a spec file can never run code. ``^`` means power, Python
keywords used as names (``lambda``) become ``lambda_``, and the vector-calculus operators
``laplacian``, ``grad``, ``div`` and ``dot`` act on the spec's space coordinates.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import sympy as sp

_RELATIONS = ("<=", ">=", "==", "<", ">", "=")
_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.keyword,
    ast.Tuple,
    ast.List,
    ast.operator,
    ast.unaryop,
)


class ExpressionError(ValueError):
    """Text that is not an expression simlab can read."""


@dataclass(frozen=True)
class Relation:
    """A parsed equation ``lhs op rhs`` (``op`` is ``=`` for equations)."""

    lhs: sp.Expr
    rhs: sp.Expr
    op: str

    @property
    def residual(self) -> sp.Expr:
        """``lhs - rhs``: zero on solutions of an equation."""
        return sp.expand(self.lhs - self.rhs)


@dataclass
class Namespace:
    """The names an expression may use, built from a spec's declarations."""

    space: tuple[sp.Symbol, ...]
    time: sp.Symbol | None
    symbols: dict[str, Any]

    @classmethod
    def build(
        cls,
        space: Iterable[str] = (),
        time: str | None = None,
        unknowns: dict[str, tuple[str, ...]] | None = None,
        parameters: Iterable[str] = (),
        definitions: dict[str, str] | None = None,
        extra_symbols: Iterable[str] = (),
    ) -> Namespace:
        """Coordinates and parameters become real symbols, unknowns become applied functions."""
        space_syms = tuple(sp.Symbol(safe_name(s), real=True) for s in space)
        time_sym = sp.Symbol(safe_name(time), real=True) if time else None
        ns: dict[str, Any] = {s.name: s for s in space_syms}
        if time_sym is not None:
            ns[time_sym.name] = time_sym
        for name in (*parameters, *extra_symbols):
            ns[safe_name(name)] = sp.Symbol(safe_name(name), real=True)
        for name, deps in (unknowns or {}).items():
            args = [ns.get(safe_name(d), sp.Symbol(safe_name(d), real=True)) for d in deps]
            ns[safe_name(name)] = (
                sp.Function(safe_name(name))(*args)
                if args
                else sp.Symbol(safe_name(name), real=True)
            )
        self = cls(space_syms, time_sym, ns)
        for name, text in (definitions or {}).items():
            ns[safe_name(name)] = self.parse(text)
        return self

    def functions(self) -> dict[str, Any]:
        """Operators and elementary functions available in every expression."""
        space = self.space

        def laplacian(f: sp.Expr) -> sp.Expr:
            return sum((sp.diff(f, x, 2) for x in space), sp.Integer(0))

        def grad(f: sp.Expr) -> sp.ImmutableMatrix:
            return sp.ImmutableMatrix([sp.diff(f, x) for x in space])

        def div(v: Any) -> sp.Expr:
            comps = list(v) if isinstance(v, (sp.MatrixBase, list, tuple)) else [v]
            return sum((sp.diff(c, x) for c, x in zip(comps, space, strict=False)), sp.Integer(0))

        def dot(a: Any, b: Any) -> sp.Expr:
            return sum((ai * bi for ai, bi in zip(list(a), list(b), strict=True)), sp.Integer(0))

        def vector(*comps: Any) -> sp.ImmutableMatrix:
            return sp.ImmutableMatrix(list(comps))

        return {
            "diff": sp.diff,
            "Derivative": sp.Derivative,
            "laplacian": laplacian,
            "grad": grad,
            "div": div,
            "dot": dot,
            "vector": vector,
            "integral": sp.Integral,
            "Integral": sp.Integral,
            "sin": sp.sin,
            "cos": sp.cos,
            "tan": sp.tan,
            "exp": sp.exp,
            "log": sp.log,
            "ln": sp.log,
            "sqrt": sp.sqrt,
            "sinh": sp.sinh,
            "cosh": sp.cosh,
            "tanh": sp.tanh,
            "atan": sp.atan,
            "abs": sp.Abs,
            "Abs": sp.Abs,
            "min": sp.Min,
            "max": sp.Max,
            "sign": sp.sign,
            "heaviside": sp.Heaviside,
            "Heaviside": sp.Heaviside,
            "erf": sp.erf,
            "pi": sp.pi,
            "e": sp.E,
            "I": sp.I,
            "oo": sp.oo,
            "LambertW": sp.LambertW,
            "fresnelc": sp.fresnelc,
            "fresnels": sp.fresnels,
        }

    def parse(self, text: str) -> sp.Expr:
        """Parse one expression (no relation sign)."""
        return parse_expression(text, self)

    def parse_relation(self, text: str) -> Relation:
        """Parse ``lhs = rhs`` (or ``<=``, ``>=``, ``<``, ``>``)."""
        lhs, rhs, op = split_relation(text)
        return Relation(self.parse(lhs), self.parse(rhs), op)


def safe_name(name: str) -> str:
    """A Python-safe identifier for a spec name (``lambda`` -> ``lambda_``)."""
    return f"{name}_" if keyword.iskeyword(name) else name


def split_relation(text: str) -> tuple[str, str, str]:
    """Split ``a = b`` at its single top-level relation sign (``f(x=1)`` keywords are skipped)."""
    found: list[tuple[int, str]] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch in "<>=":
            op = text[i : i + 2] if text[i : i + 2] in ("<=", ">=", "==") else ch
            found.append((i, op))
            i += len(op)
            continue
        i += 1
    if not found:
        raise ExpressionError("no '=' found: an equation has the form 'lhs = rhs'")
    if len(found) > 1:
        raise ExpressionError(
            f"{len(found)} relation signs found; write one equation per line ('lhs = rhs')"
        )
    pos, op = found[0]
    lhs, rhs = text[:pos].strip(), text[pos + len(op) :].strip()
    if not lhs or not rhs:
        raise ExpressionError("an equation needs an expression on both sides of '='")
    return lhs, rhs, "=" if op == "==" else op


def _rename_keywords(text: str) -> str:
    return re.sub(
        r"\b([A-Za-z_]\w*)\b",
        lambda m: safe_name(m.group(1)) if keyword.iskeyword(m.group(1)) else m.group(1),
        text,
    )


def check_syntax(text: str) -> ast.Expression:
    """Parse with :mod:`ast` and allow only arithmetic, names, numbers and calls."""
    source = _rename_keywords(text.strip()).replace("^", "**")
    if not source:
        raise ExpressionError("empty expression")
    if len(source) > 2000:
        raise ExpressionError("expression longer than 2000 characters")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(
            f"not a valid expression ({exc.msg} at column {exc.offset})"
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("not a valid expression") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"'{type(node).__name__}' is not allowed in an expression")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise ExpressionError(f"name '{node.id}' is not allowed (leading underscore)")
        if isinstance(node, ast.Call) and not isinstance(node.func, ast.Name):
            raise ExpressionError("only plain function names may be called")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, complex)):
            raise ExpressionError(f"constant {node.value!r} is not a number")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exp = node.right
            big = isinstance(exp, ast.Constant) and isinstance(exp.value, (int, float))
            if big and abs(exp.value) > 1000:
                raise ExpressionError("exponent larger than 1000")
    return tree


_PARSED: OrderedDict[Hashable, sp.Expr] = OrderedDict()
_PARSED_SIZE = 4096


def parse_expression(text: str, ns: Namespace) -> sp.Expr:
    """Parse ``text`` into a sympy expression using the names in ``ns``.

    Parsing is a pure function of the text and the namespace's symbols (sympy objects are
    immutable), so results are remembered, LRU-bounded: a certified run reads the same
    definitions and equations for the Judge, the kernels, the study and the audits.
    """
    try:
        key: Hashable = (text, ns.space, ns.time, frozenset(ns.symbols.items()))
        hash(key)
    except TypeError:  # an unhashable definition (never from a spec): parse every time
        return _parse_expression(text, ns)
    hit = _PARSED.get(key)
    if hit is not None:
        _PARSED.move_to_end(key)
        return hit
    value = _parse_expression(text, ns)
    _PARSED[key] = value
    if len(_PARSED) > _PARSED_SIZE:
        _PARSED.popitem(last=False)
    return value


def _parse_expression(text: str, ns: Namespace) -> sp.Expr:
    tree = check_syntax(text)
    env: dict[str, Any] = {**ns.functions(), **ns.symbols}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in env:
            is_called = any(isinstance(p, ast.Call) and p.func is node for p in ast.walk(tree))
            env[node.id] = sp.Function(node.id) if is_called else sp.Symbol(node.id, real=True)
    code = compile(tree, "<spec expression>", "eval")
    try:
        value = eval(code, {"__builtins__": {}}, env)
    except Exception as exc:  # sympy raises many kinds on ill-formed math
        raise ExpressionError(f"cannot evaluate expression: {type(exc).__name__}: {exc}") from None
    if isinstance(value, (int, float, complex)):
        value = sp.sympify(value)
    if isinstance(value, (tuple, list)):
        raise ExpressionError("a tuple is not an expression")
    return value


def free_names(text: str) -> set[str]:
    """Names used in ``text`` (called names excluded); used to report undeclared symbols."""
    tree = check_syntax(text)
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}  # type: ignore[attr-defined]
    kw_names = {k.arg for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    bound = {
        arg.elts[0].id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") in ("integral", "Integral")
        for arg in n.args[1:]
        if isinstance(arg, ast.Tuple) and arg.elts and isinstance(arg.elts[0], ast.Name)
    }
    return names - called - kw_names - bound - {None}  # type: ignore[operator]


BUILTIN_NAMES = frozenset(Namespace((), None, {}).functions())
