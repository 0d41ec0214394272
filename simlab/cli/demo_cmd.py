"""``simlab demo``: the main job on the built-in default problem, end to end.

A plain description is drafted into spec.md (offline drafter: no key, no network), the Judge
checks it, the solver runs a convergence study, the certificate is computed and the run is
bundled. Pass ``--spec FILE`` to start from a spec instead of the description.
"""

from __future__ import annotations

from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_FAIL, EXIT_OK, gate_line, input_file, output_dir
from simlab.cli.run_cmd import _print

DEFAULT_REQUEST = (
    "Heat conduction in a 2 m rod with thermal diffusivity 0.5 m^2/s. Both ends are held at "
    "0 K and the initial temperature is a sine profile with amplitude 1 K. Simulate for 0.5 s."
)


@app.command("demo")
def demo_cmd(
    request: str = typer.Argument(
        DEFAULT_REQUEST, help="a plain description of the problem", metavar="TEXT"
    ),
    spec_file: Path | None = typer.Option(
        None, "--spec", help="start from a spec.md instead", callback=input_file
    ),
    out: Path = typer.Option(
        Path("runs"), "--out", help="folder for run bundles", callback=output_dir
    ),
) -> None:
    """Plan -> judge -> run -> certificate on a built-in problem (the 1D heat equation)."""
    from simlab.pipeline import certify_spec, write_run
    from simlab.spec import parse_file, render

    if spec_file is not None:
        spec = parse_file(spec_file)
        typer.echo(f"1 plan    read {spec_file}")
    else:
        from simlab.plan import ClarifyingQuestion, OfflinePlanner

        typer.echo(f"1 plan    {request}")
        draft = OfflinePlanner().draft(request)
        if isinstance(draft, ClarifyingQuestion):
            typer.echo(f"          the offline drafter asks: {draft.question}")
            raise typer.Exit(3)
        spec = draft.spec
        typer.echo("          drafted spec.md (offline drafter):")
        for line in render(spec).splitlines():
            typer.echo(f"          | {line}")
    typer.echo("2 judge   five gates before anything runs")
    result = certify_spec(spec)
    for v in result.judge.verdicts:
        typer.echo(f"        {gate_line(v)}")
    typer.echo("3 run     convergence study")
    if result.study is not None:
        for row in result.study.table():
            typer.echo(
                f"          n = {row['resolution']:<6} h = {row['h']:.4g}  {row['seconds']:.3f} s"
            )
    typer.echo("4 certify")
    write_run(result, out)
    _print(result)
    raise typer.Exit(EXIT_OK if result.certificate.status == "PASS" else EXIT_FAIL)
