"""``simlab doctor``: what this machine supports for confining supplied solver code."""

from __future__ import annotations

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_FAIL, EXIT_OK, print_json


@app.command("doctor")
def doctor_cmd(
    json_out: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Report the sandbox confinement this machine gives (exit 1 unless it is full)."""
    from simlab.sandbox.doctor import examine, render

    report = examine()
    if json_out:
        print_json(report.to_dict())
    else:
        typer.echo(render(report))
    best = report.best
    raise typer.Exit(EXIT_OK if best is not None and best.level == "full" else EXIT_FAIL)
