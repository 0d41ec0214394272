"""The committed notebooks: outputs stripped, a papermill parameters cell, short cells, prose."""

from __future__ import annotations

import copy

import nbformat
import pytest

from tests.notebooks.conftest import NOTEBOOKS
from tests.notebooks.strip import is_stripped, strip

NAMES = [
    "01-quickstart.ipynb",
    "02-convergence.ipynb",
    "03-judge-rejections.ipynb",
    "04-continuation.ipynb",
    "05-silent-failures.ipynb",
    "06-map-of-certifiability.ipynb",
    "07-general-engine.ipynb",
]


def test_every_notebook_is_listed_here():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_outputs_are_stripped_and_parameters_exist(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert is_stripped(nb), f"run `python -m tests.notebooks.strip` before committing {name}"
    assert nb.metadata.kernelspec.name == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and 'results_path = ""' in tagged[0].source
    code = [c for c in nb.cells if c.cell_type == "code"]
    prose = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(prose) >= len(code) // 2, "prose between the cells"
    assert max(len(c.source.splitlines()) for c in code) <= 45, "short cells"


def test_strip_removes_outputs():
    nb = nbformat.read(NOTEBOOKS / NAMES[0], as_version=4)
    run = copy.deepcopy(nb)
    run.cells[1].outputs = [nbformat.v4.new_output("stream", text="x")]
    run.cells[1].execution_count = 3
    run.metadata["papermill"] = {"duration": 1.0}
    assert not is_stripped(run)
    assert strip(run) == nb
