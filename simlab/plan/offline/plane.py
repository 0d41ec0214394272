"""2-D templates on a rectangle: heat (diffusion) and Poisson."""

from __future__ import annotations

import re

from simlab.plan.offline import closed_form
from simlab.plan.offline.build import coordinate, describe, num, parameters, segments_2d
from simlab.plan.offline.conditions import (
    END_TIME,
    TIME_STEP,
    Condition,
    Interval,
    boundary_all,
    formula_after,
    initial_formula,
    rectangle,
    scheme,
    tolerance,
)
from simlab.plan.offline.evolution import HEAT_1D
from simlab.plan.offline.reading import Reading
from simlab.plan.offline.roles import COORDINATE_UNIT, counted_in_unit
from simlab.plan.offline.times import read_end
from simlab.spec.model import (
    BoundaryCondition,
    BoundaryConditions,
    Discretization,
    Domain,
    Equation,
    Equations,
    InitialCondition,
    InitialConditions,
    Observable,
    Quantity,
    Reference,
    Spec,
    Tolerance,
    Unknown,
)

_SIDES = ("left", "right", "bottom", "top")


def _box(x: Interval, y: Interval, dimensional: bool) -> tuple:
    unit = x.unit if dimensional else None
    return (
        coordinate("x", Interval(x.lower, x.upper, unit)),
        coordinate("y", Interval(y.lower, y.upper, unit)),
    )


def _uniform(value: str) -> BoundaryConditions:
    return BoundaryConditions(tuple(BoundaryCondition(s, "dirichlet", value) for s in _SIDES))


def build_heat_2d(r: Reading) -> Spec | None:
    params: dict[str, Quantity] = {}
    bc = boundary_all(r, params)
    threshold = tolerance(r, 1e-3)
    ic = initial_formula(r, {"x", "y", "u0", "A"}, need="x", amplitude="u0")
    box = rectangle(r)
    coef = HEAT_1D.coefficient
    end = read_end(r)
    if end is not None:
        r.values.setdefault("T", end)
    r.assign((coef, END_TIME, TIME_STEP), ignore=frozenset({"x", "y", "u"}))
    r.ask_unplaced(("t", "x", "y"))
    r.get(coef)
    T = r.get(END_TIME)
    if ic is None:
        r.ask("initial condition", "What is the initial profile u(x, y, 0)?")
    if r.missing or box is None or bc is None or T is None:
        return None
    x, y = box
    dimensional = r.dimensional(("kappa", "T")) or x.unit is not None
    if r.missing:
        return None
    params.update({k: r.values[k] for k in ("kappa", "u0") if k in r.values})
    counted = counted_in_unit(ic, set(), ("x", "y")) if dimensional else None
    if counted is not None:
        ic, unit = counted, x.unit or "m"
        params[COORDINATE_UNIT] = Quantity(1.0, unit)
        r.choices.append(
            f"x and y in the typed profile count {unit} (the domain's unit): written "
            f"x/{COORDINATE_UNIT}, y/{COORDINATE_UNIT} with {COORDINATE_UNIT} = 1 {unit}"
        )
    declared = parameters(params, ("kappa", "u0", "u_b", COORDINATE_UNIT), dimensional)
    field_unit = (params["u0"].unit or "1") if "u0" in params else "1"
    values = {p.name: float(p.value) for p in declared}
    reference = None
    if bc.type == "dirichlet" and bc.value == "0":
        reference = closed_form.heat_reference(
            ic, {"x": (x.lower, x.upper), "y": (y.lower, y.upper)}, values, "kappa"
        )
    if reference is None:
        r.choices.append(
            "reference: Richardson extrapolation (no closed form holds for these data)"
        )
    cx, cy = (x.lower + x.upper) / 2, (y.lower + y.upper) / 2
    r.choices.append("observable u at the centre at the final time")
    return Spec(
        title="Heat equation on a rectangle"
        if not r.has(r"unit square")
        else "Heat equation on the unit square",
        description=describe(r, "Diffusion of heat in a plate (2-D heat equation)."),
        domain=Domain(
            geometry="rectangle",
            coordinates=_box(x, y, dimensional),
            time=_time(T, dimensional),
            boundaries=segments_2d(x, y),
        ),
        equations=Equations(
            unknowns=(Unknown("u", field_unit if dimensional else None, ("t", "x", "y")),),
            parameters=declared,
            equations=(Equation("diff(u, t) = kappa*laplacian(u)"),),
            nondimensional=not dimensional,
        ),
        boundary=_uniform_of(bc),
        initial=InitialConditions((InitialCondition("u", ic),)),
        observables=(
            Observable(
                "u_center",
                f"u(t={num(T.value)}, x={num(cx)}, y={num(cy)})",
                field_unit if dimensional else None,
            ),
        ),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={
                "*": Reference("analytic", reference) if reference else Reference("extrapolation")
            },
        ),
        discretization=Discretization(
            method="finite_difference", scheme=scheme(r, "crank_nicolson")
        ),
    )


