"""``simlab run`` (judge -> solve -> certify -> bundle) and ``simlab verify``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_FAIL, EXIT_OK, output_dir, positive_seconds, print_json

EXIT_RENAMED = 3

if TYPE_CHECKING:
    from simlab.pipeline import RunResult
    from simlab.spec.model import Spec


@app.command("run")
def run_cmd(
    file: Path = typer.Argument(..., help="a spec.md file", metavar="FILE"),
    json_out: bool = typer.Option(False, "--json", help="print the result as JSON"),
    out: Path = typer.Option(
        Path("runs"), "--out", help="folder for run bundles", callback=output_dir
    ),
    solver: str | None = typer.Option(
        None,
        "--solver",
        help="a registered solver name, or a solver module file (module.py) run in the sandbox",
    ),
    time_budget: float = typer.Option(
        600.0, "--time-budget", help="seconds for the study (> 0)", callback=positive_seconds
    ),
) -> None:
    """Judge, solve, certify and bundle one spec: exit 0 PASS, 1 FLAG or REJECT, 2 error."""
    from tqdm.auto import tqdm

    from simlab.pipeline import certify_spec, inference_sidecar, write_run
    from simlab.spec import parse_file

    spec = parse_file(file)
    bar = None if json_out else tqdm(total=0, desc="convergence study", unit="solve", leave=False)

    def progress(kind: str, index: int, total: int, seconds: float) -> None:
        if bar is None:
            return
        bar.total = max(bar.total or 0, total)
        if kind == "solved":
            bar.update(1)
            bar.set_postfix_str(f"last {seconds:.2f} s")

    try:
        if solver is not None and (solver.endswith(".py") or Path(solver).is_file()):
            result = _supplied(spec, Path(solver), progress, time_budget)
        else:
            result = certify_spec(
                spec, solver_name=solver, progress=progress, time_budget=time_budget
            )
    finally:
        if bar is not None:
            bar.close()
    sidecar = inference_sidecar(file)
    extra = {"inference.jsonl": sidecar.read_text(encoding="utf-8")} if sidecar.is_file() else None
    write_run(result, out, extra)
    if json_out:
        print_json(_json(result))
    else:
        _print(result)
    raise typer.Exit(EXIT_OK if result.certificate.status == "PASS" else EXIT_FAIL)


def _supplied(spec: Spec, module: Path, progress: object, time_budget: float) -> RunResult:
    """The supplied-solver path: the module runs in the sandbox behind the same pipeline."""
    from simlab.errors import SimlabError
    from simlab.sandbox import certify_supplied

    if not module.is_file():
        raise SimlabError(
            f"{module}: no such solver module",
            hint="give a path to a .py file defining SOLVER and solve(spec, resolution)",
        )
    return certify_supplied(spec, module, progress=progress, time_budget=time_budget)


RUN_SCHEMA = "simlab.run/1"
#: observable fields converted from SI to the display unit: values (minus the unit's offset,
#: e.g. degC) and differences (bounds and errors: scale only)
_VALUES = ("extrapolated", "exact_value")
_DIFFERENCES = ("error_bound", "exact_error")


def _json(result: RunResult) -> dict:
    """``simlab run --json``: one object, documented field by field in docs/run-json.md."""
    cert = result.certificate.to_dict()
    judge = result.judge.to_dict() if result.judge is not None else None
    return {
        "schema": RUN_SCHEMA,
        "file": result.spec.source,
        "title": result.spec.title,
        "status": result.certificate.status.value,
        "judge": None
        if judge is None
        else {
            "accepted": judge.get("accepted"),
            "gates": [
                {k: g.get(k) for k in ("gate", "title", "condition", "status", "message")}
                for g in judge.get("gates", [])
            ],
        },
        "conditions": cert["conditions"],
        "observables": [_observable(o) for o in cert["observables"]],
        "audit": cert["audit"],
        "diagnostics": cert["diagnostics"],
        "solver": cert["solver"],
        "resolutions": cert["resolutions"],
        "reasons": cert["reasons"],
        "sandbox": cert.get("sandbox"),
        "timings_s": result.timings,
        "bundle": str(result.bundle),
    }


def _observable(o: dict) -> dict:
    """One observable with every number in its display unit (``unit``), SI scale removed."""
    scale, offset = o.get("scale") or 1.0, o.get("offset") or 0.0
    out = {k: v for k, v in o.items() if k not in ("value", "display_value", "scale", "offset")}
    out["value"] = o.get("display_value", o["value"])
    for key in _VALUES:
        if out.get(key) is not None:
            out[key] = (out[key] - offset) / scale
    for key in _DIFFERENCES:
        if out.get(key) is not None:
            out[key] = out[key] / scale
    if str(out.get("metric", "")).startswith("absolute") and out.get("threshold") is not None:
        out["threshold"] = out["threshold"] / scale  # an absolute tolerance: display unit too
    order = ["name", "value", "unit", "error_bound", "relative_bound", "metric", "threshold"]
    return {k: out[k] for k in order if k in out} | {k: v for k, v in out.items() if k not in order}


def _print(result: RunResult) -> None:
    cert = result.certificate
    typer.echo(f"{result.spec.title}: {cert.status.value}")
    for c in cert.conditions:
        typer.echo(f"  {c.condition} {c.status.value:6} {c.reason}")
    for o in cert.observables:
        bound = "n/a" if o.error_bound is None else f"{o.error_bound / o.scale:.3g}"
        order = "n/a" if o.observed_order is None else f"{o.observed_order:.2f}"
        exact = "" if o.exact_error is None else f", true error {o.exact_error / o.scale:.3g}"
        typer.echo(
            f"  {o.name} = {o.display_value:.10g} {o.unit or ''} ± {bound} "
            f"(order {order}{exact}) {o.status.value}"
        )
        for e in o.evidence:
            typer.echo(f"    evidence {e.kind.value}: {e.status.value} ({e.message})")
    for a in cert.audit:
        verdict = "n/a" if not a.applicable else "ok" if a.passed else "FAILED"
        typer.echo(f"  audit {a.name}: {verdict} ({a.message})")
    for reason in cert.reasons:
        typer.echo(f"  ! {reason}")
    total = result.timings.get("total", 0.0)
    typer.echo(f"  bundle {result.bundle} ({total:.2f} s)")


@app.command("verify")
def verify_cmd(
    bundle: Path = typer.Argument(..., help="a run bundle folder", metavar="BUNDLE"),
    json_out: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Recompute a bundle's hashes: exit 0 intact, 1 edited, 3 renamed only, 2 not a bundle."""
    from simlab.bundle import verify

    report = verify(bundle)
    if json_out:
        print_json(report.to_dict())
    elif report.status == "renamed":
        typer.echo(
            f"{bundle}: RENAMED, contents intact (every hash matches the manifest), but the "
            f"folder name does not end with the manifest's id {report.expected_id}"
        )
    else:
        typer.echo(f"{bundle}: {'intact' if report.ok else 'TAMPERED (edited)'}")
        for kind in ("modified", "missing", "unexpected"):
            for name in getattr(report, kind):
                typer.echo(f"  {kind}: {name}")
        if not report.id_matches:
            typer.echo(f"  and the folder name does not end with the id {report.expected_id}")
    codes = {"intact": EXIT_OK, "tampered": EXIT_FAIL, "renamed": EXIT_RENAMED}
    raise typer.Exit(codes[report.status])
