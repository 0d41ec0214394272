"""Gate 2, boundary and initial condition compatibility (S2).

Computed on the spec:

* every face of the box domain is named by exactly one boundary segment, and segments lie on
  the boundary;
* per unknown and coordinate, the number and type of conditions fit the equation's order in
  that coordinate: order 2 needs one condition at each end, a first-order (hyperbolic) equation
  needs data at the inflow end only and data at an outflow end over-specifies the problem
  (:mod:`simlab.judge.characteristics`); periodic pairs must join opposite faces;
* initial data is present if and only if the problem is time-dependent, for every unknown and
  every time derivative below the equation's order in time;
* the data are compatible (:mod:`simlab.judge.compatibility`): initial vs Dirichlet data (WARN
  with the size of the jump), and for pure-Neumann problems the source vs the boundary flux
  (FAIL when they do not balance, WARN for the non-unique constant otherwise).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import sympy as sp

from simlab.judge import characteristics, compatibility
from simlab.judge.characteristics import position
from simlab.judge.geometry import Face, faces
from simlab.judge.pretty import show
from simlab.judge.report import Finding, GateVerdict, Status
from simlab.spec.shapes import is_shape, read_shape

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.symbolic import ParsedCondition

GATE_ID = "bc_ic"
TITLE = "Boundary and initial conditions"
CONDITIONS = ("S2",)


def check(ctx: JudgeContext) -> GateVerdict:
    s = ctx.sym
    findings: list[Finding] = []
    numbers: dict = {}
    if s.ns is None or not s.equations:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                "conditions cannot be checked: the equations are not machine-readable",
                fix="write the equations in the dialect so their orders can be computed",
            )
        )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings)
    declared = set(s.coordinate_names) | ({s.time_name} if s.time_name else set())
    stray = sorted({v for j in s.jets.values() for v, _ in j.orders} - declared)
    if stray:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                f"the equations differentiate in {', '.join(stray)}, which the Domain does not "
                "declare: boundary and initial data cannot be placed",
                {"undeclared_variables": stray},
                fix="declare every coordinate (with a range) and the time interval in ## Domain",
                where="Domain",
            )
        )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings, numbers)
    boundary(ctx, findings, numbers)
    initial(ctx, findings, numbers)
    if s.is_time_dependent:
        compatibility.jumps(ctx, findings, numbers)
    else:
        compatibility.neumann_balance(ctx, findings, numbers)
    return GateVerdict.from_findings(
        GATE_ID, TITLE, CONDITIONS, findings, numbers, pass_message="conditions fit the orders"
    )


# ---------------------------------------------------------------- boundary coverage


def boundary(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    s, spec = ctx.sym, ctx.spec
    needs = {u: {x: n for x, n in s.space_orders(u).items() if n > 0} for u in s.unknown_names}
    needs = {u: v for u, v in needs.items() if v}
    numbers["space_orders"] = needs
    bc = spec.boundary
    real_conds = [pc for pc in s.conditions if pc.cond.type != "constraint"]
    if not needs:
        if real_conds:
            findings.append(
                Finding(
                    Status.WARN,
                    "S2",
                    f"{len(real_conds)} boundary condition(s) given, but no equation has a "
                    "space derivative: they constrain nothing",
                    fix="remove them, or check the equations",
                    where="Boundary Conditions",
                )
            )
        else:
            findings.append(
                Finding(Status.PASS, "S2", "no space derivatives: no boundary data needed")
            )
        return
    summary = ", ".join(
        f"{u}: " + ", ".join(f"order {n} in {x}" for x, n in v.items()) for u, v in needs.items()
    )
    if bc.none or (not bc.conditions and not bc.extra):
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"no boundary conditions, but the equations need them ({summary})",
                {"orders": needs},
                fix="give one condition per boundary segment (two ends per coordinate for "
                "second-order equations)",
                where="Boundary Conditions",
            )
        )
        return
    if not bc.conditions:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                "boundary conditions are free text: their number and type cannot be checked",
                fix="write 'segment: {type: dirichlet, value: 0}' per segment",
                where="Boundary Conditions",
            )
        )
        return
    if is_shape(spec.domain.geometry):
        _shape_boundary(ctx, needs, real_conds, findings, summary)
        return
    face_of = _locate(ctx, findings)
    per_face: dict[Face, list[ParsedCondition]] = defaultdict(list)
    for pc in real_conds:
        face = face_of.get(pc.cond.boundary)
        if face is not None:
            per_face[face].append(pc)
    coupled = characteristics.coupled_first_order(ctx, needs)
    for x, group in coupled.items():
        characteristics.first_order_system(ctx, group, x, per_face, findings)
    for u, orders in needs.items():
        for x, n in orders.items():
            if u not in coupled.get(x, ()):
                _coordinate(ctx, u, x, n, per_face, face_of, findings)
    if not any(f.status != Status.PASS for f in findings):
        findings.append(Finding(Status.PASS, "S2", f"boundary data fits the orders ({summary})"))


def _shape_boundary(
    ctx: JudgeContext,
    needs: dict,
    conditions: list[ParsedCondition],
    findings: list[Finding],
    summary: str,
) -> None:
    """A disk, annulus or L-shape: every boundary part covered once, one condition each."""
    shape = read_shape(ctx.spec)
    if isinstance(shape, str):
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                shape,
                fix="name each part of the boundary by its relation, e.g. 'rim: x**2 + y**2 = 1'",
                where="Domain, boundaries",
            )
        )
        return
    segments = set(shape.segment_of.values())
    for u in needs:
        for seg in sorted(segments):
            count = sum(1 for pc in conditions if pc.cond.boundary == seg and _applies(pc, u))
            if count != 1:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S2",
                        f"{u} has {count} condition(s) on '{seg}'; a second-order elliptic or "
                        "parabolic equation needs exactly one on every part of the boundary",
                        fix=f"give one condition for {u} on '{seg}'",
                        where=f"Boundary Conditions, {seg}",
                    )
                )
    stray = sorted({pc.cond.boundary for pc in conditions} - segments)
    for name in stray:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"condition on '{name}', which is not a boundary segment of the Domain",
                fix=f"declare '{name}: <relation>' under boundaries",
                where=f"Boundary Conditions, {name}",
            )
        )
    if not any(f.status != Status.PASS for f in findings):
        findings.append(
            Finding(
                Status.PASS,
                "S2",
                f"{shape.kind}: every boundary part has one condition ({summary})",
            )
        )


def _locate(ctx: JudgeContext, findings: list[Finding]) -> dict[str, Face]:
    """Segments to faces; report segments off the boundary and faces named twice or never."""
    s, spec = ctx.sym, ctx.spec
    face_of: dict[str, Face] = {}
    for name, loc in ctx.segments.items():
        if loc.face is not None:
            face_of[name] = loc.face
        else:
            status = Status.FAIL if loc.interior else Status.UNVERIFIABLE
            findings.append(
                Finding(
                    status,
                    "S2",
                    loc.problem or f"segment '{name}' not located",
                    fix="name boundary segments by the face they lie on, e.g. 'left: x = 0'",
                    where=f"Domain, boundaries.{name}",
                )
            )
    named: dict[Face, list[str]] = defaultdict(list)
    for name, face in face_of.items():
        named[face].append(name)
    for face, names in named.items():
        if len(names) > 1:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"face {position(ctx, face)} is named by {len(names)} segments "
                    f"({', '.join(names)}): each part of the boundary must be covered exactly "
                    "once",
                    {"face": face.label, "segments": names},
                    fix="keep one segment per face",
                    where="Domain, boundaries",
                )
            )
    segments = {seg.name for seg in spec.domain.boundaries}
    for pc in s.conditions:
        c = pc.cond
        if c.type != "constraint" and c.boundary not in segments:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"condition on '{c.boundary}', which is not a boundary segment of the Domain",
                    fix=f"declare '{c.boundary}: <coordinate> = <value>' under boundaries",
                    where=f"Boundary Conditions, {c.boundary}",
                )
            )
    return face_of


def _applies(pc: ParsedCondition, u: str) -> bool:
    return pc.cond.unknown in (u, None)


def _coordinate(
    ctx: JudgeContext,
    u: str,
    x: str,
    n: int,
    per_face: dict[Face, list[ParsedCondition]],
    face_of: dict[str, Face],
    findings: list[Finding],
) -> None:
    s = ctx.sym
    lower = next(f for f in faces(s) if f.coord == x and f.side == "lower")
    upper = next(f for f in faces(s) if f.coord == x and f.side == "upper")
    at = {f: [pc for pc in per_face.get(f, []) if _applies(pc, u)] for f in (lower, upper)}
    periodic = [pc for f in (lower, upper) for pc in at[f] if pc.cond.type == "periodic"]
    if periodic:
        _periodic(ctx, u, x, lower, upper, at, periodic, face_of, findings)
        return
    if n % 2 == 0:
        need = n // 2
        for face in (lower, upper):
            _count(ctx, u, x, n, face, at[face], need, findings)
        return
    if n == 1:
        characteristics.first_order(ctx, u, x, lower, upper, at, findings)
        return
    total = len(at[lower]) + len(at[upper])
    if total != n:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"{u} is of order {n} in {x}: it needs {n} conditions in total at the two ends, "
                f"got {total}",
                {"order": n, "given": total},
                where="Boundary Conditions",
            )
        )


def _count(
    ctx: JudgeContext,
    u: str,
    x: str,
    n: int,
    face: Face,
    conds: list[ParsedCondition],
    need: int,
    findings: list[Finding],
) -> None:
    pos = position(ctx, face)
    if len(conds) < need:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"{u} is of order {n} in {x} and needs {need} condition(s) at each end; the end "
                f"{pos} has {len(conds)}",
                {"order": n, "face": pos, "given": len(conds), "needed": need},
                fix=f"add a condition for {u} on the segment at {pos}",
                where="Boundary Conditions",
            )
        )
    elif len(conds) > need:
        kinds = [pc.cond.type for pc in conds]
        values = [show(pc.value) if pc.value is not None else "-" for pc in conds]
        dirichlet = [pc for pc in conds if pc.cond.type == "dirichlet" and pc.value is not None]
        contradictory = len(dirichlet) > 1 and len({sp.srepr(pc.value) for pc in dirichlet}) > 1
        what = "contradictory" if contradictory else "over-specified"
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"{what} boundary data: {len(conds)} conditions for {u} at {pos} "
                f"({', '.join(f'{k} = {v}' for k, v in zip(kinds, values, strict=True))}) where "
                f"an equation of order {n} in {x} takes {need}",
                {"face": pos, "given": len(conds), "needed": need, "types": kinds},
                fix=f"keep one condition for {u} at {pos}",
                where="Boundary Conditions",
            )
        )


def _periodic(
    ctx: JudgeContext,
    u: str,
    x: str,
    lower: Face,
    upper: Face,
    at: dict[Face, list[ParsedCondition]],
    periodic: list[ParsedCondition],
    face_of: dict[str, Face],
    findings: list[Finding],
) -> None:
    for pc in periodic:
        here = face_of.get(pc.cond.boundary)
        there = face_of.get(pc.cond.partner or "")
        if there is None or here is None or there.coord != here.coord or there == here:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"periodic condition on '{pc.cond.boundary}' pairs it with "
                    f"'{pc.cond.partner}', which is not the opposite face of the same coordinate",
                    fix=f"pair '{pc.cond.boundary}' with the segment on the opposite face",
                    where=f"Boundary Conditions, {pc.cond.boundary}",
                )
            )
            return
    extra = [pc for f in (lower, upper) for pc in at[f] if pc.cond.type != "periodic"]
    if extra:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"over-specified: {u} is periodic in {x} and also has "
                f"{', '.join(pc.cond.type for pc in extra)} data on "
                f"{', '.join(sorted({pc.cond.boundary for pc in extra}))}",
                fix="a periodic pair takes no further condition",
                where="Boundary Conditions",
            )
        )


# ---------------------------------------------------------------- initial data


def initial(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    s, spec = ctx.sym, ctx.spec
    ic = spec.initial
    given = {(p.cond.unknown, p.cond.derivative) for p in s.initial}
    for unknown, _ in sorted(given):
        if unknown not in s.unknown_names:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"initial value for '{unknown}', which is not an unknown",
                    where="Initial Conditions",
                )
            )
    if not s.is_time_dependent:
        if s.initial:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"initial data given ({', '.join(sorted(u for u, _ in given))}) but no "
                    "equation has a time derivative: the problem is stationary",
                    fix="write 'initial: none' (use 'initial_guess' for a nonlinear iteration's "
                    "start), or add the time derivative to the equation",
                    where="Initial Conditions",
                )
            )
        else:
            findings.append(Finding(Status.PASS, "S2", "stationary: no initial data needed"))
        return
    orders = {u: s.time_order(u) for u in s.unknown_names if s.time_order(u) > 0}
    numbers["time_orders"] = orders
    if spec.domain.time is None:
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                "the equations are time-dependent but the Domain has no time interval",
                fix="add 'time: {range: [0, T], unit: s}' to ## Domain",
                where="Domain",
            )
        )
    free_text = bool(ic.extra) and not s.initial
    for u, m in orders.items():
        for k in range(m):
            if (u, k) in given:
                continue
            label = u if k == 0 else ("d" + u + "/dt" if k == 1 else f"d^{k}{u}/dt^{k}")
            status = Status.UNVERIFIABLE if free_text else Status.FAIL
            reason = "'initial: none' is written" if ic.stationary else "none is given"
            findings.append(
                Finding(
                    status,
                    "S2",
                    f"{u} is of order {m} in time and needs initial data for {label}; {reason}",
                    {"unknown": u, "time_order": m, "missing": label},
                    fix=f"add '{'diff(' + u + ', t)' if k == 1 else u}: <expression>' to "
                    "## Initial Conditions",
                    where="Initial Conditions",
                )
            )
        for unknown, k in given:
            if unknown == u and k >= m:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S2",
                        f"over-specified initial data: d{u}/dt is given but {u} is of order {m} "
                        "in time (its initial rate follows from the equation)",
                        fix=f"remove 'diff({u}, t)' from ## Initial Conditions",
                        where="Initial Conditions",
                    )
                )
    if not any(f.status != Status.PASS and f.where == "Initial Conditions" for f in findings):
        findings.append(
            Finding(
                Status.PASS,
                "S2",
                "initial data complete for "
                + ", ".join(f"{u} (order {m})" for u, m in orders.items()),
            )
        )
