"""Run bundles: an immutable, hashed folder per run that replays without the API.

A bundle holds the spec.md, the judge report, the convergence table, the certificate, the
arrays, the versions of Python and libraries, and any inference log, plus ``MANIFEST.sha256``
listing the SHA-256 of every file. The bundle id is derived from the manifest, so the name
itself certifies the content; files are written read-only. :func:`verify` recomputes the
hashes and reports any tampering.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from simlab.errors import BundleError

MANIFEST = "MANIFEST.sha256"
TRACKED_PACKAGES = (
    "simlab",
    "numpy",
    "scipy",
    "sympy",
    "pint",
    "scikit-image",
    "anthropic",
    "matplotlib",
)


@dataclass
class VerifyReport:
    """The outcome of re-hashing a bundle."""

    path: str
    ok: bool
    modified: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    id_matches: bool = True
    expected_id: str = ""

    @property
    def contents_intact(self) -> bool:
        """Every recorded file is present and unchanged, and nothing was added."""
        return not (self.modified or self.missing or self.unexpected)

    @property
    def status(self) -> str:
        """``intact``; ``renamed`` (contents intact, folder name without the id); ``tampered``."""
        if not self.contents_intact:
            return "tampered"
        return "intact" if self.id_matches else "renamed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "ok": self.ok,
            "contents_intact": self.contents_intact,
            "expected_id": self.expected_id,
            "modified": self.modified,
            "missing": self.missing,
            "unexpected": self.unexpected,
            "id_matches": self.id_matches,
        }


def environment() -> dict[str, Any]:
    """Python, platform and library versions (no environment variables: no secrets)."""
    versions = {}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "packages": versions,
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _manifest_text(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    return "".join(f"{_sha256(p)}  {p.relative_to(folder).as_posix()}\n" for p in files)


def bundle_id(manifest_text: str) -> str:
    """The id of a bundle: 16 hex digits of the SHA-256 of its manifest."""
    return hashlib.sha256(manifest_text.encode()).hexdigest()[:16]


def write_bundle(
    out_dir: str | Path,
    *,
    texts: dict[str, str] | None = None,
    documents: dict[str, Any] | None = None,
    arrays: dict[str, np.ndarray] | None = None,
    label: str = "run",
) -> Path:
    """Write a new bundle under ``out_dir`` and return its folder ``<out_dir>/<label>-<id>``.

    ``texts`` are written verbatim (e.g. ``spec.md``, ``inference.jsonl``), ``documents`` as
    JSON, ``arrays`` into ``arrays.npz``. The folder is assembled in a temporary place and
    moved into position whole, so a crash never leaves a half-written bundle.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out))
    try:
        for name, text in (texts or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        docs = {
            "environment.json": environment(),
            "created.json": {"utc": datetime.now(UTC).isoformat(timespec="seconds")},
            **(documents or {}),
        }
        for name, doc in docs.items():
            (tmp / name).write_text(
                json.dumps(doc, indent=2, sort_keys=True, default=_json_default) + "\n",
                encoding="utf-8",
            )
        if arrays:
            np.savez_compressed(tmp / "arrays.npz", **arrays)
        manifest = _manifest_text(tmp)
        (tmp / MANIFEST).write_text(manifest, encoding="utf-8")
        final = out / f"{_slug(label)}-{bundle_id(manifest)}"
        if final.exists():  # identical content already bundled: keep the original
            shutil.rmtree(tmp)
            return final
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for p in final.rglob("*"):
        if p.is_file():
            p.chmod(0o444)
    return final


def verify(path: str | Path) -> VerifyReport:
    """Recompute every hash of a bundle and compare with its manifest and its id."""
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BundleError(
            "not a run bundle (no MANIFEST.sha256)",
            file=str(folder),
            hint="pass a folder written by `simlab run`, e.g. runs/heat-1d-<id>",
        )
    recorded: dict[str, str] = {}
    for n, line in enumerate(manifest_path.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise BundleError("malformed manifest line", file=str(manifest_path), line=n)
        recorded[name] = digest
    present = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    present.pop(MANIFEST, None)
    modified = sorted(n for n, d in recorded.items() if n in present and _sha256(present[n]) != d)
    missing = sorted(n for n in recorded if n not in present)
    unexpected = sorted(n for n in present if n not in recorded)
    expected_id = bundle_id(manifest_path.read_text(encoding="utf-8"))
    id_matches = folder.name.endswith(expected_id)
    ok = not (modified or missing or unexpected) and id_matches
    return VerifyReport(str(folder), ok, modified, missing, unexpected, id_matches, expected_id)


def read_document(path: str | Path, name: str) -> Any:
    """Load one JSON document of a bundle."""
    try:
        return json.loads((Path(path) / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"bundle has no {name}", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise BundleError(f"{name} is not valid JSON: {exc.msg}", file=str(path)) from None


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in keep.split("-") if part)[:40] or "run"


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float) and not np.isfinite(obj):
        return str(obj)
    return str(obj)
