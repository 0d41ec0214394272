"""The sweep panel: a progress bar over a sweep's points and its rows as they arrive.

It plugs into :func:`simlab.sweep.run_sweep` as ``progress=panel.progress`` and
``on_result=panel.add``; :meth:`SweepPanel.run` does both and returns the sweep's result.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import panel as pn

from simlab.widgets.notebook import NotebookView
from simlab.widgets.style import badge, esc
from simlab.widgets.view_lock import updates_view


class SweepPanel(NotebookView):
    """Progress over the points, a PASS / FLAG / REJECT tally and the table of finished rows."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.bar = pn.indicators.Progress(value=0, max=1, sizing_mode="stretch_width", height=18)
        self.status = pn.pane.HTML("ready", sizing_mode="stretch_width")
        self.rows: list[dict[str, Any]] = []
        self.table = pn.pane.DataFrame(pd.DataFrame(), sizing_mode="stretch_width", max_rows=20)

    @updates_view
    def progress(self, done: int, total: int) -> None:
        """``Progress`` of the sweep: ``done`` of ``total`` points finished."""
        self.bar.max = max(total, 1)
        self.bar.value = min(done, self.bar.max)
        tally = Counter(r["status"] for r in self.rows)
        shown = " ".join(f"{badge(k)} {v}" for k, v in sorted(tally.items()))
        self.status.object = f"{done} of {total} points {shown}"

    @updates_view
    def add(self, row: dict[str, Any], _client: Any = None) -> None:
        """One finished point (``on_result`` of the sweep)."""
        self.rows.append(row)
        flat = [
            {**r["inputs"], "status": r["status"], "bundle": r.get("bundle_id")} for r in self.rows
        ]
        self.table.object = pd.DataFrame(flat)

    def run(self, spec: Any, ranges: Any, **kwargs: Any) -> Any:
        """Run :func:`simlab.sweep.run_sweep` with this panel as its progress and row view."""
        from simlab.sweep import run_sweep

        try:
            result = run_sweep(spec, ranges, progress=self.progress, on_result=self.add, **kwargs)
        except Exception as exc:
            self._say_error(exc)
            raise
        self.progress(int(result.points.shape[0]), result.total)
        return result

    @updates_view
    def _say_error(self, exc: Exception) -> None:
        self.status.object = f"{badge('ERROR')} {esc(str(exc))}"

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.bar, self.status, self.table, sizing_mode="stretch_width")
