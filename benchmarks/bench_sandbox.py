"""Cost of confinement: ``python benchmarks/bench_sandbox.py [--calls N] [--rounds R] [--seeded]``.

Per-call time of a sandboxed call under each isolation (``none``: rlimits and environment
only, the peer; ``process``: network namespace + Landlock + seccomp; ``bwrap``: the same
inside bubblewrap's namespaces), for a trivial module and for a small numpy solve. The
isolations are interleaved round by round (the machine is shared), and the table gives the
median and the spread (min-max of the round medians) of the per-call wall time, plus the
server start-up time. ``--seeded`` also times ``simlab bench seeded --quick --workers 0``
under ``none`` and ``auto`` (target: confinement adds at most 10 %).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from simlab.sandbox import Sandbox
from simlab.sandbox.confinement import bwrap_problem

MODULES = {
    "trivial": "def solve(spec, n):\n    return {'x': 1.0}\n",
    "numpy solve": textwrap.dedent(
        """
        import numpy as np
        from scipy.linalg import solve_banded
        def solve(spec, n):
            ab = np.zeros((3, n)); ab[0, 1:] = -1; ab[1] = 2.0 + 1e-3; ab[2, :-1] = -1
            return {'x': float(solve_banded((1, 1), ab, np.ones(n)).sum())}
        """
    ),
}
TARGET = 0.10


def per_call(box: Sandbox, path: Path, calls: int) -> float:
    """Median ms of ``calls`` calls."""
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        box.call(path, "solve", {"spec": {}, "resolution": 2000})
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def bench_calls(isolations: list[str], calls: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for label, text in MODULES.items():
            paths[label] = Path(folder) / f"{label.replace(' ', '_')}.py"
            paths[label].write_text(text)
        results: dict[tuple[str, str], list[float]] = {}
        startup: dict[str, list[float]] = {}
        for _ in range(rounds):
            for isolation in isolations:
                t0 = time.perf_counter()
                with Sandbox(isolation=isolation) as box:
                    mode = box.mode
                    startup.setdefault(isolation, []).append(time.perf_counter() - t0)
                    for label, path in paths.items():
                        box.call(path, "solve", {"spec": {}, "resolution": 10})  # warm
                        results.setdefault((isolation, label), []).append(
                            per_call(box, path, calls)
                        )
                print(f"  round done: {isolation} -> {mode.summary()}", file=sys.stderr)
        print(f"\nper-call wall time, {calls} calls x {rounds} rounds (median [min-max])")
        print(f"{'isolation':<10} {'module':<12} {'ms/call':>22} {'vs none':>9} {'start s':>8}")
        for label in MODULES:
            base = statistics.median(results[("none", label)])
            for isolation in isolations:
                values = results[(isolation, label)]
                med = statistics.median(values)
                spread = f"{med:7.1f} [{min(values):.1f}-{max(values):.1f}]"
                print(
                    f"{isolation:<10} {label:<12} {spread:>22} {med - base:+8.1f}ms "
                    f"{statistics.median(startup[isolation]):8.2f}"
                )


def bench_seeded(rounds: int) -> None:
    """The quick seeded benchmark, serial, under no confinement and under the best."""
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for isolation in ("none", "auto"):
            env = {**os.environ, "SIMLAB_SANDBOX_ISOLATION": isolation}
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "simlab", "bench", "seeded", "--quick", "--workers", "0"],
                env=env,
                check=False,
                capture_output=True,
            )
            times.setdefault(isolation, []).append(time.perf_counter() - t0)
            print(f"  seeded {isolation}: {times[isolation][-1]:.1f} s", file=sys.stderr)
    none, auto = statistics.median(times["none"]), statistics.median(times["auto"])
    print("\nseeded benchmark (--quick, serial), wall s (median [min-max])")
    for isolation, values in times.items():
        med, low, high = statistics.median(values), min(values), max(values)
        print(f"{isolation:<10} {med:8.1f} [{low:.1f}-{high:.1f}]")
    ratio = auto / none - 1
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"confinement adds {100 * ratio:+.1f} % (target <= {100 * TARGET:.0f} %): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seeded", action="store_true", help="also time the seeded benchmark")
    args = parser.parse_args()
    isolations = ["none", "process"] + ([] if bwrap_problem() else ["bwrap"])
    bench_calls(isolations, args.calls, args.rounds)
    if args.seeded:
        bench_seeded(max(1, args.rounds // 2))


if __name__ == "__main__":
    main()
