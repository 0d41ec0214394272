"""``simlab validate`` and ``simlab show``: read spec.md files and report on them."""

from __future__ import annotations

from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK, print_error, print_json
from simlab.errors import SpecError
from simlab.spec import parse_file, render
from simlab.spec.validate import Validation, validate

_MARK = {"error": "x", "unverifiable": "?", "note": "-"}


@app.command("validate")
def validate_cmd(
    files: list[Path] = typer.Argument(..., help="spec.md files", metavar="FILE..."),
    json_out: bool = typer.Option(False, "--json", help="print a JSON list"),
    explain: bool = typer.Option(False, "--explain", help="show how to upgrade each part"),
    strict: bool = typer.Option(False, "--strict", help="fail unless machine-checkable"),
) -> None:
    """Check spec.md files: exit 0 all valid, 1 some invalid, 2 unreadable."""
    results: list[dict] = []
    code = EXIT_OK
    for path in files:
        try:
            spec = parse_file(path)
        except SpecError as exc:
            code = EXIT_ERROR
            results.append(
                {
                    "file": str(path),
                    "valid": False,
                    "machine_checkable": False,
                    "problems": [],
                    "error": exc.to_dict(),
                }
            )
            if not json_out:
                print_error(exc)
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        report = validate(spec, text)
        results.append(report.to_dict())
        bad = not report.valid or (strict and not report.machine_checkable)
        if bad and code == EXIT_OK:
            code = EXIT_FAIL
        if not json_out:
            _print_report(report, explain)
    if json_out:
        print_json(results)
    raise typer.Exit(code)


def _print_report(report: Validation, explain: bool) -> None:
    status = "valid" if report.valid else "INVALID"
    check = "machine-checkable" if report.machine_checkable else "not machine-checkable"
    typer.echo(f"{report.file}: {status}, {check}")
    for p in report.problems:
        if p.severity == "note" and not explain:
            continue
        where = f"line {p.line}, " if p.line else ""
        typer.echo(f"  {_MARK[p.severity]} {where}{p.section}: {p.message}")
        if explain and p.hint:
            for line in p.hint.splitlines():
                typer.echo(f"      {line}")
    if not explain and any(p.hint for p in report.problems if p.severity != "note"):
        typer.echo("  (run with --explain to see how to upgrade each part)")


@app.command("show")
def show_cmd(
    file: Path = typer.Argument(..., help="a spec.md file", metavar="FILE"),
    json_out: bool = typer.Option(False, "--json", help="print the typed spec as JSON"),
) -> None:
    """Print a spec in canonical form (or its typed model as JSON)."""
    spec = parse_file(file)
    if json_out:
        from simlab.spec.serialize import spec_to_dict

        print_json(spec_to_dict(spec))
    else:
        typer.echo(render(spec), nl=False)
    raise typer.Exit(EXIT_OK)
