"""Render a :class:`~simlab.spec.model.Spec` as spec.md text (its human-readable view)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from simlab.spec import dialect
from simlab.spec.model import Spec
from simlab.spec.sections import KNOWN_OPTIONAL, MANDATORY
from simlab.spec.yaml_body import SpecLoader


class SpecDumper(yaml.SafeDumper):
    """Dumps with the same number/boolean rules :class:`SpecLoader` reads with."""


SpecDumper.yaml_implicit_resolvers = SpecLoader.yaml_implicit_resolvers


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _is_atom(v: Any) -> bool:
    """A value that reads well inside ``[...]`` or ``{...}``."""
    if isinstance(v, (bool, int, float)):
        return True
    return isinstance(v, str) and bool(re.fullmatch(r"[\w.^/*+-]{1,30}", v))


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(_is_atom(v) for v in data) and len(data) <= 12
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.Node:
    flat = all(
        _is_atom(v) or (isinstance(v, list) and all(_is_atom(x) for x in v) and len(v) <= 4)
        for v in data.values()
    )
    flow = bool(data) and flat and len(repr(data)) <= 70
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


SpecDumper.add_representer(str, _str)
SpecDumper.add_representer(list, _list)
SpecDumper.add_representer(dict, _dict)


class _Block(dict):  # type: ignore[type-arg]
    """A section's top-level mapping: always written one key per line."""


SpecDumper.add_representer(
    _Block, lambda d, m: d.represent_mapping("tag:yaml.org,2002:map", dict(m), flow_style=False)
)
SpecDumper.add_representer(tuple, lambda d, t: _list(d, list(t)))


def _yaml(data: Any) -> str:
    if data is None or data == {}:
        return ""
    if isinstance(data, dict):
        data = _Block(data)
    return yaml.dump(
        data, Dumper=SpecDumper, sort_keys=False, allow_unicode=True, width=100
    ).rstrip("\n")


def render(spec: Spec) -> str:
    """spec.md text such that ``parse(render(spec)) == spec``."""
    bodies = {
        "domain": dialect.write_domain(spec.domain),
        "equations": dialect.write_equations(spec.equations),
        "boundary": dialect.write_boundary(spec.boundary),
        "initial": dialect.write_initial(spec.initial),
        "observables": dialect.write_observables(spec.observables),
        "tolerance": dialect.write_tolerance(spec.tolerance),
    }
    parts = [f"# Specification: {spec.title}", ""]
    if spec.description:
        parts += [spec.description, ""]
    for key, header in MANDATORY.items():
        parts += [f"## {header}", _yaml(bodies[key]), ""]
    if spec.discretization is not None:
        body = dialect.write_discretization(spec.discretization)
        parts += [f"## {KNOWN_OPTIONAL['discretization']}", _yaml(body), ""]
    for ext in spec.extensions:
        parts += [f"## {ext.name}", _yaml(ext.data), ""]
    return "\n".join(parts).rstrip("\n") + "\n"
