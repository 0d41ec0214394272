"""The ``simlab`` command line: a thin layer that builds arguments and prints typed results.

Each command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    name="simlab",
    help="Simulation answers with their evidence: spec.md -> judge -> run -> certificate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# command modules register on import (order = order in --help)
from simlab.cli import (  # noqa: E402, F401
    app_cmd,
    bench_cmd,
    continue_cmd,
    demo_cmd,
    doctor_cmd,
    draft_cmd,
    judge_cmd,
    run_cmd,
    spec_cmds,
    sweep_cmd,
)


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code instead of raising SystemExit."""
    from simlab.cli.common import run_app

    return run_app(app, argv if argv is not None else sys.argv[1:])