def _time(T: Quantity, dimensional: bool):
    from simlab.spec.model import Coordinate

    return Coordinate("t", 0.0, T.value, T.unit if dimensional else None)


def _uniform_of(c) -> BoundaryConditions:
    return BoundaryConditions(tuple(BoundaryCondition(s, c.type, c.value) for s in _SIDES))


_SOLUTION_LEAD = (
    r"(?:exact|manufactured|analytic(?:al)?|known)\s+solution\s*(?:is\s+|of\s+|:\s*|=\s*)?"
    r"(?:u\s*=\s*)?"
)
_SOURCE_LEAD = (
    r"(?:source(?:\s+term)?|right[- ]hand side|forcing|load|f\s*\(\s*x\s*,\s*y\s*\))\s*"
    r"(?:is\s+|of\s+|:\s*|=\s*|f\s*=\s*)?"
    r"|-\s*(?:laplacian\(u\)|Δu|delta u|lap\(u\))\s*=\s*|\bf\s*=\s*"
)


def build_poisson_2d(r: Reading) -> Spec | None:
    names = {"x", "y"}
    solution = formula_after(r, _SOLUTION_LEAD, names)
    source = formula_after(r, _SOURCE_LEAD, names, need=None) if solution is None else None
    params: dict[str, Quantity] = {}
    stated_bc = boundary_all(r, params) if solution is None or _bc_words(r) else None
    threshold = tolerance(r, 1e-4)
    box = rectangle(r)
    r.assign((), ignore=frozenset({"x", "y", "u"}))
    if solution is None and source is None:
        r.ask("source term", "What is the source term f in -laplacian(u) = f?")
    if r.missing or box is None:
        return None
    x, y = box
    dimensional = x.unit is not None
    if dimensional:
        r.ask(
            "source term units",
            "A dimensional Poisson problem needs f with units; which units do u and f have?",
        )
        return None
    reference = None
    if solution is not None:
        source = closed_form.manufactured_source(solution, ["x", "y"], [])
        r.read.append(f"manufactured solution u = {solution}; source f = -laplacian(u) = {source}")
        reference = solution
        if stated_bc is None:
            bc_value = _trace(solution, x, y)
            if bc_value is None:
                r.ask("boundary conditions", "Which boundary values go with that solution?")
                return None
            stated_bc = Condition("dirichlet", bc_value)
            r.choices.append(f"Dirichlet data u = {bc_value} from the manufactured solution")
    else:
        r.read.append(f"source f = {source}")
        r.choices.append("reference: Richardson extrapolation (no exact solution given)")
    cx, cy = (x.lower + x.upper) / 2, (y.lower + y.upper) / 2
    qx = x.lower + (x.upper - x.lower) / 4
    r.choices.append("observables u at the centre and at a quarter of the width")
    return Spec(
        title="Poisson equation on the unit square"
        if r.has("unit square")
        else "Poisson equation on a rectangle",
        description=describe(r, "A steady field with a source (2-D Poisson equation)."),
        domain=Domain(
            geometry="rectangle",
            coordinates=_box(x, y, False),
            boundaries=segments_2d(x, y),
        ),
        equations=Equations(
            unknowns=(Unknown("u", None, ("x", "y")),),
            definitions={"f": source},
            equations=(Equation("-laplacian(u) = f"),),
            nondimensional=True,
        ),
        boundary=_uniform_of(stated_bc),
        initial=InitialConditions(stationary=True),
        observables=(
            Observable("u_center", f"u(x={num(cx)}, y={num(cy)})"),
            Observable("u_off_center", f"u(x={num(qx)}, y={num(cy)})"),
        ),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={
                "*": Reference("analytic", reference) if reference else Reference("extrapolation")
            },
        ),
        discretization=Discretization(method="finite_difference", scheme="central_5_point"),
    )


def _bc_words(r: Reading) -> bool:
    return bool(re.search(r"boundary|dirichlet|neumann|edges|walls|insulated", r.lower))


def _trace(solution: str, x: Interval, y: Interval) -> str | None:
    """'0' when the solution vanishes on the whole boundary, else ``None``."""
    box = {"x": (x.lower, x.upper), "y": (y.lower, y.upper)}
    return "0" if closed_form.vanishes_on_box(solution, box) else None
