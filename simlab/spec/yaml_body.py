"""Read a section body as YAML, keeping the line of every key.

The loader is PyYAML's safe loader with two YAML-1.1 surprises removed: ``1e-3`` is a float
(not a string) and only ``true``/``false`` are booleans (``no``, ``on``, ``N`` stay text).
Duplicate keys, which YAML silently overwrites, are an error here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from simlab.errors import SpecError

_BOOL = "tag:yaml.org,2002:bool"
_FLOAT = "tag:yaml.org,2002:float"


class SpecLoader(yaml.SafeLoader):
    """Safe YAML loader with YAML-1.2-like numbers and booleans."""


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SpecLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
SpecLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)

_YAML_HINT = (
    "section bodies are YAML: 'key: value' lines, nested keys indented by two spaces (no tabs), "
    "'key: |' for multi-line text; quote a value that contains ': ' or starts with "
    "'[', '{', '*', '&'"
)


@dataclass(frozen=True)
class Body:
    """The data of one section and the absolute line of each key path."""

    data: Any
    lines: dict[tuple[str, ...], int]


def load(text: str, first_line: int, *, file: str | None, section: str) -> Body:
    """Parse YAML ``text`` whose first line is ``first_line`` of the file."""
    if "\t" in text:
        offset = text[: text.index("\t")].count("\n")
        raise SpecError(
            "tab character in a section body",
            file=file,
            line=first_line + offset,
            section=section,
            hint="indent with spaces; YAML does not allow tabs",
        )
    try:
        node, data = _compose_and_construct(text)
    except yaml.MarkedYAMLError as exc:
        # the construct's start (context) is where a person looks; the problem may be later
        mark = exc.context_mark or exc.problem_mark
        line = first_line + mark.line if mark is not None else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem_mark is not None:
            problem += f" ({exc.context}, found at line {first_line + exc.problem_mark.line})"
        raise SpecError(
            f"cannot read this section as YAML: {problem}",
            file=file,
            line=line,
            section=section,
            hint=_YAML_HINT,
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        raise SpecError(
            f"cannot read this section as YAML: {type(exc).__name__}",
            file=file,
            line=first_line,
            section=section,
            hint=_YAML_HINT,
        ) from None
    lines: dict[tuple[str, ...], int] = {}
    if node is not None:
        _walk(node, (), first_line, lines, file, section, depth=0)
    return Body(data, lines)


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for lines) and the data built from that same tree: what
    ``yaml.compose`` and ``yaml.load`` give, for one parse instead of two."""
    loader = SpecLoader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _walk(
    node: yaml.Node,
    path: tuple[str, ...],
    first: int,
    out: dict[tuple[str, ...], int],
    file: str | None,
    section: str,
    depth: int,
) -> None:
    if depth > 50:
        raise SpecError(
            "nesting deeper than 50 levels",
            file=file,
            line=first + node.start_mark.line,
            section=section,
            hint="a spec needs only a few levels of nesting",
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first + key_node.start_mark.line
            if key in seen:
                raise SpecError(
                    f"key '{key}' appears twice (first at line {seen[key]})",
                    file=file,
                    line=line,
                    section=section,
                    hint="YAML keeps only the last value; remove or rename one of them",
                )
            seen[key] = line
            out[(*path, key)] = line
            _walk(value_node, (*path, key), first, out, file, section, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[(*path, str(i))] = first + item.start_mark.line
            _walk(item, (*path, str(i)), first, out, file, section, depth + 1)
