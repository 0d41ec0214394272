"""``simlab continue``: follow a spec's solution branch in a parameter, with its special points."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer

from simlab.cli import app
from simlab.cli.common import EXIT_OK, finite, print_json
from simlab.spec import parse_file

ROWS_PER_DIRECTION = 12


@app.command("continue")
def continue_cmd(
    file: Path = typer.Argument(..., help="a spec.md file", metavar="FILE"),
    param: str | None = typer.Option(
        None,
        "--param",
        help="parameter to continue in (default: the one multiplying a nonlinear term)",
    ),
    json_out: bool = typer.Option(False, "--json", help="print the branch as JSON"),
    steps: int = typer.Option(200, "--steps", min=1, help="most steps in each direction"),
    resolution: int | None = typer.Option(
        None, "--resolution", min=2, help="grid cells per side (stationary; 128 in 1-D, 32 in 2-D)"
    ),
    lam_min: float | None = typer.Option(
        None, "--min", help="lowest parameter value", callback=finite
    ),
    lam_max: float | None = typer.Option(
        None, "--max", help="highest parameter value", callback=finite
    ),
    switch: bool = typer.Option(
        False, "--switch", help="also follow the other branch through each branch point"
    ),
) -> None:
    """Continue the spec's solution from its parameter value both ways: exit 0 ok, 2 error.

    Stationary problems are discretised by 2nd-order finite differences; for ODE systems each
    isolated equilibrium near the spec's trajectory is followed. Folds, branch points and Hopf
    points are detected and located. Without --min/--max the parameter ranges over its value
    +- 10 x its magnitude (1 for a dimensionless parameter whose value is 0).

    A stationary problem's special points are reported at their continuum value: located on
    the grids N/8 ... N and extrapolated (Richardson, even powers of h), with an error bound
    and the observed order; --resolution N reports the single grid's value instead. Every
    reported point's residual is under its stated threshold; --switch follows the other
    branch through each branch point.
    """
    from simlab.diagnostics.spec_bridge import continuations

    if lam_min is not None and lam_max is not None and lam_min >= lam_max:
        raise typer.BadParameter(
            f"--min {lam_min:g} is not below --max {lam_max:g}; give a range low < high",
            param_hint="'--min'/'--max'",
        )

    spec = parse_file(file)
    cells = resolution or (128 if spec.domain.dimension <= 1 else 32)
    runs = continuations(spec, param, cells)
    result = _continue(runs, steps, (lam_min, lam_max), switch=switch)
    if resolution is None and runs[0].kind == "stationary":
        _certify(
            result, lambda n: continuations(spec, param, n)[0], cells, steps, (lam_min, lam_max)
        )
    result = {"file": str(file), **result}
    if json_out:
        print_json(result)
    else:
        _print(result)
    raise typer.Exit(EXIT_OK)


def _branch_json(run: Any, branch: Any, direction: int, start: str) -> dict[str, Any]:
    return {
        "start": start,
        "direction": direction,
        "stop_reason": branch.stop_reason,
        "notes": list(branch.notes),
        "points": [
            {
                "parameter": run.value(lam),
                "measure": float(m),
                "stable": bool(stable),
                "n_unstable": int(k),
            }
            for lam, m, stable, k in zip(
                branch.lam, branch.measure, branch.stable, branch.n_unstable, strict=True
            )
        ],
    }


def _specials(run: Any, branch: Any, direction: int, start: str, notes: list) -> list[dict]:
    """The branch's special points whose residual is under its threshold (others: a note)."""
    from simlab.diagnostics.corrector import residual_threshold

    out, seen = [], {}
    for p in branch.special_points:
        ordinal = seen.get(p.type, 0)
        seen[p.type] = ordinal + 1
        threshold = residual_threshold(run.problem, p.u, p.value)
        if not p.residual <= threshold:
            notes.append(
                f"{p.type} at {run.parameter.name} = {run.value(p.value):.6g} dropped: residual "
                f"{p.residual:.3g} above its threshold {threshold:.3g} (not a solution)"
            )
            continue
        out.append(
            {
                "type": p.type,
                "parameter": run.parameter.name,
                "value": run.value(p.value),
                "single_grid": run.value(p.value),
                "measure": p.measure,
                "residual": p.residual,
                "residual_threshold": threshold,
                "test_residual": p.test_residual,
                "frequency": p.frequency,
                "direction": direction,
                "ordinal": ordinal,
                "start": start,
                "certificate": None,
            }
        )
    return out


