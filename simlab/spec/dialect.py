"""The machine-checkable dialect: section data (YAML) <-> typed section objects.

``read_*`` functions turn one section's YAML data into its typed object; ``write_*`` turn it
back into plain data for rendering. Keys the dialect does not know are kept in ``extra``.
Shapes that break the dialect (a unit pint does not know, an equation that is not an
expression) raise :class:`~simlab.errors.SpecError` naming the line; free text that simply
is not machine-checkable is kept and reported later by :mod:`simlab.spec.validate`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from simlab.errors import SpecError
from simlab.spec.call_quantities import plain_numbers
from simlab.spec.expressions import ExpressionError, check_syntax, split_relation
from simlab.spec.model import (
    BC_TYPES,
    REFERENCE_KINDS,
    BoundaryCondition,
    BoundaryConditions,
    BoundarySegment,
    Coordinate,
    Discretization,
    Domain,
    Eigenvalue,
    Equation,
    Equations,
    InitialCondition,
    InitialConditions,
    Observable,
    Parameter,
    Quantity,
    Reference,
    Tolerance,
    Unknown,
)
from simlab.spec.units import UnitError, parse_unit, split_quantity

NONE_WORDS = frozenset({"none", "n/a", "na", "not applicable", "stationary", "steady", "null", "-"})
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Reader:
    """Context for reading one section: where errors point."""

    file: str | None
    section: str
    lines: dict[tuple[str, ...], int]
    key: str
    key_prefix: tuple[str, ...] = ()

    def line(self, *path: str) -> int | None:
        full = (*self.key_prefix, *path)
        for n in range(len(full), 0, -1):
            if (self.key, *full[:n]) in self.lines:
                return self.lines[(self.key, *full[:n])]
        return self.lines.get((self.key,))

    def error(self, message: str, *path: str, hint: str | None = None) -> SpecError:
        return SpecError(
            message, file=self.file, line=self.line(*path), section=self.section, hint=hint
        )

    def unit(self, text: Any, *path: str) -> str | None:
        """Validate a unit string with pint; ``None`` stays ``None``."""
        if text is None:
            return None
        text = str(text).strip()
        try:
            parse_unit(text)
        except UnitError as exc:
            hint = f"did you mean '{exc.suggestion}'?" if exc.suggestion else None
            if any(k in text for k in ("degC", "degF", "°C", "celsius", "fahrenheit")):
                hint = (
                    "a temperature *difference* per unit needs the delta unit: write "
                    f"'{_delta_unit(text)}' (degC is an offset scale, not a size)"
                )
            raise self.error(
                f"unknown unit '{exc.unknown}' in '{text}'",
                *path,
                hint=hint or "write units pint understands, e.g. 'm^2/s', '1/day', 'K'",
            ) from None
        return text

    def expression(self, text: Any, *path: str) -> str:
        """Check that ``text`` is an expression (or relation) simlab can read."""
        text = as_text(text)
        try:
            for part in _relation_parts(text):
                check_syntax(part)
        except ExpressionError as exc:
            raise self.error(
                f"cannot read expression '{_clip(text)}': {exc}",
                *path,
                hint="use sympy notation: diff(u, t), diff(u, x, 2), laplacian(u), "
                "grad(u), div(...), sin, exp, sqrt, ** or ^ for powers",
            ) from None
        return text

    def number(self, value: Any, *path: str) -> float:
        """A plain number (also ``1e-3`` or ``pi/2`` written as text)."""
        parsed = to_number(value)
        if parsed is None:
            raise self.error(f"expected a number, got '{_clip(str(value))}'", *path)
        return parsed


# ---------------------------------------------------------------- helpers


def _delta_unit(text: str) -> str:
    """``degC/m`` -> ``delta_degC/m`` (offset temperatures inside a compound unit)."""
    return re.sub(r"(?<![\w_])(degC|degF)", r"delta_\1", text)


def as_text(value: Any) -> str:
    """A scalar as text, numbers in their shortest form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(Quantity(float(value)))
    return str(value).strip()


