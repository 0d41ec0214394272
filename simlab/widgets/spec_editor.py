"""The spec.md editor: edit the text, see it re-validated as you type, problems marked by line.

The checking itself is the spec layer's (:func:`simlab.spec.parse`, :func:`validate`); this view
only shows its answer: Ace annotations in the gutter and a list of problems with their fixes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import panel as pn
import param

from simlab.errors import SpecError
from simlab.spec import parse
from simlab.spec.model import Spec
from simlab.spec.validate import Problem, validate
from simlab.widgets.notebook import NotebookView
from simlab.widgets.style import badge, esc
from simlab.widgets.view_lock import updates_view

_ACE_TYPE = {"error": "error", "unverifiable": "warning", "note": "info"}


@dataclass
class SpecCheck:
    """What the spec layer says about one version of the text."""

    spec: Spec | None
    problems: list[Problem] = field(default_factory=list)
    error: SpecError | None = None

    @property
    def valid(self) -> bool:
        return self.spec is not None and not any(p.severity == "error" for p in self.problems)

    @property
    def machine_checkable(self) -> bool:
        return self.valid and not any(p.severity == "unverifiable" for p in self.problems)

    @property
    def status(self) -> str:
        if self.error is not None or not self.valid:
            return "FAIL"
        return "PASS" if self.machine_checkable else "WARN"


def check_text(text: str, file: str | None = None) -> SpecCheck:
    """Parse and validate ``text`` (a parse error becomes one located problem, never a raise)."""
    try:
        spec = parse(text, file=file)
    except SpecError as exc:
        problem = Problem(exc.section or "spec", exc.message, "error", exc.line, exc.hint)
        return SpecCheck(None, [problem], exc)
    return SpecCheck(spec, list(validate(spec, text).problems))


def annotations(check: SpecCheck) -> list[dict]:
    """Ace editor annotations (0-based rows) for every located problem."""
    return [
        {
            "row": max(p.line - 1, 0),
            "column": 0,
            "text": p.message + (f"\nfix: {p.hint}" if p.hint else ""),
            "type": _ACE_TYPE.get(p.severity, "info"),
        }
        for p in check.problems
        if p.line is not None
    ]


def problems_html(check: SpecCheck) -> str:
    """The problems as an HTML list, each with its line, section and fix."""
    if check.error is not None:
        head = f"{badge('FAIL', 'cannot be read')} the text is not a readable spec.md"
    elif not check.valid:
        head = f"{badge('FAIL', 'invalid')} the spec breaks a validity rule"
    elif not check.machine_checkable:
        head = f"{badge('WARN', 'valid')} valid, but not every part is machine-checkable"
    else:
        head = f"{badge('PASS', 'valid')} valid and machine-checkable"
    items = []
    for p in sorted(check.problems, key=lambda p: p.line or 0):
        where = f"line {p.line}" if p.line is not None else "—"
        fix = f"<br><i>fix:</i> {esc(p.hint.splitlines()[0])}" if p.hint else ""
        items.append(
            f'<li class="simlab-problem" data-severity="{esc(p.severity)}">'
            f"<b>{where}</b> · {esc(p.section)} · <i>{esc(p.severity)}</i>: "
            f"{esc(p.message)}{fix}</li>"
        )
    body = f"<ul style='margin:4px 0;padding-left:18px'>{''.join(items)}</ul>" if items else ""
    return f'<div class="simlab-spec-check" data-status="{check.status}">{head}{body}</div>'


class SpecEditor(NotebookView):
    """An editable spec.md with live validation; ``spec`` is the parsed Spec or None."""

    text = param.String(default="", doc="the spec.md text")

    def __init__(self, text: str = "", *, height: int = 480, file: str | None = None, **params):
        super().__init__(text=text, **params)
        self._file = file
        self._listeners: list[Callable[[SpecCheck], None]] = []
        self.editor = pn.widgets.CodeEditor(
            value=text,
            language="markdown",
            theme="chrome",
            sizing_mode="stretch_width",
            height=height,
            # the editor sends ``value_input`` on every key press; ``value`` only on blur, so the
            # server never echoes a stale ``value`` back into the editor while someone types
            on_keyup=False,
        )
        self.report = pn.pane.HTML("", sizing_mode="stretch_width")
        self.check = check_text(text, file) if text else SpecCheck(None)
        self.editor.param.watch(self._on_edit, "value_input")
        self.param.watch(self._on_text, "text")
        self._show(self.check)

    # ---------------------------------------------------------------- public

    @property
    def spec(self) -> Spec | None:
        """The Spec of the current text, or None while it cannot be read."""
        return self.check.spec

    def on_change(self, callback: Callable[[SpecCheck], None]) -> None:
        """Call ``callback(check)`` after every re-validation."""
        self._listeners.append(callback)

    def load(self, text: str, file: str | None = None) -> SpecCheck:
        """Replace the text (e.g. with a drafted spec) and validate it."""
        self._file = file
        self.text = text
        return self.check

    def __panel__(self) -> pn.viewable.Viewable:
        return pn.Column(self.editor, self.report, sizing_mode="stretch_width")

    # ---------------------------------------------------------------- events

    def _on_edit(self, event: param.parameterized.Event) -> None:
        if event.new != self.text:
            self.text = event.new or ""

    @updates_view
    def _on_text(self, event: param.parameterized.Event) -> None:
        text = event.new or ""
        if self.editor.value_input != text:  # set here (load), not typed in the editor
            if self.editor.value == text:
                self.editor.param.trigger("value")
            else:
                self.editor.value = text
        self.check = check_text(text, self._file) if text.strip() else SpecCheck(None)
        self._show(self.check)
        for listener in self._listeners:
            listener(self.check)

    @updates_view
    def _show(self, check: SpecCheck) -> None:
        self.editor.annotations = annotations(check)
        self.report.object = problems_html(check) if self.text.strip() else "<i>no spec yet</i>"
