"""One benchmark case: a corpus module at one parameter point, through every mode.

Modes:

* **baseline** (no Judge): run the module at its finest declared resolution and accept
  whatever comes back as long as it is a finite number for every observable;
* **pipeline** (the full Judge): declared discretization merged into the spec, the five
  gates, the convergence study, the certificate's reference comparisons, the audit and the
  diagnostics (:func:`simlab.pipeline.certify_spec` with a sandboxed solver); accepted iff
  PASS;
* **physverify** (the peer): its order-of-accuracy check on the declared resolutions, with
  the bench's trusted reference as its exact solution, and its static source scan.

Ground truth (:mod:`simlab.bench.reference`): the module is *wrong* at the point when its
answer at its declared resolution, or the pipeline's refined answer, misses the spec's
tolerance (a crash or timeout is no answer: wrong). A PASS is judged by the value it
certifies. *silent* = wrong and accepted, *caught* = wrong and not accepted, *false
positive* = right and not accepted. The modes share the solves (same module, same inputs).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from simlab.bench.corpus import Variant, is_correct, module_label
from simlab.bench.peer import physverify_order, physverify_scan
from simlab.bench.problems import problem
from simlab.bench.reference import Truth
from simlab.errors import SimlabError
from simlab.sandbox import SandboxedSolver, SandboxLimits
from simlab.sandbox.runner import Sandbox, shared_sandbox
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec
from simlab.spec.render import render

CORRECT, CAUGHT, SILENT, FALSE_POSITIVE = "correct", "caught", "silent", "false_positive"


@dataclass
class ModeResult:
    """What one mode concluded at one case."""

    accepted: bool
    wrong: bool
    outcome: str = ""
    values: dict[str, float] | None = None
    caught_by: list[str] = field(default_factory=list)
    detail: str = ""
    evidence: dict[str, list[str]] = field(default_factory=dict)
    """Per observable, the independent evidence kinds that confirmed it (pipeline mode)."""

    def settle(self) -> ModeResult:
        if self.wrong:
            self.outcome = SILENT if self.accepted else CAUGHT
        else:
            self.outcome = CORRECT if self.accepted else FALSE_POSITIVE
        if self.accepted:
            self.caught_by = []
        return self


@dataclass
class CaseResult:
    """Every mode's result for one (variant, point)."""

    problem: str
    variant: str
    kind: str
    point: str
    baseline: ModeResult
    pipeline: ModeResult
    physverify: ModeResult | None
    truths: dict[str, dict[str, Any]]
    status: str
    seconds: float
    module_wrong: bool = True
    corpus: str = "seeded"

    @property
    def is_correct_module(self) -> bool:
        return is_correct(self.variant)

    @property
    def module(self) -> str:
        """The module's label (``problem/module``; other corpora prefix ``corpus:``)."""
        return module_label(self.corpus, self.problem, self.variant)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["physverify"] = asdict(self.physverify) if self.physverify else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseResult:
        modes = {
            k: ModeResult(**data[k]) if data.get(k) is not None else None
            for k in ("baseline", "pipeline", "physverify")
        }
        return cls(**{**data, **modes})


def run_case(
    variant: Variant,
    point_label: str,
    truths: dict[str, Truth],
    *,
    sandbox: Sandbox | None = None,
    limits: SandboxLimits | None = None,
    time_budget: float = 30.0,
) -> CaseResult:
    """Run one module at one point through baseline, pipeline and physverify."""
    started = time.perf_counter()
    prob = problem(variant.problem)
    point = next(p for p in prob.points if p.label == point_label)
    spec = prob.spec(point)
    box = sandbox if sandbox is not None else shared_sandbox()
    solver = _CachingSolver(variant.path, sandbox=box, limits=limits)
    solves: dict[int, Solution | SimlabError] = {}
    try:
        judged = solver.prepare(spec)
    except SimlabError as exc:  # the module cannot even declare itself: no answer at all
        failed = _failed(f"sandbox: {_kind(exc)}", str(exc))
        return CaseResult(
            variant.problem,
            variant.name,
            variant.kind,
            point_label,
            failed,
            _failed(f"sandbox: {_kind(exc)}", str(exc)),
            None,
            _truth_dicts(truths),
            "ERROR",
            time.perf_counter() - started,
            corpus=variant.corpus,
        )
    for n in solver.resolutions:
        solves[n] = solver.cached_solve(judged, n)
    baseline = _baseline(judged, solves[solver.resolutions[-1]], truths)
    pipeline, status = _pipeline(judged, solver, truths, time_budget, original=spec)
    # The module is wrong at this point if its declared answer or the study's refined one is;
    # a certificate (PASS) is wrong only if the value it certifies is.
    refined_wrong = pipeline.wrong if pipeline.values else False
    module_wrong = baseline.wrong or refined_wrong
    if not pipeline.accepted:
        pipeline.wrong = module_wrong
        pipeline.settle()
    peer = _peer(judged, variant, solver, solves, truths, module_wrong)
    return CaseResult(
        variant.problem,
        variant.name,
        variant.kind,
        point_label,
        baseline,
        pipeline,
        peer,
        _truth_dicts(truths),
        status,
        time.perf_counter() - started,
        module_wrong,
        variant.corpus,
    )


