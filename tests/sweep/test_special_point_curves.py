"""Two-parameter maps: the continuation overlay traces special-point curves with closed forms.

The map of certifiability overlays, at each value of the second parameter, the special points
of the first. Gelfand ``D u'' + lam e^u = 0`` on (0, 1) has its fold on the line
``lam* = 3.513830719125161 D`` (x -> x / sqrt(D)); the Brusselator its Hopf curve
``b = 1 + a^2``. No dask cluster: the overlay is computed in-process from a table of points.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simlab.spec import parse
from simlab.sweep.certifiability import continuation_overlay

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from continuation_corpus import bvp_1d, ode

GELFAND = bvp_1d(
    "Gelfand with a diffusion coefficient",
    1.0,
    {"lam": 1.0, "D": 1.0},
    "D*diff(u, x, 2) + lam*exp(u) = 0",
)
BRUSSELATOR = ode(
    "Brusselator",
    ["x", "y"],
    {"a": 1.0, "b": 1.2},
    ["a - (b + 1)*x + x**2*y", "b*x - x**2*y"],
    [1.1, 1.3],
    80.0,
)


def _grid(first: str, low: float, high: float, second: str, values: list[float]) -> pd.DataFrame:
    rows = [{first: v1, second: v2} for v2 in values for v1 in np.linspace(low, high, 5)]
    return pd.DataFrame(rows)


def test_gelfand_fold_line_in_lam_and_d() -> None:
    values = [0.5, 1.0, 2.0, 3.0]
    overlay = continuation_overlay(
        parse(GELFAND), ["lam", "D"], _grid("lam", 0.2, 12.0, "D", values)
    )
    folds = {p["D"]: p["lam"] for p in overlay.special_points if p["type"] == "fold"}
    assert sorted(folds) == values, overlay.notes
    h2 = (1 / 64) ** 2  # 64 cells: the discrete fold is O(h^2) below the continuum one
    for d, lam in folds.items():
        assert abs(lam / (3.513830719125161 * d) - 1.0) < 2 * h2, (d, lam)
    ratios = [folds[d] / d for d in values]
    assert max(ratios) - min(ratios) < 1e-9 * ratios[0]  # the same fold, rescaled


def test_brusselator_hopf_curve_in_b_and_a() -> None:
    values = [0.8, 1.0, 1.5]
    overlay = continuation_overlay(
        parse(BRUSSELATOR), ["b", "a"], _grid("b", 0.5, 4.0, "a", values)
    )
    hopfs = {p["a"]: p["b"] for p in overlay.special_points if p["type"] == "hopf"}
    assert sorted(hopfs) == values, overlay.notes
    for a, b in hopfs.items():
        assert abs(b - (1 + a * a)) < 1e-10, (a, b)
