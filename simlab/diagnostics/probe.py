"""Parameter probe: re-solve at theta (1 +- delta) and flag a relative jump above tau.

The relative jump ||x(theta +- delta) - x(theta)|| / ||x(theta)|| compares with delta for a
smooth, well-conditioned dependence; a value above ``threshold`` (default 0.5 for
delta = 5 %) means a Lipschitz constant of 10 or more, a failed solve means the branch
may end (fold) nearby. Both are flagged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from simlab.diagnostics.ensemble import Solve
from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.flags import DiagnosticResult, Flag
from simlab.diagnostics.parallel import run_all


def _scalar_names(params: Mapping[str, Any], parameters: Sequence[str] | None) -> list[str]:
    def ok(v: Any) -> bool:
        return isinstance(v, float | np.floating) and float(v) != 0.0

    names = [k for k, v in params.items() if ok(v)] if parameters is None else list(parameters)
    bad = [k for k in names if k not in params or not ok(params[k])]
    if bad:
        raise DiagnosticsError(
            f"cannot probe {bad}: need nonzero float parameters",
            hint="a relative step of a zero or non-float parameter is undefined",
        )
    if not names:
        raise DiagnosticsError("no nonzero float parameter to probe")
    return names


def parameter_probe(
    solve: Solve,
    params: Mapping[str, Any],
    *,
    parameters: Sequence[str] | None = None,
    delta: float = 0.05,
    threshold: float = 0.5,
    baseline: float | np.ndarray | None = None,
    scheduler: Any = None,
) -> DiagnosticResult:
    """Probe each named scalar parameter at (1 - delta) and (1 + delta) times its value.

    ``baseline`` is x(theta) when already computed. ``scheduler`` as in
    :func:`simlab.diagnostics.ensemble.ensemble_perturbation` (default: synchronous).
    """
    if not 0 < delta < 1 or threshold <= 0:
        raise DiagnosticsError(f"need 0 < delta < 1 and threshold > 0, got {delta}, {threshold}")
    names = _scalar_names(params, parameters)
    labels, sets = [], []
    for name in names:
        for sign in (1, -1):
            labels.append(f"{name}{'+' if sign > 0 else '-'}{delta:.0%}")
            sets.append({**params, name: float(params[name]) * (1.0 + sign * delta)})
    if baseline is None:
        ok, baseline = run_all(solve, [dict(params)], None)[0]
        if not ok:
            raise DiagnosticsError(f"the baseline solve failed: {baseline}")
    x0 = np.asarray(baseline, dtype=float)
    norm0 = float(np.linalg.norm(x0))
    jumps: dict[str, float] = {}
    flags: list[Flag] = []
    for label, (ok, value) in zip(labels, run_all(solve, sets, scheduler), strict=True):
        if not ok or not np.all(np.isfinite(np.asarray(value, dtype=float))):
            jumps[label] = np.inf
            reason = value if not ok else "non-finite output"
            flags.append(
                Flag(
                    "probe",
                    f"failed[{label}]",
                    np.inf,
                    threshold,
                    f"solve at {label} failed ({reason}): a branch may end nearby",
                )
            )
            continue
        diff = float(np.linalg.norm(np.asarray(value, dtype=float) - x0))
        jump = diff / norm0 if norm0 > 0 else (0.0 if diff == 0 else np.inf)
        jumps[label] = jump
        if jump > threshold:
            flags.append(
                Flag(
                    "probe",
                    f"relative_jump[{label}]",
                    jump,
                    threshold,
                    f"relative jump {jump:.3g} at {label} exceeds {threshold:g}",
                )
            )
    evidence = {
        "delta": delta,
        "threshold": threshold,
        "baseline_norm": norm0,
        "relative_jump": jumps,
        "amplification": {k: v / delta for k, v in jumps.items()},
    }
    return DiagnosticResult("probe", tuple(flags), evidence)
