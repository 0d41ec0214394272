"""``simlab app``: the notebook workbench served as a standalone panel app."""

from __future__ import annotations

from pathlib import Path

import typer

from simlab.cli import app
from simlab.cli.common import output_dir, positive_seconds
from simlab.errors import SimlabError
from simlab.paths import DEFAULT_SPEC

BUNDLE_ROUTE = "runs"


def make_app(spec: Path | None, out: Path, time_budget: float, planner: str = "auto"):
    """A panel app factory: every browser session gets its own workbench."""
    from simlab.ui import workbench

    def session():
        return workbench(
            spec,
            planner=planner,
            out_dir=out,
            time_budget=time_budget,
            link_base=f"/{BUNDLE_ROUTE}",
        ).__panel__()

    return session


@app.command("app")
def app_cmd(
    spec: Path = typer.Argument(
        DEFAULT_SPEC, help="spec.md to preload (default: heat 1D)", metavar="FILE"
    ),
    port: int = typer.Option(
        5006, "--port", min=0, max=65535, help="port to listen on (0: any free port)"
    ),
    address: str = typer.Option("127.0.0.1", "--address", help="address to bind"),
    show: bool = typer.Option(False, "--show/--no-show", help="open a browser tab"),
    out: Path = typer.Option(
        Path("runs"), "--out", help="folder for run bundles", callback=output_dir
    ),
    time_budget: float = typer.Option(
        600.0, "--time-budget", help="seconds for a study (> 0)", callback=positive_seconds
    ),
    planner: str = typer.Option(
        "auto",
        "--planner",
        help="auto (Claude with ANTHROPIC_API_KEY, else offline), offline, claude",
    ),
) -> None:
    """Serve the workbench (chat -> spec -> live judge -> run -> certificate) as a web app."""
    import panel as pn

    from simlab.widgets.chat import PLANNERS

    if not spec.is_file():
        raise SimlabError("no such file", file=str(spec), hint="give a spec.md to preload")
    if planner not in PLANNERS:
        raise SimlabError(f"unknown planner {planner!r}", hint=f"choose {', '.join(PLANNERS)}")
    out.mkdir(parents=True, exist_ok=True)
    typer.echo(f"simlab app: http://{address}:{port}/  (Ctrl-C to stop; bundles in {out})")
    pn.serve(
        {"/": make_app(spec, out, time_budget, planner)},
        port=port,
        address=address,
        show=show,
        title="simlab workbench",
        static_dirs={BUNDLE_ROUTE: str(out.resolve())},
        websocket_origin=[f"{address}:{port}", f"localhost:{port}"],
        print_url=False,
    )
