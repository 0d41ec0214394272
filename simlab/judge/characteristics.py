"""Boundary data of first-order (hyperbolic) equations: inflow ends need data, outflow ends not.

For a scalar equation ``u_t + a u_x = ...`` the velocity ``a = (dR/du_x)/(dR/du_t)`` is evaluated
on each face: where it points inward, one condition is needed; where it points outward, data
over-specifies the problem. For a coupled system ``u_t + A u_x = ...`` the number of
characteristics entering a face is the number of eigenvalues of ``A`` pointing inward there
(complex eigenvalues: the system is not hyperbolic). A stationary first-order equation takes
exactly one condition along each characteristic direction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simlab.judge.geometry import Face, faces
from simlab.judge.report import Finding, Status

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.principal import PrincipalPart
    from simlab.judge.symbolic import ParsedCondition


def position(ctx: JudgeContext, face: Face) -> str:
    """``x = 0 m``: the face as written in the spec's units."""
    c = next(c for c in ctx.spec.domain.coordinates if c.name == face.coord)
    value = c.lower if face.side == "lower" else c.upper
    return f"{face.coord} = {value:g}" + (f" {c.unit}" if c.unit else "")


def first_order(
    ctx: JudgeContext,
    u: str,
    x: str,
    lower: Face,
    upper: Face,
    at: dict[Face, list[ParsedCondition]],
    findings: list[Finding],
) -> None:
    """Hyperbolic in x: data at inflow ends only (time-dependent); one condition if stationary."""
    s = ctx.sym
    part = next((p for p in ctx.parts if p.unknown == u), None)
    if not s.is_time_dependent or part is None or part.time_order == 0:
        total = len(at[lower]) + len(at[upper])
        if total != 1:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"{u} is of first order in {x} (stationary transport): it takes exactly one "
                    f"condition at one end, got {total}",
                    {"given": total},
                    where="Boundary Conditions",
                )
            )
        return
    velocity = _face_velocity(ctx, part, x)
    if velocity is None:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                f"the characteristic velocity of {u} in {x} could not be evaluated on the "
                "boundary: inflow and outflow ends unknown",
                where="Boundary Conditions",
            )
        )
        return
    for face, side_velocity in ((lower, velocity[0]), (upper, velocity[1])):
        inward = -face.normal_sign * side_velocity  # > 0: characteristics enter here
        pos = position(ctx, face)
        given = len(at[face])
        nums = {
            "face": pos,
            "velocity_min": float(inward.min()),
            "velocity_max": float(inward.max()),
            "given": given,
        }
        kind, proof = face_kind(ctx, part, x, face)
        if proof:
            nums["proof"] = proof
        if kind is None:  # not enclosable: the samples at t0 decide, as before
            kind = "inflow" if np.all(inward > 0) else "outflow" if np.all(inward <= 0) else "mixed"
        if kind == "mixed" and proof.get("reverses_at"):
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    f"{u}: the velocity at {pos} reverses during the run "
                    f"({_where(proof['reverses_at'])}): that end is inflow part of the time and "
                    "outflow otherwise, so which data it needs changes in time",
                    nums,
                    fix="prescribe inflow data at both ends for the times they are inflow, "
                    "or shorten the time interval",
                    where="Boundary Conditions",
                )
            )
            continue
        if kind == "inflow":
            if given == 0:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S2",
                        f"{u}: {pos} is an inflow boundary (inward velocity "
                        f"{float(np.min(inward)):.3g} in SI units) with no data",
                        nums,
                        fix=f"prescribe {u} at the inflow end {pos}",
                        where="Boundary Conditions",
                    )
                )
            elif given > 1:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S2",
                        f"{u}: {given} conditions at the inflow end {pos};"
                        " a first-order equation takes one",
                        nums,
                        where="Boundary Conditions",
                    )
                )
        elif kind == "outflow":
            if given > 0:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S2",
                        f"over-specified outflow data: {u} is prescribed at {pos}, where the "
                        "characteristics leave the domain (first-order hyperbolic)",
                        nums,
                        fix=f"remove the condition at the outflow end {pos}",
                        where="Boundary Conditions",
                    )
                )
        else:
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    f"{u}: the velocity changes sign along {pos}: inflow part not determined",
                    nums,
                    where="Boundary Conditions",
                )
            )


def coupled_first_order(ctx: JudgeContext, needs: dict[str, dict[str, int]]) -> dict[str, list]:
    """Per coordinate, the unknowns of a coupled first-order hyperbolic system (u_t + A u_x)."""
    s = ctx.sym
    out: dict[str, list[str]] = {}
    if not s.is_time_dependent:
        return out
    for x in s.coordinate_names:
        group = [u for u, orders in needs.items() if orders.get(x) == 1]
        if len(group) < 2:
            continue
        for u in group:
            eq = s.governing(u)
            others = [v for v in group if v != u]
            if eq is not None and any(eq.order(v, x) == 1 for v in others):
                out[x] = group
                break
    return out


