"""Ensemble perturbation: does a 1e-3 nudge of the inputs move the answer by 10 %?

N copies of the inputs, each float input multiplied by (1 + eps z) with z ~ N(0, 1)
drawn per entry, are solved independently (optionally on dask). The coefficient of
variation across members, CV = |std| / |mean| (sample std, 2-norms for array outputs),
above ``threshold`` flags sensitive dependence: chaos or a nearby bifurcation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.flags import DiagnosticResult, Flag
from simlab.diagnostics.parallel import run_all

Solve = Callable[[dict], float | np.ndarray]


def _is_float_input(value: Any) -> bool:
    arr = np.asarray(value) if isinstance(value, float | np.ndarray | np.floating) else None
    return arr is not None and np.issubdtype(arr.dtype, np.floating)


def perturbed_copies(
    params: Mapping[str, Any], names: Sequence[str], n: int, relative: float, seed: int
) -> list[dict]:
    """n copies of params with the named float inputs scaled by (1 + relative z)."""
    rng = np.random.default_rng(seed)
    copies = []
    for _ in range(n):
        member = dict(params)
        for name in names:
            value = np.asarray(params[name], dtype=float)
            scaled = value * (1.0 + relative * rng.standard_normal(value.shape))
            member[name] = float(scaled) if value.ndim == 0 else scaled
        copies.append(member)
    return copies


def _select(params: Mapping[str, Any], perturb: Sequence[str] | None) -> list[str]:
    if perturb is None:
        names = [k for k, v in params.items() if _is_float_input(v)]
    else:
        names = list(perturb)
        bad = [k for k in names if k not in params or not _is_float_input(params[k])]
        if bad:
            raise DiagnosticsError(
                f"cannot perturb {bad}: not a float or float array in params",
                hint=f"float inputs are {[k for k, v in params.items() if _is_float_input(v)]}",
            )
    if not names:
        raise DiagnosticsError("no float input to perturb", hint="pass floats or float arrays")
    return names


def ensemble_perturbation(
    solve: Solve,
    params: Mapping[str, Any],
    *,
    perturb: Sequence[str] | None = None,
    n_members: int = 5,
    relative: float = 1e-3,
    threshold: float = 0.1,
    seed: int = 0,
    scheduler: Any = "local",
) -> DiagnosticResult:
    """Solve ``n_members`` perturbed copies of ``params`` and flag CV > ``threshold``.

    ``perturb`` names the inputs to perturb (default: every float or float-array entry).
    ``scheduler``: "local" (threaded dask LocalCluster), an address, a Client, or None
    (synchronous, in this process).
    """
    if n_members < 2 or relative <= 0 or threshold <= 0:
        raise DiagnosticsError("need n_members >= 2, relative > 0 and threshold > 0")
    names = _select(params, perturb)
    members = perturbed_copies(params, names, n_members, relative, seed)
    outcomes = run_all(solve, members, scheduler)
    evidence: dict[str, Any] = {
        "n_members": n_members,
        "relative_perturbation": relative,
        "perturbed": names,
        "threshold": threshold,
    }
    failures = [str(v) for ok, v in outcomes if not ok]
    values = [np.asarray(v, dtype=float) for ok, v in outcomes if ok]
    if failures or any(not np.all(np.isfinite(v)) for v in values):
        evidence["failures"] = failures
        message = (
            f"{len(failures)} of {n_members} perturbed members failed or gave non-finite output"
        )
        return DiagnosticResult(
            "ensemble", (Flag("ensemble", "failed_members", np.inf, 0.0, message),), evidence
        )
    stacked = np.stack(values)
    mean_norm = float(np.linalg.norm(stacked.mean(axis=0)))
    std_norm = float(np.linalg.norm(stacked.std(axis=0, ddof=1)))
    cv = std_norm / mean_norm if mean_norm > 0 else (0.0 if std_norm == 0 else np.inf)
    evidence.update(
        mean_norm=mean_norm,
        std_norm=std_norm,
        coefficient_of_variation=cv,
        member_norms=[float(np.linalg.norm(v)) for v in values],
    )
    flags: tuple[Flag, ...] = ()
    if cv > threshold:
        message = (
            f"coefficient of variation {cv:.3g} over {n_members} members perturbed by "
            f"{relative:g} exceeds {threshold:g}: the result is sensitive to its inputs"
        )
        flags = (Flag("ensemble", "coefficient_of_variation", cv, threshold, message),)
    return DiagnosticResult("ensemble", flags, evidence)
