"""Observable definitions read as calls: ``u(t=0.5, x=1)``, ``eigenvalue(1)``, ``max(u)``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from simlab.errors import SolverError


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