def to_number(value: Any) -> float | None:
    """A finite float from a number or a constant expression (``pi``, ``1/3``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        return None
    try:
        check_syntax(value)
        expr = sp.sympify(value.replace("^", "**"), locals={"e": sp.E, "pi": sp.pi})
    except (ExpressionError, sp.SympifyError, TypeError, ValueError, SyntaxError):
        return None
    except Exception:  # sympify may raise anything on odd input
        return None
    if not getattr(expr, "is_number", False) or not expr.is_real:
        return None
    try:
        out = float(expr)
    except (TypeError, ValueError, OverflowError):
        return None
    return out if math.isfinite(out) else None


def is_none_word(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in NONE_WORDS)


def _relation_parts(text: str) -> list[str]:
    try:
        lhs, rhs, _ = split_relation(text)
    except ExpressionError:
        return [text]
    return [lhs, rhs]


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _mapping(r: Reader, value: Any, *path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise r.error(
            f"'{'.'.join(path) or r.section}' must be a mapping of 'key: value' lines",
            *path,
        )
    return {str(k): v for k, v in value.items()}


def _str_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _str_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_str_keys(v) for v in data]
    return data


# ---------------------------------------------------------------- domain


def read_domain(r: Reader, data: Any) -> Domain:
    d = _section_mapping(r, data)
    geometry = d.pop("geometry", None)
    coords = tuple(
        _coordinate(r, name, spec, "coordinates", name)
        for name, spec in _mapping(r, d.pop("coordinates", None), "coordinates").items()
    )
    time = None
    if "time" in d and not is_none_word(d["time"]):
        spec = d.pop("time")
        name = "t"
        if isinstance(spec, dict) and "name" in spec:
            spec = dict(spec)
            name = str(spec.pop("name"))
        time = _coordinate(r, name, spec, "time")
    else:
        d.pop("time", None)
    bounds = d.pop("boundaries", None)
    segments: tuple[BoundarySegment, ...] = ()
    if bounds is not None and not is_none_word(bounds):
        segments = tuple(
            BoundarySegment(name, r.expression(where, "boundaries", name))
            for name, where in _mapping(r, bounds, "boundaries").items()
        )
    grid = _mapping(r, d.pop("grid", None), "grid")
    return Domain(
        geometry=as_text(geometry) if geometry is not None else None,
        coordinates=coords,
        time=time,
        boundaries=segments,
        grid=_str_keys(grid),
        extra=_str_keys(d),
    )


def _coordinate(r: Reader, name: str, spec: Any, *path: str) -> Coordinate:
    unit = None
    if isinstance(spec, dict):
        spec = dict(spec)
        unit = r.unit(spec.pop("unit", None), *path, "unit")
        rng = spec.pop("range", None)
        if spec:
            raise r.error(
                f"unexpected key(s) {sorted(spec)} for coordinate '{name}'",
                *path,
                hint="a coordinate is written '{range: [lower, upper], unit: m}'",
            )
    else:
        rng = spec
    if not isinstance(rng, list) or len(rng) != 2:
        raise r.error(
            f"coordinate '{name}' needs a range [lower, upper]",
            *path,
            hint=f"write '{name}: {{range: [0, 1], unit: m}}'",
        )
    lo, hi = (r.number(v, *path) for v in rng)
    if not hi > lo:
        raise r.error(f"coordinate '{name}': upper bound {hi} is not above lower bound {lo}", *path)
    return Coordinate(name, lo, hi, unit)


def write_domain(d: Domain) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if d.geometry is not None:
        out["geometry"] = d.geometry
    if d.coordinates:
        out["coordinates"] = {c.name: _write_coordinate(c) for c in d.coordinates}
    if d.time is not None:
        t = _write_coordinate(d.time)
        out["time"] = t if d.time.name == "t" else {"name": d.time.name, **t}
    if d.boundaries:
        out["boundaries"] = {b.name: b.where for b in d.boundaries}
    if d.grid:
        out["grid"] = d.grid
    out.update(d.extra)
    return out


def _write_coordinate(c: Coordinate) -> dict[str, Any]:
    out: dict[str, Any] = {"range": [_num(c.lower), _num(c.upper)]}
    if c.unit is not None:
        out["unit"] = c.unit
    return out


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)


# ---------------------------------------------------------------- equations


def read_equations(r: Reader, data: Any) -> Equations:
    d = _section_mapping(r, data)
    nondim = d.pop("nondimensional", False)
    if not isinstance(nondim, bool):
        raise r.error("'nondimensional' must be true or false", "nondimensional")
    dialect = "unknowns" in d
    unknowns: tuple = ()
    parameters: tuple = ()
    definitions: dict[str, str] = {}
    eigen = None
    equations: tuple = ()
    free_text = None
    if dialect:
        unknowns = tuple(
            _unknown(r, name, spec)
            for name, spec in _mapping(r, d.pop("unknowns"), "unknowns").items()
        )
        parameters = tuple(
            _parameter(r, name, value)
            for name, value in _mapping(r, d.pop("parameters", None), "parameters").items()
        )
        definitions = {
            name: r.expression(text, "definitions", name)
            for name, text in _mapping(r, d.pop("definitions", None), "definitions").items()
        }
        if "eigenvalue" in d:
            eigen = _eigenvalue(r, d.pop("eigenvalue"))
        equations = _equations(r, d.pop("equations", None), strict=True)
    else:
        raw = d.get("equations")
        if isinstance(raw, str):
            free_text = raw
            d.pop("equations")
    return Equations(
        unknowns=unknowns,
        parameters=parameters,
        equations=equations,
        definitions=definitions,
        eigenvalue=eigen,
        nondimensional=nondim,
        free_text=free_text,
        extra=_str_keys(d),
    )


def _unknown(r: Reader, name: str, spec: Any) -> Unknown:
    if not _IDENT.match(name):
        raise r.error(f"unknown name '{name}' is not an identifier", "unknowns", name)
    if isinstance(spec, dict):
        spec = dict(spec)
        unit = r.unit(spec.pop("unit", None), "unknowns", name, "unit")
        deps = spec.pop("depends_on", [])
        if isinstance(deps, str):
            deps = [s.strip() for s in deps.split(",") if s.strip()]
        if spec:
            raise r.error(
                f"unexpected key(s) {sorted(spec)} for unknown '{name}'",
                "unknowns",
                name,
                hint="an unknown is written '{unit: K, depends_on: [t, x]}'",
            )
        return Unknown(name, unit, tuple(str(v) for v in deps))
    unit = r.unit(spec, "unknowns", name) if spec is not None else None
    return Unknown(name, unit, ())


def _parameter(r: Reader, name: str, value: Any) -> Parameter:
    if isinstance(value, dict) and "value" in value:
        v = dict(value)
        number = r.number(v.pop("value"), "parameters", name)
        unit = r.unit(v.pop("unit", None), "parameters", name)
        if v:
            raise r.error(
                f"unexpected key(s) {sorted(v)} for parameter '{name}'", "parameters", name
            )
        return Parameter(name, number, unit)
    if isinstance(value, bool):
        return Parameter(name, "true" if value else "false")
    if isinstance(value, (int, float)):
        return Parameter(name, r.number(value, "parameters", name))
    if isinstance(value, list):
        return Parameter(name, tuple(_str_keys(value)))
    if isinstance(value, dict):
        raise r.error(
            f"parameter '{name}' is a mapping without 'value'",
            "parameters",
            name,
            hint=f"write '{name}: 1.0 m' or '{name}: {{value: 1.0, unit: m}}'",
        )
    text = as_text(value)
    number = to_number(text)
    if number is not None:
        return Parameter(name, number)
    split = split_quantity(text)
    if split is not None and split[1] and (to_number(split[1]) is None or split[1] == "1"):
        return Parameter(name, split[0], r.unit(split[1], "parameters", name))
    return Parameter(name, text)


def write_parameter(p: Parameter) -> Any:
    if isinstance(p.value, float):
        return str(Quantity(p.value, p.unit)) if p.unit is not None else _num(p.value)
    if isinstance(p.value, tuple):
        return list(p.value)
    if p.value in ("true", "false"):
        return p.value == "true"
    return p.value


def _eigenvalue(r: Reader, spec: Any) -> Eigenvalue:
    if isinstance(spec, str):
        return Eigenvalue(spec.strip())
    s = _mapping(r, spec, "eigenvalue")
    if "symbol" not in s:
        raise r.error("eigenvalue needs a 'symbol'", "eigenvalue", hint="eigenvalue: {symbol: lam}")
    count = s.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise r.error("eigenvalue 'count' must be a positive integer", "eigenvalue")
    return Eigenvalue(str(s["symbol"]), r.unit(s.get("unit"), "eigenvalue", "unit"), count)


def _equations(r: Reader, raw: Any, *, strict: bool) -> tuple[Equation, ...]:
    items: list[tuple[str | None, Any, tuple[str, ...]]] = []
    if raw is None:
        return ()
    if isinstance(raw, str):
        for i, line in enumerate(s for s in raw.splitlines() if s.strip()):
            name, _, rest = line.partition(":")
            if rest and _IDENT.match(name.strip()) and "=" in rest:
                items.append((name.strip(), rest.strip(), ("equations",)))
            else:
                items.append((None, line.strip(), ("equations", str(i))))
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            if isinstance(item, dict) and len(item) == 1:
                ((name, text),) = item.items()
                items.append((str(name), text, ("equations", str(i))))
            else:
                items.append((None, item, ("equations", str(i))))
    elif isinstance(raw, dict):
        items = [(str(k), v, ("equations", str(k))) for k, v in raw.items()]
    else:
        raise r.error("'equations' must be a list of 'lhs = rhs' lines", "equations")
    out = []
    for name, text, path in items:
        if not isinstance(text, str):
            raise r.error(
                f"equation {_clip(str(text))!r} is not text of the form 'lhs = rhs'", *path
            )
        if strict:
            try:
                split_relation(text)
            except ExpressionError as exc:
                raise r.error(f"cannot read equation '{_clip(text)}': {exc}", *path) from None
            r.expression(text, *path)
        out.append(Equation(text.strip(), name))
    return tuple(out)


def write_equations(e: Equations) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if e.nondimensional:
        out["nondimensional"] = True
    if e.unknowns or e.parameters or e.equations or e.definitions or e.eigenvalue:
        # an empty 'unknowns:' still marks the dialect, so a round trip keeps the mode
        out["unknowns"] = {
            u.name: {k: v for k, v in (("unit", u.unit), ("depends_on", list(u.depends_on))) if v}
            for u in e.unknowns
        }
    if e.parameters:
        out["parameters"] = {p.name: write_parameter(p) for p in e.parameters}
    if e.definitions:
        out["definitions"] = dict(e.definitions)
    if e.eigenvalue is not None:
        ev = e.eigenvalue
        out["eigenvalue"] = {"symbol": ev.symbol, "unit": ev.unit, "count": ev.count}
        if ev.unit is None:
            del out["eigenvalue"]["unit"]
    if e.equations:
        out["equations"] = [{q.name: q.text} if q.name else q.text for q in e.equations]
    if e.free_text is not None:
        out["equations"] = e.free_text
    out.update(e.extra)
    return out


# ---------------------------------------------------------------- boundary conditions

_BC_KEYS = {"type", "value", "unknown", "alpha", "partner"}


def read_boundary(r: Reader, data: Any) -> BoundaryConditions:
    d = _section_mapping(r, data)
    for key in ("boundaries", "boundary"):
        if key in d and is_none_word(d[key]):
            d.pop(key)
            return BoundaryConditions((), none=True, extra=_str_keys(d))
    conditions: list[BoundaryCondition] = []
    extra: dict[str, Any] = {}
    for name, spec in d.items():
        specs = (
            spec if isinstance(spec, list) and all(isinstance(s, dict) for s in spec) else [spec]
        )
        if all(isinstance(s, dict) and "type" in s for s in specs):
            for i, s in enumerate(specs):
                path = (name,) if len(specs) == 1 else (name, str(i))
                conditions.append(_condition(r, name, s, path))
        else:
            extra[name] = _str_keys(spec)
    return BoundaryConditions(tuple(conditions), none=False, extra=extra)


def _condition(r: Reader, name: str, s: dict[str, Any], path: tuple[str, ...]) -> BoundaryCondition:
    s = {str(k): v for k, v in s.items()}
    unexpected = set(s) - _BC_KEYS
    if unexpected:
        raise r.error(
            f"unexpected key(s) {sorted(unexpected)} in the condition on '{name}'",
            *path,
            hint="a condition has 'type', 'value', and optionally 'unknown', 'alpha', 'partner'",
        )
    kind = str(s["type"]).strip().lower()
    if kind not in BC_TYPES:
        raise r.error(
            f"unknown boundary condition type '{kind}'",
            *path,
            hint=f"use one of {', '.join(BC_TYPES)}",
        )
    value = s.get("value")
    if kind == "periodic":
        if "partner" not in s:
            raise r.error(
                f"periodic condition on '{name}' needs a 'partner' segment",
                *path,
                hint=f"write '{name}: {{type: periodic, partner: right}}'",
            )
    elif value is None:
        raise r.error(f"{kind} condition on '{name}' needs a 'value'", *path)
    return BoundaryCondition(
        boundary=name,
        type=kind,
        value=r.expression(value, *path, "value") if value is not None else None,
        unknown=str(s["unknown"]) if s.get("unknown") is not None else None,
        alpha=r.expression(s["alpha"], *path, "alpha") if s.get("alpha") is not None else None,
        partner=str(s["partner"]) if s.get("partner") is not None else None,
    )


def write_boundary(b: BoundaryConditions) -> dict[str, Any]:
    if b.none:
        return {"boundaries": "none", **b.extra}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in b.conditions:
        item: dict[str, Any] = {"type": c.type}
        for key in ("unknown", "value", "alpha", "partner"):
            v = getattr(c, key)
            if v is not None:
                item[key] = _maybe_number(v)
        grouped.setdefault(c.boundary, []).append(item)
    out: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}
    out.update(b.extra)
    return out


def _maybe_number(text: str) -> Any:
    try:
        f = float(text)
    except ValueError:
        return text
    return _num(f) if as_text(f) == text else text


# ---------------------------------------------------------------- initial conditions

_DERIV = re.compile(r"^(?:diff\(\s*(?P<a>\w+)\s*,\s*t\s*\)|d(?P<b>\w+)/dt)$")


def read_initial(r: Reader, data: Any) -> InitialConditions:
    d = _section_mapping(r, data)
    stationary = False
    for key in ("initial", "state", "none"):
        if key in d and is_none_word(d[key]):
            d.pop(key)
            stationary = True
    guess = {
        k: r.expression(v, "initial_guess", k)
        for k, v in _mapping(r, d.pop("initial_guess", None), "initial_guess").items()
    }
    conditions = []
    extra: dict[str, Any] = {}
    for key, value in d.items():
        m = _DERIV.match(key.replace(" ", "")) if isinstance(key, str) else None
        if m:
            conditions.append(
                InitialCondition(m.group("a") or m.group("b"), r.expression(value, key), 1)
            )
        elif _IDENT.match(key) and isinstance(value, (int, float, str)) and key != "initial":
            conditions.append(InitialCondition(key, r.expression(value, key), 0))
        else:
            extra[key] = _str_keys(value)
    return InitialConditions(tuple(conditions), stationary, guess, extra)


def write_initial(i: InitialConditions) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if i.stationary:
        out["initial"] = "none"
    for c in i.conditions:
        key = c.unknown if c.derivative == 0 else f"diff({c.unknown}, t)"
        out[key] = _maybe_number(c.value)
    if i.initial_guess:
        out["initial_guess"] = {k: _maybe_number(v) for k, v in i.initial_guess.items()}
    out.update(i.extra)
    return out


# ---------------------------------------------------------------- observables


def read_observables(r: Reader, data: Any, domain: Domain | None = None) -> tuple[Observable, ...]:
    """The observables; coordinates written with a unit in a call (``T(x=2 cm)``) are
    rewritten in the unit ``domain`` declares for them."""
    d = _section_mapping(r, data)
    units = _coordinate_units(domain)
    out: list[Observable] = []
    if "observables" in d and isinstance(d["observables"], list) and len(d) == 1:
        for i, item in enumerate(d["observables"]):
            if isinstance(item, dict) and len(item) == 1:
                ((name, text),) = item.items()
                out.append(_free_observable(str(name), text))
            else:
                out.append(Observable(f"observable_{i + 1}", None, None, as_text(item)))
        return tuple(out)
    for name, spec in d.items():
        if isinstance(spec, dict):
            s = {str(k): v for k, v in spec.items()}
            unexpected = set(s) - {"definition", "unit", "description"}
            if unexpected:
                raise r.error(
                    f"unexpected key(s) {sorted(unexpected)} for observable '{name}'",
                    name,
                    hint="an observable has 'definition', 'unit' and optionally 'description'",
                )
            definition = s.get("definition")
            out.append(
                Observable(
                    name,
                    r.expression(
                        _plain(r, units, definition, name, "definition"), name, "definition"
                    )
                    if definition is not None
                    else None,
                    r.unit(s.get("unit"), name, "unit"),
                    as_text(s["description"]) if s.get("description") is not None else None,
                )
            )
        elif isinstance(spec, str) and _is_expression(_plain(r, units, spec, name)):
            out.append(Observable(name, r.expression(_plain(r, units, spec, name), name)))
        else:
            out.append(_free_observable(name, spec))
    return tuple(out)


def _coordinate_units(domain: Domain | None) -> dict[str, str | None]:
    if domain is None:
        return {}
    coords = [*domain.coordinates, *([domain.time] if domain.time is not None else [])]
    return {c.name: c.unit for c in coords}


def _plain(r: Reader, units: dict[str, str | None], text: Any, *path: str) -> Any:
    """``text`` with quantities in call arguments as numbers in the declared units."""
    if not units or not isinstance(text, str):
        return text

    def error(message: str, hint: str) -> SpecError:
        return r.error(message, *path, hint=hint)

    return plain_numbers(text, units, error)


def _is_expression(text: str) -> bool:
    try:
        check_syntax(text)
    except ExpressionError:
        return False
    return "(" in text


def _free_observable(name: str, text: Any) -> Observable:
    """Paper style ``- PSNR: dB``: keep a unit pint reads, else the text as a description."""
    if text is None:
        return Observable(name)
    text = as_text(text)
    try:
        parse_unit(text)
    except UnitError:
        return Observable(name, None, None, text)
    return Observable(name, None, text, None)


def write_observables(obs: tuple[Observable, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for o in obs:
        item = {k: getattr(o, k) for k in ("definition", "unit", "description")}
        out[o.name] = {k: v for k, v in item.items() if v is not None}
    return out


# ---------------------------------------------------------------- tolerance


def read_tolerance(
    r: Reader, data: Any, observables_hint: tuple[Observable, ...] = ()
) -> Tolerance:
    d = _section_mapping(r, data)
    metric = d.pop("metric", None)
    threshold = None
    units: dict[str, str] = {}
    if "threshold" in d:
        threshold, unit = _threshold(r, d.pop("threshold"), "threshold")
        if unit:
            units["*"] = unit
    thresholds = {}
    for k, v in _mapping(r, d.pop("thresholds", None), "thresholds").items():
        thresholds[k], unit = _threshold(r, v, "thresholds", k)
        if unit:
            units[k] = unit
    bounds: dict[str, dict[str, float]] = {"minimum": {}, "maximum": {}}
    for which in bounds:
        for k, v in _mapping(r, d.pop(which, None), which).items():
            bounds[which][k] = r.number(v, which, k)
    observables = {o.name.lower(): o.name for o in observables_hint}
    for key in list(d):
        m = re.match(r"^(?P<obs>\w+?)_(?P<which>min|minimum|max|maximum)$", key)
        number = to_number(d[key])
        if m and m.group("obs").lower() in observables and number is not None:
            which = "minimum" if m.group("which").startswith("min") else "maximum"
            bounds[which][observables[m.group("obs").lower()]] = number
            d.pop(key)
    refs: dict[str, Reference] = {}
    if "reference" in d:
        refs["*"] = _reference(r, d.pop("reference"), "reference")
    for name, spec in _mapping(r, d.pop("references", None), "references").items():
        refs[name] = _reference(r, spec, "references", name)
    return Tolerance(
        metric=as_text(metric) if metric is not None else None,
        threshold=threshold,
        references=refs,
        thresholds=thresholds,
        minimum=bounds["minimum"],
        maximum=bounds["maximum"],
        extra=_str_keys(d),
        threshold_units=units,
    )


def _threshold(r: Reader, value: Any, *path: str) -> tuple[float, str | None]:
    """A threshold: a plain number, or a quantity with a unit (``1.0e-3 Pa``)."""
    number = to_number(value)
    if number is not None:
        return number, None
    split = split_quantity(str(value))
    if split is None or not split[1]:
        raise r.error(
            f"expected a number or a quantity, got '{_clip(str(value))}'",
            *path,
            hint="write e.g. 'threshold: 1.0e-3' (relative) or 'threshold: 1.0e-3 Pa' (absolute)",
        )
    return split[0], r.unit(split[1], *path)


def _with_unit(value: float, unit: str | None) -> Any:
    return _num(value) if not unit else f"{_num(value)} {unit}"


def _reference(r: Reader, spec: Any, *path: str) -> Reference:
    if isinstance(spec, str) and spec.strip().lower() in ("extrapolation", "richardson"):
        return Reference("extrapolation")
    s = _mapping(r, spec, *path)
    kind = str(s.get("kind", "")).strip().lower()
    if kind not in REFERENCE_KINDS:
        raise r.error(
            f"reference kind '{kind}' is not one of analytic, extrapolation, data",
            *path,
            hint="write 'reference: {kind: analytic, value: \"exp(-pi**2*t)\"}' or "
            "'reference: extrapolation'",
        )
    value = s.get("value")
    if kind == "analytic":
        if value is None:
            raise r.error("an analytic reference needs a 'value' expression", *path)
        value = r.expression(value, *path, "value")
    elif value is not None:
        value = as_text(value)
    return Reference(kind, value)


def write_tolerance(t: Tolerance) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if t.metric is not None:
        out["metric"] = t.metric
    if t.threshold is not None:
        out["threshold"] = _with_unit(t.threshold, t.threshold_units.get("*"))
    if t.thresholds:
        out["thresholds"] = {
            k: _with_unit(v, t.threshold_units.get(k)) for k, v in t.thresholds.items()
        }
    for which in ("minimum", "maximum"):
        if getattr(t, which):
            out[which] = {k: _num(v) for k, v in getattr(t, which).items()}
    for name, ref in t.references.items():
        item = {"kind": ref.kind} if ref.value is None else {"kind": ref.kind, "value": ref.value}
        if name == "*":
            out["reference"] = "extrapolation" if item == {"kind": "extrapolation"} else item
        else:
            out.setdefault("references", {})[name] = item
    out.update(t.extra)
    return out


# ---------------------------------------------------------------- discretization


def read_discretization(r: Reader, data: Any) -> Discretization:
    d = _section_mapping(r, data)
    dt = None
    if "dt" in d:
        raw = d.pop("dt")
        number = to_number(raw)
        if number is not None:
            dt = Quantity(number)
        else:
            split = split_quantity(as_text(raw))
            if split is None:
                raise r.error(f"dt '{raw}' is not a number with a unit", "dt", hint="dt: 1.0e-3 s")
            dt = Quantity(split[0], r.unit(split[1], "dt") if split[1] else None)
    return Discretization(
        method=_opt_text(d.pop("method", None)),
        scheme=_opt_text(d.pop("scheme", None)),
        integrator=_opt_text(d.pop("integrator", None)),
        dt=dt,
        resolution=_str_keys(_mapping(r, d.pop("resolution", None), "resolution")),
        extra=_str_keys(d),
    )


def write_discretization(x: Discretization) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("method", "scheme", "integrator"):
        if getattr(x, key) is not None:
            out[key] = getattr(x, key)
    if x.dt is not None:
        out["dt"] = str(x.dt) if x.dt.unit else _num(x.dt.value)
    if x.resolution:
        out["resolution"] = x.resolution
    out.update(x.extra)
    return out


def _opt_text(v: Any) -> str | None:
    return None if v is None else as_text(v)


_WRAPPERS = {
    "domain": ("domain",),
    "equations": (),
    "boundary": (),
    "initial": (),
    "observables": (),
    "tolerance": ("tolerance", "tolerances"),
    "discretization": ("discretization", "discretisation"),
}


def _section_mapping(r: Reader, data: Any) -> dict[str, Any]:
    """The section's mapping; a single wrapper key (``tolerance: {...}``) is unwrapped."""
    if data is None:
        return {}
    if isinstance(data, dict) and len(data) == 1:
        ((key, inner),) = data.items()
        if str(key).lower() in _WRAPPERS.get(r.key, ()) and isinstance(inner, dict):
            r.key_prefix = (str(key),)
            return {str(k): v for k, v in inner.items()}
    if not isinstance(data, dict):
        return {"text": data if isinstance(data, (str, int, float, list)) else str(data)}
    return {str(k): v for k, v in data.items()}
