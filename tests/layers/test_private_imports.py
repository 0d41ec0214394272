"""No module imports a private (``_``-prefixed) module or name from another package.

A private module is its package's business: another package that needs it must go through a
public, documented function (``simlab.problem``, ``simlab.discretize`` ...). The test walks the
AST of every module under ``simlab/`` (``import`` and ``from ... import``, also inside
functions) and resolves relative imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

from simlab.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "simlab"


def _package_of(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1])


def _imported(node: ast.AST, package: str) -> list[str]:
    """Dotted names an import statement brings in (module paths and module.name)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        return [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return []


def _private_owner(dotted: str, root: Path) -> str | None:
    """The package owning the first ``_``-prefixed component (module or name), else None.

    A private module belongs to the package holding it; a private name to the package of the
    module defining it.
    """
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            holder = parts[:i]
            is_package = root.parent.joinpath(*holder).is_dir()
            return ".".join(holder if is_package else holder[:-1])
    return None


def cross_package_private_imports(root: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        package = _package_of(path)
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            for dotted in _imported(node, package):
                owner = _private_owner(dotted, root)
                if owner is None:
                    continue
                if package == owner or package.startswith(owner + "."):
                    continue  # inside the package that owns it
                found.append(
                    f"{path.relative_to(REPO_ROOT)}:{node.lineno} imports {dotted} "
                    f"(private to {owner})"
                )
    return sorted(set(found))


def test_no_private_module_is_imported_across_packages() -> None:
    offenders = cross_package_private_imports()
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The walker is not vacuous: a planted cross-package import is reported."""
    root = tmp_path / "simlab"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "_hidden.py").write_text("X = 1\n")
    (root / "a" / "inside.py").write_text("from simlab.a._hidden import X\nfrom . import _hidden\n")
    (root / "b" / "outside.py").write_text(
        "def f():\n    from simlab.a._hidden import X\n    return X\n"
    )
    import tests.layers.test_private_imports as me

    saved = me.REPO_ROOT
    me.REPO_ROOT = tmp_path
    try:
        offenders = cross_package_private_imports(root)
    finally:
        me.REPO_ROOT = saved
    assert offenders == [
        "simlab/b/outside.py:2 imports simlab.a._hidden (private to simlab.a)"
    ] or (len(offenders) == 2 and all("outside.py:2" in o for o in offenders))
