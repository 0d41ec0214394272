"""nbval in lax mode over notebooks/: each notebook, as committed, runs from top to bottom.

Runs ``pytest --nbval-lax notebooks/`` in a subprocess (its own kernel per notebook, the
default parameters a person gets), offline: the planner is the deterministic drafter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.notebooks.conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.notebook


def test_notebooks_run_under_nbval_lax(kernel, tmp_path):
    copies = tmp_path / "notebooks"  # run copies, so run bundles land in tmp_path
    copies.mkdir()
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(notebook, copies / notebook.name)
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-cell-timeout=300",
            "-p",
            "no:cacheprovider",
            "-q",
            "-o",
            "addopts=",
            "--rootdir",
            str(tmp_path),
            str(copies),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = run.stdout[-4000:] + run.stderr[-2000:]
    assert run.returncode == 0, tail
    assert " passed" in run.stdout and "failed" not in run.stdout, tail
    assert len(list((copies / "runs").iterdir())) >= 2  # bundles of 01 and 02
