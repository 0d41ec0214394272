"""Validate a Spec: the paper's three validity rules, then what is machine-checkable (S1).

A problem is ``error`` (the spec is invalid: a validity rule fails or the spec contradicts
itself), ``unverifiable`` (valid, but this part cannot be checked by the Judge: free text,
a missing unit or reference) or ``note`` (kept as written, not checked). Each problem says
how to upgrade the part; nothing is silently guessed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from simlab.spec import dialect
from simlab.spec.expressions import BUILTIN_NAMES, ExpressionError, Namespace, free_names
from simlab.spec.model import Spec
from simlab.spec.sections import MANDATORY
from simlab.spec.units import UnitError, parse_unit, split_quantity

Severity = Literal["error", "unverifiable", "note"]

#: functionals an observable definition may call besides point evaluation of an unknown
FUNCTIONALS = frozenset(
    {
        "eigenvalue",
        "max",
        "min",
        "mean",
        "integral",
        "norm",
        "front_speed",
        "peak_time",
        "peak",
        "final",
        "psnr",
        "ssim",
        "relative_error",
        "intensity",
        "abs",
        "outcome",
    }
)

_MATH = re.compile(r"[=<>]|[A-Za-z0-9_)\]]\s*[-+*/^]\s*[A-Za-z0-9_(]|\w\(|\\[a-zA-Z]+")


@dataclass(frozen=True)
class Problem:
    """One finding, located by section and line, with a way to fix it."""

    section: str
    message: str
    severity: Severity = "unverifiable"
    line: int | None = None
    hint: str | None = None


@dataclass
class Validation:
    """The outcome of validating one spec."""

    file: str | None
    valid: bool
    machine_checkable: bool
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "valid": self.valid,
            "machine_checkable": self.machine_checkable,
            "problems": [asdict(p) for p in self.problems],
        }


class _Collector:
    def __init__(self, spec: Spec, text: str | None) -> None:
        self.spec = spec
        self.source_lines = text.splitlines() if text else None
        self.problems: list[Problem] = []

    def add(self, key: str, message: str, severity: Severity, *path: str, hint: str | None = None):
        header = MANDATORY.get(key, key)
        self.problems.append(
            Problem(header, message, severity, self.spec.line_of(key, *path), hint)
        )


def validate(spec: Spec, text: str | None = None) -> Validation:
    """Check ``spec``; pass the original ``text`` to also spot units written in comments."""
    c = _Collector(spec, text)
    _paper_rules(c)
    ns = _namespace(c)
    _domain(c)
    _equations(c, ns)
    _boundary(c, ns)
    _initial(c, ns)
    _observables(c)
    _tolerance(c, ns)
    valid = not any(p.severity == "error" for p in c.problems)
    checkable = valid and not any(p.severity == "unverifiable" for p in c.problems)
    return Validation(spec.source, valid, checkable, c.problems)


# ------------------------------------------------------------------ the paper's rules


def _section_data(spec: Spec) -> dict[str, Any]:
    return {
        "domain": dialect.write_domain(spec.domain),
        "equations": dialect.write_equations(spec.equations),
        "boundary": dialect.write_boundary(spec.boundary),
        "initial": dialect.write_initial(spec.initial),
        "observables": dialect.write_observables(spec.observables),
        "tolerance": dialect.write_tolerance(spec.tolerance),
    }


def _paper_rules(c: _Collector) -> None:
    for key, data in _section_data(c.spec).items():
        pairs = {k: v for k, v in data.items() if k != "text" and v not in (None, "", [], {})}
        if not pairs:
            c.add(
                key,
                "section has no non-empty 'key: value' pair (validity rule 1)",
                "error",
                hint="write at least one 'key: value' line; use 'boundaries: none' or "
                "'initial: none' where the part does not apply",
            )
    if not _has_number(_section_data(c.spec)["tolerance"]):
        c.add(
            "tolerance",
            "no numeric threshold (validity rule 2)",
            "error",
            hint="write e.g. 'threshold: 1.0e-3' with a 'metric'",
        )
    if not _has_math(dialect.write_equations(c.spec.equations)):
        c.add(
            "equations",
            "no mathematical expression (validity rule 3)",
            "error",
            hint="write the governing equations, e.g. 'equations: [\"diff(u, t) = "
            "kappa*diff(u, x, 2)\"]'",
        )


def _has_number(data: Any) -> bool:
    if isinstance(data, bool):
        return False
    if isinstance(data, (int, float)):
        return True
    if isinstance(data, str):
        return split_quantity(data) is not None
    if isinstance(data, dict):
        return any(_has_number(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_number(v) for v in data)
    return False


def _has_math(data: Any) -> bool:
    if isinstance(data, str):
        return bool(_MATH.search(data))
    if isinstance(data, dict):
        return any(_has_math(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_math(v) for v in data)
    return False


# ------------------------------------------------------------------ machine-checkability


def _declared(spec: Spec) -> set[str]:
    e, d = spec.equations, spec.domain
    names = {x.name for x in d.coordinates} | ({d.time.name} if d.time else set())
    names |= {u.name for u in e.unknowns} | {p.name for p in e.parameters} | set(e.definitions)
    if e.eigenvalue:
        names.add(e.eigenvalue.symbol)
    return names | set(BUILTIN_NAMES)


def _namespace(c: _Collector) -> Namespace | None:
    spec = c.spec
    e, d = spec.equations, spec.domain
    if not e.unknowns:
        return None
    try:
        return Namespace.build(
            space=[x.name for x in d.coordinates],
            time=d.time.name if d.time else None,
            unknowns={u.name: u.depends_on for u in e.unknowns},
            parameters=[p.name for p in e.parameters],
            extra_symbols=[e.eigenvalue.symbol] if e.eigenvalue else [],
        )
    except ExpressionError as exc:
        c.add("equations", f"cannot build the symbol table: {exc}", "error")
        return None


def _undeclared(c: _Collector, key: str, text: str, *path: str, allow: set[str] = frozenset()):
    try:
        names = set().union(*(free_names(part) for part in _relation_sides(text)))
    except ExpressionError as exc:
        c.add(key, f"cannot read '{text}': {exc}", "error", *path)
        return
    missing = sorted(names - _declared(c.spec) - allow)
    if missing and c.spec.equations.unknowns:
        c.add(
            key,
            f"'{text}' uses undeclared name(s) {', '.join(missing)}",
            "error",
            *path,
            hint="declare each name as a coordinate (Domain), unknown, parameter or definition "
            "(Equations)",
        )


def _domain(c: _Collector) -> None:
    d, nondim = c.spec.domain, c.spec.equations.nondimensional
    if d.geometry is None:
        c.add(
            "domain",
            "no 'geometry'",
            "unverifiable",
            hint="geometry: interval | rectangle | box | point",
        )
    if not d.coordinates and d.geometry not in ("point", None):
        c.add(
            "domain",
            "no coordinates with ranges: the domain cannot be checked",
            "unverifiable",
            hint="coordinates:\n  x: {range: [0, 1], unit: m}",
        )
    for x in (*d.coordinates, *((d.time,) if d.time else ())):
        if x.unit is None and not nondim:
            c.add(
                "domain",
                f"coordinate '{x.name}' has no unit",
                "unverifiable",
                "coordinates" if x is not d.time else "time",
                hint=f"{x.name}: {{range: [{x.lower:g}, {x.upper:g}], unit: m}}, or "
                "'nondimensional: true' in Equations",
            )
    coords = {x.name for x in d.coordinates}
    for seg in d.boundaries:
        names = _names_or_none(seg.where)
        if names is None or not names & coords or "=" not in seg.where:
            c.add(
                "domain",
                f"boundary '{seg.name}: {seg.where}' is not of the form '<coordinate> = <value>'",
                "unverifiable",
                "boundaries",
                seg.name,
                hint="boundaries:\n  left: x = 0",
            )
    for key in d.extra:
        c.add("domain", f"key '{key}' is kept as written, not checked", "note", key)


def _relation_sides(text: str) -> list[str]:
    from simlab.spec.expressions import split_relation

    try:
        lhs, rhs, _ = split_relation(text)
    except ExpressionError:
        return [text]
    return [lhs, rhs]


def _names_or_none(text: str) -> set[str] | None:
    try:
        from simlab.spec.expressions import split_relation

        lhs, rhs, _ = split_relation(text)
        return free_names(lhs) | free_names(rhs)
    except ExpressionError:
        return None


def _equations(c: _Collector, ns: Namespace | None) -> None:
    e, spec = c.spec.equations, c.spec
    if not e.unknowns:
        c.add(
            "equations",
            "no 'unknowns' declared: the equations are free text and cannot be checked "
            "(dimensions, type, well-posedness)",
            "unverifiable",
            hint="declare unknowns and parameters with units and write equations in sympy "
            "notation:\n  unknowns:\n    u: {unit: K, depends_on: [t, x]}\n  parameters:\n"
            "    kappa: 1.0e-4 m^2/s\n  equations:\n    - diff(u, t) = kappa*diff(u, x, 2)",
        )
        return
    variables = {x.name for x in spec.domain.coordinates} | (
        {spec.domain.time.name} if spec.domain.time else set()
    )
    for u in e.unknowns:
        if u.unit is None and not e.nondimensional:
            c.add(
                "equations",
                f"unknown '{u.name}' has no unit",
                "unverifiable",
                "unknowns",
                u.name,
                hint=f"{u.name}: {{unit: K, depends_on: [...]}}",
            )
        for dep in u.depends_on:
            if dep not in variables:
                c.add(
                    "equations",
                    f"unknown '{u.name}' depends on '{dep}', which is not a coordinate or time "
                    "of the Domain",
                    "error",
                    "unknowns",
                    u.name,
                )
    for p in e.parameters:
        if p.is_numeric and p.unit is None and not e.nondimensional:
            c.add(
                "equations",
                f"parameter '{p.name}' has no unit",
                "unverifiable",
                "parameters",
                p.name,
                hint=_comment_unit_hint(c, p.name)
                or f"write '{p.name}: <value> <unit>' "
                "(use '1' for a dimensionless number) or 'nondimensional: true'",
            )
    if not e.equations:
        c.add(
            "equations",
            "no equations listed under 'equations'",
            "error",
            hint="equations:\n  - ...",
        )
    for i, q in enumerate(e.equations):
        _undeclared(c, "equations", q.text, "equations", str(i))
        if ns is not None:
            try:
                ns.parse_relation(q.text)
            except ExpressionError as exc:
                c.add(
                    "equations",
                    f"cannot read equation '{q.text}': {exc}",
                    "error",
                    "equations",
                    str(i),
                )
    for name, text in e.definitions.items():
        _undeclared(c, "equations", text, "definitions", name)
    for key in e.extra:
        c.add("equations", f"key '{key}' is kept as written, not checked", "note", key)


def _comment_unit_hint(c: _Collector, name: str) -> str | None:
    line = c.spec.line_of("equations", "parameters", name)
    if not c.source_lines or line is None or line > len(c.source_lines):
        return None
    _, _, comment = c.source_lines[line - 1].partition("#")
    comment = comment.strip()
    if not comment:
        return None
    for candidate in (comment, comment.split()[0]):
        try:
            parse_unit(candidate)
        except UnitError:
            continue
        return (
            f"the unit '{candidate}' is only in a comment; move it into the value: "
            f"'{name}: <value> {candidate}'"
        )
    return None


def _boundary(c: _Collector, ns: Namespace | None) -> None:
    b, spec = c.spec.boundary, c.spec
    if b.none:
        return
    if not b.conditions:
        c.add(
            "boundary",
            "conditions are free text: segments and types cannot be checked",
            "unverifiable",
            hint="one line per boundary segment:\n  left: {type: dirichlet, value: 0}",
        )
    segments = {s.name for s in spec.domain.boundaries}
    unknowns = {u.name for u in spec.equations.unknowns}
    for cond in b.conditions:
        if cond.type != "constraint" and segments and cond.boundary not in segments:
            c.add(
                "boundary",
                f"condition on '{cond.boundary}', which is not a boundary segment of the Domain "
                f"({', '.join(sorted(segments))})",
                "error",
                cond.boundary,
            )
        if cond.unknown is not None and unknowns and cond.unknown not in unknowns:
            c.add(
                "boundary",
                f"condition on undeclared unknown '{cond.unknown}'",
                "error",
                cond.boundary,
            )
        for text in (cond.value, cond.alpha):
            if text is not None:
                _undeclared(c, "boundary", text, cond.boundary)
    for key in b.extra:
        c.add(
            "boundary",
            f"'{key}' is free text, not checked",
            "unverifiable",
            key,
            hint=f"{key}: {{type: dirichlet | neumann | robin | periodic | constraint, "
            "value: ...}",
        )


def _initial(c: _Collector, ns: Namespace | None) -> None:
    i, spec = c.spec.initial, c.spec
    unknowns = {u.name for u in spec.equations.unknowns}
    if not i.stationary and not i.conditions:
        c.add(
            "initial",
            "no initial data in the dialect",
            "unverifiable",
            hint="write '<unknown>: <expression>' per unknown (and 'diff(u, t): ...' for second "
            "order in time), or 'initial: none' plus 'initial_guess: {u: 0}' when stationary",
        )
    for cond in i.conditions:
        if unknowns and cond.unknown not in unknowns:
            c.add(
                "initial",
                f"initial data for undeclared unknown '{cond.unknown}'",
                "error",
                cond.unknown,
            )
        _undeclared(c, "initial", cond.value, cond.unknown, allow=unknowns)
    for key in i.extra:
        c.add(
            "initial",
            f"'{key}' is free text, not checked",
            "unverifiable",
            key,
            hint="u: <expression in x, y, ...>   or   initial_guess: {u: <expression>}",
        )


def _observables(c: _Collector) -> None:
    spec = c.spec
    nondim = spec.equations.nondimensional
    unknowns = {u.name for u in spec.equations.unknowns}
    for o in spec.observables:
        if o.definition is None:
            c.add(
                "observables",
                f"observable '{o.name}' has no definition",
                "unverifiable",
                o.name,
                hint=f"{o.name}: {{definition: u(x=0.5, t=1), unit: K}}",
            )
        else:
            head = o.definition.split("(", 1)[0].strip()
            if head not in unknowns and head not in FUNCTIONALS:
                c.add(
                    "observables",
                    f"observable '{o.name}': '{head}' is neither an unknown nor a known functional",
                    "unverifiable",
                    o.name,
                    hint="known functionals: " + ", ".join(sorted(FUNCTIONALS)),
                )
        if o.unit is None and not nondim:
            c.add(
                "observables",
                f"observable '{o.name}' has no unit",
                "unverifiable",
                o.name,
                hint=f"{o.name}: {{definition: ..., unit: 1}} ('1' for a dimensionless number)",
            )


def _tolerance(c: _Collector, ns: Namespace | None) -> None:
    t, spec = c.spec.tolerance, c.spec
    if t.metric is None:
        c.add(
            "tolerance",
            "no 'metric'",
            "unverifiable",
            hint="metric: relative_error | absolute_error",
        )
    if t.threshold is None and not t.thresholds:
        c.add(
            "tolerance",
            "no 'threshold' the Judge can read",
            "unverifiable",
            hint="threshold: 1.0e-3",
        )
    for o in spec.observables:
        if t.reference_for(o.name) is None:
            c.add(
                "tolerance",
                f"no reference for observable '{o.name}'",
                "unverifiable",
                hint="reference: {kind: analytic, value: <expression>} | extrapolation | "
                "{kind: data, value: <file or number>}",
            )
    for name, ref in t.references.items():
        if ref.kind == "analytic" and ref.value is not None:
            _undeclared(c, "tolerance", ref.value, "references" if name != "*" else "reference")
    for key in t.extra:
        c.add("tolerance", f"key '{key}' is kept as written, not checked", "note", key)
