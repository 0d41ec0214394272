"""A supplied module as a :class:`~simlab.solvers.protocol.SpecSolver`, every call sandboxed.

:func:`certify_supplied` is the entry point: it reads the module's declaration (in the
sandbox: importing a module runs its code), puts the declared discretization into the spec
so the Judge checks what will run, and certifies the spec with the module as the solver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from simlab.certify.audit_checks import CheckResult
from simlab.certify.certificate import Certificate, Status
from simlab.errors import SandboxError
from simlab.problem import compile_problem
from simlab.sandbox.audit import supplied_audit
from simlab.sandbox.limits import SandboxLimits
from simlab.sandbox.protocol import (
    SolverDeclaration,
    read_result,
    spec_payload,
    with_declared_discretization,
)
from simlab.sandbox.runner import Sandbox, SandboxCallError, shared_sandbox
from simlab.solvers.protocol import YES, Fit, SpecSolver
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec


class SandboxedSolver(SpecSolver):
    """Runs ``describe`` and every ``solve(spec, resolution)`` of a module in the sandbox.

    The registry never sees it (no class-level ``name``); ``name``, ``family``,
    ``formal_order``, ``resolutions`` and ``max_resolution`` come from the module's
    ``SOLVER`` once :meth:`prepare` has read it.
    """

    def __init__(
        self,
        module: str | Path,
        *,
        sandbox: Sandbox | None = None,
        limits: SandboxLimits | None = None,
    ) -> None:
        self.module = Path(module).resolve()
        self.sandbox = sandbox if sandbox is not None else shared_sandbox()
        self.limits = limits
        self.declaration: SolverDeclaration | None = None
        self._payloads: dict[int, tuple[Spec, dict[str, Any]]] = {}
        self._solved: dict[float, Solution] = {}
        self.calls: list[dict[str, Any]] = []
        self.violations: list[dict[str, str]] = []
        """Every sandbox violation of any call, even one a caller caught and moved past."""

    # the SpecSolver attributes, from the declaration
    name: str  # type: ignore[misc]
    family: str  # type: ignore[misc]
    formal_order: float  # type: ignore[misc]
    resolutions: tuple[int, ...]  # type: ignore[misc]
    max_resolution: int  # type: ignore[misc]
    honours_forcing: bool = False
    """The module declares it adds the forcing terms of a manufactured spec (protocol)."""

    def describe(self, spec: Spec) -> SolverDeclaration:
        """Read ``SOLVER`` (and ``plan(spec)``) from the module, in the sandbox."""
        result = self._call("describe", {"spec": self.payload(spec)})
        value = result.value if isinstance(result.value, dict) else {}
        if not value.get("has_solve"):
            raise SandboxError(f"{self.module.name}: the module defines no solve(spec, resolution)")
        decl = SolverDeclaration.read(value.get("solver"), value.get("plan"), self.module.name)
        self.declaration = decl
        self.name = decl.name
        self.family = decl.family or "supplied"
        self.formal_order = decl.formal_order
        self.resolutions = decl.resolutions
        self.max_resolution = decl.max_resolution
        self.honours_forcing = decl.forcing
        return decl

    def _call(self, what: str, payload: dict[str, Any]) -> Any:
        try:
            return self.sandbox.call(self.module, what, payload, self.limits)
        except SandboxCallError as exc:
            self.violations += [v for v in exc.violations if v not in self.violations]
            raise

    def prepare(self, spec: Spec) -> Spec:
        """The spec the Judge should see: its discretization is what the module declares."""
        return with_declared_discretization(spec, self.describe(spec))

    def fit(self, spec: Spec) -> Fit:
        if self.declaration is None:
            return Fit.no("the module's declaration has not been read (call prepare first)")
        return YES

    def payload(self, spec: Spec) -> dict[str, Any]:
        cached = self._payloads.get(id(spec))
        if cached is None or cached[0] is not spec:
            cached = (spec, spec_payload(spec))
            self._payloads = {id(spec): cached}
            self._solved = {}
        return cached[1]

    def solve(self, spec: Spec, resolution: int) -> Solution:
        if self.declaration is None:
            self.describe(spec)
        n = int(resolution)
        result = self._call("solve", {"spec": self.payload(spec), "resolution": n})
        observables, extras = read_result(result.value, spec, self.module.name)
        h = extras.get("h", 1.0 / n)
        if isinstance(h, bool) or not isinstance(h, int | float) or not h > 0:
            raise SandboxError(f"{self.module.name}: returned h = {h!r}, not a positive number")
        history = _trajectory(extras.get("trajectory"), self.module.name)
        fields = _fields(extras.get("fields"), self.module.name)
        self.calls.append({"resolution": n, "seconds": result.seconds})
        solution = Solution(
            grid={"t": history["t"]} if "t" in history else {},
            fields=fields,
            resolution=n,
            h=float(h),
            order=self.formal_order,
            observables=observables,
            history=history,
            meta={
                "supplied": str(self.module),
                "seconds": result.seconds,
                "stdout": result.stdout,
                "stderr": result.stderr,
            },
        )
        self._solved[solution.h] = solution
        return solution

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Checks computed by simlab from the spec on what the module returned.

        Uses this run's solves no finer than ``solution``, finest first (the residual audit
        compares with the next coarser one).
        """
        solves = sorted((s for s in self._solved.values() if s.h >= solution.h), key=lambda s: s.h)
        return supplied_audit(compile_problem(spec), solves or [solution])


