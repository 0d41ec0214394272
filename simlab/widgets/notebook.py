"""One extension call for notebooks: holoviews' bokeh backend and panel, resources inline.

Everything a notebook front end (JupyterLab, Notebook 7, VS Code) needs to draw simlab's views
is sent with the output itself, so nothing is fetched from a CDN: bokeh, panel and the Ace
editor are inlined (``inline=True``), and the Ace files the spec editor loads on demand (its
Markdown mode, snippets and theme) are defined up front. A small script also keeps keys typed
into a panel text field (Enter in the spec editor, the chat box) from being taken as notebook
shortcuts: panel renders inside shadow roots, so JupyterLab sees the keystroke on a plain
``div`` and would act on it.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import panel as pn

PANEL_EXTENSIONS = ("codeeditor",)
#: Ace files panel's CodeEditor loads on demand for the spec editor (Markdown, theme chrome)
ACE_FILES = ("mode-markdown.js", "theme-chrome.js", "snippets/markdown.js")

_KEYS_JS = """
if (!window.__simlabKeys) {
  window.__simlabKeys = true;
  window.addEventListener('keydown', function (event) {
    var inner = event.composedPath()[0], host = event.target;
    if (inner !== host && inner instanceof HTMLElement && host instanceof HTMLElement &&
        (inner.isContentEditable || inner.matches('input, textarea, select'))) {
      host.setAttribute('data-lm-suppress-shortcuts', 'true');
    }
  }, true);
}
"""

_ACE_JS = """
(function (sources) {
  function remode(root) {  // editors that asked for a mode before it was defined: ask again
    root.querySelectorAll('.ace_editor').forEach(function (el) {
      var ed = el.env && el.env.editor, want = ed && ed.session.$modeId;
      if (want && ed.session.getMode().$id !== want) {
        ed.session.setMode('ace/mode/text');
        ed.session.setMode(want);
      }
    });
    root.querySelectorAll('*').forEach(function (el) { if (el.shadowRoot) remode(el.shadowRoot); });
  }
  function define() {
    if (window.__simlabAce) return true;
    if (!window.ace || !window.ace.define) return false;
    sources.forEach(function (source) { (new Function(source))(); });
    window.__simlabAce = true;
    [0, 1000, 3000, 10000].forEach(function (ms) {
      setTimeout(function () { remode(document); }, ms);
    });
    return true;
  }
  if (!define()) {
    var tries = 0, timer = setInterval(function () {
      if (define() || ++tries > 1200) clearInterval(timer);
    }, 100);
  }
})(%s);
"""


@cache
def ace_sources() -> tuple[str, ...]:
    """The source of each file in :data:`ACE_FILES`, from panel's bundled copy of Ace."""
    root = Path(pn.__file__).parent / "dist" / "bundled" / "aceplot"
    found = []
    for name in ACE_FILES:
        matches = sorted(root.glob(f"ace-builds@*/src-min-noconflict/{name}"))
        if matches:
            found.append(matches[-1].read_text(encoding="utf-8"))
    return tuple(found)


def frontend_js() -> str:
    """The script that makes text fields keep their keys and defines the editor's Ace files."""
    return _KEYS_JS + _ACE_JS % json.dumps(list(ace_sources()))


def in_notebook() -> bool:
    """True inside a Jupyter kernel (a front end will render what is displayed)."""
    ip = sys.modules.get("IPython")
    shell = ip.get_ipython() if ip is not None else None
    return shell is not None and hasattr(shell, "kernel")


def extension(**config: Any) -> None:
    """Load holoviews' bokeh backend and panel (with the code editor), resources inline.

    Call once per notebook; the workbench and the views call it themselves when displayed
    before it was called. ``config`` goes to :func:`panel.extension` (``inline=False`` loads
    bokeh and panel from their CDN instead).
    """
    import holoviews as hv
    import holoviews.plotting.bokeh

    config.setdefault("inline", True)
    if in_notebook():
        if not getattr(hv.extension, "_loaded", False):
            hv.extension("bokeh", inline=bool(config["inline"]), logo=False)
        pn.extension(*PANEL_EXTENSIONS, **config)
        if config["inline"]:
            _figures_through_panel()
        from IPython.display import Javascript, display

        display(Javascript(frontend_js()))
    else:
        pn.extension(*PANEL_EXTENSIONS, **config)
        if hv.Store.current_backend != "bokeh":
            hv.Store.set_current_backend("bokeh")


def _figures_through_panel() -> None:
    """Display holoviews figures through panel's notebook path, which inlines panel's
    stylesheets; holoviews' own display hook links them on panel's CDN."""
    import holoviews as hv
    from IPython import get_ipython

    def show(obj: Any, include: Any = None, exclude: Any = None) -> Any:
        return pn.panel(obj)._repr_mimebundle_(include, exclude)

    formatter = get_ipython().display_formatter.mimebundle_formatter
    formatter.for_type(hv.core.dimension.Dimensioned, show)


def ensure_extension() -> None:
    """Call :func:`extension` unless panel's notebook support is loaded already."""
    if in_notebook() and not getattr(pn.extension, "_loaded", False):
        extension()


class NotebookView(pn.viewable.Viewer):
    """A panel Viewer that loads simlab's extension when a notebook displays it first."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        ensure_extension()
        return super()._repr_mimebundle_(include, exclude)
