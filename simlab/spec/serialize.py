"""The typed spec as plain JSON-ready data (for ``--json`` views and run bundles)."""

from __future__ import annotations

import dataclasses
from typing import Any

from simlab.spec.model import Spec


def spec_to_dict(spec: Spec) -> dict[str, Any]:
    """Every field of the spec, tuples as lists; bookkeeping (lines) left out."""
    data = _plain(spec)
    data.pop("lines", None)
    return data


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: _plain(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if f.name != "lines"
        }
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj
