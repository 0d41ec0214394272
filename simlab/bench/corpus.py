"""The seeded-bug corpora on disk: ``benchmarks/<corpus>/<problem>/{correct*,bug_*}.py``.

Two corpora: ``seeded`` (the first, written with the certificate) and ``seeded_indep`` (a
second one written independently of it: no module imports or subclasses the first corpus's
``correct.py``; own grids, own steppers, varied styles and declared methods). Each module
states in its docstring what it does; a bug module's docstring has a line ``Kind: <kind>``
naming the class of bug (the issue's list and the literature's). Every problem folder has at
least one correct module (``correct.py`` or ``correct_*.py``). A corpus is read with
:mod:`ast` only: discovering it never runs its code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from simlab.errors import SimlabError
from simlab.paths import REPO_ROOT

CORPUS = REPO_ROOT / "benchmarks" / "seeded"
INDEPENDENT = REPO_ROOT / "benchmarks" / "seeded_indep"
CORPORA: dict[str, Path] = {"seeded": CORPUS, "seeded_indep": INDEPENDENT}
"""Every corpus the bench knows, by name (the folder's name)."""
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
    corpus: str = "seeded"

    @property
    def correct(self) -> bool:
        return is_correct(self.name)

    @property
    def label(self) -> str:
        return module_label(self.corpus, self.problem, self.name)


def is_correct(name: str) -> bool:
    """A module named ``correct`` or ``correct_*`` is a correct one."""
    return name == CORRECT or name.startswith(CORRECT + "_")


def module_label(corpus: str, problem: str, name: str) -> str:
    """``problem/module`` in the first corpus, ``corpus:problem/module`` in the others."""
    return f"{problem}/{name}" if corpus == "seeded" else f"{corpus}:{problem}/{name}"


def discover(
    root: str | Path = CORPUS, problems: tuple[str, ...] | None = None, corpus: str | None = None
) -> list[Variant]:
    """Every variant under ``root`` (sorted: problem, then correct ones first, then bugs).

    ``corpus`` names the corpus in labels (default: the folder's name).
    """
    root = Path(root)
    name = corpus or root.name
    if not root.is_dir():
        raise CorpusError(f"no seeded-bug corpus at {root}")
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        if problems and folder.name not in problems:
            continue
        files = sorted(folder.glob("bug_*.py"))
        correct = sorted(p for p in folder.glob("correct*.py") if is_correct(p.stem))
        if not correct:
            raise CorpusError(
                f"{folder}: no correct module beside the bugs",
                hint="add correct.py (or correct_<style>.py), a verified solver of the problem",
            )
        for path in [*correct, *files]:
            found.append(_read(folder.name, path, name))
    return found


def _read(problem: str, path: Path, corpus: str = "seeded") -> Variant:
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
    if is_correct(path.stem):
        kind = "correct"
    elif not kind:
        raise CorpusError(
            f"{path}: a bug module's docstring needs a 'Kind: ...' line",
            hint="add a line 'Kind: <class of bug>' to the module docstring",
        )
    return Variant(problem, path.stem, path, kind, summary, corpus)
