"""Shared CLI plumbing: exit codes, error printing, JSON output."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import typer

from simlab.errors import SimlabError

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2

#: click's exception classes as typer uses them: typer >= 0.20 vendors its own copy of click,
#: so ``import click`` would give classes that typer never raises
CLICK = sys.modules[typer.BadParameter.__module__]


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the typer app; any SimlabError becomes a message and exit code 2, never a traceback."""
    try:
        code = app(args=argv, prog_name="simlab", standalone_mode=False)
    except SimlabError as exc:
        print_error(exc)
        if "--json" in argv:
            print_json({"status": "error", "error": str(exc), "detail": exc.to_dict()})
        return EXIT_ERROR
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return EXIT_ERROR
    except CLICK.NoArgsIsHelpError as exc:  # bare `simlab` or a bare group: show its help
        typer.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
        return EXIT_ERROR
    except CLICK.UsageError as exc:
        _usage(exc)
        if "--json" in argv:  # a caller reading JSON gets the error as JSON too
            usage = exc.ctx.get_usage() if exc.ctx is not None else ""
            print_json({"status": "error", "error": exc.format_message(), "usage": usage})
        return EXIT_ERROR
    except CLICK.ClickException as exc:
        typer.echo(f"error: {exc.format_message()}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        return _internal(exc)
    return int(code) if isinstance(code, int) else EXIT_OK


def _usage(exc: Any) -> None:
    """A usage error: the command's usage line, the message, and where to read more."""
    ctx = exc.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(f"Try '{ctx.command_path} --help' for help.")
    lines.append(f"error: {exc.format_message()}")
    typer.echo("\n".join(lines), err=True)


def _internal(exc: Exception) -> int:
    """Last line of defence: a bug in simlab is reported in one line, not a traceback."""
    typer.echo(
        f"simlab: internal error ({type(exc).__name__}: {exc}). This is a bug in simlab; "
        "please report it with the command you ran.",
        err=True,
    )
    return EXIT_ERROR


def gate_line(verdict: Any) -> str:
    """One Judge verdict as every command prints it: status, gate, condition (S1-S4), message.

    The words are the Judge's own (``PASS``, ``WARN``, ``FAIL``, ``UNVERIFIABLE``; gate ids
    as in ``judge --json``), so ``demo``, ``judge`` and ``run`` read the same.
    """
    status = getattr(verdict.status, "value", verdict.status)
    return f"{status:<12} {verdict.gate:<15} [{verdict.condition}] {verdict.message}"


def print_error(exc: SimlabError) -> None:
    typer.echo(f"error: {exc}", err=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=_default) + "\n")


def _default(obj: Any) -> Any:
    try:
        import numpy as np

        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
    except ImportError:  # pragma: no cover
        pass
    return str(obj)


# ---------------------------------------------------------------- option checks (callbacks)
# Each runs while the command line is parsed, before any work, and raises a usage error
# (exit 2, the usage line, the option's name and what to give instead).


def positive_seconds(value: float | None) -> float | None:
    """A time budget: a finite number of seconds > 0 (None passes: the default applies)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter(f"{value:g} is not a positive number of seconds; e.g. 60")
    return value


def finite(value: float | None) -> float | None:
    """A finite number (None passes)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number")
    return value


def output_dir(path: Path | None) -> Path | None:
    """A folder to write into (made later if absent): an existing file, or a place where the
    folder cannot be made, is refused before any work is done."""
    if path is None:
        return None
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{path} is a file, not a folder; give a folder for the results")
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise typer.BadParameter(f"cannot make the folder {path}: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise typer.BadParameter(f"cannot write in {existing}; choose another folder")
    return path


def output_file(path: Path | None) -> Path | None:
    """A file to write: not a folder, in a folder that exists (or can be made) and is writable;
    refused before any work is done, so no result is lost to a bad path."""
    if path is None:
        return None
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder; give a file name, e.g. {path}/result.json")
    if path.exists() and not os.access(path, os.W_OK):
        raise typer.BadParameter(f"{path} exists and is not writable")
    parent = path.parent if str(path.parent) else Path(".")
    output_dir(parent)
    return path


def input_file(path: Path | None) -> Path | None:
    """A file to read: present, a file, readable."""
    if path is None:
        return None
    if not path.exists():
        raise typer.BadParameter(f"{path} does not exist")
    if path.is_dir():
        raise typer.BadParameter(f"{path} is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise typer.BadParameter(f"{path} is not readable")
    return path


def text_file(path: Path | None) -> Path | None:
    """A UTF-8 text file to read (e.g. an inference log), checked before any work."""
    if input_file(path) is None:
        return None
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise typer.BadParameter(
            f"{path} is not UTF-8 text (byte {exc.start} cannot be decoded); give the .jsonl "
            "inference log written by `simlab draft`"
        ) from None
    return path
