"""Live events: gates run one after another and tell observers as each starts and ends.

An observer is either an object with any of the methods ``on_gate_start(gate_id, index, total)``,
``on_gate_end(verdict)`` and ``on_done(report)``, or a callable that receives the event objects
below. A notebook widget subscribes this way and lights the gates up one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from simlab.judge.report import GateVerdict, JudgeReport


@dataclass(frozen=True)
class GateStarted:
    gate: str
    title: str
    index: int
    total: int


@dataclass(frozen=True)
class GateFinished:
    verdict: GateVerdict
    index: int
    total: int


@dataclass(frozen=True)
class JudgeDone:
    report: JudgeReport


Event = GateStarted | GateFinished | JudgeDone


@runtime_checkable
class Observer(Protocol):
    """The method interface (every method is optional for duck-typed observers)."""

    def on_gate_start(self, gate_id: str, index: int, total: int) -> None: ...

    def on_gate_end(self, verdict: GateVerdict) -> None: ...

    def on_done(self, report: JudgeReport) -> None: ...


class EventLog:
    """An observer that records every event (handy in tests and notebooks)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)


def notify(observers: Iterable[Any], event: Event) -> None:
    """Send ``event`` to every observer, by method name or by calling it."""
    for obs in observers:
        method: Callable[..., Any] | None
        if isinstance(event, GateStarted):
            method = getattr(obs, "on_gate_start", None)
            args: tuple[Any, ...] = (event.gate, event.index, event.total)
        elif isinstance(event, GateFinished):
            method = getattr(obs, "on_gate_end", None)
            args = (event.verdict,)
        else:
            method = getattr(obs, "on_done", None)
            args = (event.report,)
        if method is not None:
            method(*args)
        elif callable(obs) and not _has_any_hook(obs):
            obs(event)


def _has_any_hook(obs: Any) -> bool:
    return any(hasattr(obs, n) for n in ("on_gate_start", "on_gate_end", "on_done"))
