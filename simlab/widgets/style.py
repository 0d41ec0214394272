"""Colours and number formats shared by the views (presentation only, no decisions)."""

from __future__ import annotations

import html
import math
from typing import Any

#: background colour per status word of the Judge (gates) and the certificate
STATUS_COLORS: dict[str, str] = {
    "PASS": "#1b7f3b",
    "WARN": "#b7791f",
    "UNVERIFIABLE": "#5a6b7b",
    "FAIL": "#b42318",
    "FLAG": "#c2560c",
    "REJECT": "#b42318",
    "RUNNING": "#1d5fbf",
    "PENDING": "#9aa4ae",
    "STOPPED": "#5a6b7b",
    "ERROR": "#b42318",
}


def status_text(status: Any) -> str:
    """The plain status word of an enum member or a string (``Status.PASS`` -> ``"PASS"``)."""
    value = getattr(status, "value", status)
    return str(value).upper()


def badge(status: Any, label: str | None = None) -> str:
    """An HTML badge for a status word; ``data-status`` lets tests and browsers read it."""
    word = status_text(status)
    color = STATUS_COLORS.get(word, "#5a6b7b")
    text = html.escape(label if label is not None else word)
    return (
        f'<span class="simlab-badge" data-status="{word}" style="background:{color};color:white;'
        f'padding:2px 8px;border-radius:10px;font-weight:600;font-size:0.85em">{text}</span>'
    )


def number(value: Any, digits: int = 4) -> str:
    """A compact number (``None`` as an em dash, non-finite values spelled out)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    if not math.isfinite(x):
        return str(x)
    return f"{x:.{digits}g}"


def esc(text: Any) -> str:
    """HTML-escaped text (``None`` as empty)."""
    return "" if text is None else html.escape(str(text))
