"""Run a sweep's points on dask.distributed: retried when a worker dies, resumable, with progress.

The default is a LocalCluster of worker processes; ``scheduler`` an address (a real
cluster) or a ``distributed.Client`` goes through the same code
(:func:`simlab.diagnostics.parallel.connect`, the layer the ensembles use). Each point is one
task with ``retries``: a task lost with its worker is rescheduled by dask on another worker,
and one that fails anyway stays unfinished, so running the same sweep again picks it up.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from simlab.diagnostics.parallel import connect
from simlab.spec import render
from simlab.spec.model import Spec
from simlab.sweep.grid import ParamRange, check_ranges, sweep_points
from simlab.sweep.point import certify_point
from simlab.sweep.store import SweepStore, point_table

Progress = Callable[[int, int], None]
OnResult = Callable[[dict[str, Any], Any], None]


@dataclass
class SweepResult:
    """A finished (or partly finished) sweep.

    Attributes:
        path: the sweep bundle's folder.
        parameters: the swept parameter names, slowest first.
        table: the tidy table (one row per point and observable).
        total: number of points in the sweep.
        failed: cluster failures (points left to a rerun) as text.
        computed: points computed in this run (the others were resumed from disk).
    """

    path: Path
    parameters: list[str]
    table: pd.DataFrame
    total: int
    failed: list[str]
    computed: int

    @property
    def points(self) -> pd.DataFrame:
        return point_table(self.table, self.parameters)

    @property
    def complete(self) -> bool:
        return int(self.table["point"].nunique()) == self.total if len(self.table) else False

    def counts(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.points["status"].value_counts().items()}


def _bar(progress: bool | Progress, total: int, initial: int) -> tuple[Progress, Callable]:
    if callable(progress):
        return progress, lambda: None
    if not progress:
        return (lambda done, n: None), lambda: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, initial=initial, unit="point", file=sys.stderr, desc="sweep")

    def update(done: int, n: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def run_sweep(
    spec: Spec,
    ranges: Sequence[ParamRange],
    *,
    out: str | Path = "sweeps",
    scheduler: Any = "local",
    workers: int = 2,
    processes: bool = True,
    retries: int = 2,
    progress: bool | Progress = True,
    on_result: OnResult | None = None,
    file: str | None = None,
) -> SweepResult:
    """Judge and certify ``spec`` at every point of the ranges' product; see the module doc.

    ``on_result(row, client)`` is called as each point arrives (the widget draws with it).
    ``processes=False`` runs a LocalCluster of threads (quick to start: notebooks, tests).
    """
    check_ranges(spec, ranges, file)
    text = render(spec)
    store = SweepStore.open(out, spec.title or "sweep", text, ranges)
    points = sweep_points(ranges)
    done = store.done()
    todo = [(i, p) for i, p in enumerate(points) if i not in done]
    update, close = _bar(progress, len(points), len(done))
    failed: list[str] = []
    computed = 0
    try:
        if todo:
            computed, failed = _compute(
                store,
                text,
                todo,
                (scheduler, workers, processes),
                retries,
                update,
                on_result,
                len(done),
            )
    finally:
        close()
        table = store.write_table()
    return SweepResult(store.path, [r.name for r in ranges], table, len(points), failed, computed)


def _compute(
    store: SweepStore,
    text: str,
    todo: list[tuple[int, dict[str, float]]],
    cluster: tuple[Any, int, bool],
    retries: int,
    update: Progress,
    on_result: OnResult | None,
    already: int,
) -> tuple[int, list[str]]:
    from distributed import as_completed

    total = already + len(todo)
    failed: list[str] = []
    computed = 0
    scheduler, workers, processes = cluster
    with connect(scheduler, workers=workers, processes=processes) as client:
        futures = {
            client.submit(
                certify_point,
                text,
                inputs,
                str(store.runs_dir.resolve()),
                key=f"sweep-{store.definition['key']}-{index:05d}",
                retries=retries,
                pure=False,
            ): index
            for index, inputs in todo
        }
        for future in as_completed(futures):
            index = futures[future]
            try:
                row = future.result()
            except Exception as exc:  # a lost point stays undone for a rerun
                failed.append(f"point {index}: {type(exc).__name__}: {exc}")
                continue
            store.save(index, row)
            computed += 1
            update(already + computed, total)
            if on_result is not None:
                on_result({"point": index, **row}, client)
    return computed, failed