def _continue(
    runs: list, steps: int, bounds: tuple[float | None, float | None], *, switch: bool = False
) -> dict[str, Any]:
    from simlab.diagnostics.continuation import ContinuationSettings, switch_branch
    from simlab.errors import SimlabError

    first = runs[0]
    info = first.parameter
    branches, specials = [], []
    for run in runs:
        n_eigs = min(run.v0.size, 6)
        for direction in (-1, 1):
            branch = run.run(direction, window=10.0, bounds=bounds, max_steps=steps, n_eigs=n_eigs)
            entry = _branch_json(run, branch, direction, run.description)
            found = _specials(run, branch, direction, run.description, entry["notes"])
            branches.append(entry)
            specials.extend(found)
            if not switch:
                continue
            for p in branch.of_type("branch_point"):
                if not any(
                    q["type"] == "branch_point" and q["single_grid"] == run.value(p.value)
                    for q in found
                ):
                    continue
                low = (bounds[0] / info.scale) if bounds[0] is not None else run.p0 - 10.0
                high = (bounds[1] / info.scale) if bounds[1] is not None else run.p0 + 10.0
                settings = ContinuationSettings(
                    ds=0.02,
                    ds_min=1e-6,
                    ds_max=0.25,
                    max_steps=steps,
                    lam_min=low,
                    lam_max=high,
                    max_norm=1e3,
                    n_eigs=n_eigs,
                    detect=run.detect,
                )
                for side in (1, -1):
                    label = f"switched at the branch point {info.name} = {run.value(p.value):.6g}"
                    try:
                        other = switch_branch(run.problem, p, direction=side, settings=settings)
                    except SimlabError as exc:
                        entry["notes"].append(f"{label}, side {side}: {exc.message}")
                        continue
                    switched = _branch_json(run, other, side, label)
                    switched["switched_from"] = run.value(p.value)
                    branches.append(switched)
                    specials.extend(
                        q
                        for q in _specials(run, other, side, label, switched["notes"])
                        if abs(q["value"] - run.value(p.value)) > 1e-9 * info.scale
                    )
    return {
        "parameter": info.name,
        "unit": info.unit,
        "start_value": info.value,
        "kind": first.kind,
        "discretisation": first.description if first.kind == "stationary" else None,
        "measure": "signed largest |u|" if first.kind == "stationary" else "first unknown",
        "branch": branches,
        "special_points": _unique(specials),
        "values": "single grid",
    }


def _certify(
    result: dict[str, Any],
    make_run: Any,
    cells: int,
    steps: int,
    bounds: tuple[float | None, float | None],
) -> None:
    """Replace each special point's value by its Richardson-extrapolated continuum value."""
    from simlab.diagnostics.certified_points import certify_points

    for direction in (-1, 1):
        todo = [
            p
            for p in result["special_points"]
            if p["direction"] == direction and not p["start"].startswith("switched")
        ]
        if not todo:
            continue
        kwargs = {"window": 10.0, "bounds": bounds, "max_steps": steps}
        done = certify_points(
            make_run,
            cells,
            direction,
            [(p["type"], p["ordinal"], p["value"]) for p in todo],
            kwargs,
        )
        for p, cert in zip(todo, done, strict=True):
            if isinstance(cert, str):
                p["certificate"] = {"status": "FLAG", "reasons": [cert]}
                continue
            p["certificate"] = cert.to_dict()
            p["value"] = cert.value
    result["values"] = "continuum (Richardson over grids)"


def _unique(points: list[dict]) -> list[dict]:
    out: list[dict] = []
    for p in points:
        if not any(
            q["type"] == p["type"]
            and q["start"] == p["start"]
            and abs(q["value"] - p["value"]) <= 1e-9 * max(1.0, abs(p["value"]))
            for q in out
        ):
            out.append(p)
    return sorted(out, key=lambda p: (p["start"], p["value"]))


def _print(result: dict[str, Any]) -> None:
    unit = f" {result['unit']}" if result["unit"] else ""
    typer.echo(
        f"{result['file']}: continuation in {result['parameter']} from "
        f"{result['start_value']:g}{unit} ({result['kind']})"
    )
    if result["discretisation"]:
        typer.echo(f"  {result['discretisation']}")
    for branch in result["branch"]:
        way = "decreasing" if branch["direction"] < 0 else "increasing"
        pts = branch["points"]
        typer.echo(f"  {branch['start']}, {way}: {len(pts)} points ({branch['stop_reason']})")
        typer.echo(f"    {result['parameter']:>14}  {result['measure']:>20}  stability")
        for i in np.unique(np.linspace(0, len(pts) - 1, ROWS_PER_DIRECTION).round().astype(int)):
            p = pts[i]
            state = "stable" if p["stable"] else f"{p['n_unstable']} unstable"
            typer.echo(f"    {p['parameter']:>14.6g}  {p['measure']:>20.6g}  {state}")
        for note in branch["notes"]:
            typer.echo(f"    note: {note}")
    if not result["special_points"]:
        typer.echo("  no special point in the range")
    for p in result["special_points"]:
        extra = f", frequency {p['frequency']:.6g}" if p["frequency"] else ""
        cert = p.get("certificate") or {}
        bound = cert.get("error_bound")
        value = f"{p['value']:.12g}" + (f" +- {bound:.2g}" if bound is not None else "")
        order = cert.get("observed_order")
        evidence = (
            f"; {cert['status']}, observed order {order:.3g} on {cert['resolutions']} cells"
            if order is not None
            else (f"; {cert['status']}: {'; '.join(cert['reasons'])}" if cert else "")
        )
        typer.echo(
            f"  {p['type']:<12} {p['parameter']} = {value}{unit}  "
            f"(measure {p['measure']:.6g}{extra}; residual {p['residual']:.2g} <= "
            f"{p['residual_threshold']:.2g}{evidence}) [{p['start']}]"
        )
