"""The one dask layer: ensembles, probes and sweeps all run their independent solves here.

``scheduler`` is None (in this process, one after another), "local" (a LocalCluster started
and closed for the call), a scheduler address such as "tcp://127.0.0.1:8786", or a
``distributed.Client``. :func:`connect` yields a Client for any of the last three, so a
laptop's LocalCluster and a real cluster take the same code path. A failing solve never
aborts an ensemble: :func:`run_all` returns its exception as text so the diagnostic can
report it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from simlab.diagnostics.errors import DiagnosticsError

Outcome = tuple[bool, Any]


def _guarded(solve: Callable[[dict], Any], params: dict) -> Outcome:
    try:
        return True, solve(params)
    except Exception as exc:  # a diagnostic reports failures instead of raising them
        return False, f"{type(exc).__name__}: {exc}"


@contextmanager
def connect(
    scheduler: Any = "local", *, workers: int = 1, processes: bool = False
) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``, closed on exit unless it was passed in.

    "local" starts a LocalCluster of ``workers`` workers (one thread each when ``processes``,
    else ``workers`` threads in one worker: GIL-free numerical kernels share it well).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a core dependency
        raise DiagnosticsError(
            "dask.distributed is not installed", hint='pip install "dask[distributed]"'
        ) from exc
    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler == "local":
        if processes:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
        else:
            cluster = LocalCluster(
                processes=False, n_workers=1, threads_per_worker=workers, dashboard_address=None
            )
        with cluster, Client(cluster) as client:
            yield client
        return
    if isinstance(scheduler, str):
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise DiagnosticsError(
                f"cannot reach the dask scheduler at {scheduler} ({exc})",
                hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                "or leave --scheduler out for a LocalCluster",
            ) from None
        with client:
            yield client
        return
    raise DiagnosticsError(
        f"unknown scheduler {scheduler!r}",
        hint='use None, "local", an address like "tcp://127.0.0.1:8786" or a distributed.Client',
    )


def run_all(
    solve: Callable[[dict], Any], param_sets: Sequence[dict], scheduler: Any = None
) -> list[Outcome]:
    """(ok, value or error text) for each parameter set, in order."""
    if scheduler is None:
        return [_guarded(solve, p) for p in param_sets]
    with connect(scheduler, workers=2) as client:
        futures = [client.submit(_guarded, solve, p, pure=False) for p in param_sets]
        return list(client.gather(futures))
