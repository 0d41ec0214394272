"""The map of certifiability: where in parameter space simlab's answers can be trusted.

From a finished sweep over one or two parameters:

* regions: each point's PASS / FLAG / REJECT;
* boundaries: between every two grid neighbours (along either axis) whose statuses differ,
  the bracket is bisected ``depth`` times by certifying its midpoint (on the same dask layer
  as the sweep), so the boundary is located to 2^-depth of the grid spacing;
* overlay: the continuation of the spec's stationary solution or equilibria in the first
  parameter (branches with stability, special points); with two parameters, the special
  points of the first at each value of the second, i.e. the bifurcation curves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simlab.diagnostics.parallel import connect
from simlab.errors import SimlabError
from simlab.spec import render
from simlab.spec.model import Spec
from simlab.sweep.point import certify_point
from simlab.sweep.runner import SweepResult

STATUSES = ("PASS", "FLAG", "REJECT")


@dataclass
class Boundary:
    """A located change of status along ``parameter`` with the other parameters fixed."""

    parameter: str
    fixed: dict[str, float]
    low: float
    high: float
    low_status: str
    high_status: str
    evaluations: int

    @property
    def location(self) -> float:
        return 0.5 * (self.low + self.high)

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class Overlay:
    """The continuation drawn over the map (in the parameters' declared units)."""

    branches: list[dict[str, Any]] = field(default_factory=list)
    special_points: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class CertifiabilityMap:
    """Regions, located boundaries and the continuation overlay of one sweep."""

    parameters: list[str]
    units: dict[str, str | None]
    points: pd.DataFrame
    boundaries: list[Boundary]
    overlay: Overlay
    title: str

    def regions(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.points["status"].value_counts().items()}


def _units(spec: Spec, names: list[str]) -> dict[str, str | None]:
    return {p.name: p.unit for p in spec.equations.parameters if p.name in names}


def neighbour_brackets(points: pd.DataFrame, parameters: list[str]) -> list[Boundary]:
    """Grid neighbours along each axis whose statuses differ, as unlocated brackets."""
    out = []
    for axis in parameters:
        others = [p for p in parameters if p != axis]
        groups = points.groupby(others) if others else [((), points)]
        for key, group in groups:
            fixed = dict(zip(others, np.atleast_1d(key), strict=True)) if others else {}
            line = group.sort_values(axis)
            values, statuses = line[axis].to_numpy(), line["status"].to_numpy()
            for i in range(len(values) - 1):
                if statuses[i] != statuses[i + 1]:
                    out.append(
                        Boundary(
                            axis,
                            {k: float(v) for k, v in fixed.items()},
                            float(values[i]),
                            float(values[i + 1]),
                            str(statuses[i]),
                            str(statuses[i + 1]),
                            0,
                        )
                    )
    return out


def bisect(
    spec: Spec,
    brackets: list[Boundary],
    runs_dir: str,
    *,
    depth: int,
    scheduler: Any,
    workers: int,
    processes: bool,
) -> list[Boundary]:
    """Halve every bracket ``depth`` times, all brackets' midpoints in parallel each round."""
    if not brackets or depth <= 0:
        return brackets
    text = render(spec)
    with connect(scheduler, workers=workers, processes=processes) as client:
        for _ in range(depth):
            futures = []
            for b in brackets:
                inputs = {**b.fixed, b.parameter: b.location}
                futures.append(
                    client.submit(certify_point, text, inputs, runs_dir, pure=False, retries=2)
                )
            for b, row in zip(brackets, client.gather(futures), strict=True):
                mid = b.location
                b.evaluations += 1
                if row["status"] == b.low_status:
                    b.low = mid
                elif row["status"] == b.high_status:
                    b.high = mid
                else:  # a third status in between: keep the half next to the low side
                    b.high, b.high_status = mid, row["status"]
    return brackets


def continuation_overlay(
    spec: Spec, parameters: list[str], points: pd.DataFrame, *, steps: int = 150
) -> Overlay:
    """Branches and special points of the first parameter (at each value of the second)."""
    from simlab.diagnostics.spec_bridge import continuations
    from simlab.diagnostics.spec_params import spec_with

    first = parameters[0]
    low, high = float(points[first].min()), float(points[first].max())
    overlay = Overlay()
    seconds = sorted(points[parameters[1]].unique()) if len(parameters) > 1 else [None]
    for value in seconds:
        fixed = {} if value is None else {parameters[1]: float(value)}
        own = next(p.value for p in spec.equations.parameters if p.name == first)
        start = own if isinstance(own, float) and low <= own <= high else low
        try:
            runs = continuations(spec_with(spec, {**fixed, first: start}), first, 64)
        except SimlabError as exc:
            overlay.notes.append(f"no continuation at {fixed or 'the spec point'}: {exc.message}")
            continue
        for run in runs:
            # eigenvalues: stability of the drawn branch, and Hopf points of equilibria (small
            # ODE systems, cheap) at every value of the second parameter
            drawn = value is None or run.kind == "equilibrium"
            n_eigs = min(run.v0.size, 6) if drawn else 0
            for direction in (-1, 1):
                try:
                    branch = run.run(
                        direction,
                        window=np.inf,
                        bounds=(low, high),
                        max_steps=steps,
                        n_eigs=n_eigs,
                    )
                except SimlabError as exc:
                    overlay.notes.append(f"{run.description}: {exc.message}")
                    continue
                if value is None:
                    overlay.branches.append(
                        {
                            "start": run.description,
                            "parameter": [run.value(p) for p in branch.lam],
                            "measure": list(map(float, branch.measure * _unit(run))),
                            "stable": list(map(bool, branch.stable)),
                        }
                    )
                for p in branch.special_points:
                    overlay.special_points.append(
                        {
                            "type": p.type,
                            first: run.value(p.value),
                            **fixed,
                            "measure": float(p.measure * _unit(run)),
                        }
                    )
    return overlay


def _unit(run: Any) -> float:
    """Factor from the branch functional to the spec's unit (equilibria store scaled v[0])."""
    return run.u_scale if run.kind == "equilibrium" else 1.0


def certifiability_map(
    spec: Spec,
    result: SweepResult,
    *,
    depth: int = 3,
    scheduler: Any = "local",
    workers: int = 2,
    processes: bool = True,
    overlay: bool = True,
) -> CertifiabilityMap:
    """The map of one or two swept parameters (see the module docstring)."""
    if not 1 <= len(result.parameters) <= 2:
        raise SimlabError(
            f"a map needs one or two swept parameters, got {len(result.parameters)}",
            hint="sweep one or two parameters with --param",
        )
    points = result.points
    brackets = neighbour_brackets(points, result.parameters)
    boundaries = bisect(
        spec,
        brackets,
        str((result.path / "runs").resolve()),
        depth=depth,
        scheduler=scheduler,
        workers=workers,
        processes=processes,
    )
    drawn = continuation_overlay(spec, result.parameters, points) if overlay else Overlay()
    return CertifiabilityMap(
        result.parameters,
        _units(spec, result.parameters),
        points,
        boundaries,
        drawn,
        spec.title or "sweep",
    )
