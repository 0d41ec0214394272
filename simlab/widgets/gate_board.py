"""The gate board: the Judge's five gates light up one by one as its live events arrive.

The board is a Judge observer (``judge(spec, observers=[board])``): it is called with each
:mod:`simlab.judge.events` event and shows what the event carries (status, condition, reason,
numbers, findings). It decides nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import panel as pn

from simlab.widgets.notebook import NotebookView
from simlab.widgets.style import badge, esc, number, status_text
from simlab.widgets.view_lock import updates_view

DEFAULT_SLOTS = 5


def judge_gates() -> list[tuple[str, str]]:
    """The Judge's gates as ``(id, title)`` in running order (empty if it does not say)."""
    try:
        from simlab.judge.runner import GATES
    except ImportError:
        return []
    return [(gate[0], gate[1]) for gate in GATES]


@dataclass
class GateState:
    """What the board currently shows for one gate."""

    slot: int
    gate: str | None = None
    title: str = ""
    status: str = "PENDING"
    condition: str = ""
    message: str = "waiting"
    verdict: Any = None
    details: list[str] = field(default_factory=list)


class GateBoard(NotebookView):
    """Five (or ``total``) gate rows, each expandable to the numbers and findings behind it."""

    def __init__(self, gates: Sequence[tuple[str, str]] | None = None, **params: Any) -> None:
        """``gates``: the Judge's ``(id, title)`` list, to name the rows before it runs."""
        super().__init__(**params)
        self._names = list(gates) if gates else judge_gates()
        self.states = [GateState(i) for i in range(len(self._names) or DEFAULT_SLOTS)]
        self._name_rows()
        self.report: Any = None
        self.events: list[Any] = []
        self._summary = pn.pane.HTML(_summary_html(None), sizing_mode="stretch_width")
        self._cards = [self._new_card(s) for s in self.states]
        self._layout = pn.Column(
            pn.pane.HTML("<h3 style='margin:4px 0'>Judge · five gates</h3>"),
            *self._cards,
            self._summary,
            sizing_mode="stretch_width",
            css_classes=["simlab-gate-board"],
        )

    # ---------------------------------------------------------------- observer

    @updates_view
    def __call__(self, event: Any) -> None:
        """Receive one Judge event (GateStarted, GateFinished or JudgeDone)."""
        self.events.append(event)
        kind = type(event).__name__
        if kind == "GateStarted":
            state = self._slot(event.gate)
            state.title = event.title
            state.status, state.message = "RUNNING", "running…"
            self._render(state)
        elif kind == "GateFinished":
            self._finish(event.verdict)
        elif kind == "JudgeDone":
            self.show_report(event.report)

    @updates_view
    def reset(self) -> None:
        """Back to five waiting gates (before a new run)."""
        self.report = None
        self.events.clear()
        for state in self.states:
            state.__init__(state.slot)  # type: ignore[misc]
        self._name_rows()
        for state in self.states:
            self._render(state)
        self._summary.object = _summary_html(None)

    @updates_view
    def show_report(self, report: Any) -> None:
        """Show a finished report (also when no live events were received)."""
        for verdict in report.verdicts:
            state = self._slot(verdict.gate)
            if state.verdict is None:
                self._finish(verdict)
        self.report = report
        self._summary.object = _summary_html(report)

    @property
    def statuses(self) -> list[str]:
        """The status word shown in each row (``PENDING`` before its gate ran)."""
        return [s.status for s in self.states]

    def __panel__(self) -> pn.viewable.Viewable:
        return self._layout

    # ---------------------------------------------------------------- internals

    def _name_rows(self) -> None:
        for state, (gate, title) in zip(self.states, self._names, strict=False):
            state.gate, state.title = gate, title

    def _slot(self, gate: str) -> GateState:
        for state in self.states:
            if state.gate == gate:
                return state
        free = [s for s in self.states if s.gate is None]
        if not free:  # more gates than slots: grow the board
            state = GateState(len(self.states))
            self.states.append(state)
            card = self._new_card(state)
            self._cards.append(card)
            self._layout.insert(len(self._layout) - 1, card)
            free = [state]
        state = free[0]  # gates take the rows in the order they report (index base may differ)
        state.gate = gate
        return state

    def _finish(self, verdict: Any) -> None:
        state = self._slot(verdict.gate)
        state.verdict = verdict
        state.title = verdict.title
        state.status = status_text(verdict.status)
        state.condition = str(verdict.condition)
        state.message = verdict.message
        self._render(state)

    def _new_card(self, state: GateState) -> pn.Card:
        return pn.Card(
            pn.pane.HTML(_details_html(state), sizing_mode="stretch_width"),
            header=pn.pane.HTML(_header_html(state), sizing_mode="stretch_width", align="start"),
            collapsed=True,
            sizing_mode="stretch_width",
            margin=(2, 0),
        )

    def _render(self, state: GateState) -> None:
        card = self._cards[state.slot]
        card.header.object = _header_html(state)
        card[0].object = _details_html(state)


