"""The convergence plot: error against resolution on log–log axes, with the fitted order,
the tolerance line, the GCI bound and the extrapolated value.

Every number comes from the certify layer (:class:`~simlab.certify.convergence.ConvergenceResult`
and the certificate's :class:`~simlab.certify.certificate.ObservableResult`); the plot only
rescales them to the observable's display unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import holoviews as hv

from simlab.widgets.style import number

COLORS = {
    "estimate": "#1d5fbf",
    "exact": "#1b7f3b",
    "fit": "#1d5fbf",
    "tolerance": "#b42318",
    "bound": "#c2560c",
}


@dataclass(frozen=True)
class ConvergenceData:
    """What the plot shows for one observable, in its display unit (``None`` = not known)."""

    name: str
    unit: str
    h: tuple[float, ...]
    values: tuple[float, ...]
    estimated_error: tuple[float | None, ...]
    exact_error: tuple[float | None, ...] | None
    observed_order: float | None
    formal_order: float | None
    extrapolated: float | None
    bound: float | None
    allowed: float | None
    status: str
    message: str

    def fit(self, h: float) -> float | None:
        """The observed-order line ``e1 (h / h1)^p`` through the finest estimate."""
        p, e1 = self.observed_order, self.estimated_error[0] if self.estimated_error else None
        if p is None or e1 is None or e1 <= 0.0:
            return None
        return e1 * (h / self.h[0]) ** p


def convergence_data(
    result: Any,
    observable: Any | None = None,
    records: Sequence[tuple[float, float]] | None = None,
) -> ConvergenceData:
    """Collect the plot's numbers from a grid study, its certified observable and every solve.

    ``records`` are ``(h, value)`` pairs of all solves (the study keeps only the finest triple in
    ``result``); by default the triple of ``result``.
    """
    scale = float(getattr(observable, "scale", 1.0) or 1.0)
    pairs = sorted(records) if records else sorted(zip(result.h, result.values, strict=True))
    h = tuple(float(s) for s, _ in pairs)
    values = tuple(float(v) / scale for _, v in pairs)
    f_ext = None if result.f_ext is None else float(result.f_ext) / scale
    estimated = tuple(None if f_ext is None else abs(v - f_ext) for v in values)
    exact = getattr(observable, "exact_value", None)
    exact_error = None if exact is None else tuple(abs(v - exact / scale) for v in values)
    bound = getattr(observable, "error_bound", None)
    if bound is None:
        bound = result.gci_fine_abs
    return ConvergenceData(
        name=getattr(observable, "name", "observable"),
        unit=getattr(observable, "unit", None) or "",
        h=h,
        values=values,
        estimated_error=estimated,
        exact_error=exact_error,
        observed_order=result.p_observed,
        formal_order=getattr(observable, "formal_order", None) or result.formal_order,
        extrapolated=f_ext,
        bound=None if bound is None else float(bound) / scale,
        allowed=_allowed(observable, scale),
        status=str(getattr(result.status, "value", result.status)),
        message=result.message,
    )


def _allowed(observable: Any | None, scale: float) -> float | None:
    """The tolerance as an absolute error in display units (relative ε times the value)."""
    threshold = getattr(observable, "threshold", None)
    if observable is None or threshold is None:
        return None
    metric = (observable.metric or "").lower()
    if metric.startswith("relative"):
        return float(threshold) * abs(observable.value) / scale
    if metric.startswith("absolute"):
        return float(threshold) / scale
    return None


def convergence_plot(
    result: Any,
    observable: Any | None = None,
    records: Sequence[tuple[float, float]] | None = None,
    *,
    width: int = 680,
    height: int = 360,
    title: str | None = None,
) -> hv.Overlay:
    """Error estimate (and exact error) against the grid step on log–log axes.

    The step is shown relative to the coarsest grid (h / h_coarsest, dimensionless: solvers
    measure h in different units, and the observed order is the slope either way); the error
    in the observable's unit (``[1]`` for a dimensionless one). ``title`` names the panel
    (default: the observable and its status).
    """
    data = convergence_data(result, observable, records)
    unit = f" [{data.unit}]" if data.unit else " [1]"
    h0 = max(data.h)
    data = replace(data, h=tuple(s / h0 for s in data.h))  # the fitted line scales along
    layers: list[Any] = []
    est = [(s, e) for s, e in zip(data.h, data.estimated_error, strict=True) if e and e > 0]
    if est:
        layers.append(
            hv.Scatter(est, "h", "error", label="estimated |f − f_ext|").opts(
                color=COLORS["estimate"], size=13, marker="circle", fill_alpha=0.0, line_width=2
            )
        )
    if data.exact_error is not None:
        exact = [(s, e) for s, e in zip(data.h, data.exact_error, strict=True) if e > 0]
        if exact:
            layers.append(
                hv.Scatter(exact, "h", "error", label="exact |f − f_exact|").opts(
                    color=COLORS["exact"], size=7, marker="triangle"
                )
            )
    line = _fit_line(data)
    if line:
        order = f"observed order p = {number(data.observed_order, 3)}"
        if data.formal_order:
            order += f" (formal {number(data.formal_order, 3)})"
        layers.append(
            hv.Curve(line, "h", "error", label=order).opts(
                color=COLORS["fit"], line_dash="dashed", line_width=2
            )
        )
    if data.allowed is not None and data.allowed > 0:
        span = [data.h[0] / 1.5, data.h[-1] * 1.5]
        layers.append(
            hv.Curve([(s, data.allowed) for s in span], "h", "error", label="tolerance ε").opts(
                color=COLORS["tolerance"], line_width=2
            )
        )
    if data.bound is not None and data.bound > 0:
        layers.append(
            hv.Scatter([(data.h[0], data.bound)], "h", "error", label="GCI bound (finest)").opts(
                color=COLORS["bound"], size=14, marker="star"
            )
        )
    head = title or data.name
    title = f"{head}: {data.status}"
    if data.extrapolated is not None:
        title += f", extrapolated {number(data.extrapolated, 6)}{unit}"
    if not layers:
        layers.append(hv.Text(1.0, 1.0, data.message))
    return hv.Overlay(layers).opts(
        backend="bokeh",
        title=title,
        logx=True,
        logy=True,
        width=width,
        height=height,
        legend_position="top_left",  # the error falls to the lower left; the upper left is empty
        xlabel="grid step h / h_coarsest [1]",
        ylabel=f"|error| of {data.name}{unit}",
        show_grid=True,
        fontsize={"title": "10pt"},
    )


def _fit_line(data: ConvergenceData) -> list[tuple[float, float]]:
    if data.fit(data.h[0]) is None:
        return []
    lo, hi = math.log(data.h[0] / 1.3), math.log(data.h[-1] * 1.3)
    steps = 20
    points = []
    for k in range(steps + 1):
        s = math.exp(lo + (hi - lo) * k / steps)
        points.append((s, data.fit(s)))
    return points  # type: ignore[return-value]


def run_convergence_plots(run: Any, **opts: Any) -> hv.Layout | None:
    """One convergence plot per certified observable of a :class:`RunResult` (None if no study)."""
    study = getattr(run, "study", None)
    if study is None or not study.results:
        return None
    certified = {o.name: o for o in run.certificate.observables}
    problem = getattr(getattr(run, "spec", None), "title", None)
    plots = []
    for name, res in study.results.items():
        records = [(r.h, r.observables[name]) for r in study.records if name in r.observables]
        title = f"{problem} · {name}" if problem else name
        plots.append(convergence_plot(res, certified.get(name), records, title=title, **opts))
    return hv.Layout(plots).cols(2)
