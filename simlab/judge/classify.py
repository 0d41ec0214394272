"""Gate 4, classification (S1): what kind of problem the equations are, and its solver family.

Read from the equation structure, never from words: derivative orders per variable, the sign
class of the principal part (definite, indefinite, semidefinite), linearity in the unknowns,
whether an eigenvalue symbol multiplies the unknown, whether the unknown only appears inside an
operator (an inverse problem ``A f = data``) or is defined explicitly by an integral (an integral
transform), and for ODE systems the stiffness ratio measured along a probe trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from simlab.judge.principal import definiteness, system_symbol, unit_directions
from simlab.judge.report import Classification, Finding, GateVerdict, Status
from simlab.judge.stiffness import STIFF_RATIO
from simlab.spec.expressions import safe_name

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

GATE_ID = "classification"
TITLE = "Classification"
CONDITIONS = ("S1",)

ELLIPTIC = "elliptic"
PARABOLIC = "parabolic"
HYPERBOLIC = "hyperbolic"
ODE = "ode"
ODE_STIFF = "ode_stiff"
EIGENPROBLEM = "eigenproblem"
INVERSE = "inverse"
NONLINEAR_STATIONARY = "nonlinear_stationary"
INTEGRAL_TRANSFORM = "integral_transform"
FAMILIES = (
    ELLIPTIC,
    PARABOLIC,
    HYPERBOLIC,
    ODE,
    ODE_STIFF,
    EIGENPROBLEM,
    INVERSE,
    NONLINEAR_STATIONARY,
    INTEGRAL_TRANSFORM,
)

SOLVERS = {
    ELLIPTIC: "sparse direct solve of the discretised operator (scipy.sparse.linalg.spsolve)",
    PARABOLIC: "method of lines with an A-stable integrator (Crank-Nicolson, BDF)",
    HYPERBOLIC: "explicit CFL-limited time stepping (upwind / Lax-Wendroff / leapfrog)",
    ODE: "explicit adaptive Runge-Kutta (RK45)",
    ODE_STIFF: "implicit Radau IIA (order 5) or BDF with an exact Jacobian",
    EIGENPROBLEM: "sparse shift-invert eigensolver (scipy.sparse.linalg.eigsh)",
    INVERSE: "regularised inversion (filtered back-projection, Tikhonov / SART iterations)",
    NONLINEAR_STATIONARY: "Newton's method with a sparse Jacobian (continuation if needed)",
    INTEGRAL_TRANSFORM: "quadrature of the integral (composite Simpson / FFT)",
}


@dataclass
class Analysis:
    """The classification and the structural findings behind it."""

    family: str | None
    description: str
    details: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def classification(self) -> Classification | None:
        if self.family is None:
            return None
        return Classification(self.family, self.description, SOLVERS[self.family], self.details)


def check(ctx: JudgeContext) -> GateVerdict:
    a = ctx.analysis
    findings = list(a.findings)
    if a.family is not None:
        findings.append(
            Finding(
                Status.PASS,
                "S1",
                f"{a.family}: {a.description}; solver: {SOLVERS[a.family]}",
                {"family": a.family, **a.details},
            )
        )
    elif not any(f.status == Status.FAIL for f in findings):
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                f"cannot classify the problem: {a.description}",
                fix="write the governing equations in the dialect (diff, laplacian, ...)",
            )
        )
    if a.family is not None:
        findings.extend(_declared_plan(ctx, a.family))
    numbers = {"family": a.family, **a.details}
    return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings, numbers)


#: what a declared family (or problem type) in ``## Discretization`` may be called
_DECLARED_KEYS = ("family", "solver_family", "problem_type", "type", "class", "classification")
_STATIONARY = {ELLIPTIC, "stationary", "steady", "steady_state", "nonlinear_stationary"}
_EVOLUTION = {PARABOLIC, HYPERBOLIC, "ode", "ode_stiff", "transient", "time_dependent"}


def _declared_plan(ctx: JudgeContext, family: str) -> list[Finding]:
    """A family or method declared in the plan that contradicts the classification."""
    disc = ctx.spec.discretization
    if disc is None:
        return []
    out: list[Finding] = []
    declared = None
    for key in _DECLARED_KEYS:
        if key in disc.extra and isinstance(disc.extra[key], str):
            declared = disc.extra[key].strip().lower().replace("-", "_").replace(" ", "_")
            break
    time_dependent = ctx.sym.is_time_dependent
    fix_integrator = "crank_nicolson" if family == PARABOLIC else "leapfrog or lax_wendroff"
    if declared is not None and declared != family and {declared, family} != {ODE, ODE_STIFF}:
        stationary_declared = declared in _STATIONARY
        contradicts = (
            (stationary_declared and time_dependent)
            or (declared in _EVOLUTION and not time_dependent)
            or (declared in FAMILIES and declared != family)
        )
        if contradicts:
            fix = f"family: {family}"
            if time_dependent:
                fix += f", with a time integrator (integrator: {fix_integrator})"
            out.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"the plan declares the problem '{declared}', but its equations are "
                    f"{family} ({'time-dependent' if time_dependent else 'stationary'}): a "
                    f"{declared} solver would answer a different problem",
                    {"declared": declared, "classified": family},
                    fix=fix,
                    where="Discretization",
                )
            )
    integ = (disc.integrator or "").strip().lower()
    if time_dependent and integ in ("none", "no", "false", "steady", "stationary"):
        out.append(
            Finding(
                Status.FAIL,
                "S1",
                f"the problem is {family} (time-dependent) but the plan has no time integrator "
                f"(integrator: {disc.integrator})",
                {"classified": family},
                fix=f"plan a time integrator: integrator: {fix_integrator}",
                where="Discretization",
            )
        )
    return out


# ---------------------------------------------------------------- analysis


def analyse(ctx: JudgeContext) -> Analysis:
    s = ctx.sym
    findings = _structure(ctx)
    if s.build_error is not None or not s.equations:
        why = s.build_error or "no equation could be read"
        return Analysis(None, why, {}, findings)
    details: dict[str, Any] = {
        "linear": s.linear,
        "time_dependent": s.is_time_dependent,
        "orders": {
            u: {
                v: s.order(u, v)
                for v in (*s.coordinate_names, *([s.time_name] if s.time_name else []))
                if v and s.order(u, v)
            }
            for u in s.unknown_names
        },
    }
    family, description = _family(ctx, details, findings)
    if any(f.status == Status.FAIL for f in findings):
        # an incomplete statement has no reliable type: report what the structure suggests
        details["structure_suggests"] = family
        return Analysis(
            None, "the problem statement is incomplete (see the findings)", details, findings
        )
    return Analysis(family, description, details, findings)


def _structure(ctx: JudgeContext) -> list[Finding]:
    """S1 findings: the problem must be completely and consistently stated."""
    s, spec = ctx.sym, ctx.spec
    out: list[Finding] = []
    if s.build_error is not None:
        out.append(
            Finding(
                Status.FAIL,
                "S1",
                f"not machine-checkable: {s.build_error}",
                fix="declare unknowns with units and write equations in sympy notation, e.g. "
                "'diff(u, t) = kappa*diff(u, x, 2)'",
                where="Equations",
            )
        )
        return out
    for i, msg in s.equation_errors:
        out.append(
            Finding(
                Status.FAIL,
                "S1",
                f"equation {i + 1} cannot be read: {msg}",
                where=f"Equations, equation {i + 1}",
            )
        )
    if not spec.equations.equations:
        out.append(Finding(Status.FAIL, "S1", "no equations", where="Equations"))
    variables = set(s.coordinate_names) | ({s.time_name} if s.time_name else set())
    for u in spec.equations.unknowns:
        missing = [v for v in u.depends_on if v not in variables]
        for v in missing:
            kind = "time interval" if v in ("t", "time") else f"coordinate '{v}' with a range"
            out.append(
                Finding(
                    Status.FAIL,
                    "S1",
                    f"unknown '{u.name}' depends on '{v}', but the Domain has no {kind} "
                    "(the domain is missing)",
                    {"unknown": u.name, "variable": v},
                    fix=f"add '{v}: {{range: [lower, upper], unit: ...}}' to ## Domain",
                    where="Domain",
                )
            )
        unused = [c for c in s.coordinate_names if c not in u.depends_on]
        if unused and u.depends_on:
            out.append(
                Finding(
                    Status.WARN,
                    "S1",
                    f"unknown '{u.name}' does not depend on coordinate(s) {', '.join(unused)} "
                    "of the Domain: its derivatives there vanish",
                    where=f"Equations, unknowns.{u.name}",
                )
            )
    counted = sum(
        len(list(eq.residual)) if isinstance(eq.residual, sp.MatrixBase) else 1
        for eq in s.equations
    ) + len(s.equation_errors)
    n_unknowns = len(s.unknown_names)
    if counted and counted != n_unknowns:
        kind = "over-determined" if counted > n_unknowns else "under-determined"
        out.append(
            Finding(
                Status.FAIL,
                "S1",
                f"{kind}: {counted} equation(s) for {n_unknowns} unknown(s)",
                {"equations": counted, "unknowns": n_unknowns},
                fix="write one equation per unknown (move side conditions to ## Boundary "
                "Conditions as constraints)",
                where="Equations",
            )
        )
    used = set().union(*(eq.unknowns() for eq in s.equations)) if s.equations else set()
    for u in s.unknown_names:
        if s.equations and u not in used:
            out.append(
                Finding(
                    Status.FAIL, "S1", f"unknown '{u}' appears in no equation", where="Equations"
                )
            )
    out.extend(_values(ctx))
    return out


def _values(ctx: JudgeContext) -> list[Finding]:
    """Every symbol in the equations has a numeric value (or is a coordinate / eigenvalue)."""
    s, spec = ctx.sym, ctx.spec
    out: list[Finding] = []
    declared = s.declared_names
    numeric = {safe_name(k) for k in s.parameters_si}
    coords = {safe_name(c) for c in (*s.coordinate_names, *([s.time_name] if s.time_name else []))}
    eigen = {safe_name(spec.equations.eigenvalue.symbol)} if spec.equations.eigenvalue else set()
    jet_names = {j.symbol.name for j in s.jets.values()}
    unknowns = {safe_name(u) for u in s.unknown_names}
    reported: set[str] = set()
    for eq in s.equations:
        names = {x.name for x in _free_symbols(eq.residual)}
        for name in sorted(names - coords - eigen - jet_names - unknowns - numeric):
            if name in reported:
                continue
            reported.add(name)
            p = spec.equations.parameter(name.rstrip("_")) or spec.equations.parameter(name)
            if name not in declared:
                message = f"symbol '{name}' in {eq.label} is not declared: it has no value"
                fix = f"declare '{name}: <value> <unit>' under parameters"
            elif p is not None:
                message = (
                    f"parameter '{p.name}' = {p.value!r} used in {eq.label} has no numeric value"
                )
                fix = f"give '{p.name}' a number with a unit, e.g. '{p.name}: 1.0e3 1'"
            else:
                continue
            out.append(
                Finding(Status.FAIL, "S1", message, {"symbol": name}, fix=fix, where="Equations")
            )
    return out


def _free_symbols(expr: Any) -> set[sp.Symbol]:
    if isinstance(expr, sp.MatrixBase):
        return set().union(*(e.free_symbols for e in expr))
    return set(expr.free_symbols)


def _family(
    ctx: JudgeContext, details: dict[str, Any], findings: list[Finding]
) -> tuple[str | None, str]:
    s = ctx.sym
    wrapped = set().union(*(eq.wrapped for eq in s.equations))
    if wrapped:
        return _operator_family(ctx, wrapped)
    if ctx.spec.equations.eigenvalue is not None:
        return _eigen_family(ctx, findings)
    if s.is_time_dependent:
        return _evolution_family(ctx, details)
    return _stationary_family(ctx, details)


def _operator_family(ctx: JudgeContext, wrapped: set[str]) -> tuple[str | None, str]:
    s = ctx.sym
    bare = set().union(*(eq.bare for eq in s.equations))
    only_inside = wrapped - bare
    if only_inside:
        ops = sorted(
            {
                type(n).__name__ if isinstance(n, sp.Integral) else n.func.__name__
                for eq in s.equations
                for n in sp.preorder_traversal(eq.residual)
                if isinstance(n, (sp.Integral, sp.core.function.AppliedUndef))
                and not _is_unknown_node(n, s.unknown_names)
                and any(_is_unknown_node(a, s.unknown_names) for a in sp.preorder_traversal(n))
            }
        )
        return INVERSE, (
            f"operator equation of the first kind: {', '.join(sorted(only_inside))} appears "
            f"only inside {', '.join(ops)}; recovering it from data is an inverse problem"
        )
    return INTEGRAL_TRANSFORM, "integral equation of the second kind (unknown inside and outside)"


def _is_unknown_node(node: Any, unknowns: tuple[str, ...]) -> bool:
    func = getattr(node, "func", None)
    return func is not None and getattr(func, "__name__", "") in {safe_name(u) for u in unknowns}


def _eigen_family(ctx: JudgeContext, findings: list[Finding]) -> tuple[str | None, str]:
    s = ctx.sym
    ev = ctx.spec.equations.eigenvalue
    assert ev is not None
    lam = s.symbol(ev.symbol)
    jet_syms = {j.symbol for j in s.jets.values()}
    multiplies = False
    for eq in s.equations:
        d = sp.diff(eq.jet_residual, lam)
        if d != 0 and d.free_symbols & jet_syms:
            multiplies = True
    if not multiplies:
        findings.append(
            Finding(
                Status.FAIL,
                "S1",
                f"eigenvalue '{ev.symbol}' does not multiply an unknown in any equation: "
                "the equations do not state an eigenproblem",
                fix=f"write the eigen-equation as L(u) = {ev.symbol}*u",
                where="Equations",
            )
        )
        return None, "eigenvalue symbol declared but not an eigen-equation"
    if not s.linear:
        return EIGENPROBLEM, "nonlinear eigenproblem (eigenvalue multiplies the unknown)"
    return EIGENPROBLEM, f"linear eigenproblem L(u) = {ev.symbol}*u"


def _evolution_family(ctx: JudgeContext, details: dict[str, Any]) -> tuple[str | None, str]:
    s = ctx.sym
    if not s.has_space_derivatives:
        if any(s.time_order(u) > 1 for u in s.unknown_names):
            return ODE, "ODE system of higher order in time"
        probe = ctx.ode
        if probe is None:
            return ODE, "ODE system (stiffness not measured: the system could not be probed)"
        details.update(probe.to_numbers())
        if probe.stiff:
            return ODE_STIFF, (
                f"stiff ODE system: stiffness ratio {probe.stiffness_ratio:.3g} > "
                f"{STIFF_RATIO:.0e} (at t = {probe.time_at_max:.3g} s)"
            )
        if probe.truncated:
            return ODE, (
                f"ODE system, stiffness ratio {probe.stiffness_ratio:.3g} on [{probe.t0:.4g}, "
                f"{probe.t1:.4g}] s only (probe truncated after {probe.steps} steps): not "
                "characterised beyond"
            )
        return ODE, f"non-stiff ODE system: stiffness ratio {probe.stiffness_ratio:.3g}"
    kinds = []
    for part in ctx.parts:
        if part.time_order == 0:
            continue
        if part.max_space_order == 0:
            coupled = max(
                (
                    j.total
                    for j in part.equation.jets
                    if j.unknown != part.unknown and s.time_name not in dict(j.orders)
                ),
                default=0,
            )
            if coupled == 1:
                kinds.append(
                    (
                        HYPERBOLIC,
                        f"{part.unknown}: first-order system (coupled through "
                        "the other unknowns' space derivatives)",
                    )
                )
            continue
        kinds.append(_evolution_kind(part))
    if not kinds or all(k[1].endswith("space derivatives)") for k in kinds):
        from simlab.judge.first_order import system_type

        st = system_type(ctx)
        if st is not None:
            details["system_symbol"] = {"type": st.family, "speed": st.speeds}
            family = PARABOLIC if st.family == "parabolic" else HYPERBOLIC
            return family, st.description
    if not kinds:
        return None, "time-dependent, but no equation holds a time derivative of a field"
    families = [k[0] for k in kinds]
    family = PARABOLIC if PARABOLIC in families else families[0]
    description = "; ".join(k[1] for k in kinds)
    if not s.linear:
        description += " (nonlinear: " + _nonlinearity(ctx) + ")"
    return family, description


def _evolution_kind(part: Any) -> tuple[str, str]:
    n, m = part.max_space_order, part.time_order
    ev = part.evolution()
    sign = "?"
    if ev is not None and n >= 2:
        D = ev[0]
        if np.all(np.isfinite(D)):
            sign = definiteness(D)[0]
    u = part.unknown
    if m == 1 and n % 2 == 0:
        if sign == "negative":
            return PARABOLIC, f"{u}: backward parabolic (negative diffusion)"
        return PARABOLIC, f"{u}: parabolic, order {n} in space"
    if m == 1 and n == 1:
        return HYPERBOLIC, f"{u}: first-order hyperbolic (transport)"
    if m == 2 and n == 2:
        if sign == "negative":
            return HYPERBOLIC, f"{u}: second order in time with the wrong sign (elliptic in x,t)"
        return HYPERBOLIC, f"{u}: second-order hyperbolic (wave)"
    if m == 1:
        return HYPERBOLIC, f"{u}: dispersive, order {n} in space"
    return HYPERBOLIC, f"{u}: order {m} in time, {n} in space"


def _nonlinearity(ctx: JudgeContext) -> str:
    """Quasilinear when the highest-order coefficients depend on the state, else semilinear."""
    s = ctx.sym
    jet_syms = {j.symbol for j in s.jets.values()}
    for part in ctx.parts:
        top = part.max_space_order
        for jet in part.equation.jets:
            principal = jet.unknown == part.unknown and jet.total == top
            in_space = s.time_name not in dict(jet.orders)
            if principal and in_space and part.equation.coefficient(jet).free_symbols & jet_syms:
                return "quasilinear"
    return "semilinear"


def _stationary_family(ctx: JudgeContext, details: dict[str, Any]) -> tuple[str | None, str]:
    s = ctx.sym
    orders = [max(s.space_orders(u).values(), default=0) for u in s.unknown_names]
    top = max(orders, default=0)
    if top == 0:
        if any(eq.residual.has(sp.Integral) for eq in s.equations):
            return INTEGRAL_TRANSFORM, (
                "the unknown is given explicitly by an integral of known data (no derivatives "
                "of the unknown)"
            )
        return NONLINEAR_STATIONARY, "algebraic equations (no derivatives), solved by Newton"
    if top == 1:
        return HYPERBOLIC, "stationary first-order equation (transport along characteristics)"
    sign = _stationary_sign(ctx, details)
    if sign in ("positive", "negative"):
        if s.linear:
            return ELLIPTIC, "linear elliptic (definite principal symbol)"
        return NONLINEAR_STATIONARY, "nonlinear elliptic (definite principal symbol)"
    if sign == "indefinite":
        return HYPERBOLIC, "stationary equation of hyperbolic type (indefinite principal symbol)"
    if sign == "semidefinite":
        return PARABOLIC, "degenerate (semidefinite principal symbol): parabolic in one direction"
    return None, "the principal symbol could not be evaluated"


def _stationary_sign(ctx: JudgeContext, details: dict[str, Any]) -> str:
    """Sign class of the principal symbol over directions and samples."""
    s = ctx.sym
    d = len(s.coordinate_names)
    n_u = len(s.unknown_names)
    if n_u == 1 and ctx.parts:
        part = ctx.parts[0]
        if part.C is None or not np.all(np.isfinite(part.C)):
            return "?"
        sign, lo, hi = definiteness(part.C)
        details["principal_eigenvalues"] = [lo, hi]
        return sign
    if len(s.equations) != n_u:
        return "?"
    eig_min, eig_max, ratio = np.inf, -np.inf, 1.0
    signs = set()
    symbol = system_symbol(s, ctx.sampler)
    if symbol.missing:
        return "?"
    for xi in unit_directions(d):
        P = symbol.at(xi)
        sym_p = 0.5 * (P + np.swapaxes(P, -1, -2))
        ev = np.linalg.eigvalsh(sym_p)
        signs.add(definiteness(P)[0])
        eig_min, eig_max = min(eig_min, float(ev.min())), max(eig_max, float(ev.max()))
        mags = np.abs(ev)
        with np.errstate(divide="ignore"):
            ratio = max(ratio, float(np.max(mags.max(axis=-1) / mags.min(axis=-1))))
    details["symbol_eigenvalues"] = [eig_min, eig_max]
    details["symbol_condition"] = ratio
    if signs <= {"positive"}:
        return "positive"
    if signs <= {"negative"}:
        return "negative"
    if "indefinite" in signs or ({"positive", "negative"} <= signs):
        return "indefinite"
    return "semidefinite"
