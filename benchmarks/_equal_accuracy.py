"""Shared by the peer benchmarks: interleaved timing and the equal-accuracy table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

# label -> (grid size, error reached, warm callable, cold seconds)
Contenders = dict[str, tuple[int, float, Callable[[], object], float]]


def interleaved(contenders: Contenders, repeats: int) -> dict[str, list[float]]:
    """Every contender once per round, ``repeats`` rounds: wall seconds per contender."""
    times: dict[str, list[float]] = {k: [] for k in contenders}
    for _ in range(repeats):
        for label, (_, _, run, _) in contenders.items():
            t = time.perf_counter()
            run()
            times[label].append(time.perf_counter() - t)
    return times


def print_table(contenders: Contenders, times: dict[str, list[float]], peer_prefix: str) -> None:
    """Grid, error, cold, warm median [min-max] and the ratio to the fastest peer's median."""
    best_peer = min(
        (statistics.median(v) for k, v in times.items() if k.startswith(peer_prefix)),
        default=float("nan"),
    )
    width = max(len(k) for k in contenders) + 1
    print(
        f"{'contender':{width}} {'n':>5} {'error':>9} {'cold s':>8} {'warm median s':>14} "
        f"{'[min - max]':>20} {'/ best peer':>11}"
    )
    for label, (n, err, _, cold) in contenders.items():
        v = times[label]
        med = statistics.median(v)
        print(
            f"{label:{width}} {n:5d} {err:9.2e} {cold:8.4f} {med:14.5f} "
            f"[{min(v):.5f} - {max(v):.5f}] {med / best_peer:11.3g}"
        )
    repeats = len(next(iter(times.values()), []))
    print(f"({repeats} interleaved repeats; the machine is shared, so spreads are wide)")
