"""Bifurcation diagnostics on specs: flags on boundary probes, false positives elsewhere, cost.

    python benchmarks/bench_boundary.py               # all three sets + pipeline share
    python benchmarks/bench_boundary.py --no-pipeline # skip the certified dev runs

For every spec in specs/boundary (all should be flagged), specs/dev and specs/interior (none
should be): whether it was flagged, by which diagnostic, the evidence numbers and the time of
:func:`simlab.diagnostics.assess.assess`. Then the false-positive rate over dev + interior,
and the diagnostics' share of the certified run time of each dev spec (certify_spec).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from simlab.diagnostics.assess import Assessment, assess
from simlab.pipeline import certify_spec
from simlab.spec import parse_file

ROOT = Path(__file__).resolve().parents[1]
SETS = ("boundary", "dev", "interior")


def evidence(a: Assessment) -> str:
    """The numbers behind the verdict, one short phrase per diagnostic that ran."""
    parts = []
    for r in a.results:
        e = r.evidence
        if r.diagnostic == "continuation":
            p = e.get("nearest")
            parts.append(
                f"{p['type']} {100 * p['relative_distance']:.2g}% ({p['parameter']}="
                f"{p['value']:.5g})"
                if p
                else "no special point within 25%"
            )
        elif r.diagnostic == "lyapunov":
            growth = e["growth_over_horizon"]
            parts.append(f"l1={e['largest_exponent']:.3g}+-{e['stderr']:.1g} l1*T={growth:.2g}")
        elif r.diagnostic == "ensemble":
            parts.append(f"CV={e.get('coefficient_of_variation', float('inf')):.2g}")
        elif r.diagnostic == "probe":
            parts.append(f"jump={max(e['relative_jump'].values(), default=0.0):.2g}")
    return "; ".join(parts) or "no diagnostic applies"


def assess_sets() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for name in SETS:
        rows[name] = []
        for path in sorted((ROOT / "specs" / name).glob("*.md")):
            spec = parse_file(path)
            t0 = time.perf_counter()
            a = assess(spec)
            rows[name].append(
                {
                    "spec": path.stem,
                    "flagged": a.flagged,
                    "by": ",".join(sorted({f.diagnostic for f in a.flags})) or "-",
                    "evidence": evidence(a),
                    "seconds": time.perf_counter() - t0,
                    "applied": len(a.results),
                }
            )
    return rows


def pipeline_share() -> list[dict]:
    certify_spec(parse_file(ROOT / "specs" / "dev" / "heat_1d.md"))  # warm imports
    out = []
    for path in sorted((ROOT / "specs" / "dev").glob("*.md")):
        result = certify_spec(parse_file(path))
        t = result.timings
        out.append(
            {
                "spec": path.stem,
                "status": result.certificate.status.value,
                "total": t["total"],
                "diagnostics": t.get("diagnostics", 0.0),
            }
        )
    return out


def main(argv: list[str]) -> None:
    rows = assess_sets()
    print(f"{'set':9} {'spec':34} {'flag':5} {'by':24} {'time':>6}  evidence")
    for name, items in rows.items():
        for r in items:
            mark = "FLAG" if r["flagged"] else "-"
            print(
                f"{name:9} {r['spec']:34} {mark:5} {r['by']:24} {r['seconds']:6.2f}  "
                f"{r['evidence']}"
            )
    caught = sum(r["flagged"] for r in rows["boundary"])
    negatives = rows["dev"] + rows["interior"]
    false = [r["spec"] for r in negatives if r["flagged"]]
    idle = sum(r["applied"] == 0 for r in negatives)
    print()
    print(f"boundary probes flagged: {caught} / {len(rows['boundary'])}")
    print(
        f"false positives: {len(false)} / {len(negatives)} = {len(false) / len(negatives):.1%} "
        f"(target <= 2 %){': ' + ', '.join(false) if false else ''}"
    )
    print(f"  of which {idle} specs had no applicable diagnostic (they cannot be flagged)")
    print(f"assess time: {sum(r['seconds'] for v in rows.values() for r in v):.1f} s in total")
    if "--no-pipeline" in argv:
        return
    print()
    print(f"{'dev spec':16} {'status':6} {'total s':>8} {'diag s':>7} {'share':>6}")
    share = pipeline_share()
    for r in share:
        print(
            f"{r['spec']:16} {r['status']:6} {r['total']:8.2f} {r['diagnostics']:7.2f} "
            f"{100 * r['diagnostics'] / r['total']:5.0f}%"
        )
    total = sum(r["total"] for r in share)
    diag = sum(r["diagnostics"] for r in share)
    print(f"{'all':16} {'':6} {total:8.2f} {diag:7.2f} {100 * diag / total:5.0f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
