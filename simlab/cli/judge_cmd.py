"""``simlab judge``: run the five pre-execution gates on spec.md files."""

from __future__ import annotations

from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK, gate_line, print_error, print_json
from simlab.errors import JudgeError, SpecError
from simlab.spec import parse_file


@app.command("judge")
def judge_cmd(
    files: list[Path] = typer.Argument(..., help="spec.md files", metavar="FILE..."),
    json_out: bool = typer.Option(False, "--json", help="print a JSON list, one item per file"),
    budget_memory: str | None = typer.Option(
        None, "--budget-memory", help="memory budget, e.g. 2GB (default: free memory)"
    ),
    budget_time: str | None = typer.Option(
        None, "--budget-time", help="time budget in seconds or with a unit, e.g. 10min"
    ),
) -> None:
    """Judge spec.md files: exit 0 all accepted, 1 some rejected, 2 unreadable."""
    from simlab.judge import default_budget, judge

    try:
        budget = default_budget(budget_memory, budget_time)
    except JudgeError as exc:
        print_error(exc)
        raise typer.Exit(EXIT_ERROR) from None
    results: list[dict] = []
    code = EXIT_OK
    for path in files:
        try:
            spec = parse_file(path)
        except SpecError as exc:
            code = EXIT_ERROR
            results.append(
                {"file": str(path), "accepted": False, "gates": [], "error": exc.to_dict()}
            )
            if not json_out:
                print_error(exc)
            continue
        report = judge(spec, budget=budget)
        data = report.to_dict()
        data["file"] = str(path)
        results.append(data)
        if not report.accepted and code == EXIT_OK:
            code = EXIT_FAIL
        if not json_out:
            _print(report, str(path))
    if json_out:
        print_json(results)
    raise typer.Exit(code)


def _print(report, path: str) -> None:
    verdict = "ACCEPTED" if report.accepted else "REJECTED"
    family = report.classification.family if report.classification else "unclassified"
    typer.echo(f"{path}: {verdict} ({family}, {report.elapsed_ms:.0f} ms)")
    for v in report.verdicts:
        typer.echo(f"  {gate_line(v)}")
    cert = report.rejection_certificate()
    if cert is not None:
        typer.echo(f"  violated: {', '.join(cert.conditions)}")
        for item in cert.violations:
            if item.fix:
                typer.echo(f"    fix ({item.gate}): {item.fix}")
