"""Strip outputs from notebooks before committing: ``python -m tests.notebooks.strip [FILES]``.

Keeps the cells, their ids and tags; drops outputs, execution counts and run metadata (what
nbstripout does, without the extra dependency). Without arguments it strips notebooks/*.ipynb.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tests.notebooks.conftest import NOTEBOOKS

KEEP_CELL_METADATA = ("tags",)


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without outputs, counts or execution metadata."""
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    return nb


def is_stripped(nb: nbformat.NotebookNode) -> bool:
    return strip(nbformat.from_dict(nb)) == nb


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in files:
        nb = nbformat.read(path, as_version=4)
        if not is_stripped(nb):
            nbformat.write(strip(nb), path)
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
