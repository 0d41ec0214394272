"""Run notebooks with papermill (kernel python3, explicit timeouts) and read their key numbers.

Every notebook has a ``parameters`` cell with a ``results_path`` parameter; when set, its last
cell writes the notebook's key numbers there as JSON, which the tests read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"


def ensure_kernel(python: str = sys.executable) -> str:
    """Make sure a ``python3`` kernel spec exists for this interpreter (installs it if absent)."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        subprocess.run(
            [python, "-m", "ipykernel", "install", "--user", "--name", KERNEL],
            check=True,
            capture_output=True,
        )
    return KERNEL


@pytest.fixture(scope="session")
def kernel() -> str:
    return ensure_kernel()


def execute(
    name: str, workdir: Path, *, timeout: int, kernel: str = KERNEL, **parameters: Any
) -> dict[str, Any]:
    """Execute ``notebooks/<name>`` in ``workdir`` with ``parameters``; return its key numbers."""
    import papermill

    results = workdir / f"{Path(name).stem}.json"
    papermill.execute_notebook(
        str(NOTEBOOKS / name),
        str(workdir / name),
        parameters={**parameters, "results_path": str(results)},
        kernel_name=kernel,
        execution_timeout=timeout,
        start_timeout=120,
        cwd=str(workdir),
        progress_bar=False,
    )
    return json.loads(results.read_text())
