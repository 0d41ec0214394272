"""The general engine against the family kernels, and 3-D certified runs at 64^3.

    python benchmarks/bench_engine.py              # everything (about 10 minutes, loaded machine)
    python benchmarks/bench_engine.py --dev        # engine vs kernels on the dev specs only
    python benchmarks/bench_engine.py --3d         # 3-D Poisson and heat at 64^3 only
    python benchmarks/bench_engine.py --dev --repeats 15   # more interleaved repeats
    python benchmarks/bench_engine.py --dev --specs poisson_2d,wave_1d --no-cert
    python benchmarks/bench_engine.py --dev --specs fisher_kpp --triple 400,800,1600 --no-cert

Part 1, for every dev spec the engine fits: the same triple of resolutions (16, 32, 64) solved
by the family kernel and by the engine, interleaved, ``REPEATS`` times; the table shows the
median time of the triple and the spread (max - min), and the ratio engine / kernel. Then the
certified run of each (judge, study, certificate) as the pipeline chooses resolutions.

Part 2: 3-D Poisson (specs/general/05) and 3-D heat (specs/general/18) certified with the
convergence study's triple forced to (16, 32, 64), so the finest grid is 64^3; each case runs
in a fresh subprocess so that its peak resident memory (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIPLE = (16, 32, 64)
REPEATS = 3
CASES_3D = {"poisson_3d": "05_poisson_3d", "heat_3d": "18_heat_3d_cube"}


def _kernel_for(spec):
    from simlab.solvers.protocol import registered

    for cls in registered().values():
        if cls.family != "general" and cls().fit(spec).ok:
            return cls
    raise RuntimeError("no family kernel fits")


def _triple_seconds(cls, spec) -> float:
    solver = cls()
    solver.fit(spec)
    t0 = time.perf_counter()
    for n in TRIPLE:
        solver.solve(spec, n)
    return time.perf_counter() - t0


def dev_rows(
    repeats: int = REPEATS, only: set[str] | None = None, certify: bool = True
) -> list[dict]:
    from simlab.pipeline import certify_spec
    from simlab.solvers.protocol import registered
    from simlab.spec import parse_file

    engine_cls = registered()["mol_engine"]
    rows = []
    for path in sorted((ROOT / "specs" / "dev").glob("*.md")):
        spec, name = parse_file(path), path.stem
        if only and name not in only:
            continue
        if not engine_cls().fit(spec).ok:
            continue
        kernel_cls = _kernel_for(spec)
        _triple_seconds(engine_cls, spec), _triple_seconds(kernel_cls, spec)  # warm caches
        times: dict[str, list[float]] = {"engine": [], "kernel": []}
        for _ in range(repeats):  # interleaved: the machine's load hits both alike
            times["kernel"].append(_triple_seconds(kernel_cls, spec))
            times["engine"].append(_triple_seconds(engine_cls, spec))
        cert = {"kernel": (math.nan, "-"), "engine": (math.nan, "-")}
        for label, solver_name in (("kernel", kernel_cls.name), ("engine", "mol_engine")):
            if not certify:
                break
            t0 = time.perf_counter()
            result = certify_spec(spec, solver_name=solver_name)
            cert[label] = (time.perf_counter() - t0, result.certificate.status.value)
        med_e, med_k = statistics.median(times["engine"]), statistics.median(times["kernel"])
        rows.append(
            {
                "spec": name,
                "kernel": kernel_cls.name,
                "kernel_s": med_k,
                "kernel_spread": max(times["kernel"]) - min(times["kernel"]),
                "engine_s": med_e,
                "engine_spread": max(times["engine"]) - min(times["engine"]),
                "ratio": med_e / med_k,
                "cert_kernel_s": cert["kernel"][0],
                "cert_engine_s": cert["engine"][0],
                "cert_ratio": cert["engine"][0] / cert["kernel"][0],
                "status": f"{cert['kernel'][1]}/{cert['engine'][1]}",
            }
        )
    return rows


CHILD = """
import json, resource, sys, time
from simlab.pipeline import certify_spec
from simlab.solvers.builtin.general import GeneralEngineSolver
from simlab.spec import parse_file
spec = parse_file(sys.argv[1])
solver = GeneralEngineSolver()
assert solver.fit(spec).ok
solver.resolutions = (16, 32, 64)
t0 = time.perf_counter()
result = certify_spec(spec, solver=solver)
total = time.perf_counter() - t0
o = result.certificate.observables[0]
print(json.dumps({
    "status": result.certificate.status.value,
    "finest": max(r.resolution for r in result.study.records),
    "finest_s": result.timings["finest_solve"],
    "total_s": total,
    "value": o.value, "bound": o.error_bound, "true_error": o.exact_error,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def rows_3d() -> list[dict]:
    rows = []
    for label, stem in CASES_3D.items():
        path = ROOT / "specs" / "general" / f"{stem}.md"
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
        )
        rows.append({"case": label, **json.loads(out.stdout.strip().splitlines()[-1])})
    return rows


def _print(rows: list[dict], title: str) -> None:
    if not rows:
        return
    print(f"\n{title}")
    keys = list(rows[0])
    fmt = lambda v: f"{v:.3g}" if isinstance(v, float) else str(v)  # noqa: E731
    widths = [max(len(k), *(len(fmt(r[k])) for r in rows)) for k in keys]
    print("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)))
    for r in rows:
        print("  ".join(fmt(r[k]).ljust(w) for k, w in zip(keys, widths, strict=True)))


def main(argv: list[str]) -> None:
    repeats = int(argv[argv.index("--repeats") + 1]) if "--repeats" in argv else REPEATS
    only = set(argv[argv.index("--specs") + 1].split(",")) if "--specs" in argv else None
    if "--triple" in argv:
        global TRIPLE
        TRIPLE = tuple(int(n) for n in argv[argv.index("--triple") + 1].split(","))
    if "--3d" not in argv:
        load = os.getloadavg()
        rows = dev_rows(repeats, only, certify="--no-cert" not in argv)
        title = f"engine vs family kernel, triple {TRIPLE}, median of {repeats} (s)"
        after = os.getloadavg()
        _print(rows, f"{title}; load average {load[0]:.1f} before, {after[0]:.1f} after")
        ratios = [r["ratio"] for r in rows]
        print(f"median ratio engine/kernel {statistics.median(ratios):.2f}, max {max(ratios):.2f}")
    if "--dev" not in argv:
        _print(rows_3d(), "3-D certified runs, study triple (16, 32, 64): finest grid 64^3")


if __name__ == "__main__":
    main(sys.argv[1:])
