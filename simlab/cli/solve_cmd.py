"""``simlab solve``: Claude writes the solver, simlab runs it confined and certifies it."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK, print_json

DEFAULT_LOG = Path(".simlab") / "inference.jsonl"


@app.command("solve")
def solve_cmd(
    what: str = typer.Argument(
        None, help="a spec.md file, or the problem in words (drafted into a spec first)"
    ),
    replay: Path | None = typer.Option(
        None, "--replay", help="a bundle written by simlab solve: run it again without a key"
    ),
    out: Path = typer.Option(Path("runs"), "--out", help="folder for the session bundle"),
    rounds: int = typer.Option(3, "--rounds", min=1, max=3, help="rounds of feedback (max 3)"),
    model: str | None = typer.Option(None, "--model", help="Claude model (default: config)"),
    json_out: bool = typer.Option(False, "--json", help="print the session as JSON"),
) -> None:
    """Claude writes a solver module; simlab certifies it (0 certified, 1 refused, 2 error)."""
    from simlab.execute import replay_bundle

    def say(text: str) -> None:
        if not json_out:
            typer.echo(text, err=True)

    if replay is not None:
        report = replay_bundle(replay, progress=say)
        if json_out:
            print_json(
                {
                    "identical": report.identical,
                    "compared": report.compared,
                    "differences": report.differences,
                    "outcome": report.session.outcome(),
                }
            )
        else:
            typer.echo(
                f"replayed {len(report.session.rounds)} round(s) without a key: "
                f"{report.session.outcome()}"
            )
            typer.echo(
                f"{len(report.compared)} files compared: "
                + ("identical" if report.identical else f"DIFFER: {', '.join(report.differences)}")
            )
        raise typer.Exit(EXIT_OK if report.identical else EXIT_FAIL)
    if not what:
        raise typer.BadParameter("give a spec.md file or the problem in words (or --replay)")
    if not os.environ.get("ANTHROPIC_API_KEY"):
        typer.echo(
            "simlab solve needs ANTHROPIC_API_KEY (Claude writes the solver); replay a "
            "recorded session with --replay BUNDLE",
            err=True,
        )
        raise typer.Exit(EXIT_ERROR)
    session = _live_session(what, rounds, model, say)
    from simlab.execute import write_session

    bundle = write_session(session, out)
    if json_out:
        texts = {"bundle": str(bundle), "certified": session.certified}
        print_json(
            {**texts, "outcome": session.outcome(), "rounds": [r.summary() for r in session.rounds]}
        )
    else:
        for r in session.rounds:
            typer.echo(f"round {r.number}: {r.status}  {r.method} (order {r.formal_order:g})")
            for reason in r.certificate.get("reasons", [])[:4]:
                typer.echo(f"    {reason}")
        typer.echo(f"{session.outcome()}; bundle: {bundle}")
    raise typer.Exit(EXIT_OK if session.certified else EXIT_FAIL)


def _live_session(what: str, rounds: int, model: str | None, say):
    from simlab.execute import ClaudeCoder, run_session
    from simlab.plan import ClaudePlanner, InferenceLog
    from simlab.plan.types import SpecDraft
    from simlab.spec import parse_file

    log = InferenceLog(DEFAULT_LOG)
    say(f"note: exchanges are appended to {DEFAULT_LOG} and copied into the bundle")
    session_log = InferenceLog()
    request = None
    path = Path(what)
    if path.suffix == ".md" and path.is_file():
        spec = parse_file(path)
    else:
        request = what
        draft = ClaudePlanner(model=model, log=session_log).draft(what)
        if not isinstance(draft, SpecDraft):
            typer.echo(f"the planner asks: {getattr(draft, 'question', draft)}")
            raise typer.Exit(EXIT_FAIL)
        spec = draft.spec
    coder = ClaudeCoder(model=model, log=session_log)
    session = run_session(spec, coder, max_rounds=rounds, progress=say, request=request)
    for entry in session_log.entries():
        log.append(entry)
    return session
