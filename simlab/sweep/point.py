"""One sweep point: judge -> solve -> certify -> bundle, on whichever dask worker runs it.

The point travels as text (the rendered spec and its inputs), so any worker that can import
simlab can run it; its bundle is written into the sweep bundle's ``runs/`` folder (a shared
file system on a real cluster). A point that cannot be solved is a REJECT row with the
reason, never a lost point.
"""

from __future__ import annotations

import os
import re
import socket
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from simlab.spec.model import Reference, Spec


def stale_references(spec: Spec, inputs: dict[str, float]) -> dict[str, str]:
    """Observables whose reference cannot follow the swept inputs -> why.

    A reference is kept when it is an expression naming a swept parameter whose value
    changed (heat's ``u0*exp(-kappa*pi**2*t/L**2)*...``); a plain number or an expression
    that names none of them was written for the spec's own values and would be compared with
    the answer at another point.
    """
    own = {p.name: p.value for p in spec.equations.parameters}
    changed = [n for n, v in inputs.items() if own.get(n) != v]
    if not changed:
        return {}
    out = {}
    for name, ref in spec.tolerance.references.items():
        if ref.value is None or ref.kind not in ("analytic", "data"):
            continue
        if not any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", ref.value) for n in changed):
            out[name] = (
                f"the {ref.kind} reference {ref.value!r} does not depend on "
                f"{', '.join(changed)}: it was dropped at this point"
            )
    return out


def point_spec(spec: Spec, inputs: dict[str, float]) -> tuple[Spec, dict[str, str]]:
    """The spec at ``inputs`` with stale references replaced by Richardson extrapolation."""
    from simlab.diagnostics.spec_params import spec_with

    stale = stale_references(spec, inputs)
    moved = spec_with(spec, inputs)
    if stale:
        refs = {
            k: (Reference("extrapolation") if k in stale else v)
            for k, v in moved.tolerance.references.items()
        }
        moved = replace(moved, tolerance=replace(moved.tolerance, references=refs))
    return moved, stale


def certify_point(spec_text: str, inputs: dict[str, float], runs_dir: str) -> dict[str, Any]:
    """The certified row of one point (runs on a worker; only plain data in and out)."""
    from simlab.errors import SimlabError
    from simlab.pipeline import certify_spec, write_run
    from simlab.spec import parse

    t0 = time.perf_counter()
    row: dict[str, Any] = {
        "inputs": dict(inputs),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "observables": [],
        "notes": [],
    }
    spec, stale = point_spec(parse(spec_text), inputs)
    row["notes"] = list(stale.values())
    try:
        result = certify_spec(spec)
    except SimlabError as exc:  # no solution here (past a fold, a diverging solve): REJECT
        row.update(
            status="REJECT",
            reasons=[f"the solve failed: {exc.message}"],
            bundle_id=None,
            bundle=None,
            seconds=time.perf_counter() - t0,
        )
        return row
    bundle = write_run(result, Path(runs_dir))
    cert = result.certificate
    row.update(
        status=cert.status.value,
        reasons=list(cert.reasons),
        flagged_by=[d["diagnostic"] for d in cert.diagnostics if d.get("flagged")],
        bundle_id=bundle.name.rsplit("-", 1)[-1],
        bundle=bundle.name,
        seconds=time.perf_counter() - t0,
    )
    row["observables"] = [
        {
            "observable": o.name,
            "value": o.display_value,
            "unit": o.unit,
            "error_bound": None if o.error_bound is None else o.error_bound / o.scale,
            "observed_order": o.observed_order,
            "formal_order": o.formal_order,
            "observable_status": o.status.value,
        }
        for o in cert.observables
    ]
    return row
