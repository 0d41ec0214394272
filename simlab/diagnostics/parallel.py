"""Run independent solves synchronously or on dask.distributed.

``scheduler`` is None (in this process, one after another), "local" (a threaded
LocalCluster started and closed for the call), a scheduler address such as
"tcp://127.0.0.1:8786", or a ``distributed.Client``. A failing solve never aborts the
batch: its exception is returned as text so the diagnostic can report it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simlab.diagnostics.errors import DiagnosticsError

Outcome = tuple[bool, Any]


def _guarded(solve: Callable[[dict], Any], params: dict) -> Outcome:
    try:
        return True, solve(params)
    except Exception as exc:  # a diagnostic reports failures instead of raising them
        return False, f"{type(exc).__name__}: {exc}"


def run_all(
    solve: Callable[[dict], Any], param_sets: Sequence[dict], scheduler: Any = None
) -> list[Outcome]:
    """(ok, value or error text) for each parameter set, in order."""
    if scheduler is None:
        return [_guarded(solve, p) for p in param_sets]
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a core dependency
        raise DiagnosticsError(
            "dask.distributed is not installed", hint='pip install "dask[distributed]"'
        ) from exc
    if isinstance(scheduler, Client):
        return _gather(scheduler, solve, param_sets)
    if scheduler == "local":
        with (
            LocalCluster(
                processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            return _gather(client, solve, param_sets)
    if isinstance(scheduler, str):
        with Client(scheduler, timeout="10s") as client:
            return _gather(client, solve, param_sets)
    raise DiagnosticsError(
        f"unknown scheduler {scheduler!r}",
        hint='use None, "local", an address like "tcp://127.0.0.1:8786" or a distributed.Client',
    )


def _gather(client: Any, solve: Callable[[dict], Any], param_sets: Sequence[dict]) -> list[Outcome]:
    futures = [client.submit(_guarded, solve, p, pure=False) for p in param_sets]
    return list(client.gather(futures))
