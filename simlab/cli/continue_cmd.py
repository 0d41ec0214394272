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
) -> None:
    """Continue the spec's solution from its parameter value both ways: exit 0 ok, 2 error.

    Stationary problems are discretised by 2nd-order finite differences; for ODE systems each
    isolated equilibrium near the spec's trajectory is followed. Folds, branch points and Hopf
    points are detected and located. Without --min/--max the parameter ranges over its value
    +- 10 x its scale (its magnitude, or 1 for a small dimensionless one).
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
    result = _continue(runs, steps, (lam_min, lam_max))
    result = {"file": str(file), **result}
    if json_out:
        print_json(result)
    else:
        _print(result)
    raise typer.Exit(EXIT_OK)


def _continue(runs: list, steps: int, bounds: tuple[float | None, float | None]) -> dict[str, Any]:
    first = runs[0]
    info = first.parameter
    branches, specials = [], []
    for run in runs:
        n_eigs = min(run.v0.size, 6)
        for direction in (-1, 1):
            branch = run.run(direction, window=10.0, bounds=bounds, max_steps=steps, n_eigs=n_eigs)
            branches.append(
                {
                    "start": run.description,
                    "direction": direction,
                    "stop_reason": branch.stop_reason,
                    "notes": branch.notes,
                    "points": [
                        {
                            "parameter": run.value(lam),
                            "measure": float(m),
                            "stable": bool(stable),
                            "n_unstable": int(k),
                        }
                        for lam, m, stable, k in zip(
                            branch.lam,
                            branch.measure,
                            branch.stable,
                            branch.n_unstable,
                            strict=True,
                        )
                    ],
                }
            )
            for p in branch.special_points:
                specials.append(
                    {
                        "type": p.type,
                        "parameter": info.name,
                        "value": run.value(p.value),
                        "measure": p.measure,
                        "residual": p.residual,
                        "test_residual": p.test_residual,
                        "frequency": p.frequency,
                        "direction": direction,
                        "start": run.description,
                    }
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
    }


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
        typer.echo(
            f"  {p['type']:<12} {p['parameter']} = {p['value']:.10g}{unit}  "
            f"(measure {p['measure']:.6g}{extra}) [{p['start']}]"
        )
