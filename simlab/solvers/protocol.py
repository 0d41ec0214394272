"""What a solver is: a family it serves, a formal order, and ``solve(spec, resolution)``.

Built-in solvers subclass :class:`SpecSolver` and register themselves by ``name``; a supplied
or generated solver module implements the same methods and runs in the sandbox.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from simlab.certify.audit_checks import CheckResult
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

_REGISTRY: dict[str, type[SpecSolver]] = {}


@dataclass(frozen=True)
class Fit:
    """Whether a solver can solve a spec, and why not."""

    ok: bool
    reason: str = ""

    @classmethod
    def no(cls, reason: str) -> Fit:
        return cls(False, reason)


YES = Fit(True)


class SpecSolver(ABC):
    """A solver for one problem family, driven by a spec and a resolution.

    Class attributes:
        name: registry key (unique).
        family: the Judge's classification family this solver serves.
        formal_order: order of accuracy in ``Solution.h``.
        resolutions: default geometric sequence of resolutions, coarse to fine; the convergence
            study extends it when the tolerance is not reached.
    """

    name: ClassVar[str]
    family: ClassVar[str]
    formal_order: ClassVar[float]
    resolutions: ClassVar[tuple[int, ...]] = (16, 32, 64)
    priority: ClassVar[int] = 100
    """Order among the general (family-agnostic) solvers: lower is tried first."""
    max_resolution: ClassVar[int] = 4096
    discretization: ClassVar[str | None] = None
    """The discretization method (``finite_difference``, ``finite_element`` ...): a cross-solve
    by another method is preferred, since one by the same stencils shares their error."""
    honours_forcing: ClassVar[bool] = False
    """It solves every term of the spec's equations, a manufactured forcing term included
    (simlab.certify.manufacture_forcing), so manufactured solutions can verify it."""

    def __init_subclass__(cls, register: bool = True, **kwargs: object) -> None:
        """Register concrete solvers by name; ``register=False`` keeps a check-only solver
        (a cross-solve that must never be chosen to answer a spec) out of the registry."""
        super().__init_subclass__(**kwargs)
        if register and not getattr(cls, "__abstractmethods__", None) and hasattr(cls, "name"):
            _REGISTRY[cls.name] = cls

    @abstractmethod
    def fit(self, spec: Spec) -> Fit:
        """Can this solver solve ``spec``? Computed from the spec's structure, with a reason."""

    @abstractmethod
    def solve(self, spec: Spec, resolution: int) -> Solution:
        """Solve at ``resolution``; ``Solution.observables`` holds every spec observable (SI)."""

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Physics checks on the finest solution (conservation, bounds, symmetry ...)."""
        return []

    def independent_of(self, primary: SpecSolver) -> bool:
        """Whether this solver is a method independent of ``primary`` (a cross-solve)."""
        return True

    def refine(self, resolution: int, ratio: float) -> int:
        """The next resolution up by about ``ratio`` (integers, at least one more)."""
        return max(resolution + 1, round(resolution * ratio))


def registered() -> dict[str, type[SpecSolver]]:
    """Every registered solver class by name (importing the built-ins first)."""
    import simlab.solvers.builtin  # noqa: F401  (registers on import)

    return dict(_REGISTRY)
