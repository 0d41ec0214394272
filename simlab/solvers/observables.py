"""The Problem's observables as a solver's requests: one loop for every kernel family.

Each family says which compiled :class:`~simlab.problem.Functional` it can evaluate by a
``build`` function (the functional -> its request, or why not); this module walks the
Problem's functionals with it and names the first observable that cannot be computed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from simlab.problem import Functional, Problem

Request = TypeVar("Request")


def read_requests(
    problem: Problem, build: Callable[[Functional], Request | str]
) -> list[Request] | str:
    """Every observable of ``problem`` as ``build`` reads it, or why one cannot be computed."""
    if not problem.functionals:
        return "the spec has no observables"
    out: list[Request] = []
    for functional in problem.functionals:
        request = build(functional)
        if isinstance(request, str):
            return f"observable '{functional.name}' = {functional.definition}: {request}"
        out.append(request)
    return out
