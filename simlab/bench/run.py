"""Run the seeded-bug benchmark: every module of each corpus at every parameter point.

References are computed first, in this process (from the cache file when it is fresh); the
cases then run on a dask ``LocalCluster`` (one single-threaded worker process per core,
each with its own sandbox fork server), or serially in this process with ``workers=0``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simlab.bench.case import CaseResult, run_case
from simlab.bench.corpus import CORPORA, CORPUS, CorpusError, Variant, discover
from simlab.bench.problems import PROBLEMS, problem
from simlab.bench.reference import ReferenceCache, Truth, truths
from simlab.sandbox import Sandbox, SandboxLimits

REFERENCE_CACHE = CORPUS / "references.json"
BENCH_LIMITS = SandboxLimits(wall_seconds=20.0, cpu_seconds=40.0, memory_mb=3072)
"""Per-call limits in the bench: a solve that needs more is reported as a timeout."""
PRELOAD = ("skimage.transform", "skimage.metrics", "simlab.solvers.kernels.ct")
QUICK_VARIANTS = 1
"""Bug modules per problem in ``--quick`` mode (besides the correct one)."""
QUICK_INDEPENDENT = {
    "heat_1d": ("correct_theta_class", "bug_final_time_short"),
    "robertson": ("correct_bdf_numbers", "bug_days_for_seconds"),
    "fresnel": ("correct_simpson_loop", "bug_amplitude_not_intensity"),
    "seird": ("correct_rk4_loops", "bug_death_leak"),
}
"""The independent corpus's ``--quick`` cases: a correct and a wrong module per problem."""

Progress = Callable[[int, int, CaseResult], None]


@dataclass(frozen=True)
class BenchConfig:
    """What to run and with which limits."""

    quick: bool = False
    stratified: bool = False
    """Every correct module at every point, each bug module at one point (rotating by its
    sorted index through the problem's points): about 40 % of the cases, every module."""
    problems: tuple[str, ...] | None = None
    workers: int = 2
    time_budget: float = 30.0
    limits: SandboxLimits = BENCH_LIMITS
    corpora: tuple[str, ...] = tuple(CORPORA)
    folders: dict[str, Path] | None = None
    """Corpus name -> folder (default :data:`CORPORA`)."""
    reference_cache: Path | None = REFERENCE_CACHE

    def folder(self, name: str) -> Path:
        folders = self.folders or CORPORA
        if name not in folders:
            raise CorpusError(
                f"unknown corpus '{name}'", hint=f"choose from {', '.join(sorted(folders))}"
            )
        return folders[name]


@dataclass
class BenchRun:
    """Every case, the configuration and the wall time."""

    config: BenchConfig
    cases: list[CaseResult]
    seconds: float
    reference_seconds: float
    variants: list[Variant] = field(default_factory=list)


def plan(config: BenchConfig) -> list[tuple[Variant, str]]:
    """The (module, point) cases of this run."""
    known = {p.name for p in PROBLEMS}
    unknown = sorted(set(config.problems or ()) - known)
    if unknown:
        raise CorpusError(
            f"unknown problem(s) {', '.join(unknown)}",
            hint=f"choose from {', '.join(sorted(known))}",
        )
    cases = []
    for name in config.corpora:
        variants = discover(config.folder(name), config.problems, corpus=name)
        for prob in PROBLEMS:
            mine = [v for v in variants if v.problem == prob.name]
            if not mine:
                continue
            points = prob.points[:1] if config.quick else prob.points
            if config.quick:
                mine = _quick(name, prob.name, prob.quick, mine)
            if config.stratified:
                bugs = sorted((v for v in mine if not v.correct), key=lambda v: v.name)
                cases += [(v, p.label) for v in mine if v.correct for p in points]
                cases += [(v, points[i % len(points)].label) for i, v in enumerate(bugs)]
                continue
            cases += [(v, p.label) for v in mine for p in points]
    return cases


