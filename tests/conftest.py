"""Shared fixtures: paths to the bundled specs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
DEV_SPECS = sorted((SPECS / "dev").glob("*.md"))
ALL_SPECS = sorted(SPECS.rglob("*.md"))


@pytest.fixture
def tmp_spec(tmp_path: Path):
    """Write spec text to a file and return its path."""

    def write(text: str | bytes, name: str = "spec.md") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory):
    """Key numbers of executed notebooks, one execution per notebook and parameter point for
    the whole session: the JupyterLab test records its runs, the papermill tests read them
    (tests/notebooks/runs.py)."""
    from tests.notebooks.runs import NotebookRuns

    return NotebookRuns(tmp_path_factory.mktemp("notebook-runs"))
