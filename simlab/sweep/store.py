"""The sweep bundle on disk, written point by point so that a sweep can resume.

``<out>/<title>-<key>/`` (``key``: SHA-256 of the spec text and the ranges, so the same
command finds the same folder) holds ``spec.md``, ``sweep.json`` (what is swept), one
``points/<index>.json`` per finished point (written atomically as it arrives), the point
bundles under ``runs/`` and, once every point is in, ``table.parquet``: the tidy table, one
row per point and observable, with each point's bundle id.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from simlab.sweep.grid import ParamRange, SweepError

TABLE = "table.parquet"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "sweep"


def sweep_key(spec_text: str, ranges: Sequence[ParamRange]) -> str:
    text = spec_text + "\n" + "\n".join(r.text for r in ranges)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class SweepStore:
    """One sweep's folder: its definition, finished points and table."""

    def __init__(self, path: Path, definition: dict[str, Any]) -> None:
        self.path = path
        self.definition = definition
        self.points_dir = path / "points"
        self.runs_dir = path / "runs"

    @classmethod
    def open(
        cls, out: str | Path, title: str, spec_text: str, ranges: Sequence[ParamRange]
    ) -> SweepStore:
        """Create the folder, or reopen the one an interrupted run of the same sweep left."""
        key = sweep_key(spec_text, ranges)
        path = Path(out) / f"{_slug(title)}-{key}"
        definition = {
            "title": title,
            "key": key,
            "parameters": {r.name: list(r.values) for r in ranges},
            "points": int(_count(ranges)),
        }
        store = cls(path, definition)
        if (path / "sweep.json").exists():
            saved = json.loads((path / "sweep.json").read_text(encoding="utf-8"))
            if saved.get("parameters") != definition["parameters"]:
                raise SweepError(
                    f"{path} holds a different sweep", hint="choose another --out folder"
                )
            return store
        store.points_dir.mkdir(parents=True, exist_ok=True)
        store.runs_dir.mkdir(exist_ok=True)
        (path / "spec.md").write_text(spec_text, encoding="utf-8")
        _write_json(path / "sweep.json", definition)
        return store

    def point_file(self, index: int) -> Path:
        return self.points_dir / f"{index:05d}.json"

    def done(self) -> set[int]:
        return {int(p.stem) for p in self.points_dir.glob("*.json")}

    def save(self, index: int, row: dict[str, Any]) -> None:
        _write_json(self.point_file(index), {"point": index, **row})

    def rows(self) -> list[dict[str, Any]]:
        return [
            json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(self.points_dir.glob("*.json"))
        ]

    def write_table(self) -> pd.DataFrame:
        """The tidy table of every finished point, also written as ``table.parquet``."""
        table = tidy(self.rows(), list(self.definition["parameters"]))
        tmp = self.path / f".{TABLE}.tmp"
        table.to_parquet(tmp, index=False)
        os.replace(tmp, self.path / TABLE)
        return table


def _count(ranges: Sequence[ParamRange]) -> int:
    n = 1
    for r in ranges:
        n *= len(r.values)
    return n


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


POINT_COLUMNS = ("status", "bundle_id", "bundle", "seconds", "worker")


def tidy(rows: list[dict[str, Any]], parameters: list[str]) -> pd.DataFrame:
    """One row per (point, observable); a point without observables keeps one row."""
    records = []
    for row in rows:
        base = {"point": row["point"], **{p: row["inputs"][p] for p in parameters}}
        base |= {c: row.get(c) for c in POINT_COLUMNS}
        base["flagged_by"] = ", ".join(row.get("flagged_by") or [])
        base["reasons"] = "; ".join(row.get("reasons") or [])
        base["notes"] = "; ".join(row.get("notes") or [])
        observables = row.get("observables") or [{"observable": None}]
        records.extend({**base, **obs} for obs in observables)
    columns = ["point", *parameters, "status", "observable", "value", "unit", "error_bound"]
    frame = pd.DataFrame.from_records(records)
    for c in columns:
        if c not in frame:
            frame[c] = None
    rest = [c for c in frame.columns if c not in columns]
    return frame[columns + rest].sort_values(["point", "observable"], na_position="last")


def point_table(table: pd.DataFrame, parameters: list[str]) -> pd.DataFrame:
    """One row per point: its parameters, status and bundle id."""
    keep = ["point", *parameters, "status", "bundle_id", "flagged_by", "reasons"]
    return table.drop_duplicates("point")[keep].reset_index(drop=True)
