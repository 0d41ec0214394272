"""The tolerance as a relative error, read from ``## Tolerance``.

``relative_error`` thresholds are used as written. A PSNR bound in dB is a relative RMS error
``10^(-PSNR/20)`` with respect to the peak. Other metrics (``absolute_error`` ...) are treated as
relative to the solution's scale, which is what a convergence study reports; the note says so.
"""

from __future__ import annotations

from simlab.spec.model import Spec


def relative_tolerance(spec: Spec) -> tuple[float, str] | None:
    """``(epsilon, how it was read)``, or ``None`` when the spec gives no number."""
    t = spec.tolerance
    metric = (t.metric or "").strip().lower()
    candidates = [v for v in (t.threshold, *t.thresholds.values()) if v is not None]
    if "psnr" in metric or "db" in metric:
        bound = t.minimum.get("psnr") if t.minimum else None
        value = bound if bound is not None else (t.threshold if t.threshold is not None else None)
        if value is not None and value > 0:
            return 10 ** (-value / 20), f"PSNR >= {value:g} dB, i.e. relative RMS error"
    if not candidates:
        maxima = [v for v in t.maximum.values() if v is not None and 0 < v < 1]
        if maxima:
            return min(maxima), "smallest 'maximum' bound on an error observable"
        return None
    eps = min(candidates)
    if eps <= 0:
        return None
    note = "relative error" if "relative" in metric or not metric else f"{metric} read as relative"
    return eps, note
