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
    summary = {
        "file": str(file),
        "bundle": str(result.path),
        "table": str(result.path / "table.parquet"),
        "points": result.total,
        "finished": int(result.points.shape[0]),
        "computed_now": result.computed,
        "status": result.counts(),
        "failed": result.failed,
    }
    if json_out:
        print_json({**summary, "rows": result.points.to_dict(orient="records")})
    else:
        typer.echo(f"{file}: {summary['finished']}/{result.total} points -> {result.path}")
        typer.echo("  " + ", ".join(f"{k} {v}" for k, v in sorted(summary["status"].items())))
        typer.echo(f"  computed now {result.computed}; table {summary['table']}")
        for line in result.failed:
            typer.echo(f"  left for a rerun: {line}")
    raise typer.Exit(EXIT_OK if result.complete else EXIT_FAIL)
