"""The JSON schema a language model answers against, derived from the typed spec model.

The schema mirrors :class:`~simlab.spec.model.Spec` section by section. Mappings with free
keys (parameters, boundary conditions per segment, references per observable) become lists
of records, because structured output requires closed objects; optional objects (time,
eigenvalue, discretization) are lists of at most one item, which keeps the number of union
types small. :func:`spec_from_payload` turns an answer into the typed model and
:func:`payload_from_spec` goes back (used for fixtures and to check that the schema covers
every dev spec). Keys a section keeps in ``extra`` and ``## Extension`` sections are not part
of the schema: a planner writes the six-tuple and the discretization, nothing else.
"""

from __future__ import annotations

from typing import Any

from simlab.errors import PlanError
from simlab.spec.dialect import as_text, to_number
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
    Reference,
    Spec,
    Tolerance,
    Unknown,
)
from simlab.spec.units import UnitError, parse_unit

_STR = {"type": "string"}
_NUM = {"type": "number"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_UNIT = {"type": "string", "description": "a pint unit such as 'm^2/s' or '1/day'; '' if none"}


def _obj(about: str, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "description": about,
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def _list(item: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": item}
    if description:
        out["description"] = description
    return out


def _at_most_one(item: dict[str, Any], description: str) -> dict[str, Any]:
    return _list(item, description + " (a list of at most one item)")


_RANGE = _obj("a closed interval", lower=_NUM, upper=_NUM, unit=_UNIT)
_NAMED_RANGE = _obj("a space coordinate", name=_STR, lower=_NUM, upper=_NUM, unit=_UNIT)
_NAMED_NUMBER = _obj("a named number", name=_STR, value=_NUM)
_NAMED_TEXT = _obj("a named setting; numbers written as text", name=_STR, value=_STR)

DOMAIN_SCHEMA = _obj(
    "Ω: geometry, space coordinates, time interval, named boundary segments",
    geometry={**_STR, "description": "point, interval, rectangle, box, disk, ..."},
    coordinates=_list(_NAMED_RANGE, "space coordinates; empty for ODE systems"),
    time=_at_most_one(_RANGE, "the time interval; empty for steady problems"),
    boundaries=_list(
        _obj("a boundary segment located by an equation", name=_STR, where=_STR),
        "named pieces of the boundary, e.g. {name: left, where: 'x = 0'}",
    ),
    grid=_list(_NAMED_NUMBER, "grid hints such as nx: 128; usually empty"),
)

EQUATIONS_SCHEMA = _obj(
    "E: unknowns, parameters with units, equations in sympy notation",
    nondimensional={**_BOOL, "description": "true when no quantity carries a unit"},
    unknowns=_list(
        _obj(
            "a dependent variable",
            name=_STR,
            unit=_UNIT,
            depends_on={**_list(_STR), "description": "e.g. ['t', 'x']"},
        )
    ),
    parameters=_list(
        _obj(
            "a named constant taken from the request",
            name=_STR,
            value={**_STR, "description": "the number as text ('0.5', '3.0e7'), or a setting"},
            unit=_UNIT,
        )
    ),
    definitions=_list(
        _obj("a named expression (source term, derived constant)", name=_STR, expression=_STR)
    ),
    equations=_list(
        _STR,
        "one 'lhs = rhs' per item in sympy notation: diff(u, t), diff(u, x, 2), laplacian(u)",
    ),
    eigenvalue=_at_most_one(
        _obj("the eigenvalue of an eigenproblem", symbol=_STR, unit=_UNIT, count=_INT),
        "only for eigenproblems",
    ),
)

BOUNDARY_SCHEMA = _obj(
    "B: one condition per boundary segment",
    none={**_BOOL, "description": "true when the problem has no spatial boundary"},
    conditions=_list(
        _obj(
            "a condition on one named segment",
            boundary={
                **_STR,
                "description": "a segment name from the domain, or a constraint name",
            },
            type={"enum": list(BC_TYPES)},
            value={**_STR, "description": "an expression; '' for periodic"},
            unknown={**_STR, "description": "the unknown it applies to; '' if only one"},
            alpha={**_STR, "description": "Robin coefficient; '' otherwise"},
            partner={**_STR, "description": "periodic partner segment; '' otherwise"},
        )
    ),
)

INITIAL_SCHEMA = _obj(
    "I: initial data, or stationary with an optional initial iterate",
    stationary={**_BOOL, "description": "true for steady, eigen- and inverse problems"},
    conditions=_list(
        _obj(
            "initial data for one unknown",
            unknown=_STR,
            value=_STR,
            derivative={**_INT, "description": "0 for u(t0), 1 for diff(u, t) at t0"},
        )
    ),
    initial_guess=_list(_obj("an initial iterate", unknown=_STR, value=_STR)),
)

OBSERVABLE_SCHEMA = _obj(
    "O: a named output",
    name=_STR,
    definition={**_STR, "description": "e.g. 'u(t=0.5, x=1)', 'eigenvalue(1)', 'peak_time(I)'"},
    unit=_UNIT,
    description=_STR,
)

TOLERANCE_SCHEMA = _obj(
    "ε: metric, threshold and the reference for each observable",
    metric={**_STR, "description": "relative_error, absolute_error, psnr, ..."},
    threshold=_NUM,
    references=_list(
        _obj(
            "where the truth for an observable comes from",
            observable={**_STR, "description": "an observable name, or '*' for all"},
            kind={"enum": list(REFERENCE_KINDS)},
            value={**_STR, "description": "expression (analytic), value or name (data), ''"},
        )
    ),
    thresholds=_list(
        _obj("a per-observable threshold", observable=_STR, value=_NUM), "usually empty"
    ),
    minimum=_list(_obj("a lower bound", observable=_STR, value=_NUM), "usually empty"),
    maximum=_list(_obj("an upper bound", observable=_STR, value=_NUM), "usually empty"),
    threshold_units=_list(
        _obj(
            "the unit a threshold is written in (an absolute error in Pa, ...)",
            observable={**_STR, "description": "an observable name, or '*' for threshold"},
            unit=_STR,
        ),
        "usually empty (relative thresholds have no unit)",
    ),
)

DISCRETIZATION_SCHEMA = _at_most_one(
    _obj(
        "the planned method",
        method=_STR,
        scheme={**_STR, "description": "'' if not applicable"},
        integrator={**_STR, "description": "'' if not applicable"},
        options=_list(_NAMED_TEXT, "further settings such as cfl: '0.8'"),
    ),
    "the planned discretization",
)

SPEC_SCHEMA = _obj(
    "a complete, machine-checkable spec: the six-tuple plus the planned discretization",
    title=_STR,
    description={**_STR, "description": "one short paragraph; name any assumption made"},
    domain=DOMAIN_SCHEMA,
    equations=EQUATIONS_SCHEMA,
    boundary=BOUNDARY_SCHEMA,
    initial=INITIAL_SCHEMA,
    observables=_list(OBSERVABLE_SCHEMA),
    tolerance=TOLERANCE_SCHEMA,
    discretization=DISCRETIZATION_SCHEMA,
)

REPLY_SCHEMA = _obj(
    "the planner's answer: a spec, or a clarifying question when the request is ambiguous",
    reply={**_STR, "description": "a short message to the person, shown in the chat"},
    kind={"enum": ["spec", "question"]},
    question={**_STR, "description": "the clarifying question; '' when kind is spec"},
    missing=_list(_STR, "each missing or ambiguous item; empty when kind is spec"),
    spec={"anyOf": [SPEC_SCHEMA, {"type": "null"}], "description": "null when kind is question"},
)


# ---------------------------------------------------------------- payload -> typed model


def spec_from_payload(data: Any) -> Spec:
    """The typed spec for one ``spec`` object of a reply; :class:`PlanError` on a bad shape."""
    try:
        return _spec(_require(data, dict, "spec"))
    except PlanError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PlanError(
            f"the model's spec does not follow the schema ({type(exc).__name__}: {exc})",
            hint="the reply must match simlab.plan.schema.SPEC_SCHEMA",
        ) from None


def _require(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind):
        raise PlanError(f"'{where}' must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _opt(text: Any) -> str | None:
    """'' and null mean 'not stated'."""
    if text is None:
        return None
    text = str(text).strip()
    return text or None


def _one(items: Any, where: str) -> dict[str, Any] | None:
    items = _require(items, list, where)
    if len(items) > 1:
        raise PlanError(f"'{where}' holds at most one item, got {len(items)}")
    return items[0] if items else None


def _unit(text: Any, where: str) -> str | None:
    """A unit the spec's parser (pint) reads, or None; :class:`PlanError` naming the field."""
    unit = _opt(text)
    if unit is None:
        return None
    try:
        parse_unit(unit)
    except UnitError as exc:
        hint = f"did you mean '{exc.suggestion}'?" if exc.suggestion else "use a pint unit"
        raise PlanError(f"'{where}': unknown unit '{unit}' ({exc})", hint=hint) from None
    return unit


def _number(value: Any, where: str) -> float:
    """A finite-or-infinite float from a JSON number or numeric text; PlanError otherwise."""
    number = to_number(value) if not isinstance(value, bool) else None
    if number is None:
        raise PlanError(
            f"'{where}' must be a number, got {value!r}",
            hint="write the value as a number (e.g. 1.5e-3); its unit goes in the unit field",
        )
    return float(number)


def _plain_number(value: Any) -> int | float | str:
    number = to_number(value)
    if number is None:
        return as_text(value)
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def _spec(d: dict[str, Any]) -> Spec:
    return Spec(
        title=str(d["title"]).strip() or "Untitled",
        description=str(d.get("description", "")).strip(),
        domain=_domain(d["domain"]),
        equations=_equations(d["equations"]),
        boundary=_boundary(d["boundary"]),
        initial=_initial(d["initial"]),
        observables=tuple(
            Observable(
                str(o["name"]),
                _opt(o["definition"]),
                _unit(o["unit"], f"observables[{o['name']}].unit"),
                _opt(o["description"]),
            )
            for o in _require(d["observables"], list, "observables")
        ),
        tolerance=_tolerance(d["tolerance"]),
        discretization=_discretization(d["discretization"]),
    )


def _domain(d: dict[str, Any]) -> Domain:
    time = _one(d["time"], "domain.time")
    return Domain(
        geometry=_opt(d["geometry"]),
        coordinates=tuple(
            _coordinate(str(c["name"]), c, "domain.coordinates") for c in d["coordinates"]
        ),
        time=None if time is None else _coordinate("t", time, "domain.time"),
        boundaries=tuple(BoundarySegment(str(b["name"]), str(b["where"])) for b in d["boundaries"]),
        grid={str(g["name"]): _plain_number(g["value"]) for g in d["grid"]},
    )


def _coordinate(name: str, c: dict[str, Any], where: str) -> Coordinate:
    at = f"{where}[{name}]"
    return Coordinate(
        name,
        _number(c["lower"], f"{at}.lower"),
        _number(c["upper"], f"{at}.upper"),
        _unit(c["unit"], f"{at}.unit"),
    )


def _parameter(p: dict[str, Any]) -> Parameter:
    """A parameter: a number with its (checked) unit, or a text setting without a unit."""
    name = str(p["name"])
    unit = _unit(p["unit"], f"equations.parameters[{name}].unit")
    number = to_number(p["value"])
    if number is None and unit is not None and parse_unit(unit) != parse_unit("1"):
        raise PlanError(
            f"parameter '{name}' = {p['value']!r} has the unit '{unit}' but is not a number",
            hint="give the value as a number in that unit, or an empty unit for a text setting",
        )
    if number is None:
        return Parameter(name, as_text(p["value"]), None)
    return Parameter(name, number, unit)


def _equations(d: dict[str, Any]) -> Equations:
    eigen = _one(d["eigenvalue"], "equations.eigenvalue")
    return Equations(
        unknowns=tuple(
            Unknown(
                str(u["name"]),
                _unit(u["unit"], f"equations.unknowns[{u['name']}].unit"),
                tuple(str(v) for v in u["depends_on"]),
            )
            for u in d["unknowns"]
        ),
        parameters=tuple(_parameter(p) for p in d["parameters"]),
        equations=tuple(Equation(str(e).strip()) for e in d["equations"]),
        definitions={str(x["name"]): str(x["expression"]) for x in d["definitions"]},
        eigenvalue=None
        if eigen is None
        else Eigenvalue(
            str(eigen["symbol"]),
            _unit(eigen["unit"], "equations.eigenvalue.unit"),
            int(_number(eigen["count"], "equations.eigenvalue.count")),
        ),
        nondimensional=bool(d["nondimensional"]),
    )


def _boundary(d: dict[str, Any]) -> BoundaryConditions:
    if d["none"]:
        return BoundaryConditions((), none=True)
    return BoundaryConditions(
        tuple(
            BoundaryCondition(
                boundary=str(c["boundary"]),
                type=str(c["type"]).strip().lower(),
                value=_opt(c["value"]),
                unknown=_opt(c["unknown"]),
                alpha=_opt(c["alpha"]),
                partner=_opt(c["partner"]),
            )
            for c in d["conditions"]
        )
    )


def _initial(d: dict[str, Any]) -> InitialConditions:
    return InitialConditions(
        conditions=tuple(
            InitialCondition(str(c["unknown"]), str(c["value"]).strip(), int(c["derivative"]))
            for c in d["conditions"]
        ),
        stationary=bool(d["stationary"]),
        initial_guess={str(g["unknown"]): str(g["value"]).strip() for g in d["initial_guess"]},
    )


def _tolerance(d: dict[str, Any]) -> Tolerance:
    return Tolerance(
        metric=_opt(d["metric"]),
        threshold=_number(d["threshold"], "tolerance.threshold"),
        references={
            str(r["observable"]): Reference(str(r["kind"]).strip().lower(), _opt(r["value"]))
            for r in d["references"]
        },
        thresholds={
            str(x["observable"]): _number(x["value"], f"tolerance.thresholds[{x['observable']}]")
            for x in d["thresholds"]
        },
        minimum={
            str(x["observable"]): _number(x["value"], f"tolerance.minimum[{x['observable']}]")
            for x in d["minimum"]
        },
        maximum={
            str(x["observable"]): _number(x["value"], f"tolerance.maximum[{x['observable']}]")
            for x in d["maximum"]
        },
        threshold_units={
            str(x["observable"]): unit
            for x in d.get("threshold_units", [])
            if (unit := _unit(x["unit"], f"tolerance.threshold_units[{x['observable']}]"))
        },
    )


def _discretization(items: Any) -> Discretization | None:
    d = _one(items, "discretization")
    if d is None:
        return None
    return Discretization(
        method=_opt(d["method"]),
        scheme=_opt(d["scheme"]),
        integrator=_opt(d["integrator"]),
        extra={str(o["name"]): _plain_number(o["value"]) for o in d["options"]},
    )


# ---------------------------------------------------------------- typed model -> payload


def payload_from_spec(spec: Spec) -> dict[str, Any]:
    """The schema's ``spec`` object for ``spec`` (extras and extensions are left out)."""
    d, e = spec.domain, spec.equations
    x = spec.discretization
    return {
        "title": spec.title,
        "description": spec.description,
        "domain": {
            "geometry": d.geometry or "",
            "coordinates": [_coord(c) | {"name": c.name} for c in d.coordinates],
            "time": [] if d.time is None else [_coord(d.time)],
            "boundaries": [{"name": b.name, "where": b.where} for b in d.boundaries],
            "grid": [{"name": k, "value": v} for k, v in d.grid.items()],
        },
        "equations": {
            "nondimensional": e.nondimensional,
            "unknowns": [
                {"name": u.name, "unit": u.unit or "", "depends_on": list(u.depends_on)}
                for u in e.unknowns
            ],
            "parameters": [
                {
                    "name": p.name,
                    "value": as_text(p.value) if not isinstance(p.value, tuple) else str(p.value),
                    "unit": p.unit or "",
                }
                for p in e.parameters
            ],
            "definitions": [{"name": k, "expression": v} for k, v in e.definitions.items()],
            "equations": [q.text for q in e.equations],
            "eigenvalue": []
            if e.eigenvalue is None
            else [
                {
                    "symbol": e.eigenvalue.symbol,
                    "unit": e.eigenvalue.unit or "",
                    "count": e.eigenvalue.count,
                }
            ],
        },
        "boundary": {
            "none": spec.boundary.none,
            "conditions": [
                {
                    "boundary": c.boundary,
                    "type": c.type,
                    "value": c.value or "",
                    "unknown": c.unknown or "",
                    "alpha": c.alpha or "",
                    "partner": c.partner or "",
                }
                for c in spec.boundary.conditions
            ],
        },
        "initial": {
            "stationary": spec.initial.stationary,
            "conditions": [
                {"unknown": c.unknown, "value": c.value, "derivative": c.derivative}
                for c in spec.initial.conditions
            ],
            "initial_guess": [
                {"unknown": k, "value": v} for k, v in spec.initial.initial_guess.items()
            ],
        },
        "observables": [
            {
                "name": o.name,
                "definition": o.definition or "",
                "unit": o.unit or "",
                "description": o.description or "",
            }
            for o in spec.observables
        ],
        "tolerance": _tolerance_payload(spec.tolerance),
        "discretization": []
        if x is None
        else [
            {
                "method": x.method or "",
                "scheme": x.scheme or "",
                "integrator": x.integrator or "",
                "options": [{"name": "dt", "value": str(x.dt)}] * (x.dt is not None)
                + [{"name": k, "value": as_text(v)} for k, v in x.extra.items()],
            }
        ],
    }


def _coord(c: Coordinate) -> dict[str, Any]:
    return {"lower": c.lower, "upper": c.upper, "unit": c.unit or ""}


def _tolerance_payload(t: Tolerance) -> dict[str, Any]:
    return {
        "metric": t.metric or "",
        "threshold": t.threshold if t.threshold is not None else 0.0,
        "references": [
            {"observable": k, "kind": r.kind, "value": r.value or ""}
            for k, r in t.references.items()
        ],
        "thresholds": [{"observable": k, "value": v} for k, v in t.thresholds.items()],
        "minimum": [{"observable": k, "value": v} for k, v in t.minimum.items()],
        "maximum": [{"observable": k, "value": v} for k, v in t.maximum.items()],
        "threshold_units": [{"observable": k, "unit": v} for k, v in t.threshold_units.items()],
    }
