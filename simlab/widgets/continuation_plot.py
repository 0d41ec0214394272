"""The continuation plot: a branch diagram with stable (solid) and unstable (dashed) parts,
the located special points and the spec's own parameter value.

Input is what :func:`simlab.diagnostics.continuation` returns (:class:`Branch`, one or several);
stability and special points are the diagnostics' findings, drawn as they are.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import holoviews as hv
import numpy as np

from simlab.widgets.style import number

MARKERS = {
    "fold": ("LP", "#b42318", "square"),
    "branch_point": ("BP", "#6a3d9a", "diamond"),
    "hopf": ("HB", "#c2560c", "triangle"),
}
STABLE_COLOR = "#1d5fbf"


def stability_segments(
    branch: Any, parameter_scale: float = 1.0, measure_scale: float = 1.0
) -> list[tuple[bool, np.ndarray, np.ndarray]]:
    """Runs of equal stability as ``(stable, lam, measure)``; neighbours share a point.

    The scales turn a branch computed in scaled variables back into the spec's units.
    """
    lam = np.asarray(branch.lam, float) * parameter_scale
    measure = np.asarray(branch.measure, float) * measure_scale
    stable = np.asarray(branch.stable, bool)
    if lam.size == 0:
        return []
    cuts = [0, *(np.flatnonzero(stable[1:] != stable[:-1]) + 1).tolist(), lam.size]
    segments = []
    for a, b in itertools.pairwise(cuts):
        end = min(b + 1, lam.size)
        segments.append((bool(stable[a]), lam[a:end], measure[a:end]))
    return segments


def continuation_plot(
    branches: Any | Sequence[Any],
    parameter_value: float | None = None,
    *,
    parameter_scale: float = 1.0,
    measure_scale: float = 1.0,
    measure_label: str = "‖u‖",
    parameter_unit: str | None = None,
    measure_unit: str | None = None,
    title: str | None = None,
    width: int = 560,
    height: int = 380,
) -> hv.Overlay:
    """The branch diagram of one or several branches, the spec's parameter as a vertical line.

    ``parameter_scale`` / ``measure_scale`` multiply the branch's parameter and measure (for
    branches computed in scaled variables); ``parameter_value`` is in the displayed units.
    Axes are labelled with ``parameter_unit`` and ``measure_unit`` (``[1]``: dimensionless).
    """
    items = list(branches) if isinstance(branches, (list, tuple)) else [branches]
    if not items:
        raise ValueError("continuation_plot needs at least one branch")
    name = items[0].parameter
    layers: list[Any] = []
    shown: set[str] = set()
    for branch in items:
        for stable, lam, measure in stability_segments(branch, parameter_scale, measure_scale):
            label = "stable" if stable else "unstable"
            curve = hv.Curve((lam, measure), name, measure_label, label=label).opts(
                color=STABLE_COLOR,
                line_width=2.5 if stable else 1.8,
                line_dash="solid" if stable else "dashed",
                show_legend=label not in shown,
            )
            shown.add(label)
            layers.append(curve)
    for kind, (short, color, marker) in MARKERS.items():
        points = [p for b in items for p in b.special_points if p.type == kind]
        if points:
            data = [
                (
                    p.value * parameter_scale,
                    p.measure * measure_scale,
                    f"{short} {number(p.value * parameter_scale, 5)}",
                )
                for p in points
            ]
            layers.append(
                hv.Points(
                    data, [name, measure_label], ["label"], label=kind.replace("_", " ")
                ).opts(color=color, size=11, marker=marker)
            )
            layers.append(
                hv.Labels(data, [name, measure_label], "label").opts(
                    text_font_size="9pt",
                    text_align="right",
                    yoffset=0.04 * _span(items) * measure_scale,
                    text_color=color,
                )
            )
    if parameter_value is not None:
        layers.append(
            hv.VLine(float(parameter_value), label=f"spec {name} = {number(parameter_value)}").opts(
                color="#1b7f3b", line_width=2
            )
        )
    head = title or f"branch diagram in {name}"
    return hv.Overlay(layers).opts(
        backend="bokeh",
        title=head
        + (
            f" (green: the spec's {name} = {number(parameter_value)})"
            if parameter_value is not None
            else ""
        ),
        xlabel=f"{name} [{parameter_unit or '1'}]",
        ylabel=f"{measure_label} [{measure_unit or '1'}]",
        width=width,
        height=height,
        legend_position="top_left",
        padding=0.08,
        show_grid=True,
    )


def _span(branches: Sequence[Any]) -> float:
    values = np.concatenate([np.asarray(b.measure, float) for b in branches])
    finite = values[np.isfinite(values)]
    return float(finite.max() - finite.min()) if finite.size else 1.0
