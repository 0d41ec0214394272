"""Chat -> spec: a chat box on the left, the drafted spec.md beside it (editable, re-validated).

The planner (``simlab.plan``) does the drafting; this view sends it the request and loads its
answer, a :class:`~simlab.plan.types.SpecDraft` or a clarifying question, into the editor or
the chat.
"""

from __future__ import annotations

import os
from typing import Any

import panel as pn

from simlab.errors import SimlabError
from simlab.widgets.notebook import NotebookView
from simlab.widgets.spec_editor import SpecEditor

ASSISTANT = "simlab"


PLANNERS = ("auto", "offline", "claude")


def default_planner(kind: str = "auto") -> Any | None:
    """A planner from :mod:`simlab.plan`: ``"offline"`` (deterministic drafter), ``"claude"``
    (needs ANTHROPIC_API_KEY) or ``"auto"`` (Claude when a key is set, else offline).

    Returns None when the planner cannot be built here (e.g. ``"claude"`` without a key).
    """
    if kind not in PLANNERS:
        raise SimlabError(f"unknown planner {kind!r}", hint=f"choose one of {', '.join(PLANNERS)}")
    try:
        from simlab import plan
    except ImportError:
        return None
    if kind == "auto":
        kind = "claude" if os.environ.get("ANTHROPIC_API_KEY") else "offline"
    try:
        return plan.ClaudePlanner() if kind == "claude" else plan.OfflinePlanner()
    except SimlabError:
        return None


class ChatSpec(NotebookView):
    """A chat box whose requests become a spec.md in the editor beside it.

    ``planner`` is a :class:`simlab.plan.Planner`, a name for :func:`default_planner`, or None
    (no drafting: the editor alone).
    """

    def __init__(
        self,
        planner: Any | str | None = "auto",
        editor: SpecEditor | None = None,
        *,
        height: int = 480,
    ) -> None:
        super().__init__()
        self.planner = default_planner(planner) if isinstance(planner, str) else planner
        self.editor = editor or SpecEditor(height=height)
        self.last_draft: Any | None = None
        hint = (
            "Describe a problem: the equation, domain, boundary and initial conditions, what to "
            "measure and how accurately."
            if self.planner is not None
            else "No planner is available here: edit the spec.md on the right, or load a file."
        )
        self.messages: list[tuple[str, str]] = []
        self.feed = pn.Column(
            pn.pane.Markdown(f"*{hint}*", sizing_mode="stretch_width"),
            scroll=True,
            height=height - 110,
            sizing_mode="stretch_width",
            css_classes=["simlab-chat-feed"],
        )
        self.input = pn.widgets.TextAreaInput(
            placeholder="e.g. heat in a 2 m rod, kappa 0.5 m^2/s, ends at 0 K, sine start; "
            "u at x = 1 m, t = 0.5 s to 1e-4",
            rows=3,
            sizing_mode="stretch_width",
        )
        self.send_button = pn.widgets.Button(label="Send", color="primary", width=90)
        self.send_button.on_click(lambda _event: self._send_input())

    def ask(self, request: str) -> Any:
        """Send ``request`` to the planner now (blocking); show both sides; return the draft."""
        self._post("You", request)
        reply, draft = self._draft(request)
        self._post(ASSISTANT, reply)
        return draft

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Row(
            pn.Column(
                pn.pane.HTML("<b>Describe the problem</b>"),
                self.feed,
                pn.Row(self.input, self.send_button, sizing_mode="stretch_width"),
                sizing_mode="stretch_width",
            ),
            pn.Column(self.editor, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    # ---------------------------------------------------------------- internals

    def _send_input(self) -> None:
        request = (self.input.value_input or self.input.value or "").strip()
        if request:
            self.input.value = ""
            self.ask(request)

    def _post(self, who: str, text: str) -> None:
        self.messages.append((who, text))
        mine = who != ASSISTANT
        self.feed.append(
            pn.pane.Markdown(
                f"**{who}:** {text}",
                sizing_mode="stretch_width",
                css_classes=["simlab-chat-message"],
                styles={
                    "background": "#eef4fc" if mine else "#f3f5f2",
                    "border-radius": "8px",
                    "padding": "0 8px",
                },
            )
        )

    def _draft(self, request: str) -> tuple[str, Any | None]:
        if self.planner is None:
            return (
                "No planner is available, so nothing was drafted. Write or load a spec.md "
                "in the editor; it is checked as you type."
            ), None
        try:
            draft = self.planner.draft(request)
        except SimlabError as exc:
            return f"The planner could not draft a spec: {exc}", None
        self.last_draft = draft
        if getattr(draft, "kind", None) == "question":
            missing = ", ".join(draft.missing)
            return f"{draft.question}" + (f" (missing: {missing})" if missing else ""), draft
        check = self.editor.load(draft.text)
        state = (
            "valid and machine-checkable"
            if check.machine_checkable
            else "not yet machine-checkable: see the marked lines"
        )
        note = f"\n\n{draft.note}" if draft.note else ""
        return f"Drafted **{draft.spec.title}** ({state}); it is in the editor.{note}", draft
