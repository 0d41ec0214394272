"""The seeded-bug corpus on disk: ``benchmarks/seeded/<problem>/{correct,bug_*}.py``.

Each module states in its docstring what it does; a bug module's docstring has a line
``Kind: <kind>`` naming the class of bug (the issue's list and the literature's). The corpus
is read with :mod:`ast` only: discovering the corpus never runs its code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from simlab.errors import SimlabError
from simlab.paths import REPO_ROOT

CORPUS = REPO_ROOT / "benchmarks" / "seeded"
CORRECT = "correct"


class CorpusError(SimlabError, ValueError):
    """The corpus folder or one of its modules is not as described."""


@dataclass(frozen=True)
class Variant:
    """One module of the corpus."""

    problem: str
    name: str
    path: Path
    kind: str
    summary: str

    @property
    def correct(self) -> bool:
        return self.name == CORRECT

    @property
    def label(self) -> str:
        return f"{self.problem}/{self.name}"


def discover(root: str | Path = CORPUS, problems: tuple[str, ...] | None = None) -> list[Variant]:
    """Every variant under ``root`` (sorted: problem, then correct first, then bugs)."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"no seeded-bug corpus at {root}")
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        if problems and folder.name not in problems:
            continue
        files = sorted(folder.glob("bug_*.py"))
        correct = folder / f"{CORRECT}.py"
        if not correct.is_file():
            raise CorpusError(f"{folder.name}: no correct.py beside the bugs")
        for path in [correct, *files]:
            found.append(_read(folder.name, path))
    return found


def _read(problem: str, path: Path) -> Variant:
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except SyntaxError as exc:
        raise CorpusError(f"{path}: not valid Python ({exc})") from None
    lines = [line.strip() for line in doc.splitlines()]
    first = lines[: lines.index("")] if "" in lines else lines
    summary = " ".join(first)
    kind = next(
        (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("kind:")), ""
    )
    if path.stem == CORRECT:
        kind = "correct"
    elif not kind:
        raise CorpusError(f"{path}: a bug module's docstring needs a 'Kind: ...' line")
    return Variant(problem, path.stem, path, kind, summary)
