"""A small bounded cache keyed by object identity (specs and problems are not hashable).

An entry holds its key object strongly, so its ``id`` cannot be reused while the entry
lives; the least recently used entry leaves when the cache is full. No weak references and
no finalisers: nothing runs at interpreter exit, and a long sweep (thousands of specs)
keeps at most ``size`` compiled problems alive.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityCache(Generic[V]):
    """``get(obj, make, *extra)``: the value for ``(obj, *extra)``, made once, LRU-bounded."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, tuple[object, V]] = OrderedDict()

    def get(self, obj: object, make: Callable[[], V], *extra: Hashable) -> V:
        key = (id(obj), *extra)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is obj:
            self._entries.move_to_end(key)
            return hit[1]
        value = make()
        self._entries[key] = (obj, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value

    def __contains__(self, obj: object) -> bool:
        return any(held is obj for held, _ in self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)
