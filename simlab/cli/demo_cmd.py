"""``simlab demo``: the main job on the built-in default problem."""

from __future__ import annotations

from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_FAIL, EXIT_OK
from simlab.paths import DEFAULT_SPEC
from simlab.spec import parse_file
from simlab.spec.validate import validate


@app.command("demo")
def demo_cmd(
    spec_file: Path = typer.Argument(DEFAULT_SPEC, help="spec.md (default: bundled heat 1D)"),
) -> None:
    """Validate and summarise a spec (default: the bundled heat equation)."""
    spec = parse_file(spec_file)
    report = validate(spec, spec_file.read_text(encoding="utf-8-sig"))
    typer.echo(f"spec      {spec_file}")
    typer.echo(f"title     {spec.title}")
    dims = ", ".join(f"{c.name} in [{c.lower:g}, {c.upper:g}] {c.unit or ''}" for c in spec.domain.coordinates)
    typer.echo(f"domain    {spec.domain.geometry}: {dims}")
    if spec.domain.time:
        t = spec.domain.time
        typer.echo(f"time      {t.name} in [{t.lower:g}, {t.upper:g}] {t.unit or ''}")
    for eq in spec.equations.equations:
        typer.echo(f"equation  {eq.text}")
    for o in spec.observables:
        typer.echo(f"observe   {o.name} = {o.definition} [{o.unit or '1'}]")
    typer.echo(f"tolerance {spec.tolerance.metric} <= {spec.tolerance.threshold}")
    typer.echo(f"valid     {report.valid}; machine-checkable {report.machine_checkable}")
    raise typer.Exit(EXIT_OK if report.valid else EXIT_FAIL)
