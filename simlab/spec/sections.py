"""Split a spec.md text into its header and ``## Section`` blocks, with line numbers.

Section headers are matched case-insensitively, tolerate ``##Name`` without a space and
suffixes such as ``## Task Instance Variations (100 instances)``; sections may come in any
order. A body wrapped in a Markdown code fence (```` ```yaml ````) is unwrapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simlab.errors import SpecError

MAX_BYTES = 1_000_000

#: canonical key -> the header as rendered
MANDATORY: dict[str, str] = {
    "domain": "Domain",
    "equations": "Equations",
    "boundary": "Boundary Conditions",
    "initial": "Initial Conditions",
    "observables": "Observables",
    "tolerance": "Tolerance",
}
KNOWN_OPTIONAL: dict[str, str] = {"discretization": "Discretization"}

_HEADER = re.compile(r"^\s*#\s*specification\s*:\s*(?P<title>.*?)\s*$", re.IGNORECASE)
_SECTION = re.compile(r"^##(?!#)\s*(?P<name>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class RawSection:
    """One ``## Name`` block: its name as written, canonical key, and body with its first line."""

    name: str
    key: str | None
    header_line: int
    body: str
    body_line: int


@dataclass(frozen=True)
class RawDocument:
    """A spec.md split into parts, before any YAML is read."""

    title: str
    description: str
    sections: tuple[RawSection, ...]


def canonical_key(name: str) -> str | None:
    """Map a section name as written to a canonical key (``None`` for an extension)."""
    norm = re.sub(r"\(.*?\)", " ", name.lower())
    norm = re.sub(r"[^a-z ]+", " ", norm).strip()
    norm = re.sub(r"\s+", " ", norm)
    rules = (
        ("domain", ("domain", "computational domain")),
        ("equations", ("equation", "governing equation")),
        ("boundary", ("boundary", "boundaries")),
        ("initial", ("initial",)),
        ("observables", ("observable", "output")),
        ("tolerance", ("tolerance",)),
        ("discretization", ("discretization", "discretisation", "numerical method")),
    )
    for key, prefixes in rules:
        if any(norm.startswith(p) for p in prefixes):
            return key
    return None


def decode(data: bytes, file: str | None = None) -> str:
    """Decode spec bytes as UTF-8 with clear errors for binary, oversized or mis-encoded files."""
    if len(data) > MAX_BYTES:
        raise SpecError(
            f"file is {len(data) / 1e6:.1f} MB; a spec.md is at most {MAX_BYTES / 1e6:.0f} MB",
            file=file,
            hint="a spec describes a problem; put data arrays in separate files and refer to them",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(
            "file is UTF-16 encoded",
            file=file,
            line=1,
            hint="save the file as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)",
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SpecError(
            "file contains NUL bytes: this is binary data, not a spec.md",
            file=file,
            line=line,
            hint="pass the spec.md text file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=file,
            line=line,
            hint="re-save the file as UTF-8 (e.g. `iconv -f latin1 -t UTF-8`)",
        ) from None
    return text


def split(text: str, file: str | None = None) -> RawDocument:
    """Split spec.md text into header, description and sections."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise SpecError(
            f"spec text is larger than {MAX_BYTES / 1e6:.0f} MB",
            file=file,
            hint="a spec describes a problem; put data arrays in separate files",
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise SpecError(
            "the spec is empty",
            file=file,
            line=1,
            hint="start with '# Specification: <title>' followed by the six '## ' sections "
            "(see docs/spec-format.md or `simlab validate --explain`)",
        )
    title, start = _find_title(lines, file)
    heads: list[tuple[int, str]] = []
    fenced = False
    for i in range(start, len(lines)):
        if _FENCE.match(lines[i]):
            fenced = not fenced
        m = None if fenced else _SECTION.match(lines[i])
        if m:
            heads.append((i, m.group("name")))
    description = "\n".join(lines[start : heads[0][0] if heads else len(lines)]).strip()
    sections = []
    seen: dict[str, RawSection] = {}
    for n, (i, name) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body, body_line = _unfence(lines[i + 1 : end], i + 2)
        if not name:
            raise SpecError(
                "section header has no name",
                file=file,
                line=i + 1,
                hint="write e.g. '## Domain'",
            )
        sec = RawSection(name, canonical_key(name), i + 1, body, body_line)
        dedup = sec.key or name.strip().lower()
        if dedup in seen:
            raise SpecError(
                f"section '{name}' appears twice (first at line {seen[dedup].header_line})",
                file=file,
                line=i + 1,
                section=name,
                hint="merge the two sections into one",
            )
        seen[dedup] = sec
        sections.append(sec)
    missing = [MANDATORY[k] for k in MANDATORY if k not in seen]
    if missing:
        raise SpecError(
            f"missing mandatory section(s): {', '.join('## ' + m for m in missing)}",
            file=file,
            line=len(lines),
            section=missing[0],
            hint="every spec.md has the six sections Domain, Equations, Boundary Conditions, "
            "Initial Conditions, Observables, Tolerance (write 'boundaries: none' or "
            "'initial: none' where a part does not apply)",
        )
    return RawDocument(title, description, tuple(sections))


def _find_title(lines: list[str], file: str | None) -> tuple[str, int]:
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        m = _HEADER.match(line)
        if m and m.group("title"):
            return m.group("title"), i + 1
        raise SpecError(
            "the first line must be the header '# Specification: <title>'",
            file=file,
            line=i + 1,
            hint="add a first line such as '# Specification: Heat equation in 1D'",
        )
    raise AssertionError("unreachable: empty text is rejected earlier")


def _unfence(body: list[str], first_line: int) -> tuple[str, int]:
    """Drop a code fence wrapping the whole body, keeping line numbers right."""
    idx = [i for i, line in enumerate(body) if line.strip()]
    if len(idx) >= 2 and _FENCE.match(body[idx[0]]) and _FENCE.match(body[idx[-1]]):
        inner = [""] * (idx[0] + 1) + body[idx[0] + 1 : idx[-1]]
        return "\n".join(inner), first_line
    return "\n".join(body), first_line
