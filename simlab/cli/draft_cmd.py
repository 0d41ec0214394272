"""``simlab draft``: chat text -> spec.md (or a clarifying question).

The draft goes through the Judge; a rejection goes back to the planner (at most 3 rounds).
Exit codes: 0 an accepted spec (printed, or written with ``-o``), 1 the Judge still rejects
after the last round (the rejection certificate is printed), 3 a clarifying question
(printed), 2 an error. Without ``--offline`` or ``--replay`` it uses Claude when
ANTHROPIC_API_KEY is set and otherwise falls back to the offline drafter, saying so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from simlab.cli import app
from simlab.cli.common import (
    EXIT_ERROR,
    EXIT_FAIL,
    EXIT_OK,
    output_file,
    print_json,
    text_file,
)
from simlab.errors import SimlabError

if TYPE_CHECKING:
    from simlab.plan import ClarifyingQuestion, Planner, PlanOutcome, SpecDraft

EXIT_QUESTION = 3
DEFAULT_LOG = Path("simlab-inference.jsonl")


@app.command("draft")
def draft_cmd(
    text: str = typer.Argument(..., help="the request, in plain words", metavar="TEXT"),
    offline: bool = typer.Option(False, "--offline", help="deterministic drafter, no model"),
    replay: Path | None = typer.Option(
        None, "--replay", help="answer from a recorded log", callback=text_file
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="write spec.md here", callback=output_file
    ),
    json_out: bool = typer.Option(False, "--json", help="print a JSON object"),
    model: str | None = typer.Option(None, "--model", help="Claude model name"),
    log: Path | None = typer.Option(
        None,
        "--log",
        help=f"inference log to append to (default ./{DEFAULT_LOG})",
        callback=output_file,
    ),
    use_judge: bool = typer.Option(
        True, "--judge/--no-judge", help="judge the draft and redesign on rejection"
    ),
    rounds: int = typer.Option(3, "--rounds", min=1, max=10, help="redesign rounds at most"),
) -> None:
    """Draft a spec from a plain description: exit 0 spec, 1 rejected, 3 question, 2 error."""
    from simlab.plan import ClarifyingQuestion, PlanOutcome, redesign

    try:
        planner = _planner(offline, replay, model, log, json_out)
        recorded = _recorded(planner)
        if use_judge:
            from simlab.judge import judge

            outcome = redesign(planner, judge, text, max_rounds=rounds)
        else:
            draft = planner.draft(text)
            outcome = (
                PlanOutcome("question", (), question=draft)
                if isinstance(draft, ClarifyingQuestion)
                else PlanOutcome("accepted", (), spec=draft)
            )
    except SimlabError as exc:
        if json_out:
            print_json({"status": "error", "error": str(exc), "detail": exc.to_dict()})
            raise typer.Exit(EXIT_ERROR) from None
        raise
    if outcome.status == "question":
        _show_question(outcome.question, json_out)
        raise typer.Exit(EXIT_QUESTION)
    if outcome.status == "rejected":
        _show_rejection(outcome, json_out)
        raise typer.Exit(EXIT_FAIL)
    _show_spec(outcome.spec, output, json_out, len(outcome.rounds), use_judge)
    if output is not None:
        _save_inference(planner, recorded, output)
    raise typer.Exit(EXIT_OK)


def _planner(
    offline: bool, replay: Path | None, model: str | None, log: Path | None, quiet: bool
) -> Planner:
    from simlab.plan import ClaudePlanner, InferenceLog, OfflinePlanner, ReplayPlanner

    if offline and replay is not None:
        raise typer.BadParameter("use either --offline or --replay, not both")
    if offline:
        return OfflinePlanner()
    if replay is not None:
        return ReplayPlanner(replay, model=model)
    if not os.environ.get("ANTHROPIC_API_KEY"):
        typer.echo(
            "note: ANTHROPIC_API_KEY is not set; drafting OFFLINE with the deterministic "
            "drafter (no language model).",
            err=True,
        )
        return OfflinePlanner()
    target = log or DEFAULT_LOG
    typer.echo(f"note: drafting with Claude; exchanges are appended to {target}", err=True)

    def stream(delta: str) -> None:
        sys.stderr.write(delta)
        sys.stderr.flush()

    return ClaudePlanner(
        model=model,
        log=InferenceLog(target),
        on_text=None if quiet else stream,
    )


def _recorded(planner: Planner) -> int:
    """How many exchanges the planner's log held before this draft (0 without a log)."""
    from simlab.plan import ReplayPlanner

    log = getattr(planner, "log", None)
    if log is None or isinstance(planner, ReplayPlanner):  # a replay: the whole log answered
        return 0
    return len(log.entries())


def _save_inference(planner: Planner, before: int, output: Path) -> None:
    """Write this draft's exchanges beside the spec (``heat.md`` -> ``heat.inference.jsonl``);
    ``simlab run`` puts that file into the run bundle as ``inference.jsonl``."""
    from simlab.pipeline import inference_sidecar

    log = getattr(planner, "log", None)
    if log is None:
        return
    entries = log.entries()[before:]
    if entries:
        target = inference_sidecar(output)
        target.write_text("".join(e.to_json() + "\n" for e in entries), encoding="utf-8")
        typer.echo(f"wrote {target} (the planner's exchanges; `simlab run` bundles it)", err=True)


def _show_question(q: ClarifyingQuestion, json_out: bool) -> None:
    if json_out:
        print_json(
            {
                "status": "question",
                "question": q.question,
                "missing": list(q.missing),
                "planner": q.planner,
                "note": q.note,
            }
        )
    else:
        typer.echo(q.question)


def _show_rejection(outcome: PlanOutcome, json_out: bool) -> None:
    last = next(r.draft for r in reversed(outcome.rounds) if r.draft is not None)
    cert = outcome.certificate
    if json_out:
        print_json(
            {
                "status": "rejected",
                "spec_md": last.text,
                "reasons": list(outcome.reasons),
                "certificate": cert.to_dict() if hasattr(cert, "to_dict") else str(cert),
                "rounds": len(outcome.rounds),
                "planner": last.planner,
            }
        )
        return
    typer.echo(str(cert), err=True)
    typer.echo(f"(rejected after {len(outcome.rounds)} round(s); the last draft follows)", err=True)
    typer.echo(last.text, nl=False)


def _show_spec(
    d: SpecDraft, output: Path | None, json_out: bool, rounds: int, judged: bool
) -> None:
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(d.text, encoding="utf-8")
    verdict = f"accepted by the Judge (round {rounds})" if judged else "not judged (--no-judge)"
    if json_out:
        print_json(
            {
                "status": "spec",
                "spec_md": d.text,
                "file": str(output) if output else None,
                "planner": d.planner,
                "note": d.note,
                "judge": verdict,
            }
        )
        return
    if d.note:
        typer.echo(d.note, err=True)
    typer.echo(f"spec {verdict}", err=True)
    if output is not None:
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(d.text, nl=False)
