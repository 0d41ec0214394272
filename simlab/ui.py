"""The workbench: chat -> spec -> live Judge -> run -> certificate -> plots, in one view.

``workbench()`` composes the views of :mod:`simlab.widgets` around the run pipeline
(:func:`simlab.pipeline.certify_spec`). In a notebook, display it and call :meth:`Workbench.run`
(blocking) or press Run (a background thread, so Stop stays responsive). ``simlab app`` serves
the same object as a standalone panel app.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import panel as pn

from simlab.errors import SimlabError, SpecError
from simlab.spec import render
from simlab.spec.model import Spec
from simlab.widgets import (
    CertificateCard,
    ChatSpec,
    GateBoard,
    RunPanel,
    SpecEditor,
    continuation_plot,
    run_convergence_plots,
)
from simlab.widgets.notebook import NotebookView, on_click_after_changes
from simlab.widgets.spec_editor import SpecCheck
from simlab.widgets.view_lock import updates_view

SpecSource = Spec | str | Path | None


def spec_text(source: SpecSource) -> tuple[str, str | None]:
    """The spec.md text and file name of a Spec, a path, a bundled name or spec.md text."""
    if source is None:
        return "", None
    if isinstance(source, Spec):
        return render(source), source.source
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("#")):
        return source, None
    path = Path(source)
    if not path.is_file():
        from simlab.paths import bundled_spec

        path = bundled_spec(str(source))
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from None


class Workbench(NotebookView):
    """Chat + spec editor, gate board, run panel, certificate card and plots, wired together."""

    def __init__(
        self,
        spec: SpecSource = None,
        *,
        planner: Any | str | None = "auto",
        out_dir: str | Path = "runs",
        time_budget: float = 600.0,
        solver: str | None = None,
        link_base: str | None = None,
        height: int = 430,
        coder: Any | None = None,
    ) -> None:
        """``coder`` writes solvers for :meth:`solve_with_claude` (default: a
        :class:`~simlab.execute.ClaudeCoder`, made when first needed; it needs a key)."""
        super().__init__()
        self.coder = coder
        self.session: Any = None
        text, file = spec_text(spec)
        self.out_dir = Path(out_dir)
        self.time_budget = time_budget
        self.solver = solver
        self.editor = SpecEditor(text, file=file, height=height)
        self.gates = GateBoard()
        self.chat = ChatSpec(planner, self.editor, height=height, judge_observers=[self.gates])
        self.runner = RunPanel()
        self.certificate = CertificateCard(link_base=link_base)
        self.plots = pn.pane.HoloViews(None, sizing_mode="stretch_width", min_height=50)
        self.result: Any = None
        self.error: SimlabError | None = None
        self._thread: threading.Thread | None = None
        on_click_after_changes(self.runner.run_button, self.start)
        self.solve_button = pn.widgets.Button(
            label="Claude writes the solver", color="default", width=230
        )
        on_click_after_changes(self.solve_button, lambda: self.start(self._solve_quietly))

    # ---------------------------------------------------------------- actions

    def describe(self, request: str) -> Any:
        """Ask the planner for a spec (it appears in the editor); return its draft."""
        return self.chat.ask(request)

    def load(self, spec: SpecSource) -> SpecCheck:
        """Put a spec (object, file, bundled name or text) into the editor and validate it."""
        text, file = spec_text(spec)
        return self.editor.load(text, file)

    def run(self) -> Any:
        """Judge, solve and certify the editor's spec now; return the RunResult.

        Returns None when the run was stopped; raises the SimlabError of a failed run after
        showing it.
        """
        from simlab.certify.study import RunCancelled
        from simlab.pipeline import certify_spec, write_run

        spec = self.editor.spec
        self._clear_results()
        self.result, self.error = None, None
        if spec is None:
            err = SpecError("the editor holds no readable spec", hint="fix the marked lines")
            self._failed(err)
            raise err
        self.runner.begin()
        try:
            result = certify_spec(
                spec,
                solver_name=self.solver,
                progress=self.runner.progress,
                judge_observers=[self.gates],
                should_stop=self.runner.should_stop,
                time_budget=self.time_budget,
            )
            log = self.chat.inference_log()
            write_run(result, self.out_dir, {"inference.jsonl": log} if log else None)
        except RunCancelled:
            self.runner.end("STOPPED", "stopped by the user; nothing was certified")
            self.certificate.show_message("STOPPED", "the run was stopped before it finished")
            return None
        except SimlabError as exc:
            self._failed(exc)
            raise
        self._show(result)
        return result

    def solve_with_claude(self, rounds: int = 3) -> Any:
        """The Execute agent on the editor's spec: Claude writes a solver, simlab certifies
        it in the sandbox, up to ``rounds`` rounds; the session is bundled. Returns it."""
        from simlab.execute import ClaudeCoder, run_session, write_session

        spec = self.editor.spec
        self.certificate.clear()
        self.session, self.error = None, None
        if spec is None:
            err = SpecError("the editor holds no readable spec", hint="fix the marked lines")
            self._failed(err)
            raise err
        self.runner.begin("asking Claude for a solver")
        self._solving(True)
        try:
            coder = self.coder if self.coder is not None else ClaudeCoder()
            self.coder = coder
            session = run_session(
                spec,
                coder,
                max_rounds=rounds,
                progress=lambda text: self.runner._say("RUNNING", text),
            )
            bundle = write_session(session, self.out_dir)
        except SimlabError as exc:
            self._failed(exc)
            raise
        finally:
            self._solving(False)
        self.session = session
        status = session.final.status if session.final else "REJECT"
        lines = "; ".join(f"round {r.number}: {r.status}" for r in session.rounds)
        self.certificate.show_message(status, f"{session.outcome()} ({lines}); bundle {bundle}")
        self.runner.end(status, f"{session.outcome()}; bundle {bundle}")
        return session

    def start(self, target: Any = None) -> threading.Thread:
        """Run in a background thread (the Run button); Stop asks it to end before a solve."""
        if self._thread is not None and self._thread.is_alive():
            return self._thread
        self._thread = threading.Thread(
            target=target or self._run_quietly, name="simlab-run", daemon=True
        )
        self._thread.start()
        return self._thread

    def wait(self, timeout: float | None = None) -> Any:
        """Wait for a background run; return its RunResult (None if stopped or failed)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.result

    # ---------------------------------------------------------------- view

    def __panel__(self) -> pn.viewable.Viewable:
        header = pn.pane.HTML(
            "<h2 style='margin:4px 0'>simlab workbench</h2><div>Describe a problem or edit the "
            "spec.md; the Judge checks it before anything runs, the run comes back with its "
            "certificate.</div>",
            sizing_mode="stretch_width",
        )
        return pn.Column(
            header,
            self.chat,
            pn.Row(
                pn.Column(self.gates, sizing_mode="stretch_width"),
                pn.Column(
                    self.runner, self.solve_button, self.certificate, sizing_mode="stretch_width"
                ),
                sizing_mode="stretch_width",
            ),
            self.plots,
            sizing_mode="stretch_width",
            css_classes=["simlab-workbench"],
        )

    # ---------------------------------------------------------------- internals

    def _run_quietly(self) -> None:
        try:
            self.run()
        except SimlabError as exc:  # already shown on the card
            self.error = exc

    def _solve_quietly(self) -> None:
        try:
            self.solve_with_claude()
        except SimlabError as exc:  # already shown on the card
            self.error = exc

    @updates_view
    def _clear_results(self) -> None:
        self.gates.reset()
        self.certificate.clear()
        self.plots.object = None

    @updates_view
    def _solving(self, busy: bool) -> None:
        self.solve_button.disabled = busy

    @updates_view
    def _failed(self, exc: SimlabError) -> None:
        self.error = exc
        self.runner.end("ERROR", str(exc))
        self.certificate.show_message("ERROR", str(exc))

    @updates_view
    def _show(self, result: Any) -> None:
        self.result = result
        if result.judge is not None and self.gates.report is None:
            self.gates.show_report(result.judge)
        self.certificate.show(result)
        figures = run_convergence_plots(result)
        branches = getattr(result, "continuation", None)
        if branches:
            value = getattr(result, "continuation_parameter", None)
            cont = continuation_plot(branches, value)
            figures = cont if figures is None else (figures + cont).cols(2)
        self.plots.object = figures
        cert = result.certificate
        total = result.timings.get("total", 0.0)
        self.runner.end(
            cert.status.value,
            f"{cert.status.value} in {total:.2f} s; bundle {result.bundle}",
        )


def workbench(spec: SpecSource = None, **options: Any) -> Workbench:
    """A workbench, optionally preloaded with a spec (object, path, ``"dev/heat_1d"`` or text)."""
    return Workbench(spec, **options)