def first_order_system(
    ctx: JudgeContext,
    group: list[str],
    x: str,
    per_face: dict[Face, list[ParsedCondition]],
    findings: list[Finding],
) -> None:
    """Inflow data of ``u_t + A u_x = ...``: one condition per characteristic entering a face."""
    s = ctx.sym
    n = len(group)
    sampler = ctx.sampler
    size = sampler.size
    A = np.zeros((size, n, n))
    for i, u in enumerate(group):
        eq = s.governing(u)
        dt_jet = s.jet(u, **{s.time_name: 1}) if s.time_name else None
        ct = sampler.evaluate(eq.coefficient(dt_jet), with_jets=True) if eq and dt_jet else None
        if eq is None or ct is None or np.any(ct == 0):
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    f"coupled first-order system in "
                    f"{x}: the equation of {u} has no usable time derivative",
                )
            )
            return
        for j, v in enumerate(group):
            jet = s.jet(v, **{x: 1})
            if jet is None or jet not in eq.jets:
                continue
            values = sampler.evaluate(eq.coefficient(jet), with_jets=True)
            if values is None:
                findings.append(
                    Finding(
                        Status.UNVERIFIABLE,
                        "S2",
                        f"coupled first-order system in {x}: a coefficient could not be evaluated",
                    )
                )
                return
            A[:, i, j] = values / ct
    xs = sampler.coords[s.symbol(x)]
    lo, hi = s.ranges_si[x]
    faces_x = [f for f in faces(s) if f.coord == x]
    with np.errstate(all="ignore"):
        eig = np.linalg.eigvals(A)
    if np.any(np.abs(eig.imag) > 1e-9 * max(float(np.max(np.abs(eig))), 1e-300)):
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"the first-order system in {x} has complex "
                "characteristic speeds: it is not hyperbolic (ill-posed as an "
                "initial-value problem)",
                where="Equations",
            )
        )
        return
    speeds = eig.real
    for face in faces_x:
        mask = np.isclose(xs, face.position, atol=1e-12 * max(abs(lo), abs(hi), 1.0))
        inward = -face.normal_sign * speeds[mask]
        counts = {int(np.sum(row > 0)) for row in inward}
        pos = position(ctx, face)
        given = sum(1 for pc in per_face.get(face, []) if pc.cond.unknown in (*group, None))
        if len(counts) != 1:
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    f"the number of characteristics entering at {pos} changes along the face",
                )
            )
            continue
        need = counts.pop()
        nums = {
            "face": pos,
            "incoming_characteristics": need,
            "given": given,
            "speeds": sorted({round(float(v), 12) for v in speeds[mask].ravel()}),
        }
        if given < need:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"{need} characteristic(s) of the system "
                    f"({', '.join(group)}) enter at {pos}, but {given} "
                    "condition(s) are given there",
                    nums,
                    fix=f"give {need} condition(s) at {pos}",
                    where="Boundary Conditions",
                )
            )
        elif given > need:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"over-specified outflow data: {given} "
                    f"condition(s) at {pos} where only {need} characteristic(s) "
                    f"of ({', '.join(group)}) enter",
                    nums,
                    fix=f"keep {need} condition(s) at {pos}",
                    where="Boundary Conditions",
                )
            )


def face_kind(
    ctx: JudgeContext, part: PrincipalPart, x: str, face: Face
) -> tuple[str | None, dict]:
    """'inflow' | 'outflow' | 'mixed' on the face over the whole time interval, proven by
    interval arithmetic (``None`` when the velocity cannot be enclosed)."""
    from simlab.judge import proofs
    from simlab.judge.rangeproof import Outcome

    s = ctx.sym
    eq = part.equation
    tjet = s.jet(part.unknown, **{s.time_name: 1}) if s.time_name else None
    xjet = s.jet(part.unknown, **{x: 1})
    if tjet is None or xjet is None or tjet not in eq.jets or xjet not in eq.jets:
        return None, {}
    inward = -face.normal_sign * eq.coefficient(xjet) / eq.coefficient(tjet)
    fixed = {s.symbol(x): (face.position, face.position)}
    enters = proofs.sign(ctx, inward, fixed)
    if enters.outcome == Outcome.PROVEN:
        return "inflow", {"inflow": enters.to_numbers()}
    leaves = proofs.sign(ctx, -inward, fixed, strict=False)
    if leaves.outcome == Outcome.PROVEN:
        return "outflow", {"outflow": leaves.to_numbers()}
    if enters.outcome == Outcome.UNDECIDED and enters.bound is None:
        return None, {}
    out: dict = {"inflow": enters.to_numbers(), "outflow": leaves.to_numbers()}
    w_in = leaves.witness if leaves.outcome == Outcome.VIOLATED else None
    w_out = enters.witness if enters.outcome == Outcome.VIOLATED else None
    t = s.time_name
    if w_in and w_out and t in w_in and t in w_out and w_in[t] != w_out[t]:
        out["reverses_at"] = {"inflow": w_in, "outflow": w_out}
    return "mixed", out


def _where(points: dict) -> str:
    from simlab.judge.proofs import where

    return "; ".join(f"{kind} at {where(p)}" for kind, p in points.items())


def _face_velocity(
    ctx: JudgeContext, part: PrincipalPart, x: str
) -> tuple[np.ndarray, np.ndarray] | None:
    ev = part.evolution()
    if ev is None:
        return None
    a = ev[1]
    i = ctx.sym.coordinate_names.index(x)
    coords = ctx.sampler.coords
    xs = coords[ctx.sym.space[i]]
    lo, hi = ctx.sym.ranges_si[x]
    tol = 1e-12 * max(abs(lo), abs(hi), 1.0)
    lo_mask, hi_mask = np.abs(xs - lo) <= tol, np.abs(xs - hi) <= tol
    if not lo_mask.any() or not hi_mask.any() or not np.all(np.isfinite(a[:, i])):
        return None
    return a[lo_mask, i], a[hi_mask, i]
