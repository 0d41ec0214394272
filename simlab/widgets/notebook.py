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

import base64
import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import panel as pn

from simlab.widgets.view_lock import guard_browser_messages

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

_COMM_JS = """
if (!window.__simlabFlush) {
  window.__simlabFlush = setInterval(function () {
    var views = window.PyViz && window.PyViz.shared_views;
    if (!views) return;
    views.forEach(function (managers) {
      managers.forEach(function (m) {
        var stuck = m._blocked && m._event_buffer && m._event_buffer.length &&
          Date.now() > m._timeout;
        if (stuck) {
          console.debug('simlab: sending ' + m._event_buffer.length + ' held browser events');
          m._timeout = Date.now() + m.timeout;
          m.process_events();
        }
      });
    });
  }, 1000);
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
  window.__simlabAceDefine = define;  // the views' embed script calls it before drawing
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
    return _KEYS_JS + _COMM_JS + _ACE_JS % json.dumps(list(ace_sources()))


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
        guard_browser_messages()
        if not getattr(hv.extension, "_loaded", False):
            hv.extension("bokeh", inline=bool(config["inline"]), logo=False)
        pn.extension(*PANEL_EXTENSIONS, **config)
        if config["inline"]:
            _stylesheets_inline()
            _figures_through_panel()
        from IPython.display import Javascript, display

        display(Javascript(frontend_js()))
    else:
        pn.extension(*PANEL_EXTENSIONS, **config)
        if hv.Store.current_backend != "bokeh":
            hv.Store.set_current_backend("bokeh")


@cache
def _stylesheet_data_url(path: Path) -> str:
    """``path`` (a stylesheet in panel's dist folder) as a ``data:`` URL."""
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:text/css;base64,{encoded}"


def local_stylesheet(url: Any) -> Any:
    """A stylesheet URL of panel's (on its CDN, or relative to a panel server) as a ``data:``
    URL of panel's installed copy; any other value unchanged (also a file panel lacks)."""
    from panel.io.resources import CDN_DIST, DIST_DIR, LOCAL_DIST

    if not isinstance(url, str):
        return url
    for prefix in (CDN_DIST, LOCAL_DIST):
        if url.startswith(prefix):
            path = DIST_DIR / url[len(prefix) :].split("?")[0].split("#")[0]
            if path.suffix == ".css" and path.is_file():
                return _stylesheet_data_url(path)
    return url


@cache
def _stylesheets_inline() -> None:
    """Make every stylesheet panel links (on its CDN or a panel server) a ``data:`` URL.

    Panel inlines the stylesheets of the first display only; models it sends later over
    the comm (a chat message, a plot drawn after a run) link ``cdn.holoviz.org``, which
    fails offline. They are all bokeh ``ImportedStyleSheet`` models whose URL panel sets
    when it makes them or later in ``patch_stylesheet`` (which moves a server-relative URL
    to the CDN), so the URL is swapped at both places, for this kernel.
    """
    import panel.io.resources
    import panel.reactive
    from bokeh.models import ImportedStyleSheet

    made = ImportedStyleSheet.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if "url" in kwargs:
            kwargs["url"] = local_stylesheet(kwargs["url"])
        made(self, *args, **kwargs)

    ImportedStyleSheet.__init__ = __init__  # type: ignore[method-assign]
    patched = panel.io.resources.patch_stylesheet

    def patch_stylesheet(stylesheet: Any, dist_url: str) -> None:
        patched(stylesheet, dist_url)
        url = getattr(stylesheet, "url", None)
        local = local_stylesheet(url)
        if local is not url:
            stylesheet.url = local

    panel.io.resources.patch_stylesheet = patch_stylesheet
    panel.reactive.patch_stylesheet = patch_stylesheet  # imported by name there
    _design_cache_by_panel_url()


def _design_cache_by_panel_url() -> None:
    """Let panel's design find its stylesheet models again under the URL it asks for.

    The design caches each theme stylesheet under the model's URL and looks it up under the
    URL it was given; with the URL made a ``data:`` URL the lookup always missed, so every
    update of a pane made new stylesheet models and sent ``stylesheets`` again (the page
    then sent them back: twice the comm traffic of each update). The model is also cached
    under the URL asked for, so an update sends only what changed.
    """
    from panel.theme.base import Design

    patch = Design.__dict__["_patch_modifiers"].__func__

    def _patch_modifiers(cls: Any, doc: Any, modifiers: dict[str, Any], cache: Any) -> None:
        asked = list(modifiers.get("stylesheets", ()))
        patch(cls, doc, modifiers, cache)
        if cache is None:
            return
        for url, sheet in zip(asked, modifiers.get("stylesheets", ()), strict=False):
            if isinstance(url, str) and url.endswith(".css") and url != getattr(sheet, "url", url):
                cache.setdefault(url, sheet)

    Design._patch_modifiers = classmethod(_patch_modifiers)  # type: ignore[method-assign]


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


def on_click_after_changes(button: pn.widgets.Button, action: Callable[[], Any]) -> None:
    """Run ``action`` on a click of ``button`` once the browser's other changes are applied.

    A click often travels in one message with the text typed just before it (a text field
    sends its value when it loses focus, which the click causes). Panel calls click handlers
    while it applies that message, before the fields' values are updated, so a handler that
    reads them sees the old text (the chat's Send did nothing now and then). An async
    handler runs on the next turn of the event loop, after the whole message, in a notebook
    kernel and in a panel server alike.
    """

    async def clicked(_event: Any) -> None:
        action()

    button.on_click(clicked)


#: panel's embed script polls every 25 ms for bokeh and panel, giving up after 200 polls
_EMBED_GIVES_UP = "attempts > 200"
#: ... simlab's views wait up to two minutes (the loaders in the same cell parse ~4 MB of JS)
_EMBED_WAITS = "attempts > 4800"
#: panel's script waits for bokeh and panel only; the spec editor also needs Ace
_EMBED_NEEDS = (
    "Bokeh.Panel !== undefined",
    "Bokeh.Panel !== undefined && root.ace !== undefined"
    " && (root.__simlabAceDefine === undefined || root.__simlabAceDefine())",
)


def patient_embed(bundle: Any) -> Any:
    """``bundle`` with panel's embed script waiting longer for bokeh and panel to load.

    A bare ``simlab.ui.workbench()`` sends the loaders (bokeh and panel from holoviews'
    extension, then Ace from panel's) and the view in one cell. Panel's script draws the
    view as soon as bokeh and panel are there; when Ace was not yet defined, the editor
    threw "ace is not defined" and the whole view stayed empty (seen in JupyterLab, now and
    then). It also gives up after 5 s. Here it waits for Ace too, up to two minutes, and
    defines the editor's Markdown mode (:data:`ACE_FILES`) before drawing, so the editor
    finds its mode however late the view is drawn (a mode asked for before it was defined
    stayed plain text once the timed re-tries of ``_ACE_JS`` were over).
    Unchanged when panel's script has another form.
    """
    if isinstance(bundle, dict) and isinstance(bundle.get("text/html"), str):
        html = bundle["text/html"].replace(_EMBED_GIVES_UP, _EMBED_WAITS)
        bundle = {**bundle, "text/html": html.replace(*_EMBED_NEEDS, 1)}
    return bundle


class NotebookView(pn.viewable.Viewer):
    """A panel Viewer that loads simlab's extension when a notebook displays it first."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        ensure_extension()
        if in_notebook():
            guard_browser_messages()  # also when panel's extension was loaded without simlab
        shown = super()._repr_mimebundle_(include, exclude)
        return shown if shown is None else (patient_embed(shown[0]), shown[1])
