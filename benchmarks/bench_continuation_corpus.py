"""Detection and location of special points on the continuation corpus (40 problems).

    python benchmarks/bench_continuation_corpus.py [--only NAME ...] [--json FILE]

Every case of ``benchmarks/continuation_corpus.py`` is run through ``simlab continue FILE
--json --param P --min LOW --max HIGH`` (in-process, typer's CliRunner): stationary problems
report the Richardson-extrapolated continuum value with its error bound, ODE equilibria the
located value. Per expected point: found with the right type or not, the location error
against the closed form (relative to |value|, absolute when the value is 0), and for
stationary problems whether the certified bound covers the true error. Points of the right
type at no expected value are counted as extra. Prints a table and the totals.

``--flags`` measures the S4 flag rates of ``simlab.diagnostics.assess`` on the same corpus:
each case at its own (far) parameter value must not be flagged; moved to 2 % of its nearest
special point on the start's side (a special point at 0 has no such neighbourhood in a
scale-free measure and is skipped) it must be.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from continuation_corpus import CASES, Case

from simlab.cli import app

MATCH = 0.05
"""An expected point is matched by the nearest reported point of its type within 5 %."""


def run_case(case: Case, folder: Path) -> dict[str, Any]:
    """``simlab continue`` on one case; per expected point what was found."""
    path = folder / f"{case.name}.md"
    path.write_text(case.text)
    args = ["continue", str(path), "--json", "--param", case.parameter]
    args += ["--min", repr(case.low), "--max", repr(case.high)]
    t0 = time.perf_counter()
    out = CliRunner().invoke(app, args)
    seconds = time.perf_counter() - t0
    if out.exit_code != 0:
        return {"name": case.name, "error": out.output.strip()[-200:], "seconds": seconds}
    data = json.loads(out.output[out.output.index("{") :])
    reported = data["special_points"]
    rows, used = [], set()
    for kind, value in case.expected:
        same = [(i, p) for i, p in enumerate(reported) if p["type"] == kind]
        scale = abs(value) or 1.0
        near = [(abs(p["value"] - value) / scale, i, p) for i, p in same]
        near = [n for n in near if n[0] <= MATCH]
        if not near:
            rows.append({"type": kind, "expected": value, "found": None})
            continue
        err, i, p = min(near, key=lambda n: n[0])
        used.add(i)
        cert = p.get("certificate") or {}
        bound = cert.get("error_bound")
        rows.append(
            {
                "type": kind,
                "expected": value,
                "found": p["value"],
                "error": abs(p["value"] - value),
                "relative_error": err,
                "bound": bound,
                "covered": None if bound is None else abs(p["value"] - value) <= bound,
                "status": cert.get("status"),
            }
        )
    extra = [
        (p["type"], p["value"])
        for i, p in enumerate(reported)
        if i not in used and p["type"] in {k for k, _ in case.expected}
    ]
    return {"name": case.name, "points": rows, "extra": extra, "seconds": seconds}


NEAR = 0.02


def near_value(case: Case) -> float | None:
    """The parameter 2 % from the special point nearest the start, on the start's side."""
    start = start_value(case)
    points = [v for _, v in case.expected if v != 0.0]
    if not points:
        return None
    target = min(points, key=lambda v: abs(v - start) / abs(v))
    side = 1.0 if start > target else -1.0
    return target * (1.0 + side * NEAR * (1.0 if target > 0 else -1.0))


def start_value(case: Case) -> float:
    line = next(x for x in case.text.splitlines() if x.startswith(f"  {case.parameter}: "))
    return float(line.split(":", 1)[1])


def with_value(case: Case, value: float) -> str:
    old = f"  {case.parameter}: {start_value(case)!r}\n"
    return case.text.replace(old, f"  {case.parameter}: {value!r}\n", 1)


def flag_rates(cases: list[Case]) -> None:
    from simlab.diagnostics.assess import assess
    from simlab.spec import parse

    far_flagged, near_missed, near_total = [], [], 0
    for case in cases:
        result = assess(parse(case.text))
        if result.flagged:
            far_flagged.append((case.name, [f.message.splitlines()[0] for f in result.flags]))
        value = near_value(case)
        if value is None:
            continue
        near_total += 1
        if not assess(parse(with_value(case, value))).flagged:
            near_missed.append((case.name, value))
    print(f"far (own values): {len(far_flagged)}/{len(cases)} flagged")
    for name, messages in far_flagged:
        print(f"  {name}: {messages}")
    print(f"near (2 % from a special point): {near_total - len(near_missed)}/{near_total} flagged")
    for name, value in near_missed:
        print(f"  missed {name} at {value:.6g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--flags", action="store_true", help="S4 flag rates instead")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or c.name in args.only]
    if args.flags:
        flag_rates(cases)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            results.append(run_case(case, Path(tmp)))
    print(
        f"{'case':34} {'type':12} {'expected':>14} {'rel. error':>10} {'bound':>9} "
        f"{'cov':>4} {'s':>6}"
    )
    found = total = covered = bounded = 0
    errors_pde, errors_ode = [], []
    for case, r in zip(cases, results, strict=True):
        if "error" in r:
            print(f"{r['name']:34} ERROR {r['error']}")
            total += len(case.expected)
            continue
        for p in r["points"]:
            total += 1
            if p["found"] is None:
                print(f"{r['name']:34} {p['type']:12} {p['expected']:14.10g} {'MISSED':>10}")
                continue
            found += 1
            (errors_pde if case.stationary else errors_ode).append(p["relative_error"])
            bound = "-" if p["bound"] is None else f"{p['bound']:.1e}"
            cov = "-" if p["covered"] is None else ("yes" if p["covered"] else "NO")
            bounded += p["covered"] is not None
            covered += bool(p["covered"])
            print(
                f"{r['name']:34} {p['type']:12} {p['expected']:14.10g} "
                f"{p['relative_error']:10.1e} {bound:>9} {cov:>4} {r['seconds']:6.2f}"
            )
        for kind, value in r["extra"]:
            print(f"{'':34} extra {kind} at {value:.10g}")
    times = [r["seconds"] for r in results]
    print(
        f"\n{len(cases)} cases, {total} expected special points: {found} found with the right type"
    )
    if errors_pde:
        print(
            "stationary (continuum, Richardson): median rel. error "
            f"{statistics.median(errors_pde):.1e}, max {max(errors_pde):.1e}; "
            f"bound covers the true error {covered}/{bounded}"
        )
    if errors_ode:
        print(
            f"ODE equilibria: median rel. error {statistics.median(errors_ode):.1e}, "
            f"max {max(errors_ode):.1e}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"time per case: median {statistics.median(times):.2f} s, total {sum(times):.1f} s "
        f"(load average {load})"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float))


if __name__ == "__main__":
    main()
