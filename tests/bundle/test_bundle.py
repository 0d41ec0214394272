"""Run bundles: content-addressed, read-only, and tampering is detected."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simlab.bundle import MANIFEST, read_document, verify, write_bundle
from simlab.errors import BundleError


def make(tmp_path, value: float = 1.0):
    return write_bundle(
        tmp_path,
        texts={"spec.md": "# Specification: t\n"},
        documents={"certificate.json": {"status": "computed", "value": value}},
        arrays={"u": np.linspace(0, 1, 5) * value},
        label="Heat 1D",
    )


def test_bundle_layout_and_verify(tmp_path) -> None:
    folder = make(tmp_path)
    assert folder.name.startswith("heat-1d-")
    names = {p.name for p in folder.iterdir()}
    assert {"spec.md", "certificate.json", "arrays.npz", "environment.json", MANIFEST} <= names
    report = verify(folder)
    assert report.ok, report
    env = read_document(folder, "environment.json")
    assert env["packages"]["numpy"] == np.__version__


def test_id_depends_on_content(tmp_path) -> None:
    a = make(tmp_path / "a", 1.0)
    b = make(tmp_path / "b", 2.0)
    assert a.name != b.name


@pytest.mark.parametrize("attack", ["modify", "delete", "add", "rename"])
def test_tampering_is_reported(tmp_path, attack) -> None:
    folder = make(tmp_path)
    for p in folder.iterdir():
        p.chmod(0o644)
    cert = folder / "certificate.json"
    if attack == "modify":
        data = json.loads(cert.read_text())
        data["value"] = 0.5
        cert.write_text(json.dumps(data))
    elif attack == "delete":
        cert.unlink()
    elif attack == "add":
        (folder / "extra.txt").write_text("x")
    else:
        folder = folder.rename(folder.with_name("heat-1d-0000000000000000"))
    report = verify(folder)
    assert not report.ok
    if attack == "modify":
        assert report.modified == ["certificate.json"]
    if attack == "delete":
        assert report.missing == ["certificate.json"]
    if attack == "add":
        assert report.unexpected == ["extra.txt"]
    if attack == "rename":  # told apart from an edit: contents intact, name without the id
        assert not report.id_matches and report.contents_intact
        assert report.status == "renamed" and report.expected_id in report.to_dict().values()
    else:
        assert report.status == "tampered" and not report.contents_intact


def test_verify_cli_tells_renamed_from_edited(tmp_path, capsys) -> None:
    from simlab.cli import main

    folder = make(tmp_path)
    assert main(["verify", str(folder)]) == 0
    moved = folder.rename(folder.with_name("my-copy"))
    assert main(["verify", str(moved)]) == 3
    assert "RENAMED, contents intact" in capsys.readouterr().out
    (moved / "certificate.json").chmod(0o644)
    (moved / "certificate.json").write_text("{}")
    assert main(["verify", str(moved)]) == 1
    assert "TAMPERED (edited)" in capsys.readouterr().out


def test_files_are_read_only(tmp_path) -> None:
    folder = make(tmp_path)
    assert all(not (p.stat().st_mode & 0o222) for p in folder.iterdir())


def test_not_a_bundle(tmp_path) -> None:
    with pytest.raises(BundleError, match="MANIFEST"):
        verify(tmp_path)
