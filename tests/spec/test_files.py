"""Files that are not spec.md text: clear errors, never a traceback."""

from __future__ import annotations

import pytest

from simlab.errors import SpecError
from simlab.spec import parse_file
from tests.spec.test_parse import MINIMAL


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (MINIMAL.encode("latin-1") + "café".encode("latin-1"), "not valid UTF-8"),
        (MINIMAL.encode("utf-16"), "UTF-16"),
        (b"# Specification: x\n" + b"a" * 10_500_000, "MB"),
    ],
    ids=["binary", "latin1", "utf16", "10MB"],
)
def test_unreadable_files(tmp_spec, content, needle) -> None:
    path = tmp_spec(content)
    with pytest.raises(SpecError, match=needle) as info:
        parse_file(path)
    assert info.value.file == str(path)


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        parse_file(tmp_path / "nope.md")
    with pytest.raises(SpecError, match="directory"):
        parse_file(tmp_path)


def test_bom_and_crlf_are_fine(tmp_spec) -> None:
    path = tmp_spec(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    assert parse_file(path).title == "Heat"
