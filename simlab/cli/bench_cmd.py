"""``simlab bench seeded``: the silent-failure benchmark on the seeded-bug corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import EXIT_FAIL, EXIT_OK, output_file, positive_seconds, print_json

bench_app = typer.Typer(
    name="bench",
    help="Benchmarks that measure what the Judge buys (silent failures, false alarms).",
    no_args_is_help=True,
)
app.add_typer(bench_app, name="bench")


@bench_app.command("seeded")
def seeded_cmd(
    json_out: bool = typer.Option(False, "--json", help="print the summary as JSON"),
    quick: bool = typer.Option(
        False, "--quick", help="a small subset: the spec's point, correct + one bug per problem"
    ),
    stratified: bool = typer.Option(
        False,
        "--stratified",
        help="every correct module at every point, every bug module at one point (rotating)",
    ),
    workers: int = typer.Option(
        2, "--workers", min=0, max=256, help="dask worker processes (0: no dask)"
    ),
    problems: str | None = typer.Option(
        None, "--problems", help="comma-separated problem names (default: all 13)"
    ),
    out: Path | None = typer.Option(
        None, "--out", help="write every case's result as JSON to this file", callback=output_file
    ),
    time_budget: float = typer.Option(
        30.0, "--time-budget", help="seconds per convergence study (> 0)", callback=positive_seconds
    ),
    corpus: str = typer.Option(
        "all", "--corpus", help="seeded, seeded_indep, or all (both, reported per corpus)"
    ),
) -> None:
    """Run every seeded-bug variant through the no-Judge baseline, the full pipeline and
    physverify; exit 1 if the full pipeline lets a wrong answer through."""
    from simlab.bench.corpus import CORPORA
    from simlab.bench.problems import PROBLEMS
    from simlab.bench.run import BenchConfig, run_bench
    from simlab.bench.summary import summarize_corpora

    names = tuple(p.strip() for p in problems.split(",") if p.strip()) if problems else None
    known = sorted(p.name for p in PROBLEMS)
    unknown = sorted(set(names or ()) - set(known))
    if unknown:
        raise typer.BadParameter(
            f"unknown problem(s) {', '.join(unknown)}; choose from {', '.join(known)}",
            param_hint="'--problems'",
        )
    corpora = tuple(CORPORA) if corpus == "all" else tuple(c.strip() for c in corpus.split(","))
    strange = sorted(set(corpora) - set(CORPORA))
    if strange:
        raise typer.BadParameter(
            f"unknown corpus {', '.join(strange)}; choose from all, {', '.join(CORPORA)}",
            param_hint="'--corpus'",
        )

    config = BenchConfig(
        quick=quick,
        stratified=stratified,
        problems=names,
        workers=workers,
        time_budget=time_budget,
        corpora=corpora,
    )
    bar = _bar(json_out)
    try:
        run = run_bench(config, progress=bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()
    summary = summarize_corpora(run.cases, run.seconds, run.reference_seconds)
    if out is not None:
        out.write_text(
            json.dumps(
                {"summary": summary, "cases": [c.to_dict() for c in run.cases]},
                indent=1,
                default=str,
            )
        )
    if json_out:
        print_json(summary)
    else:
        _print(summary)
    raise typer.Exit(EXIT_OK if summary["silent_with_judge"] == 0 else EXIT_FAIL)


class _Bar:
    """tqdm progress: one tick per finished case, the last case in the postfix."""

    def __init__(self) -> None:
        from tqdm.auto import tqdm

        self.tqdm = tqdm(total=0, desc="seeded bugs", unit="case", leave=False)

    def update(self, done: int, total: int, case: object) -> None:
        self.tqdm.total = total
        self.tqdm.update(1)
        self.tqdm.set_postfix_str(f"{getattr(case, 'problem', '')}/{getattr(case, 'variant', '')}")

    def close(self) -> None:
        self.tqdm.close()


def _bar(json_out: bool) -> _Bar | None:
    return None if json_out else _Bar()


def _print(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    corpora = Table(title="Seeded-bug benchmark: per corpus")
    for col in (
        "corpus",
        "variants",
        "wrong cases",
        "silent, no Judge",
        "silent, Judge",
        "false positives (correct modules)",
        "PASS: evidence kinds per observable (min / mean)",
    ):
        corpora.add_column(col, justify="left" if col == "corpus" else "right")
    for name, sub in [*s["per_corpus"].items(), ("total", s)]:
        ev = sub["evidence_per_pass"]
        corpora.add_row(
            name,
            str(sub["variants"]),
            str(sub["wrong_cases"]),
            str(sub["silent_without_judge"]),
            str(sub["silent_with_judge"]),
            f"{sub['false_positives_correct_modules']}/{sub['correct_module_cases']}",
            f"{ev['min']} / {ev['mean']} ({ev['passes']} PASS)",
        )
    console.print(corpora)
    table = Table(title="Seeded-bug benchmark: per problem")
    for col in (
        "problem",
        "bugs",
        "benign",
        "wrong cases",
        "silent, no Judge",
        "silent, Judge",
        "flagged right",
        "physverify caught",
    ):
        table.add_column(col, justify="right" if col != "problem" else "left")
    for row in s["per_problem"]:
        table.add_row(
            row["problem"],
            str(row["bugs"]),
            str(row["benign"]),
            str(row["wrong"]),
            str(row["silent_without_judge"]),
            str(row["silent_with_judge"]),
            str(row["false_positives"]),
            f"{row['physverify_caught']}/{row['physverify_applicable']}",
        )
    console.print(table)
    pv = s["physverify"]
    lines = [
        f"variants (real bugs): {s['variants']}  modules: {s['modules']}  "
        f"cases: {s['cases']}  wrong cases: {s['wrong_cases']}",
        f"silent without the Judge: {s['silent_without_judge']} "
        f"({_pct(s['silent_rate_without_judge'])})   with the Judge: "
        f"{s['silent_with_judge']} ({_pct(s['silent_rate_with_judge'])})",
        f"false positives on the correct modules: {s['false_positives_correct_modules']}/"
        f"{s['correct_module_cases']} ({_pct(s['false_positive_rate_correct_modules'])}); "
        f"all right cases flagged: {s['false_positives']}/{s['right_cases']} "
        f"({_pct(s['false_positive_rate'])}, of which {s['flags_on_benign_modules']} on benign "
        f"bug modules and {s['flags_on_right_answers_of_buggy_modules']} on right answers of "
        "buggy ones)",
        f"physverify: caught {pv['caught']}/{pv['applicable_wrong_cases']} "
        f"({_pct(pv['detection_rate'])}) where it applies; the pipeline is not silent on "
        f"{_pct(pv['pipeline_not_silent_rate_same_cases'])} of the same cases; its false positives "
        f"{pv['false_positives']} ({_pct(pv['false_positive_rate'])})",
        "first evidence of each catch: "
        + ", ".join(f"{k} {v}" for k, v in s["first_evidence"].items()),
        f"wall time {s['seconds']} s (references {s['reference_seconds']} s)",
    ]
    for line in lines:
        console.print(line)
    if s["silent_cases_with_judge"]:
        console.print(
            "[red]silent with the Judge:[/red] " + ", ".join(s["silent_cases_with_judge"])
        )
    bare = s["evidence_per_pass"]["without_independent_evidence"]
    if bare:
        console.print("PASS without independent evidence: " + ", ".join(bare))
    if s["benign_modules"]:
        console.print("benign (right everywhere): " + ", ".join(s["benign_modules"]))


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{100 * rate:.1f} %"