def _trajectory(raw: Any, module: str) -> dict[str, np.ndarray]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or "t" not in raw:
        raise SandboxError(f"{module}: 'trajectory' must be a dict with a 't' array")
    out = {}
    for key, value in raw.items():
        try:
            out[str(key)] = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise SandboxError(f"{module}: trajectory '{key}' is not an array of numbers") from None
    length = out["t"].shape
    if any(v.shape != length for v in out.values()):
        raise SandboxError(f"{module}: trajectory arrays must all have the length of 't'")
    return out


def _fields(raw: Any, module: str) -> dict[str, np.ndarray]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SandboxError(f"{module}: 'fields' must be a dict of arrays by unknown name")
    try:
        return {str(k): np.asarray(v, dtype=float) for k, v in raw.items()}
    except (TypeError, ValueError):
        raise SandboxError(f"{module}: a field is not an array of numbers") from None


def certify_supplied(
    spec: Spec,
    module: str | Path,
    *,
    sandbox: Sandbox | None = None,
    limits: SandboxLimits | None = None,
    **options: Any,
) -> Any:
    """Judge and certify ``spec`` with a supplied module as the solver (a ``RunResult``).

    ``options`` go to :func:`simlab.pipeline.certify_spec` (progress, time_budget ...). The
    certificate states the sandbox's mode; any sandbox violation, in any call (even one the
    study moved past), makes it REJECT with the violations listed.
    """
    from simlab.pipeline import RunResult, certify_spec

    solver = SandboxedSolver(module, sandbox=sandbox, limits=limits)
    mode = solver.sandbox.mode
    try:
        judged = solver.prepare(spec)
        options.setdefault("independent_spec", spec)
        result = certify_spec(judged, solver=solver, **options)
    except SandboxCallError as exc:
        if not solver.violations:
            raise
        result = RunResult(spec, None, Certificate(Status.REJECT, [], solver=solver.module.name))
        result.certificate.reasons.append(str(exc).splitlines()[0])
    cert = result.certificate
    cert.sandbox = {**mode.to_dict(), "violations": list(solver.violations)}
    if solver.violations:
        kinds = sorted({v["kind"] for v in solver.violations})
        cert.status = Status.REJECT
        cert.reasons.insert(
            0,
            f"sandbox violation ({', '.join(kinds)}): the solver attempted what the sandbox "
            "forbids; nothing it computed is certified",
        )
    return result
