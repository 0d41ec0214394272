"""One execution per notebook and parameter point, shared by every test that reads its numbers.

Every notebook writes its key numbers to ``results_path`` (a JSON file) when that parameter is
set. The JupyterLab test runs each notebook as committed through the browser UI, with only
``results_path`` injected, and records the numbers here; the papermill tests then read them
instead of executing the same notebook at the same parameters a second time. A point nobody
has run yet in this session (the notebooks' tests alone, or a browser run that failed before
the notebook wrote its numbers) is executed once with papermill and kept for later readers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: the parameters of a notebook run as committed (nothing injected but results_path)
COMMITTED: dict[str, Any] = {}


def key(name: str, parameters: dict[str, Any]) -> str:
    """The notebook and its injected parameters, as one comparable string."""
    return f"{name} {json.dumps(parameters, sort_keys=True)}"


@contextmanager
def without_api_key() -> Iterator[None]:
    """No Claude key in the kernel's environment, as in CI (the JupyterLab server has none).

    The committed notebooks pick their planner with ``planner = "auto"``; their numbers must
    not depend on a key the person running the tests happens to have."""
    saved = os.environ.pop("ANTHROPIC_API_KEY", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["ANTHROPIC_API_KEY"] = saved


class NotebookRuns:
    """Key numbers of executed notebooks, by notebook and parameter point, for one session."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._numbers: dict[str, dict[str, Any]] = {}
        self.executed: list[str] = []  # points papermill had to execute (for the report)

    def record(self, name: str, parameters: dict[str, Any], numbers: dict[str, Any]) -> None:
        """Keep the numbers of a run made elsewhere (the JupyterLab test)."""
        self._numbers[key(name, parameters)] = numbers

    def committed(self, name: str, *, timeout: int) -> dict[str, Any]:
        """The numbers of ``notebooks/<name>`` run as committed."""
        return self.numbers(name, timeout=timeout, **COMMITTED)

    def numbers(self, name: str, *, timeout: int, **parameters: Any) -> dict[str, Any]:
        """The numbers of ``name`` at ``parameters``: recorded, or executed once now."""
        from tests.notebooks.conftest import execute

        k = key(name, parameters)
        if k not in self._numbers:
            folder = self.workdir / f"run-{len(self.executed) + 1}"
            folder.mkdir(parents=True)
            with without_api_key():
                self._numbers[k] = execute(name, folder, timeout=timeout, **parameters)
            self.executed.append(k)
        return self._numbers[k]


def committed_parameters(name: str) -> dict[str, Any]:
    """The values of the committed ``parameters`` cell of ``notebooks/<name>``.

    The cell holds plain assignments of literals (tests/notebooks/test_notebook_files.py checks
    there is exactly one such cell); the tests compare their known answers with these values."""
    import nbformat

    from tests.notebooks.conftest import NOTEBOOKS

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    values: dict[str, Any] = {}
    exec(compile(cell.source, f"{name}:parameters", "exec"), {}, values)
    return values
