"""The run panel: a progress bar over the convergence study and a button to stop it.

It plugs into :func:`simlab.pipeline.certify_spec` as ``progress=panel.progress`` and
``should_stop=panel.should_stop``; the study checks ``should_stop`` before every solve.
"""

from __future__ import annotations

import threading
from typing import Any

import panel as pn

from simlab.widgets.notebook import NotebookView
from simlab.widgets.style import badge, esc
from simlab.widgets.view_lock import updates_view


class RunPanel(NotebookView):
    """Run / Stop buttons, the study's progress bar and a one-line status."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self._stop = threading.Event()
        self.round = 0
        self.solves = 0
        self.state = "IDLE"
        self._last_index = -1
        self.run_button = pn.widgets.Button(label="Run", color="primary", width=110)
        self.stop_button = pn.widgets.Button(label="Stop", color="danger", width=110, disabled=True)
        self.stop_button.on_click(lambda _event: self.request_stop())
        self.bar = pn.indicators.Progress(value=0, max=3, sizing_mode="stretch_width", height=18)
        self.status = pn.pane.HTML(_status_html("IDLE", "ready"), sizing_mode="stretch_width")

    # ---------------------------------------------------------------- pipeline hooks

    @updates_view
    def progress(self, kind: str, index: int, total: int, seconds: float) -> None:
        """``ProgressFn`` of the study: ``("solve" | "solved", index, total, seconds)``."""
        if kind == "solve":
            if index <= self._last_index or self.round == 0:
                self.round += 1
                self.bar.value = index
            self._last_index = index
            self.bar.max = max(total, 1)
            self._say("RUNNING", f"round {self.round}: solving grid {index + 1} of {total}")
        elif kind == "solved":
            self.solves += 1
            self.bar.max = max(total, 1)
            self.bar.value = min(index, self.bar.max)
            self._say(
                "RUNNING",
                f"round {self.round}: grid {index} of {total} solved in {seconds:.2f} s "
                f"({self.solves} solves so far)",
            )

    def should_stop(self) -> bool:
        """True once the user pressed Stop."""
        return self._stop.is_set()

    # ---------------------------------------------------------------- lifecycle

    @updates_view
    def begin(self, what: str = "judging the spec") -> None:
        """A run starts: reset the bar, enable Stop."""
        self._stop.clear()
        self.round = self.solves = 0
        self._last_index = -1
        self.bar.value = 0
        self.bar.max = 3
        self.run_button.disabled = True
        self.stop_button.disabled = False
        self._say("RUNNING", what)

    @updates_view
    def end(self, state: str, message: str) -> None:
        """A run ended (``PASS``, ``FLAG``, ``REJECT``, ``STOPPED`` or ``ERROR``)."""
        if state in ("PASS", "FLAG"):
            self.bar.value = self.bar.max
        self.run_button.disabled = False
        self.stop_button.disabled = True
        self._say(state, message)

    @updates_view
    def request_stop(self) -> None:
        """Ask the running study to stop before its next solve (nothing to do after it ended)."""
        if self.state != "RUNNING":
            self.stop_button.disabled = True
            return
        self._stop.set()
        self.stop_button.disabled = True
        self._say("STOPPED", "stopping before the next solve…")

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(
            pn.Row(self.run_button, self.stop_button),
            self.bar,
            self.status,
            sizing_mode="stretch_width",
        )

    @updates_view
    def _say(self, state: str, message: str) -> None:
        self.state = state
        self.status.object = _status_html(state, message)


def _status_html(state: str, message: str) -> str:
    shown = "" if state == "IDLE" else badge(state) + " "
    return f'<div class="simlab-run-status" data-state="{state}">{shown}{esc(message)}</div>'
