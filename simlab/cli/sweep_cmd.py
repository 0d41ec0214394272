"""``simlab sweep``: judge and certify a spec at every point of a parameter grid, on dask."""

from __future__ import annotations

from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_FAIL, EXIT_OK, print_json
from simlab.spec import parse_file


@app.command("sweep")
def sweep_cmd(
    file: Path = typer.Argument(..., help="a spec.md file"),
    param: list[str] = typer.Option(
        ..., "--param", help="NAME=start:stop:count (ends included) or NAME=v1,v2,...; repeat"
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="dask scheduler address (default: a LocalCluster)"
    ),
    workers: int = typer.Option(2, "--workers", min=1, help="LocalCluster worker processes"),
    out: Path = typer.Option(Path("sweeps"), "--out", help="folder for sweep bundles"),
    json_out: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    map_depth: int | None = typer.Option(
        None,
        "--map",
        min=0,
        help="also draw the map of certifiability (map.png, map.json in the sweep bundle), "
        "bisecting each boundary this many times",
    ),
) -> None:
    """Certify every point (exit 0 when all finished, 1 when some are left, 2 on error).

    An interrupted sweep resumes: the same command finds the same sweep bundle and computes
    only the points it lacks.
    """
    from simlab.sweep import parse_range, run_sweep

    spec = parse_file(file)
    ranges = [parse_range(p) for p in param]
    try:
        result = run_sweep(
            spec,
            ranges,
            out=out,
            scheduler=scheduler or "local",
            workers=workers,
            progress=not json_out,
            file=str(file),
        )
    except KeyboardInterrupt:
        typer.echo("interrupted: run the same command again to resume the sweep", err=True)
        raise typer.Exit(130) from None
    drawn = None
    if map_depth is not None and result.complete:
        drawn = _map(spec, result, map_depth, scheduler or "local", workers)
    summary = {
        "file": str(file),
        "bundle": str(result.path),
        "table": str(result.path / "table.parquet"),
        "points": result.total,
        "finished": int(result.points.shape[0]),
        "computed_now": result.computed,
        "status": result.counts(),
        "failed": result.failed,
        "map": drawn,
    }
    if json_out:
        print_json({**summary, "rows": result.points.to_dict(orient="records")})
    else:
        typer.echo(f"{file}: {summary['finished']}/{result.total} points -> {result.path}")
        typer.echo("  " + ", ".join(f"{k} {v}" for k, v in sorted(summary["status"].items())))
        typer.echo(f"  computed now {result.computed}; table {summary['table']}")
        for line in result.failed:
            typer.echo(f"  left for a rerun: {line}")
        if drawn is not None:
            typer.echo(f"  map of certifiability: {drawn['figure']}")
            for b in drawn["boundaries"]:
                typer.echo(
                    f"    {b['low_status']} -> {b['high_status']} in {b['parameter']} at "
                    f"{0.5 * (b['low'] + b['high']):.6g} +- {0.5 * (b['high'] - b['low']):.2g}"
                    + (f" ({b['fixed']})" if b["fixed"] else "")
                )
    raise typer.Exit(EXIT_OK if result.complete else EXIT_FAIL)


def _map(spec: object, result: object, depth: int, scheduler: object, workers: int) -> dict:
    """Draw the map into the sweep bundle; its boundaries and special points as JSON."""
    import json
    from dataclasses import asdict

    import matplotlib

    matplotlib.use("Agg")
    from simlab.sweep.certifiability import certifiability_map
    from simlab.sweep.map_plot import plot_map

    drawn = certifiability_map(spec, result, depth=depth, scheduler=scheduler, workers=workers)
    figure = result.path / "map.png"
    plot_map(drawn).savefig(figure, dpi=120)
    data = {
        "figure": str(figure),
        "regions": drawn.regions(),
        "boundaries": [asdict(b) for b in drawn.boundaries],
        "special_points": drawn.overlay.special_points,
        "notes": drawn.overlay.notes,
    }
    (result.path / "map.json").write_text(json.dumps(data, indent=2, default=float) + "\n")
    return data