class _CachingSolver(SandboxedSolver):
    """A sandboxed solver that remembers its solves per resolution (the modes share them).

    Keyed by the spec's rendered text: two specs with equal text are the same question, and
    an ``id`` is reused once a spec is garbage-collected (drawn points and manufactured specs
    are short-lived), which would hand one spec's solve to another.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._memo: dict[tuple[str, int], Solution | SimlabError] = {}

    def cached_solve(self, spec: Spec, resolution: int) -> Solution | SimlabError:
        key = (render(spec), int(resolution))
        if key not in self._memo:
            try:
                self._memo[key] = super().solve(spec, resolution)
            except SimlabError as exc:
                self._memo[key] = exc
        return self._memo[key]

    def solve(self, spec: Spec, resolution: int) -> Solution:
        result = self.cached_solve(spec, resolution)
        if isinstance(result, SimlabError):
            raise result
        return result


def _values(sol: Solution | SimlabError) -> dict[str, float] | None:
    return None if isinstance(sol, SimlabError) else dict(sol.observables)


def _judged_values(
    spec: Spec, sol: Solution | SimlabError, truths: dict[str, Truth]
) -> dict[str, float] | None:
    """The values the ground truth judges (None: the answer breaks the spec's constraints).

    With a returned field: image quality is recomputed from the image (the reported numbers
    are not trusted), and a field violating a spec constraint (``f >= 0``) is no valid answer.
    """
    if not isinstance(sol, Solution):
        return None
    values = dict(sol.observables)
    if sol.fields:
        from simlab.problem import compile_problem
        from simlab.sandbox.audit import constraint_checks, recomputed_quality

        compiled = compile_problem(spec)
        if any(not c.passed for c in constraint_checks(compiled, sol)):
            return None
        if any(t.kind == "acceptance" for t in truths.values()):
            values.update(recomputed_quality(compiled, sol) or {})
    return values


def _wrong(values: dict[str, float] | None, truths: dict[str, Truth]) -> bool:
    if not values:
        return True
    return any(t.wrong(values.get(name)) for name, t in truths.items())


def _baseline(spec: Spec, finest: Solution | SimlabError, truths: dict[str, Truth]) -> ModeResult:
    if isinstance(finest, SimlabError):
        return _failed(f"sandbox: {_kind(finest)}", str(finest))
    values = dict(finest.observables)
    finite = all(math.isfinite(v) for v in values.values())
    result = ModeResult(
        accepted=finite,
        wrong=_wrong(_judged_values(spec, finest, truths), truths),
        values=values,
        caught_by=[] if finite else ["non-finite result"],
    )
    return result.settle()


def _pipeline(
    spec: Spec,
    solver: _CachingSolver,
    truths: dict[str, Truth],
    time_budget: float,
    original: Spec | None = None,
) -> tuple[ModeResult, str]:
    import inspect

    from simlab.pipeline import certify_spec

    options: dict[str, Any] = {}
    if original is not None and "independent_spec" in inspect.signature(certify_spec).parameters:
        options["independent_spec"] = original  # the spec as written, for simlab's cross-solve
    try:
        run = certify_spec(spec, solver=solver, time_budget=time_budget, **options)
    except SimlabError as exc:
        return _failed(f"sandbox: {_kind(exc)}", str(exc)), "ERROR"
    except Exception as exc:  # a pipeline bug: recorded, never counted as an acceptance
        return _failed(f"pipeline error: {type(exc).__name__}", repr(exc)), "ERROR"
    cert = run.certificate
    status = cert.status.value
    values = {o.name: o.value for o in cert.observables} or None
    judged = values
    if values is not None and run.study is not None and run.study.finest is not None:
        recomputed = _judged_values(spec, run.study.finest, truths)
        judged = None if recomputed is None else {**values, **recomputed}
    result = ModeResult(
        accepted=status == "PASS",
        wrong=_wrong(judged, truths),
        values=values,
        caught_by=_evidence(run),
        detail="; ".join(cert.reasons)[:2000],
        evidence=confirming_evidence(cert),
    )
    return result.settle(), status


PASSING = ("confirms", "pass", "passed", "confirmed")
"""Evidence statuses that confirm an observable's limit."""
FAILING = ("refutes", "fails", "fail", "failed", "flag", "reject", "disagrees")
"""Evidence statuses that stand against acceptance (refuted, or a check the solver failed)."""


def evidence_entries(observable: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The certificate's ``evidence: [{kind, status, numbers, message}]`` of one observable
    (None: a certificate from before evidence was a first-class object)."""
    entries = observable.get("evidence")
    if not isinstance(entries, list):
        return None
    return [e for e in entries if isinstance(e, dict) and e.get("kind")]


def _status(entry: dict[str, Any]) -> str:
    return str(entry.get("status", "")).strip().lower()


def confirming_evidence(cert: Any) -> dict[str, list[str]]:
    """Per observable, the independent evidence kinds that confirm its value.

    Read from each observable's ``evidence`` entries (status PASS); for a certificate without
    them, from what it already carries: an analytic or data reference met, and the audits
    that passed (conservation; a residual of the returned trajectory or field; physics).
    """
    data = cert.to_dict()
    audits = [a for a in data.get("audit") or [] if a.get("passed")]
    legacy = {_audit_kind(a.get("name", "")) for a in audits}
    out: dict[str, list[str]] = {}
    for obs in data.get("observables") or []:
        entries = evidence_entries(obs)
        if entries is not None:
            kinds = {str(e["kind"]) for e in entries if _status(e) in PASSING}
        else:
            kinds = set(legacy)
            if obs.get("reference_kind") in ("analytic", "data") and obs.get("status") == "PASS":
                kinds.add(f"reference: {obs['reference_kind']}")
        out[str(obs.get("name"))] = sorted(kinds)
    return out


def _audit_kind(name: str) -> str:
    text = name.lower()
    if "conserv" in text:
        return "conservation"
    if "front" in text or "speed" in text:
        return "physics"
    return "residual"


def _evidence(run: Any) -> list[str]:
    """Which gate or check stood in the way of acceptance."""
    found: list[str] = []
    if run.judge is not None:
        found += [f"gate: {v.gate}" for v in run.judge.verdicts if v.status == "FAIL"]
    cert = run.certificate
    for obs in cert.to_dict().get("observables") or []:
        for entry in evidence_entries(obs) or []:
            if _status(entry) in FAILING:
                found.append(f"evidence: {entry['kind']}")
    if cert.status.value != "REJECT":  # a rejection's reasons are the gates' own messages
        from simlab.diagnostics.assess import S4_TEXT

        found += [_classify(r) for r in cert.reasons if not r.startswith(S4_TEXT)]
    for diag in cert.diagnostics or []:
        if isinstance(diag, dict) and diag.get("flagged"):
            found.append(f"diagnostics: {diag.get('diagnostic', 'diagnostic')}")
    if cert.status.value == "REJECT" and not found:
        found.append("gate: classification")
    return sorted(set(found))


_REFUTED = re.compile(r"^[^:]+: (\w+) (refutes|fails)\b")


def _classify(reason: str) -> str:
    text = reason.lower()
    if text.startswith("audit "):
        return "audit: " + reason[6:].split(":", 1)[0]
    if match := _REFUTED.match(text):  # "<observable>: <kind> refutes the answer: ..."
        return f"evidence: {match.group(1)}"
    rules = (
        ("observed order", "convergence: observed order"),
        ("convergence is", "convergence: not monotone"),
        ("no error bound", "convergence: no bound"),
        ("error bound", "convergence: bound above tolerance"),
        ("true error", "reference: analytic (bound not honest)"),
        ("reference data", "reference: data"),
        ("required minimum", "acceptance bounds"),
        ("allowed maximum", "acceptance bounds"),
        ("no formal order", "convergence: no formal order"),
        ("could not classify", "gate: classification"),
        ("unverified limit", "evidence: unverified limit"),
        ("unauditable", "evidence: unauditable"),
        ("manufactured", "evidence: manufactured solution"),
        ("cross-solve", "evidence: cross_solve"),
        ("cross_solve", "evidence: cross_solve"),
        ("residual", "evidence: residual"),
        ("conserv", "evidence: conservation"),
    )
    for needle, label in rules:
        if needle in text:
            return label
    return "other: " + reason[:60]


def _peer(
    spec: Spec,
    variant: Variant,
    solver: _CachingSolver,
    solves: dict[int, Solution | SimlabError],
    truths: dict[str, Truth],
    module_wrong: bool,
) -> ModeResult | None:
    order = physverify_order(solver.formal_order, solves, truths)
    scan = physverify_scan(variant.path)
    if order is None and not scan:
        return None
    finest = solves[max(solves)]
    caught = list(scan)
    if order is not None and not order[0]:
        caught.append(f"physverify order: {order[1]}"[:160])
    result = ModeResult(
        accepted=not caught,
        wrong=module_wrong,
        values=_values(finest),
        caught_by=caught,
        detail="" if order is None else order[1],
    )
    return result.settle()


def _failed(label: str, message: str) -> ModeResult:
    return ModeResult(False, True, CAUGHT, None, [label], message[:2000])


def _kind(exc: SimlabError) -> str:
    return str(getattr(exc, "kind", type(exc).__name__))


def _truth_dicts(truths: dict[str, Truth]) -> dict[str, dict[str, Any]]:
    return {k: v.to_dict() for k, v in truths.items()}
