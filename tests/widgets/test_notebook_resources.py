"""Offline notebook resources: panel's stylesheets as data: URLs, the front-end script.

The browser tests (tests/browser/test_jupyterlab.py) check the same in JupyterLab; these are
the fast checks of the pieces.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys

from panel.io.resources import CDN_DIST, DIST_DIR, LOCAL_DIST

from simlab.widgets.notebook import frontend_js, local_stylesheet, patient_embed


def decoded(url: str) -> str:
    assert url.startswith("data:text/css;base64,"), url[:60]
    return base64.b64decode(url.split(",", 1)[1]).decode("utf-8")


def test_panel_stylesheets_become_their_installed_copy():
    for prefix in (CDN_DIST, LOCAL_DIST):
        for name in (
            "css/loading.css?v=1",
            "bundled/theme/default.css",
            "bundled/theme/native.css",
        ):
            url = local_stylesheet(prefix + name)
            assert decoded(url) == (DIST_DIR / name.split("?")[0]).read_text(encoding="utf-8")


def test_other_urls_are_left_alone():
    for url in (
        "https://example.org/x.css",
        CDN_DIST + "css/no-such-sheet.css",  # not shipped: left, so a browser test sees it
        CDN_DIST + "panel.min.js",
        "data:text/css;base64,AA==",
        None,
    ):
        assert local_stylesheet(url) is url


def test_stylesheets_made_or_moved_later_are_inline_in_a_kernel():
    """Models panel makes after the first display, and URLs its ``patch_stylesheet`` moves to
    the CDN, end as data: URLs (in a fresh interpreter: the swap is process-wide)."""
    code = f"""
import panel.reactive
from bokeh.models import ImportedStyleSheet
from simlab.widgets.notebook import _stylesheets_inline
_stylesheets_inline()
made = ImportedStyleSheet(url={CDN_DIST + "bundled/theme/native.css"!r})
moved = ImportedStyleSheet(url="x.css")
moved.url = {LOCAL_DIST + "css/loading.css"!r}
panel.reactive.patch_stylesheet(moved, {CDN_DIST!r})
print(made.url[:21], moved.url[:21])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["data:text/css;base64,"] * 2, out.stdout + out.stderr


def test_front_end_script_releases_held_browser_events_and_defines_ace_files():
    js = frontend_js()
    assert "process_events" in js and "data-lm-suppress-shortcuts" in js
    assert "ace/mode/markdown" in js


def test_views_wait_for_the_libraries_loaded_in_the_same_cell():
    """Panel's embed script polls for bokeh and panel; a simlab view displayed first in a fresh
    kernel (loaders and view in one cell) waits minutes, not 5 s. Read from panel's own
    template, so a panel release that changes it fails here."""
    from pathlib import Path

    import panel

    script = (Path(panel.__file__).parent / "_templates" / "doc_nb_js.js").read_text()
    shown = patient_embed({"text/html": script, "text/plain": "x"})
    assert "attempts > 4800" in shown["text/html"] and "attempts > 200" not in shown["text/html"]
    assert "Bokeh.Panel !== undefined && root.ace !== undefined" in shown["text/html"]
    assert shown["text/plain"] == "x" and patient_embed(None) is None


def test_an_update_sends_only_what_changed_with_inline_stylesheets():
    """With the stylesheets inline, updating a pane sends its new text, not new stylesheet
    models (they were re-made on every update, and the page sent them back: twice the comm
    traffic). In a fresh interpreter: the swap is process-wide."""
    code = """
import json
import panel as pn
from bokeh.document import Document
from panel.io.model import add_to_doc
from pyviz_comms import Comm
from simlab.widgets.notebook import _stylesheets_inline
_stylesheets_inline()

class Sent(Comm):
    def __init__(self):
        super().__init__()
        self._comm, self.attrs = True, []
    def send(self, data=None, metadata=None, buffers=None):
        content = json.loads(data) if data else None
        if isinstance(content, dict) and "events" in content:
            self.attrs.append(sorted(e["attr"] for e in content["events"]))

pane = pn.pane.HTML("<b>a</b>")
layout, doc, comm = pn.Column(pane), Document(), Sent()
add_to_doc(layout.get_root(doc, comm), doc, True)
for text in ("<b>b</b>", "<b>c</b>"):
    pane.object = text
print(json.dumps(comm.attrs))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [["text"], ["text"]], out.stderr
