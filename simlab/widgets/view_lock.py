"""One lock between the browser's messages and simlab's view updates in a notebook kernel.

A notebook view is a bokeh Document that panel keeps *held*: a change to a model is
collected, and panel sends what was collected to the browser right after the change
(``push``). Panel applies a message from the browser by releasing that hold for a moment;
bokeh then dispatches every collected change to the document's callbacks, which in a
notebook are none, so a change another thread had made but not yet sent is lost, and so is
a change made during that moment.

That other thread exists. JupyterLab (4.4 and later, with ipykernel 7) hands comm messages
to a kernel *subshell*, a thread of its own, while cells run on the main thread and a
workbench run on its own thread. Traced in JupyterLab: the browser's messages (echoes of
``stylesheets`` and ``visible``) arrived on the subshell thread during a run, and its
release of the hold discarded the run thread's ``data-status="PASS"`` for a gate row whose
previous change, RUNNING, had been sent: the row stayed RUNNING, and a plot sent in the
same burst was lost the same way.

So panel applies a browser message under :data:`VIEW_LOCK` (after sending what is still
collected, so that nothing is discarded), and every simlab method that changes what a view
shows runs under the same lock (:func:`updates_view`): each change and its sending happen
as one step that a browser message cannot cut in two.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

#: held while panel applies a browser message and while simlab changes a view (re-entrant)
VIEW_LOCK = threading.RLock()

F = TypeVar("F", bound=Callable[..., Any])


def updates_view(method: F) -> F:
    """Run ``method`` (it changes what a view shows) under :data:`VIEW_LOCK`.

    Only for methods that update views: a method that waits for a solve or a planner
    would keep the browser's messages (Stop among them) waiting as long.
    """

    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with VIEW_LOCK:
            return method(*args, **kwargs)

    return locked  # type: ignore[return-value]


def guard_browser_messages() -> None:
    """Make panel apply each browser message under :data:`VIEW_LOCK`, after sending the
    changes still collected on that view's document (never dispatched into nothing).

    Panel binds its message handler when it displays a view, so call this before the
    first display (simlab's :func:`~simlab.widgets.notebook.extension` and its views do).
    """
    from panel.io.notebook import push
    from panel.io.state import state
    from panel.viewable import MimeRenderMixin

    apply_message = MimeRenderMixin._on_msg
    if getattr(apply_message, "simlab_guarded", False):
        return

    def _on_msg(self: Any, ref: str, manager: Any, msg: Any) -> None:
        with VIEW_LOCK:
            view = state._views.get(ref)
            if view is not None:
                _viewable, _root, doc, comm = view
                if comm is not None and doc.callbacks._held_events:
                    push(doc, comm)
            apply_message(self, ref, manager, msg)

    _on_msg.__doc__ = apply_message.__doc__
    _on_msg.simlab_guarded = True  # type: ignore[attr-defined]
    MimeRenderMixin._on_msg = _on_msg  # type: ignore[method-assign]
