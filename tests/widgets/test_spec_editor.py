"""The spec editor shows the spec layer's verdict on every edit, marked at the right line."""

from __future__ import annotations

import pytest

from simlab.paths import bundled_spec
from simlab.widgets import SpecEditor, check_text
from simlab.widgets.spec_editor import annotations

HEAT = bundled_spec("dev/heat_1d").read_text(encoding="utf-8")

# (edit, expected status, text of the line that must be marked)
EDITS = [
    ("  - diff(u, t) = kappa*diff(u, x, 2)", "  - the rod cools down by diffusion", "FAIL"),
    ("  u0: 1 K", "  u0: [1 K", "FAIL"),
    ("  kappa: 0.5 m^2/s ", "  kappa: 0.5 ", "WARN"),
]


def test_bundled_spec_is_clean():
    check = check_text(HEAT)
    assert check.status == "PASS" and check.spec is not None and not check.problems


@pytest.mark.parametrize(("old", "new", "status"), EDITS)
def test_problem_marked_on_its_line(old, new, status):
    assert old in HEAT
    text = HEAT.replace(old, new)
    check = check_text(text)
    assert check.status == status
    marks = annotations(check)
    assert marks, "every located problem becomes an annotation"
    lines = text.splitlines()
    assert any(lines[m["row"]].startswith(new.rstrip()) for m in marks), marks
    kinds = {m["type"] for m in marks}
    assert kinds == ({"error"} if status == "FAIL" else {"warning"})


def test_typing_revalidates_and_recovers():
    editor = SpecEditor(HEAT)
    seen = []
    editor.on_change(seen.append)
    assert editor.spec is not None and editor.editor.annotations == []
    broken = HEAT.replace("  u0: 1 K", "  u0: [1 K")
    editor.editor.value_input = broken  # what a keystroke in the browser sets
    assert editor.text == broken and editor.spec is None
    assert editor.editor.annotations and editor.editor.annotations[0]["type"] == "error"
    assert 'data-status="FAIL"' in editor.report.object
    editor.editor.value_input = HEAT
    assert editor.spec is not None and editor.spec.title == "Heat equation in 1D"
    assert editor.editor.annotations == []
    assert [c.status for c in seen] == ["FAIL", "PASS"]


def test_load_replaces_text_and_editor_value():
    editor = SpecEditor()
    assert editor.spec is None and "no spec yet" in editor.report.object
    check = editor.load(HEAT)
    assert check.status == "PASS" and editor.editor.value == HEAT


def test_empty_text_is_not_an_error():
    check = check_text("")
    assert check.status == "FAIL" and check.spec is None and check.problems
    assert SpecEditor("").spec is None


def test_loading_the_original_text_after_typing_resets_the_editor():
    editor = SpecEditor(HEAT)
    editor.editor.value_input = HEAT + "\nresolution: 5"  # typed; ``value`` is still HEAT
    assert editor.spec is None and editor.editor.value == HEAT
    editor.load(HEAT)
    assert editor.editor.value_input == HEAT and editor.spec is not None
