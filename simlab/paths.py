"""Where the bundled specs live (the repository's ``specs/`` beside the package)."""

from __future__ import annotations

from pathlib import Path

from simlab.errors import SimlabError

REPO_ROOT = Path(__file__).resolve().parents[1]
SPECS_DIR = REPO_ROOT / "specs"
DEFAULT_SPEC = SPECS_DIR / "dev" / "heat_1d.md"


def bundled_spec(name: str) -> Path:
    """Path of a bundled spec by name (``"dev/heat_1d"``), with a clear error if absent."""
    path = SPECS_DIR / (name if name.endswith(".md") else f"{name}.md")
    if not path.is_file():
        raise SimlabError(
            f"no bundled spec '{name}'",
            file=str(path),
            hint="simlab is meant to be installed from a checkout (pip install -e .); "
            f"bundled specs are in {SPECS_DIR}",
        )
    return path
