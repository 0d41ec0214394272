"""judge -> solve -> certify -> bundle: the run of one spec, as one function.

I/O stays at the edges: :func:`certify_spec` transforms a Spec into a :class:`RunResult`;
:func:`write_run` writes the bundle. Views (CLI, widgets) subscribe to progress events.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simlab.bundle import write_bundle
from simlab.certify.certificate import (
    Certificate,
    ConditionVerdict,
    ObservableResult,
    Status,
    judge_observable,
)
from simlab.certify.display import display_units, to_si
from simlab.certify.study import ProgressFn, Study, run_study
from simlab.errors import SimlabError
from simlab.problem import compile_problem
from simlab.solvers.protocol import SpecSolver
from simlab.solvers.registry import select
from simlab.solvers.spec_values import SpecValues, read_call
from simlab.spec.model import Spec
from simlab.spec.render import render


@dataclass
class RunResult:
    """Everything a run produced, before it is written to a bundle."""

    spec: Spec
    judge: Any
    certificate: Certificate
    study: Study | None = None
    timings: dict[str, float] = field(default_factory=dict)
    bundle: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.spec.title,
            "family": (
                self.judge.classification.family
                if self.judge is not None and self.judge.classification is not None
                else None
            ),
            "certificate": self.certificate.to_dict(),
            "judge": self.judge.to_dict() if self.judge is not None else None,
            "timings": self.timings,
            "bundle": str(self.bundle) if self.bundle else None,
        }


def certify_spec(
    spec: Spec,
    *,
    solver_name: str | None = None,
    solver: SpecSolver | None = None,
    progress: ProgressFn | None = None,
    judge_observers: Sequence[Any] = (),
    should_stop: Callable[[], bool] | None = None,
    time_budget: float = 600.0,
    independent_spec: Spec | None = None,
    extra_evidence: Callable[[Spec, SpecSolver, list[ObservableResult]], dict] | None = None,
) -> RunResult:
    """Judge ``spec``; if accepted, solve it on a grid sequence and certify every observable.

    ``solver`` overrides the registry's choice (a supplied solver running in the sandbox);
    ``solver_name`` picks a registered one. ``independent_spec`` is the spec as the user
    wrote it, for the cross-solve (a supplied solver's declared method is merged into
    ``spec``; simlab's own solver must not depend on it). ``extra_evidence`` adds evidence
    pieces by observable name (manufactured solutions, parameter points of a supplied solver).
    """
    from simlab.diagnostics.assess import assess, flag_certificate
    from simlab.judge import judge

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    report = judge(spec, observers=judge_observers)
    timings["judge"] = time.perf_counter() - t0
    if not report.accepted:
        cert = Certificate(
            Status.REJECT,
            _judge_conditions(report),
            reasons=[f"{v.gate}: {v.message}" for v in report.verdicts if v.status == "FAIL"],
        )
        timings["total"] = time.perf_counter() - t0
        return RunResult(spec, report, cert, timings=timings)

    if report.classification is None:
        cert = Certificate(
            Status.REJECT,
            _judge_conditions(report),
            reasons=[
                "the Judge could not classify the equations, so no solver family applies (S1)"
            ],
        )
        timings["total"] = time.perf_counter() - t0
        return RunResult(spec, report, cert, timings=timings)
    t_select = time.perf_counter()
    if solver is None:
        solver = select(spec, report.classification.family, solver_name)
    values = SpecValues(spec)
    timings["select"] = time.perf_counter() - t_select  # reading the spec into the kernel
    t1 = time.perf_counter()
    study = run_study(
        solver,
        spec,
        lambda name, v: _allowed_error(spec, name, v),
        progress=progress,
        should_stop=should_stop,
        time_budget=time_budget,
    )
    timings["solve"] = time.perf_counter() - t1
    timings["finest_solve"] = study.finest_seconds
    # CPU seconds of this process: the study's cost on a loaded machine (wall time of
    # millisecond solves is mostly the scheduler's); ~0 for a sandboxed solver
    timings["solve_cpu"] = study.cpu_seconds
    timings["finest_solve_cpu"] = study.finest_cpu_seconds
    t2 = time.perf_counter()
    observables = [
        _observable(spec, values, name, res, solver.formal_order)
        for name, res in study.results.items()
    ]
    audit = solver.audit(spec, study.finest) if study.finest is not None else []
    audit += _trajectory_audit(spec, solver, study)
    timings["certify"] = time.perf_counter() - t2
    t_ev = time.perf_counter()
    _gather_evidence(
        spec,
        independent_spec or spec,
        solver,
        study,
        observables,
        audit,
        extra_evidence,
        time_budget,
        report.classification.family,
    )
    timings["evidence"] = time.perf_counter() - t_ev
    t2 = time.perf_counter()
    cert = _certificate(report, observables, audit, solver.name, study)
    if study.refinement_error:
        cert.reasons.append(f"refinement stopped: {study.refinement_error}")
    timings["certify"] += time.perf_counter() - t2
    t3 = time.perf_counter()  # S4 diagnostics: any flag turns PASS into FLAG (issue 8)
    flag_certificate(cert, assess(spec, solver, study))
    timings["diagnostics"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - t0
    return RunResult(spec, report, cert, study, timings)


def inference_sidecar(spec_path: str | Path) -> Path:
    """Where ``simlab draft -o spec.md`` leaves the planner's exchanges: spec.inference.jsonl."""
    return Path(spec_path).with_suffix(".inference.jsonl")


def write_run(
    result: RunResult, out_dir: str | Path = "runs", extra_texts: dict[str, str] | None = None
) -> Path:
    """Write the run bundle and return its folder."""
    arrays: dict[str, np.ndarray] = {}
    if result.study is not None and result.study.finest is not None:
        sol = result.study.finest
        arrays |= {f"grid_{k}": np.asarray(v) for k, v in sol.grid.items()}
        arrays |= {f"field_{k}": np.asarray(v) for k, v in sol.fields.items()}
    documents = {
        "judge.json": result.judge.to_dict() if result.judge is not None else {},
        "certificate.json": result.certificate.to_dict(),
        "convergence.json": result.study.table() if result.study else [],
        "timings.json": result.timings,
    }
    path = write_bundle(
        out_dir,
        texts={"spec.md": render(result.spec), **(extra_texts or {})},
        documents=documents,
        arrays=arrays or None,
        label=result.spec.title,
    )
    result.bundle = path
    return path


# ---------------------------------------------------------------- helpers


def _supplied(solver: SpecSolver) -> bool:
    from simlab.sandbox.solver import SandboxedSolver

    return isinstance(solver, SandboxedSolver)


def _trajectory_audit(spec: Spec, solver: SpecSolver, study: Study) -> list[Any]:
    """simlab's residual audit of a built-in solver's returned trajectory.

    (A supplied solver's audit already includes it, with its coarser solves.)
    """
    from simlab.sandbox.audit import trajectory_checks
    from simlab.sandbox.solver import SandboxedSolver

    finest = study.finest
    if isinstance(solver, SandboxedSolver) or finest is None:
        return []
    t = finest.history.get("t")
    if t is None or np.asarray(t).size < 2:
        return []
    bounds = [
        r.gci_fine_abs / abs(r.values[0])
        for r in study.results.values()
        if r.gci_fine_abs is not None and r.values[0]
    ]
    return trajectory_checks(compile_problem(spec), [finest], max(bounds, default=0.0))


def _gather_evidence(
    spec: Spec,
    independent: Spec,
    solver: SpecSolver,
    study: Study,
    observables: list[ObservableResult],
    audit: list[Any],
    extra_evidence: Callable[..., dict] | None,
    time_budget: float,
    family: str | None = None,
) -> None:
    """Every observable's independent evidence (simlab.certify.gather), on the certificate."""
    from simlab.certify.cross_solve import CROSS_BUDGET, cross_solve
    from simlab.certify.gather import apply_evidence, collect

    def tolerance(name: str, value: float) -> float | None:
        return _allowed_error(spec, name, value)

    extra = [
        cross_solve(
            independent,
            solver,
            observables,
            tolerance,
            family=family,
            time_budget=min(CROSS_BUDGET, time_budget),
        )
    ]
    if extra_evidence is not None:
        extra.append(extra_evidence(spec, solver, observables))
    extra.append(_mms(spec, solver, tolerance))
    if _supplied(solver) and math.isfinite(solver.formal_order):
        from simlab.certify.parameter_points import parameter_point_evidence

        values = {}

        def observe(point: Spec, name: str, res: Any) -> ObservableResult:
            if id(point) not in values:
                values[id(point)] = SpecValues(point)
            return _observable(point, values[id(point)], name, res, solver.formal_order)

        extra.append(
            parameter_point_evidence(
                spec,
                independent,
                solver,
                lambda s: lambda name, v: _allowed_error(s, name, v),
                observe,
                family=family,
                time_budget=min(CROSS_BUDGET, time_budget),
            )
        )
    finest = study.finest
    returned = finest is not None and (bool(finest.fields) or "t" in finest.history)
    pieces = collect(observables, audit, trajectory=returned, tolerance=tolerance, extra=extra)
    apply_evidence(observables, pieces, tolerance)


def _mms(
    spec: Spec, solver: SpecSolver, tolerance: Callable[[str, float], float | None]
) -> dict[str, list[Any]]:
    """Manufactured-solution evidence: run on a supplied solver, else why not."""
    from simlab.certify.evidence import Evidence, Kind
    from simlab.certify.mms import mms_evidence

    if _supplied(solver) and math.isfinite(solver.formal_order):
        return mms_evidence(spec, solver, tolerance)
    why = (
        "simlab's own solver (MMS verifies supplied solvers; the built-in discretizations' "
        "orders are verified by simlab's test suite)"
        if not _supplied(solver)
        else "the module declares no finite order of accuracy"
    )
    return {o.name: [Evidence.not_applicable(Kind.MMS, why)] for o in spec.observables}


def _allowed_error(spec: Spec, name: str, value: float) -> float | None:
    """Absolute error allowed for an observable's value by the spec's tolerance."""
    tol = spec.tolerance
    eps = tol.threshold_for(name)
    metric = (tol.metric or "relative_error").lower()
    if eps is None:
        return None
    if metric.startswith("relative"):
        return eps * abs(value)
    if metric.startswith("absolute"):  # a difference in the observable's declared unit
        obs = spec.observable(name)
        return eps * display_units(obs.unit if obs else None)[0]
    return None  # quality metrics (psnr ...) are acceptance bounds, not error tolerances


def _observable(
    spec: Spec, values: SpecValues, name: str, res: Any, formal: float
) -> ObservableResult:
    tol = spec.tolerance
    ref = tol.reference_for(name)
    obs = spec.observable(name)
    exact = data = None
    if ref is not None and ref.kind == "analytic" and ref.value is not None and obs is not None:
        exact = _exact_value(values, obs.definition or "", ref.value)
    elif ref is not None and ref.kind == "data" and ref.value is not None:
        try:
            data = to_si(float(ref.value), obs.unit if obs else None)
        except ValueError:
            data = None  # a named data set (e.g. the CT phantom) is compared by the solver
    metric = (tol.metric or "relative_error").lower()
    functional = compile_problem(spec).functional(name)
    offset = functional.offset if functional is not None else 0.0
    scale = (
        functional.scale if (functional is not None and offset) else values.observable_scale(name)
    )
    result = judge_observable(
        name,
        res,
        metric=metric if metric.startswith(("relative", "absolute")) else "relative_error",
        threshold=tol.threshold_for(name) if metric.startswith(("relative", "absolute")) else None,
        formal_order=formal,
        unit=obs.unit if obs else None,
        scale=scale,
        offset=offset,
        reference_kind=ref.kind if ref else None,
        exact_value=exact,
        data_value=data,
        minimum=tol.minimum.get(name),
        maximum=tol.maximum.get(name),
    )
    result.offset = offset
    return result


def _exact_value(values: SpecValues, definition: str, reference: str) -> float | None:
    """An analytic reference evaluated at the observable's point (SI)."""
    call = read_call(definition) if definition else None
    point: dict[str, float] = {}
    if call is not None:
        for coord, v in call.kwargs.items():
            if values.spec.domain.coordinate(coord) is not None:
                point[coord] = values.kwarg_in_si(coord, v)
    try:
        value = values.evaluate(reference, **point)
    except (SimlabError, TypeError, ValueError) as exc:
        raise SimlabError(f"cannot evaluate the analytic reference '{reference}': {exc}") from None
    return float(value.real if isinstance(value, complex) else value)


def _judge_conditions(report: Any) -> list[ConditionVerdict]:
    """S1–S4 as the gates found them: a gate that could not decide (UNVERIFIABLE) or broke
    (internal error) is shown as such and flags the certificate; it never reads "passed"."""
    out = []
    for cond in ("S1", "S2", "S3", "S4"):
        verdicts = [v for v in report.verdicts if cond in str(v.condition)]
        failed = [v for v in verdicts if v.status == "FAIL"]
        undecided = [v for v in verdicts if v.status == "UNVERIFIABLE"]
        warned = [v for v in verdicts if v.status == "WARN"]
        if failed:
            out.append(ConditionVerdict(cond, Status.REJECT, "; ".join(v.message for v in failed)))
        elif undecided:
            text = "; ".join(
                f"gate {v.gate} {'crashed' if 'internal error' in v.message else 'UNVERIFIABLE'}"
                f": {v.message}"
                for v in undecided
            )
            out.append(ConditionVerdict(cond, Status.FLAG, text))
        elif warned:
            out.append(
                ConditionVerdict(
                    cond,
                    Status.PASS,
                    "pre-execution gates passed with warnings: "
                    + "; ".join(f"{v.gate}: {v.message}" for v in warned),
                )
            )
        elif verdicts:
            out.append(ConditionVerdict(cond, Status.PASS, "pre-execution gates passed"))
    return out


def _certificate(
    report: Any,
    observables: list[ObservableResult],
    audit: list[Any],
    solver: str,
    study: Study,
) -> Certificate:
    conditions = [c for c in _judge_conditions(report) if c.condition in ("S1", "S2")]
    gates = [f"{c.condition}: {c.reason}" for c in conditions if c.status == Status.FLAG]
    s3 = [r for o in observables for r in o.reasons if "(S3)" in r]
    s4 = [r for o in observables for r in o.reasons if "(S3)" not in r]
    failed_audit = [a for a in audit if not a.passed]
    s4 += [f"audit {a.name}: {a.message}" for a in failed_audit]
    conditions.append(
        ConditionVerdict(
            "S3",
            Status.FLAG if s3 else Status.PASS,
            "; ".join(s3)
            or "observed order consistent with the formal order, monotone convergence",
        )
    )
    conditions.append(
        ConditionVerdict(
            "S4",
            Status.FLAG if s4 else Status.PASS,
            "; ".join(s4) or "every error bound within the tolerance; audit passed",
        )
    )
    status = Status.FLAG if (s3 or s4 or gates) else Status.PASS
    return Certificate(
        status,
        conditions,
        observables,
        list(audit),
        solver=solver,
        resolutions=sorted({r.resolution for r in study.records}),
        reasons=gates + s3 + s4,
    )
