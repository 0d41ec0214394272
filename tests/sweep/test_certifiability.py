"""The map of certifiability on Bratu 1-D across its fold (known answers).

PASS -> FLAG where the fold lam_c = 3.5138 comes within 5 % of the spec's lam (the probe's
+5 % step crosses it at the same place): lam = lam_c / 1.05 = 3.3465. FLAG -> REJECT where
no solution exists: at the fold of the solver's grids, just below the continuum 3.51383.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from simlab.spec import parse_file
from simlab.sweep import parse_range, run_sweep
from simlab.sweep.certifiability import certifiability_map, neighbour_brackets
from simlab.sweep.map_plot import plot_map
from tests.sweep.conftest import SPECS

matplotlib.use("Agg")
LAM_C = 3.513830719125161


def test_neighbours_along_both_axes() -> None:
    points = pd.DataFrame(
        {"a": [0, 0, 1, 1], "b": [0, 1, 0, 1], "status": ["PASS", "FLAG", "PASS", "PASS"]}
    )
    found = {
        (b.parameter, b.low, b.high, tuple(b.fixed.items()))
        for b in neighbour_brackets(points, ["a", "b"])
    }
    assert found == {("a", 0.0, 1.0, (("b", 1.0),)), ("b", 0.0, 1.0, (("a", 0.0),))}


@pytest.mark.slow
def test_bratu_boundaries_located_by_bisection(client: object, tmp_path: Path) -> None:
    spec = parse_file(SPECS / "dev/bratu_1d.md")
    result = run_sweep(
        spec, [parse_range("lam=3.2:3.6:3")], out=tmp_path, scheduler=client, progress=False
    )
    assert list(result.points["status"]) == ["PASS", "FLAG", "REJECT"]
    m = certifiability_map(spec, result, depth=4, scheduler=client)
    (to_flag,) = [b for b in m.boundaries if b.low_status == "PASS"]
    (to_reject,) = [b for b in m.boundaries if b.high_status == "REJECT"]
    assert to_flag.width == pytest.approx(0.2 / 16) and to_flag.evaluations == 4
    assert to_flag.low <= LAM_C / 1.05 + 1e-3 and to_flag.high >= LAM_C / 1.05 - 1e-3
    assert to_reject.low >= 3.49 and to_reject.high <= LAM_C + 0.0125
    folds = [p for p in m.overlay.special_points if p["type"] == "fold"]
    assert folds and all(abs(p["lam"] - LAM_C) < 2e-3 for p in folds)  # 64-cell grid fold
    assert m.overlay.branches
    fig = plot_map(m)
    assert "lam" in fig.axes[0].get_xlabel() and "certifiability" in fig.axes[0].get_title()
