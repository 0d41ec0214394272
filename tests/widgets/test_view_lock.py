"""A browser message handled on another thread never discards a view update (JupyterLab's
subshells): what panel sends for each gate row is what the kernel's row holds."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from bokeh.document import Document
from panel.io.model import add_to_doc
from panel.models.comm_manager import CommManager
from panel.viewable import MimeRenderMixin
from pyviz_comms import Comm

from simlab.judge.events import GateFinished, GateStarted, JudgeDone, notify
from simlab.widgets import GateBoard
from simlab.widgets.view_lock import guard_browser_messages
from tests.widgets.conftest import report_of, verdicts


class BrowserEnd(Comm):
    """An open comm that keeps, per model, the last ``text`` panel sent (what a browser shows)."""

    def __init__(self) -> None:
        super().__init__()
        self._comm = True  # open: panel sends at once
        self.texts: dict[str, str] = {}

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        content = json.loads(data) if data is not None else None
        if isinstance(content, dict):
            for event in content.get("events", []):
                if event.get("kind") == "ModelChanged" and event.get("attr") == "text":
                    self.texts[event["model"]["id"]] = event["new"]


@pytest.fixture
def shown_board(monkeypatch):
    """A gate board shown as in a notebook (a held document and a comm), panel's message
    handler guarded for this test only; the view is removed from panel's registry after."""
    monkeypatch.setattr(MimeRenderMixin, "_on_msg", MimeRenderMixin._on_msg)  # restored after
    guard_browser_messages()
    board = GateBoard()
    layout = board.__panel__()
    doc, comm = Document(), BrowserEnd()
    root = layout.get_root(doc, comm)
    add_to_doc(root, doc, True)  # as panel's notebook display does: changes are collected
    try:
        yield board, layout, root, comm
    finally:
        layout._cleanup(root)


def test_a_browser_message_during_an_update_does_not_lose_it(shown_board, monkeypatch):
    """The interleaving traced in JupyterLab, made certain: a browser message (an echo, as
    the page sends after each update) is handled on another thread between a row's change
    and its sending. Without the lock, panel's handling released the document's hold and the
    change was dispatched into nothing: the page kept RUNNING while the kernel held PASS."""
    import panel.pane.base

    board, layout, root, comm = shown_board
    ref = root.ref["id"]
    manager = CommManager(comm_id=comm.id, plot_id=ref)
    echo = {"id": board._summary._models[ref][0].id}
    updating = threading.current_thread()
    push = panel.pane.base.push
    handlers: list[threading.Thread] = []

    def browser_message() -> None:
        msg = {
            "header": {"msgid": "echo", "msgtype": "PATCH-DOC"},
            "metadata": {},
            "content": {
                "events": [{"kind": "ModelChanged", "model": echo, "attr": "visible", "new": True}]
            },
            "_buffers": {},
        }
        layout._on_msg(ref, manager, msg)

    def push_after_a_browser_message(doc: Any, comm_: Any, *args: Any, **kwargs: Any) -> None:
        if threading.current_thread() is updating:
            handler = threading.Thread(target=browser_message)
            handlers.append(handler)
            handler.start()
            handler.join(0.05)  # it runs now, or waits for this update to be sent
        push(doc, comm_, *args, **kwargs)

    monkeypatch.setattr(panel.pane.base, "push", push_after_a_browser_message)
    vs = verdicts(None)
    shown: list[str] = []  # each row's status, and whether the comm carried it
    for i, v in enumerate(vs):
        for event in (GateStarted(v.gate, v.title, i, len(vs)), GateFinished(v, i, len(vs))):
            notify([board], event)
            row = board._cards[i].header._models[ref][0]
            sent = comm.texts.get(row.id) == row.text
            shown.append(board.statuses[i] + ("" if sent else " (not sent)"))
    notify([board], JudgeDone(report_of(vs)))
    for handler in handlers:
        handler.join(10)
    assert shown == ["RUNNING", "PASS"] * len(vs)
    summary = board._summary._models[ref][0]
    assert comm.texts.get(summary.id) == summary.text
