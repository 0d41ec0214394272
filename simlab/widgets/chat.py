"""Chat -> spec: a chat box on the left, the drafted spec.md beside it (editable, re-validated).

The planner (``simlab.plan``) does the drafting and the Judge checks every draft; this view
keeps the conversation, sends it to them and shows the answer: a judged spec in the editor, a
clarifying question or the Judge's reasons in the chat.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import panel as pn

from simlab.errors import SimlabError
from simlab.widgets.notebook import NotebookView, on_click_after_changes
from simlab.widgets.spec_editor import SpecEditor
from simlab.widgets.view_lock import VIEW_LOCK, updates_view

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
    """A chat whose conversation becomes a judged spec.md in the editor beside it.

    The chat keeps the conversation: after the planner asked a question, the next message is
    an answer, folded into the request where the planner's readers find it (a unit beside the
    number it was asked for, "final time 60 s": :func:`simlab.plan.conversation.fold_answer`),
    and the planner is sent the whole request again (the planner interface stays
    ``draft(text, feedback=...)``). Every draft goes
    through the Judge, and a rejected draft back to the planner with the Judge's reasons
    (:func:`simlab.plan.redesign`, at most ``rounds`` drafts). A planner that streams
    (``on_text``, the Claude planner) writes its reply into the chat as it arrives.

    ``planner`` is a :class:`simlab.plan.Planner`, a name for :func:`default_planner`, or None
    (no drafting: the editor alone). ``judge_observers`` receive the Judge's live events
    (the workbench passes its gate board).
    """

    def __init__(
        self,
        planner: Any | str | None = "auto",
        editor: SpecEditor | None = None,
        *,
        height: int = 480,
        judge: bool = True,
        rounds: int = 3,
        judge_observers: Sequence[Any] = (),
    ) -> None:
        super().__init__()
        self.planner = default_planner(planner) if isinstance(planner, str) else planner
        self.editor = editor or SpecEditor(height=height)
        self.use_judge = judge
        self.rounds = rounds
        self.judge_observers = list(judge_observers)
        self.last_draft: Any | None = None
        self.last_outcome: Any | None = None
        self.turns: list[str] = []  # the user's turns of the request being drafted
        self._request = ""  # those turns as the one text the planner reads
        self.question: Any | None = None  # the planner's open question, if any
        hint = (
            "Describe a problem: the equation, domain, boundary and initial conditions, what to "
            "measure and how accurately. Answer the planner's questions here; the draft is "
            "judged before it reaches the editor."
            if self.planner is not None
            else "No planner is available here: edit the spec.md on the right, or load a file."
        )
        self.messages: list[tuple[str, str]] = []
        self.feed = pn.Column(
            pn.pane.Markdown(f"*{hint}*", sizing_mode="stretch_width"),
            scroll=True,
            auto_scroll_limit=10**6,  # always follow the newest message
            view_latest=True,
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
        on_click_after_changes(self.send_button, self._send_input)
        self.clear_button = pn.widgets.Button(label="New problem", width=110)
        self.clear_button.on_click(lambda _event: self.clear())

    # ---------------------------------------------------------------- public

    def ask(self, message: str) -> Any:
        """Send ``message`` now (blocking): a new request, or the answer to an open question.

        Shows both sides; returns the planner's last draft (a spec or a question) or None.
        """
        from simlab.plan.conversation import fold_answer

        self._post("You", message)
        if self.question is None:
            self.turns, self._request = [], message
        else:
            self._request = fold_answer(self._request, self.question, message)
        self.turns.append(message)
        reply, draft = self._draft(self.request)
        self._post(ASSISTANT, reply)
        return draft

    @property
    def request(self) -> str:
        """The conversation so far as the one text the planner reads (answers folded in)."""
        return self._request

    @updates_view
    def clear(self) -> None:
        """Forget the conversation (the editor keeps its spec)."""
        self.turns, self.question, self.messages, self._request = [], None, [], ""
        del self.feed.objects[1:]

    def inference_log(self) -> str:
        """The planner's recorded exchanges as JSON lines ('' when it records none)."""
        log = getattr(self.planner, "log", None)
        text = log.text() if log is not None and hasattr(log, "text") else ""
        return text

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Row(
            pn.Column(
                pn.Row(
                    pn.pane.HTML("<b>Describe the problem</b>"),
                    pn.layout.HSpacer(),
                    self.clear_button,
                    sizing_mode="stretch_width",
                ),
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
            self._clear_input(request)
            self.ask(request)

    @updates_view
    def _clear_input(self, request: str) -> None:
        # the browser only sent ``value_input``; set ``value`` twice so the box is cleared
        self.input.value = request
        self.input.value = ""

    @updates_view
    def _post(self, who: str, text: str) -> pn.pane.Markdown:
        self.messages.append((who, text))
        mine = who != ASSISTANT
        pane = pn.pane.Markdown(
            f"**{who}:** {text}",
            sizing_mode="stretch_width",
            css_classes=["simlab-chat-message"],
            styles={
                "background": "#eef4fc" if mine else "#f3f5f2",
                "border-radius": "8px",
                "padding": "0 8px",
            },
        )
        self.feed.append(pane)
        return pane

    def _draft(self, request: str) -> tuple[str, Any | None]:
        if self.planner is None:
            return (
                "No planner is available, so nothing was drafted. Write or load a spec.md "
                "in the editor; it is checked as you type."
            ), None
        try:
            with self._streaming():
                outcome = self._plan(request)
        except SimlabError as exc:
            self.question = None
            return f"The planner could not draft a spec: {exc}", None
        self.last_outcome = outcome
        if outcome.status == "question":
            self.question = q = outcome.question
            self.last_draft = q
            missing = ", ".join(q.missing)
            return q.question + (f" (missing: {missing})" if missing else ""), q
        self.question = None
        if outcome.status == "rejected":
            last = next(r.draft for r in reversed(outcome.rounds) if r.draft is not None)
            self.last_draft = last
            self.editor.load(last.text)
            reasons = "; ".join(outcome.reasons) or "see the gate board"
            return (
                f"The Judge rejected the draft after {len(outcome.rounds)} round(s): {reasons}. "
                "The last draft is in the editor: fix it there, or say more here."
            ), last
        draft = outcome.spec
        self.last_draft = draft
        check = self.editor.load(draft.text)
        state = (
            "valid and machine-checkable"
            if check.machine_checkable
            else "not yet machine-checkable: see the marked lines"
        )
        verdict = (
            f"; accepted by the Judge in round {len(outcome.rounds)}" if self.use_judge else ""
        )
        note = f"\n\n{draft.note}" if draft.note else ""
        title = draft.spec.title
        return f"Drafted **{title}** ({state}{verdict}); it is in the editor.{note}", draft

    def _plan(self, request: str) -> Any:
        from simlab.plan import ClarifyingQuestion, PlanOutcome, redesign

        if not self.use_judge:
            draft = self.planner.draft(request)
            if isinstance(draft, ClarifyingQuestion):
                return PlanOutcome("question", (), question=draft)
            return PlanOutcome("accepted", (), spec=draft)
        from simlab.judge import judge

        def judged(spec: Any) -> Any:
            return judge(spec, observers=self.judge_observers)

        return redesign(self.planner, judged, request, max_rounds=self.rounds)

    @contextmanager
    def _streaming(self) -> Iterator[None]:
        """Show a streaming planner's reply in the chat while it arrives."""
        if not hasattr(self.planner, "on_text"):
            yield
            return
        previous = self.planner.on_text
        pane: pn.pane.Markdown | None = None
        received: list[str] = []

        @updates_view
        def show(delta: str) -> None:
            nonlocal pane
            received.append(delta)
            if pane is None:
                pane = self._post(ASSISTANT, "")
                self.messages.pop()  # the final reply is recorded once, below
            pane.object = f"**{ASSISTANT}** (drafting): {''.join(received)}"

        self.planner.on_text = show
        try:
            yield
        finally:
            self.planner.on_text = previous
            if pane is not None:
                with VIEW_LOCK:
                    self.feed.remove(pane)