def _header_html(state: GateState) -> str:
    title = esc(state.title or f"gate {state.slot + 1}")
    condition = f" <b>[{esc(state.condition)}]</b>" if state.condition else ""
    return (
        f'<div class="simlab-gate" data-gate="{esc(state.gate or "")}" '
        f'data-status="{state.status}" style="text-align:left">{badge(state.status)} '
        f"<b>{state.slot + 1}. {title}</b>{condition} — {esc(state.message)}</div>"
    )


def _details_html(state: GateState) -> str:
    v = state.verdict
    if v is None:
        return f"<i>{esc(state.message)}</i>"
    rows = "".join(
        f"<tr><td>{esc(k)}</td><td>{number(val) if not isinstance(val, (list, dict)) else esc(val)}"
        "</td></tr>"
        for k, val in (v.numbers or {}).items()
    )
    numbers = f"<table class='simlab-numbers'>{rows}</table>" if rows else ""
    findings = []
    for f in v.findings:
        fix = f"<br><i>fix:</i> {esc(f.fix)}" if f.fix else ""
        where = f" <small>({esc(f.where)})</small>" if f.where else ""
        findings.append(
            f"<li>{badge(f.status)} [{esc(f.condition)}] {esc(f.message)}{where}{fix}</li>"
        )
    listing = f"<ul style='padding-left:18px'>{''.join(findings)}</ul>" if findings else ""
    conditions = ", ".join(v.conditions) if v.conditions else v.condition
    return (
        f"<div><b>conditions:</b> {esc(conditions)} · <b>time:</b> {v.elapsed_ms:.1f} ms"
        f"{numbers}{listing}</div>"
    )


def _summary_html(report: Any) -> str:
    if report is None:
        return '<div class="simlab-judge-summary" data-status="PENDING"></div>'
    verdict = "PASS" if report.accepted else "REJECT"
    parts = [f"{badge(verdict, 'accepted' if report.accepted else 'rejected')}"]
    if report.classification is not None:
        c = report.classification
        parts.append(f"{esc(c.description)} → solver family <b>{esc(c.family)}</b>")
    cert = report.rejection_certificate()
    fixes = ""
    if cert is not None:
        parts.append(f"violates <b>{esc(', '.join(cert.conditions))}</b>")
        fixes = "".join(
            f"<li>[{esc(v.condition)}] {esc(v.gate)}: {esc(v.message)}"
            + (f"<br><i>fix:</i> {esc(v.fix)}" if v.fix else "")
            + "</li>"
            for v in cert.violations
        )
        fixes = f"<ul style='padding-left:18px'>{fixes}</ul>"
    return (
        f'<div class="simlab-judge-summary" data-status="{verdict}">{" · ".join(parts)}'
        f"{fixes}</div>"
    )
