"""Shared CLI plumbing: exit codes, error printing, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
import typer

from simlab.errors import SimlabError

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the typer app; any SimlabError becomes a message and exit code 2, never a traceback."""
    try:
        code = app(args=argv, prog_name="simlab", standalone_mode=False)
    except SimlabError as exc:
        print_error(exc)
        return EXIT_ERROR
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # help was printed already
            return EXIT_ERROR
        return _internal(exc)
    return int(code) if isinstance(code, int) else EXIT_OK


def _internal(exc: Exception) -> int:
    """Last line of defence: a bug in simlab is reported in one line, not a traceback."""
    typer.echo(
        f"simlab: internal error ({type(exc).__name__}: {exc}). This is a bug in simlab; "
        "please report it with the command you ran.",
        err=True,
    )
    return EXIT_ERROR


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