def _quick(corpus: str, name: str, quick: tuple[str, ...], mine: list[Variant]) -> list[Variant]:
    """The ``--quick`` subset of one problem in one corpus (may be empty)."""
    if corpus != "seeded":
        return [v for v in mine if v.name in QUICK_INDEPENDENT.get(name, ())]
    bugs = [v for v in mine if not v.correct]
    chosen = [v for v in bugs if v.name in quick] or bugs
    return [v for v in mine if v.correct] + chosen[:QUICK_VARIANTS]


def reference_truths(
    cases: list[tuple[Variant, str]], cache_path: Path | None
) -> dict[tuple[str, str], dict[str, Truth]]:
    """Ground truth for every (problem, point) the cases use (cached computations)."""
    cache = ReferenceCache(cache_path)
    out: dict[tuple[str, str], dict[str, Truth]] = {}
    for key in sorted({(v.problem, label) for v, label in cases}):
        prob = problem(key[0])
        point = next(p for p in prob.points if p.label == key[1])
        out[key] = truths(prob.spec(point), cache, prob.tighten)
    cache.save()
    return out


def run_bench(config: BenchConfig, progress: Progress | None = None) -> BenchRun:
    """Run every planned case; ``progress(done, total, case)`` after each."""
    started = time.perf_counter()
    cases = plan(config)
    ground = reference_truths(cases, config.reference_cache)
    reference_seconds = time.perf_counter() - started
    jobs = [(v, label, ground[(v.problem, label)]) for v, label in cases]
    if config.workers <= 0:
        results = _serial(jobs, config, progress)
    else:
        results = _parallel(jobs, config, progress)
    results.sort(key=lambda c: (c.corpus, c.problem, not c.is_correct_module, c.variant, c.point))
    variants = sorted(
        {v for v, _ in cases}, key=lambda v: (v.corpus, v.problem, not v.correct, v.name)
    )
    return BenchRun(
        config, results, time.perf_counter() - started, reference_seconds, list(variants)
    )


def _serial(
    jobs: list[tuple[Variant, str, dict[str, Truth]]],
    config: BenchConfig,
    progress: Progress | None,
) -> list[CaseResult]:
    out = []
    with Sandbox(config.limits, preload=PRELOAD) as box:
        for i, (variant, label, truth) in enumerate(jobs):
            result = run_case(
                variant,
                label,
                truth,
                sandbox=box,
                limits=config.limits,
                time_budget=config.time_budget,
            )
            out.append(result)
            if progress:
                progress(i + 1, len(jobs), result)
    return out


def _parallel(
    jobs: list[tuple[Variant, str, dict[str, Truth]]],
    config: BenchConfig,
    progress: Progress | None,
) -> list[CaseResult]:
    from distributed import Client, LocalCluster, as_completed

    cluster = LocalCluster(
        n_workers=config.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=40,
    )
    out: list[CaseResult] = []
    try:
        with Client(cluster) as client:
            # longest first (CT, Fisher-KPP), so a slow case does not finish the run alone
            order = sorted(jobs, key=lambda j: _expected_cost(j[0].problem), reverse=True)
            futures = [
                client.submit(
                    _worker_case, v, label, truth, config, pure=False, key=f"{v.label}@{label}"
                )
                for v, label, truth in order
            ]
            for i, future in enumerate(as_completed(futures)):
                result = CaseResult.from_dict(future.result())
                out.append(result)
                if progress:
                    progress(i + 1, len(jobs), result)
    finally:
        cluster.close()
    return out


_COST = {"ct_shepp_logan": 4.0, "fisher_kpp": 3.0, "seird": 2.5, "heat_2d": 2.0}


def _expected_cost(name: str) -> float:
    return _COST.get(name, 1.0)


_WORKER_SANDBOX: dict[str, Sandbox] = {}


def _worker_case(
    variant: Variant, label: str, truth: dict[str, Truth], config: BenchConfig
) -> dict[str, Any]:
    """One case in a dask worker (its own sandbox server, reused across cases)."""
    box = _WORKER_SANDBOX.get("box")
    if box is None:
        box = _WORKER_SANDBOX["box"] = Sandbox(config.limits, preload=PRELOAD)
    result = run_case(
        variant, label, truth, sandbox=box, limits=config.limits, time_budget=config.time_budget
    )
    return result.to_dict()
