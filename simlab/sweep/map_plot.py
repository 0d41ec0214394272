"""Draw the map of certifiability with matplotlib (a figure for notebooks and docs)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from simlab.sweep.certifiability import STATUSES, CertifiabilityMap

COLORS = {"PASS": "#2e7d32", "FLAG": "#f9a825", "REJECT": "#c62828"}
SPECIAL = {"fold": ("s", "fold"), "branch_point": ("D", "branch point"), "hopf": ("^", "Hopf")}


def _label(m: CertifiabilityMap, name: str) -> str:
    unit = m.units.get(name)
    return f"{name} [{unit}]" if unit and unit not in ("1", "dimensionless") else f"{name} [-]"


def plot_map(m: CertifiabilityMap, ax: Any = None) -> Any:
    """The map on ``ax`` (a new figure when None); returns the figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.2), constrained_layout=True)
    if len(m.parameters) == 1:
        _one(m, ax)
    else:
        _two(m, ax)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(m.regions().items()))
    ax.set_title(f"Map of certifiability: {m.title}\n({counts}; {len(m.boundaries)} boundaries)")
    return ax.figure


def _spans(values: np.ndarray) -> list[tuple[float, float]]:
    edges = np.concatenate([[values[0]], 0.5 * (values[1:] + values[:-1]), [values[-1]]])
    return list(itertools.pairwise(edges))


def _one(m: CertifiabilityMap, ax: Any) -> None:
    name = m.parameters[0]
    pts = m.points.sort_values(name)
    values = pts[name].to_numpy(float)
    for (a, b), status in zip(_spans(values), pts["status"], strict=True):
        ax.axvspan(a, b, color=COLORS.get(status, "#999999"), alpha=0.25, lw=0)
    for b in m.boundaries:
        ax.axvline(b.location, color="k", lw=1.2)
        ax.axvspan(b.low, b.high, color="k", alpha=0.15, lw=0)
    for i, br in enumerate(m.overlay.branches):
        lam, meas, stable = map(np.asarray, (br["parameter"], br["measure"], br["stable"]))
        for flag, style in ((True, "-"), (False, "--")):
            y = np.where(stable == flag, meas, np.nan)
            ax.plot(
                lam,
                y,
                style,
                color="#1d3f8f",
                lw=1.5,
                label=("stable" if flag else "unstable") if i == 0 else None,
            )
    for kind, (marker, text) in SPECIAL.items():
        sel = [p for p in m.overlay.special_points if p["type"] == kind]
        if sel:
            ax.plot(
                [p[name] for p in sel],
                [p["measure"] for p in sel],
                marker,
                ms=8,
                color="k",
                mfc="white",
                ls="none",
                label=text,
            )
    for status in STATUSES:
        ax.fill_between([], [], color=COLORS[status], alpha=0.25, label=status)
    ax.set_xlabel(_label(m, name))
    ax.set_ylabel("branch measure (signed max |u|)" if m.overlay.branches else "")
    ax.set_xlim(values[0], values[-1])
    ax.legend(loc="best", fontsize=8)


def _two(m: CertifiabilityMap, ax: Any) -> None:
    from matplotlib.colors import ListedColormap

    x_name, y_name = m.parameters
    pts = m.points
    xs, ys = np.sort(pts[x_name].unique()), np.sort(pts[y_name].unique())
    grid = np.full((ys.size, xs.size), np.nan)
    code = {s: i for i, s in enumerate(STATUSES)}
    for row in pts.itertuples():
        i = int(np.searchsorted(ys, getattr(row, y_name)))
        j = int(np.searchsorted(xs, getattr(row, x_name)))
        grid[i, j] = code.get(row.status, np.nan)
    cmap = ListedColormap([COLORS[s] for s in STATUSES])
    ax.pcolormesh(xs, ys, grid, cmap=cmap, vmin=-0.5, vmax=2.5, alpha=0.35, shading="nearest")
    bx = [b.location if b.parameter == x_name else b.fixed[x_name] for b in m.boundaries]
    by = [b.location if b.parameter == y_name else b.fixed[y_name] for b in m.boundaries]
    ax.plot(bx, by, "k.", ms=6, label="located boundary")
    for kind, (marker, text) in SPECIAL.items():
        sel = [p for p in m.overlay.special_points if p["type"] == kind]
        if sel:
            ax.plot(
                [p[x_name] for p in sel],
                [p[y_name] for p in sel],
                marker,
                ms=6,
                color="k",
                mfc="white",
                ls="none",
                label=f"{text} (continuation)",
            )
    for status in STATUSES:
        ax.fill_between([], [], color=COLORS[status], alpha=0.35, label=status)
    ax.set_xlabel(_label(m, x_name))
    ax.set_ylabel(_label(m, y_name))
    ax.legend(loc="best", fontsize=8)
