"""The compute budget the cost gate compares against: memory, wall time, flop rate."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from simlab.errors import JudgeError
from simlab.spec.units import ureg

DEFAULT_TIME_S = 600.0
#: sustained rate of sparse, memory-bound kernels in scipy on one core (conservative)
DEFAULT_FLOP_RATE = 1.0e9
_FALLBACK_MEMORY = 2.0e9


@dataclass(frozen=True)
class Budget:
    """What one run may use: bytes of memory, seconds of wall time, flops per second."""

    memory_bytes: float
    time_seconds: float = DEFAULT_TIME_S
    flop_rate: float = DEFAULT_FLOP_RATE
    memory_source: str = "given"

    def to_dict(self) -> dict[str, Any]:
        return {
            "memory_bytes": self.memory_bytes,
            "time_seconds": self.time_seconds,
            "flop_rate": self.flop_rate,
            "memory_source": self.memory_source,
        }


def available_memory() -> tuple[float, str]:
    """Free memory of this machine: /proc/meminfo MemAvailable, else psutil, else 2 GB."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0, "/proc/meminfo MemAvailable"
    except OSError:
        pass
    try:
        import psutil  # type: ignore[import-not-found]

        return float(psutil.virtual_memory().available), "psutil"
    except Exception:  # psutil missing or failing: fall back
        return _FALLBACK_MEMORY, "fallback 2 GB"


def default_budget(memory: float | str | None = None, time: float | str | None = None) -> Budget:
    """This machine's free memory and the default time budget, each overridable."""
    if memory is None:
        mem, source = available_memory()
    else:
        mem, source = parse_memory(memory), "given"
    seconds = DEFAULT_TIME_S if time is None else parse_time(time)
    flops = float(os.environ.get("SIMLAB_FLOP_RATE", DEFAULT_FLOP_RATE))
    return Budget(mem, seconds, flops, source)


def parse_memory(value: float | str) -> float:
    """``2GB``, ``512 MiB`` or a number of bytes -> bytes."""
    return _parse(value, "byte", "memory", "2GB")


def parse_time(value: float | str) -> float:
    """``600``, ``10 min`` or ``1 h`` -> seconds (a bare number is seconds)."""
    return _parse(value, "second", "time", "600 or 10min")


def _parse(value: float | str, unit: str, what: str, example: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            try:
                number = float(ureg.Quantity(text).to(unit).magnitude)
            except Exception:
                raise JudgeError(
                    f"cannot read {what} budget '{text}'", hint=f"write e.g. {example}"
                ) from None
    if not number > 0 or number == float("inf"):
        raise JudgeError(f"{what} budget must be a positive finite number, got {value!r}")
    return number
