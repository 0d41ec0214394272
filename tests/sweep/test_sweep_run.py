"""Certified sweeps on a 2-worker LocalCluster: values, bundles, resume, a killed worker.

Heat: u(1, 0.5) = exp(-kappa pi^2 0.5 / 4) for the dev spec; every point must carry that
value within its certified bound and a bundle whose id is in the table.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simlab.cli import main
from simlab.spec import parse_file
from simlab.sweep import parse_range, run_sweep
from tests.sweep.conftest import SPECS

HEAT = SPECS / "dev/heat_1d.md"


def exact_heat(kappa: float) -> float:
    return float(np.exp(-kappa * np.pi**2 * 0.5 / 4.0))


def test_sweep_certifies_every_point_with_its_bundle(client: object, tmp_path: Path) -> None:
    result = run_sweep(
        parse_file(HEAT),
        [parse_range("kappa=0.2:1:4")],
        out=tmp_path,
        scheduler=client,
        progress=False,
    )
    assert result.complete and result.computed == 4 and not result.failed
    table = pd.read_parquet(result.path / "table.parquet")
    assert list(table["kappa"]) == pytest.approx([0.2, 0.2 + 0.8 / 3, 0.2 + 1.6 / 3, 1.0])
    for row in table.itertuples():
        assert row.status == "PASS"
        assert abs(row.value - exact_heat(row.kappa)) <= row.error_bound
        assert (result.path / "runs" / row.bundle).is_dir()
        assert row.bundle.endswith(row.bundle_id)


def test_an_interrupted_sweep_resumes_where_it_stopped(client: object, tmp_path: Path) -> None:
    spec, ranges = parse_file(HEAT), [parse_range("kappa=0.3,0.6,0.9,1.2")]

    def interrupt(row: dict, _client: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, ranges, out=tmp_path, scheduler=client, progress=False, on_result=interrupt)
    (folder,) = tmp_path.iterdir()
    first = len(list((folder / "points").glob("*.json")))
    assert 1 <= first < 4
    again = run_sweep(spec, ranges, out=tmp_path, scheduler=client, progress=False)
    assert again.path == folder and again.complete
    assert again.computed == 4 - first
    assert set(again.points["status"]) == {"PASS"}


def test_a_worker_killed_mid_sweep_loses_no_point(client: object, tmp_path: Path) -> None:
    killed: dict[str, object] = {}

    def kill_a_busy_worker(row: dict, c: object) -> None:
        if killed:
            return
        busy = {w: keys for w, keys in c.processing().items() if keys}
        if not busy:
            return
        address, keys = next(iter(busy.items()))
        pid = c.run(os.getpid, workers=[address])[address]
        killed.update(address=address, pid=pid, keys=list(keys))
        os.kill(pid, signal.SIGKILL)

    result = run_sweep(
        parse_file(HEAT),
        [parse_range("kappa=0.25:1.5:8")],
        out=tmp_path,
        scheduler=client,
        progress=False,
        on_result=kill_a_busy_worker,
    )
    assert killed, "no worker was busy when the first point arrived"
    assert result.complete and not result.failed
    lost = {int(str(k).rsplit("-", 1)[-1]) for k in killed["keys"]}
    rows = {
        r["point"]: r
        for r in map(json.loads, (p.read_text() for p in (result.path / "points").glob("*.json")))
    }
    for index in lost:  # the killed worker's points were recomputed by a live process
        assert rows[index]["worker"].rsplit(":", 1)[-1] != str(killed["pid"])
        assert rows[index]["status"] == "PASS"
    client.wait_for_workers(2, timeout=60)


def test_cli_sweep_on_a_scheduler_address(client: object, tmp_path: Path, capsys) -> None:
    address = client.scheduler.address
    code = main(
        [
            "sweep",
            str(HEAT),
            "--param",
            "kappa=0.5,1.0",
            "--scheduler",
            address,
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["finished"] == 2 and data["status"] == {"PASS": 2}
    assert all(len(r["bundle_id"]) == 16 for r in data["rows"])


def test_cli_sweep_names_a_bad_parameter(tmp_path: Path, capsys) -> None:
    code = main(["sweep", str(HEAT), "--param", "D=1:2:3", "--out", str(tmp_path)])
    assert code == 2 and "kappa" in capsys.readouterr().err


def test_sweep_panel_follows_the_points(client: object, tmp_path: Path) -> None:
    from simlab.widgets import SweepPanel

    panel = SweepPanel()
    result = panel.run(
        parse_file(HEAT), [parse_range("kappa=0.4,0.8")], out=tmp_path, scheduler=client
    )
    assert result.complete and panel.bar.value == panel.bar.max == 2
    assert len(panel.rows) == 2 and list(panel.table.object["status"]) == ["PASS", "PASS"]
    assert "2 of 2 points" in panel.status.object


def test_cli_sweep_draws_the_map(client: object, tmp_path: Path, capsys) -> None:
    address = client.scheduler.address
    args = ["sweep", str(HEAT), "--param", "kappa=0.5,1.0", "--scheduler", address]
    code = main([*args, "--out", str(tmp_path), "--map", "2", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["map"]["regions"] == {"PASS": 2}
    assert data["map"]["boundaries"] == []  # no change of status: nothing to bisect
    assert any("not continuable" in n for n in data["map"]["notes"])  # a time-dependent PDE
    assert Path(data["map"]["figure"]).stat().st_size > 1000
