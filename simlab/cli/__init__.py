"""The ``simlab`` command line: a thin layer that builds arguments and prints typed results.

Each command lives in its own module ``simlab/cli/<name>_cmd.py`` and registers itself on
:data:`app` (``@app.command("name")`` or ``app.add_typer``). Modules are imported only when
their command runs, so ``simlab --help`` or ``simlab validate`` never pay for panel, dask or
the Claude SDK. To add a command, add one line to :data:`COMMANDS` (name -> module, one-line
help shown by ``simlab --help``); a ``*_cmd.py`` module missing from the table still works,
it is only imported eagerly for ``--help`` and for an unknown name.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

#: command -> (module in simlab.cli, one-line help); the order is the order in --help
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_cmd", "Plan -> judge -> run -> certificate on a built-in problem."),
    "draft": ("draft_cmd", "Draft a spec.md from a plain description (Claude or offline)."),
    "validate": ("spec_cmds", "Check spec.md files: 0 valid, 1 invalid, 2 unreadable."),
    "show": ("spec_cmds", "Print a spec in canonical form (or its typed model as JSON)."),
    "judge": ("judge_cmd", "Judge spec.md files with the five gates: 0 accepted, 1 rejected."),
    "run": ("run_cmd", "Judge, solve, certify and bundle one spec: 0 PASS, 1 FLAG/REJECT."),
    "verify": ("run_cmd", "Recompute a run bundle's hashes: 0 intact, 1 tampered."),
    "continue": ("continue_cmd", "Follow a spec's solution branch in a parameter."),
    "sweep": ("sweep_cmd", "Certified parameter sweep on dask: one bundle per point."),
    "bench": ("bench_cmd", "Benchmarks that measure what the Judge buys."),
    "solve": ("solve_cmd", "Claude writes the solver, simlab certifies it (or --replay)."),
    "doctor": ("doctor_cmd", "What sandbox confinement this machine gives supplied code."),
    "app": ("app_cmd", "Serve the workbench (chat -> spec -> judge -> run) as a web app."),
}


class LazyGroup(TyperGroup):
    """A typer group that imports a command's module only when the command is used."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(COMMANDS)
        if _untabled_modules():
            _import_untabled()
            names += [n for n in _registered() if n not in names]
        return names

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if getattr(ctx, "simlab_listing", False) and cmd_name in COMMANDS:
            short = COMMANDS[cmd_name][1]
            return TyperCommand(cmd_name, help=short, short_help=short)
        if cmd_name in COMMANDS:
            importlib.import_module(f"simlab.cli.{COMMANDS[cmd_name][0]}")
        elif _untabled_modules():
            _import_untabled()
        command = _registered().get(cmd_name)
        if command is not None:
            self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        ctx.simlab_listing = True  # list commands from the table, without importing them
        try:
            return super().format_help(ctx, formatter)
        finally:
            ctx.simlab_listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except typer.BadParameter.__mro__[2] as exc:  # click's UsageError (typer vendors click)
            names = self.list_commands(ctx)
            close = difflib.get_close_matches(args[0], names, n=3) if args else []
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            exc.message = f"{exc.message.rstrip('.')}.{hint} Commands: {', '.join(names)}."
            raise


app = typer.Typer(
    name="simlab",
    cls=LazyGroup,
    help="Simulation answers with their evidence: spec.md -> judge -> run -> certificate.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"simlab {version('simlab')}")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            typer.echo("simlab (not installed)")
        raise typer.Exit(0)


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False, "--version", help="print the version and exit", callback=_version, is_eager=True
    ),
) -> None:
    """Simulation answers with their evidence: spec.md -> judge -> run -> certificate."""


def _registered() -> dict[str, Any]:
    """The click commands of everything registered on :data:`app` so far."""
    group = typer.main.get_command(app)
    return dict(getattr(group, "commands", {}))


def _untabled_modules() -> list[str]:
    """Command modules of simlab.cli that :data:`COMMANDS` does not name."""
    tabled = {module for module, _ in COMMANDS.values()}
    return [
        m.name
        for m in pkgutil.iter_modules(__path__)
        if m.name.endswith(("_cmd", "_cmds")) and m.name not in tabled
    ]


def _import_untabled() -> None:
    for name in _untabled_modules():
        importlib.import_module(f"simlab.cli.{name}")


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code instead of raising SystemExit."""
    from simlab.cli.common import run_app

    return run_app(app, argv if argv is not None else sys.argv[1:])
