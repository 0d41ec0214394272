"""`simlab continue` on the Bratu fold against bice, at n = 200 and n = 2000 unknowns.

    python benchmarks/bench_continue_bice.py [--repeats 3] [--sizes 200 2000]

The command is run in-process through its CLI (typer's CliRunner, imports warm) on
specs/dev/bratu_1d.md with ``--resolution n+1`` (n interior unknowns, h = 1/(n+1): the same
discrete problem bice gets from ``benchmarks/bench_continuation.py::bice_fold``), so it
follows the branch both ways from the spec's lam = 1 with stability (eigenvalues) at every
point, and locates the fold. bice continues from lam = 0 with its eigen solver on (4
eigenvalues) and bifurcation location on, and stops at its first located fold; it is given
simlab's analytic sparse Jacobian. Errors: against the discrete fold of that very problem
(shooting, simlab.diagnostics.references) and against the continuum fold 3.513830719125161.
The default command (no --resolution: Richardson over several grids) is timed too.

bice's task is smaller than the command's (one direction, from lam = 0, stop at the first
fold), so the same task is also timed through simlab's library: the spec compiled and
discretised by the engine (``stationary_continuation``), continued from u = 0 at lam = 0 with
4 eigenvalues per point, stopping at the located fold (``first_special_point``). The load
average is printed: the machine is shared. Repeats interleaved; median [min-max].
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_continuation import LAM_C, bice_fold

from simlab.cli import app
from simlab.diagnostics.references import bratu_discrete_fold

SPEC = Path(__file__).resolve().parents[1] / "specs" / "dev" / "bratu_1d.md"


def simlab_continue(n: int | None) -> float:
    args = ["continue", str(SPEC), "--json"]
    if n is not None:
        args += ["--resolution", str(n + 1)]
    out = CliRunner().invoke(app, args)
    if out.exit_code != 0:
        raise RuntimeError(out.output[-300:])
    data = json.loads(out.output[out.output.index("{") :])
    folds = [p for p in data["special_points"] if p["type"] == "fold"]
    return float(folds[0]["value"])


def simlab_first_fold(n: int) -> float:
    """bice's task through simlab's library (compile, discretise, continue from 0, stop)."""
    import numpy as np

    from simlab.diagnostics.continuation import ContinuationSettings, first_special_point
    from simlab.diagnostics.spec_bridge import stationary_continuation
    from simlab.spec import parse_file

    run = stationary_continuation(parse_file(SPEC), "lam", n + 1)
    settings = ContinuationSettings(ds=0.1, ds_max=0.5, n_eigs=4, lam_max=10.0)
    fold = first_special_point(run.problem, np.zeros(run.v0.size), 0.0, "fold", settings=settings)
    return run.value(fold.value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    args = parser.parse_args()
    contenders = {}
    for n in args.sizes:
        contenders[f"simlab continue --resolution {n + 1}"] = (n, lambda n=n: simlab_continue(n))
        contenders[f"bice (n = {n})"] = (n, lambda n=n: bice_fold(n))
        contenders[f"simlab library, bice's task (n = {n})"] = (
            n,
            lambda n=n: simlab_first_fold(n),
        )
    contenders["simlab continue (default, Richardson)"] = (None, lambda: simlab_continue(None))
    for _, run in contenders.values():  # warm: imports, caches (failures: in the table)
        with contextlib.suppress(Exception):
            run()
    times = {k: [] for k in contenders}
    values: dict[str, float | str] = {}
    for _ in range(args.repeats):
        for label, (_, run) in contenders.items():
            t = time.perf_counter()
            try:
                values[label] = run()
            except Exception as exc:  # a failing contender is a row
                values[label] = f"{type(exc).__name__}: {str(exc)[:50]}"
            times[label].append(time.perf_counter() - t)
    discrete = {n: bratu_discrete_fold(n) for n in args.sizes}
    print(f"Bratu 1-D fold, continuum lam_c = {LAM_C!r}")
    print(
        f"{'contender':40} {'median s':>9} {'[min - max]':>20} {'err discrete':>12} "
        f"{'err continuum':>13}"
    )
    for label, (n, _) in contenders.items():
        v, value = times[label], values.get(label)
        med = statistics.median(v)
        if isinstance(value, float):
            err_d = f"{abs(value - discrete[n]):.1e}" if n is not None else "-"
            err_c = f"{abs(value - LAM_C):.1e}"
        else:
            err_d, err_c = "-", str(value)
        print(f"{label:40} {med:9.3f} [{min(v):7.3f} - {max(v):7.3f}] {err_d:>12} {err_c:>13}")
    for n in args.sizes:
        ours = statistics.median(times[f"simlab continue --resolution {n + 1}"])
        peer = statistics.median(times[f"bice (n = {n})"])
        task = statistics.median(times[f"simlab library, bice's task (n = {n})"])
        print(
            f"n = {n}: simlab continue / bice = {ours / peer:.2f}; "
            f"same task (library) / bice = {task / peer:.2f}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"({args.repeats} interleaved repeats; load average {load}; the machine is shared)")


if __name__ == "__main__":
    main()
