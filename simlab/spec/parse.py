"""Read spec.md text or files into a :class:`~simlab.spec.model.Spec`."""

from __future__ import annotations

from pathlib import Path

from simlab.errors import SpecError
from simlab.spec import dialect
from simlab.spec.model import Extension, Spec
from simlab.spec.sections import MAX_BYTES, RawSection, decode, split
from simlab.spec.yaml_body import load

_READERS = {
    "domain": dialect.read_domain,
    "equations": dialect.read_equations,
    "boundary": dialect.read_boundary,
    "initial": dialect.read_initial,
    "observables": dialect.read_observables,
    "tolerance": dialect.read_tolerance,
    "discretization": dialect.read_discretization,
}


def parse(text: str, file: str | None = None) -> Spec:
    """Parse spec.md ``text``; raise :class:`SpecError` naming file, line and section."""
    if not isinstance(text, str):
        raise SpecError("spec text must be a string", file=file)
    doc = split(text, file)
    lines: dict[tuple[str, ...], int] = {}
    parts: dict[str, object] = {}
    extensions: list[Extension] = []
    for sec in sorted(doc.sections, key=_reading_order):
        key = sec.key or sec.name
        lines[(key,)] = sec.header_line
        body = load(sec.body, sec.body_line, file=file, section=sec.name)
        lines.update({(key, *path): line for path, line in body.lines.items()})
        if sec.key is None:
            extensions.append(Extension(sec.name.strip(), body.data))
            continue
        reader = dialect.Reader(file, sec.name, lines, key)
        parts[sec.key] = _read(sec, reader, body.data, parts)
    return Spec(
        title=doc.title,
        domain=parts["domain"],  # type: ignore[arg-type]
        equations=parts["equations"],  # type: ignore[arg-type]
        boundary=parts["boundary"],  # type: ignore[arg-type]
        initial=parts["initial"],  # type: ignore[arg-type]
        observables=parts["observables"],  # type: ignore[arg-type]
        tolerance=parts["tolerance"],  # type: ignore[arg-type]
        discretization=parts.get("discretization"),  # type: ignore[arg-type]
        extensions=tuple(extensions),
        description=doc.description,
        source=file,
        lines=lines,
    )


def _read(sec: RawSection, reader: dialect.Reader, data: object, parts: dict) -> object:
    try:
        if sec.key == "tolerance":
            return dialect.read_tolerance(reader, data, _observables_first(parts, sec))
        if sec.key == "observables":
            return dialect.read_observables(reader, data, parts.get("domain"))  # type: ignore[arg-type]
        return _READERS[sec.key](reader, data)  # type: ignore[index]
    except SpecError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # a shape the dialect did not foresee: still a clear error, never a traceback
        raise SpecError(
            f"cannot read this section: {type(exc).__name__}: {exc}",
            file=reader.file,
            line=sec.header_line,
            section=sec.name,
            hint="see docs/spec-format.md for the shape of each section",
        ) from None


def _reading_order(sec: RawSection) -> int:
    """Domain first (observables read coordinate units), tolerance last (it names observables)."""
    return {"domain": 0, "tolerance": 2}.get(sec.key or "", 1)


def _observables_first(parts: dict, sec: RawSection) -> tuple:
    """Tolerance reads bounds such as ``PSNR_minimum`` by observable name."""
    return parts.get("observables", ())  # type: ignore[return-value]


def parse_file(path: str | Path) -> Spec:
    """Read and parse a spec.md file."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise SpecError("is a directory, not a spec.md file", file=name)
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise SpecError(
                f"file is {size / 1e6:.1f} MB; a spec.md is at most {MAX_BYTES / 1e6:.0f} MB",
                file=name,
                hint="a spec describes a problem; put data arrays in separate files",
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise SpecError("no such file", file=name, hint="check the path") from None
    except PermissionError:
        raise SpecError("permission denied", file=name) from None
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    return parse(decode(data, name), name)
