"""Spec-driven solver for parallel-beam CT: ``radon(f) = p`` with the Shepp-Logan phantom as data.

Read from the spec: the operator equation (the unknown appears only inside ``radon(...)``),
the data (a ``shepp_logan`` definition or the reference ``data: shepp_logan_phantom``, the one
data set :mod:`simlab.solvers.kernels.ct` simulates), the parameters ``n_angles``,
``angle_range`` (SI radians), ``geometry`` (``parallel_beam``), ``noise`` (``none``) or
``noise_photons`` (Poisson counts per ray), the image size from ``grid: {nx, ny}``, and the
method: FBP with the filter named by the scheme, or SART (non-negative, 3 sweeps; the scheme
mentions ``sart``), started from the filtered back-projection when the scheme also names a
filter or back-projection (``ramp_filter_then_sart``), else from the initial guess 0.

Resolution = number of projection angles over the angle range, at the spec's image size; the
spec's ``n_angles`` is the finest (it is the acquisition the spec states) and the study uses
``n/4, n/2, n``. There is **no formal order** (``formal_order = NaN``): the error falls with the
angles until about ``size`` of them, then saturates at the pixel floor of the method, and
SART's fixed number of sweeps is a regulariser whose error need not even be monotone in the
angles. What certifies a reconstruction against known data is the spec's acceptance bounds
(``minimum``/``maximum``), checked in :meth:`CtSolver.audit` (condition S4), together with the
spec's constraints on the unknown (``f >= 0``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from simlab.certify import audit_checks as audit
from simlab.certify.audit_checks import CheckResult
from simlab.errors import SolverError
from simlab.problem import Problem
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.families import INVERSE
from simlab.solvers.kernels.ct import FILTERS, solve_ct
from simlab.solvers.solution import Solution
from simlab.solvers.spec_values import SpecValues, read_call
from simlab.spec.expressions import safe_name, split_relation
from simlab.spec.model import Spec
from simlab.spec.units import parse_unit

METRICS = {
    "psnr": "psnr",
    "relative_error": "rel_l2_error",
    "rel_l2_error": "rel_l2_error",
    "ssim": "ssim",
    "data_residual": "data_residual",
}
PHANTOM = "shepp_logan"
GEOMETRIES = ("parallel_beam", "parallel")
MIN_ANGLES = 4


@dataclass(frozen=True)
class CtProblem:
    """A simulated parallel-beam acquisition of the phantom and its reconstruction."""

    unknown: str
    size: int
    n_angles: int
    span_deg: float
    method: str
    filter_name: str
    sart_iterations: int
    noise_photons: float | None
    observables: dict[str, str]
    lower_bounds: dict[str, float]
    upper_bounds: dict[str, float]
    constraints: tuple[tuple[str, float], ...]
    note: str


class CtSolver(SpecDrivenSolver[CtProblem]):
    """Filtered back-projection or SART of simulated parallel-beam data (scikit-image)."""

    name = "ct_parallel_beam"
    family = INVERSE
    formal_order = math.nan
    resolutions = (45, 90, 180)
    max_resolution = 180

    def analyse(self, problem: Problem) -> CtProblem | str:
        # CT data, angles and constraints are not in the Problem (the Radon operator is free
        # text): this family still reads the spec through SpecValues.
        ct = _read_ct(SpecValues(problem.spec))
        if isinstance(ct, str):
            return ct
        n = ct.n_angles
        self.resolutions = (
            max(MIN_ANGLES // 2, round(n / 4)),
            max(MIN_ANGLES - 1, round(n / 2)),
            n,
        )
        self.max_resolution = n
        return ct

    def solve(self, spec: Spec, resolution: int) -> Solution:
        problem = self.problem(spec)
        n = int(resolution)
        if n < 1:
            raise SolverError(f"the number of angles must be >= 1, got {resolution}")
        sol = solve_ct(
            problem.size,
            n,
            method=problem.method,
            span_deg=problem.span_deg,
            filter_name=problem.filter_name,
            sart_iterations=problem.sart_iterations,
            noise_photons=problem.noise_photons,
        )
        kernel_values = dict(sol.observables)
        sol.observables = {name: kernel_values[key] for name, key in problem.observables.items()}
        sol.meta |= {
            "kernel_observables": kernel_values,
            "resolution_meaning": "projection angles over the angle range at a fixed image size",
            "method_note": problem.note,
        }
        return self.remember(sol)

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """The spec's constraints on the unknown (acceptance bounds are the certificate's)."""
        problem = self.problem(spec)
        checks = []
        image = solution.fields["image"]
        for op, bound in problem.constraints:
            lower, upper = (bound, None) if op == ">=" else (None, bound)
            checks.append(
                audit.bounds(
                    image,
                    lower=lower,
                    upper=upper,
                    name=f"constraint {problem.unknown} {op} {bound:g}",
                )
            )
        return checks


def _acceptance(
    values: SpecValues, solution: Solution, name: str, bound: float, *, minimum: bool
) -> CheckResult:
    """``value >= bound`` (minimum) or ``<= bound``, both in the observable's declared unit."""
    value = solution.observables[name] / display_scale(values, name)
    passed = value >= bound if minimum else value <= bound
    sign = ">=" if minimum else "<="
    obs = values.spec.observable(name)
    unit = f" {obs.unit}" if obs is not None and obs.unit else ""
    return CheckResult(
        name=f"acceptance {name} {sign} {bound:g}",
        passed=bool(passed and math.isfinite(value)),
        value=float(value),
        threshold=float(bound),
        condition="S4",
        message=(
            f"{name} = {value:.6g}{unit} at {int(solution.resolution)} angles; the spec asks "
            f"{sign} {bound:g}{unit}"
        ),
    )


def display_scale(values: SpecValues, name: str) -> float:
    """Factor from SI to the observable's unit; 1 for logarithmic units (dB are not a factor)."""
    obs = values.spec.observable(name)
    if obs is None or obs.unit is None:
        return 1.0
    if not (1 * parse_unit(obs.unit))._is_multiplicative:
        return 1.0
    return values.observable_scale(name)


def _read_ct(values: SpecValues) -> CtProblem | str:
    spec = values.spec
    if spec.domain.time is not None:
        return "the problem is time-dependent; the CT solver reconstructs a stationary image"
    if len(values.space) != 2:
        return f"the domain has {len(values.space)} coordinates; CT images are 2-D"
    if len(spec.equations.unknowns) != 1 or len(spec.equations.equations) != 1:
        return "the CT solver takes one unknown image and one equation radon(f) = data"
    unknown = spec.equations.unknowns[0].name
    operator = _operator(values, unknown)
    if operator:
        return operator
    data = _data(values)
    if data:
        return data
    settings = _settings(values)
    if isinstance(settings, str):
        return settings
    size = _size(values)
    if isinstance(size, str):
        return size
    method = _method(values)
    if isinstance(method, str):
        return method
    observables = {}
    for obs in spec.observables:
        try:
            call = read_call(obs.definition or "")
        except Exception as exc:
            return f"observable '{obs.name}': {exc}"
        if call.head not in METRICS or call.args not in ((unknown,), ()) or call.kwargs:
            return (
                f"observable '{obs.name}' = {obs.definition}: not computable by the CT solver "
                f"(supported: {', '.join(f'{m}({unknown})' for m in METRICS)})"
            )
        observables[obs.name] = METRICS[call.head]
    if not observables:
        return "the spec has no observables"
    bounds = {}
    for kind, given in (("minimum", spec.tolerance.minimum), ("maximum", spec.tolerance.maximum)):
        unknown_names = sorted(set(given) - set(observables))
        if unknown_names:
            return f"acceptance bound ({kind}) on {unknown_names}, which are not observables"
        bounds[kind] = dict(given)
    constraints = _constraints(values, unknown)
    if isinstance(constraints, str):
        return constraints
    return CtProblem(
        unknown=unknown,
        size=size,
        observables=observables,
        lower_bounds=bounds["minimum"],
        upper_bounds=bounds["maximum"],
        constraints=constraints,
        **settings,
        **method,
    )


def _operator(values: SpecValues, unknown: str) -> str | None:
    """Why the equation is not ``radon(unknown) = data`` (``None`` when it is)."""
    try:
        relation = values.relations[0]
    except Exception as exc:
        return f"the equation cannot be read: {exc}"
    if relation.op != "=":
        return f"the equation is a relation '{relation.op}'"
    applied = values.namespace.symbols[safe_name(unknown)]
    sides = [relation.lhs, relation.rhs]
    holding = [side for side in sides if side.has(applied)]
    if len(holding) != 1:
        return f"{unknown} must appear on one side of the equation only"
    side = holding[0]
    if not (isinstance(side, AppliedUndef) and side.func.__name__ == "radon"):
        return (
            f"'{side}' is not radon({unknown}); the CT solver inverts the Radon transform "
            "(write radon(f) = data)"
        )
    if side.args != (applied,):
        return f"the Radon transform must act on {unknown} itself, got {side}"
    return None


def _data(values: SpecValues) -> str | None:
    """Why the data are not the simulated phantom (``None`` when they are)."""
    spec = values.spec
    try:
        relation = values.relations[0]
    except Exception as exc:  # reported by _operator already
        return str(exc)
    names = {
        f.func.__name__ for side in (relation.lhs, relation.rhs) for f in side.atoms(AppliedUndef)
    }
    references = [r.value or "" for r in spec.tolerance.references.values() if r.kind == "data"]
    if any(n.startswith(PHANTOM) for n in names) or any(PHANTOM in r for r in references):
        return None
    return (
        "the data are not the Shepp-Logan phantom; the built-in CT solver simulates its data "
        "from that phantom only (define p = radon(shepp_logan(x, y)) or reference: "
        "{kind: data, value: shepp_logan_phantom})"
    )


def _settings(values: SpecValues) -> dict[str, Any] | str:
    params = {p.name: p for p in values.spec.equations.parameters}
    geometry = params.get("geometry")
    if geometry is not None and str(geometry.value).strip().lower() not in GEOMETRIES:
        return f"geometry '{geometry.value}' is not available; the CT kernel is parallel-beam"
    if "n_angles" not in values.parameters:
        return "the spec gives no numeric parameter n_angles (projections over the angle range)"
    n_float = values.parameters["n_angles"]
    if not float(n_float).is_integer() or n_float < MIN_ANGLES:
        return f"n_angles must be an integer >= {MIN_ANGLES}, got {n_float:g}"
    span = values.parameters.get("angle_range", math.pi)
    span_deg = math.degrees(span)
    if not 0.0 < span_deg <= 360.0 + 1e-9:
        return f"angle_range must be in (0, 360] degrees, got {span_deg:g}"
    noise = params.get("noise")
    photons = values.parameters.get("noise_photons")
    if noise is not None and not (
        isinstance(noise.value, str) and noise.value.strip().lower() in ("none", "noise_free")
    ):
        return (
            f"noise '{noise.value}' is not a model the CT kernel simulates; write noise: none, "
            "or noise_photons: <incident photons per ray> for Poisson noise"
        )
    if photons is not None and not photons > 0:
        return f"noise_photons must be > 0, got {photons:g}"
    return {"n_angles": int(n_float), "span_deg": span_deg, "noise_photons": photons}


def _size(values: SpecValues) -> int | str:
    grid = values.spec.domain.grid
    nx, ny = grid.get("nx"), grid.get("ny", grid.get("nx"))
    if not isinstance(nx, int | float) or not isinstance(ny, int | float):
        return "the image size is not given: write grid: {nx: N, ny: N} in the Domain"
    if nx != ny or int(nx) != nx or nx < 8:
        return f"the CT kernel reconstructs square images of >= 8 pixels; grid is {nx} x {ny}"
    return int(nx)


def _method(values: SpecValues) -> dict[str, Any] | str:
    d = values.spec.discretization
    words = " ".join(
        w for w in ((d.method or "", d.scheme or "") if d is not None else ()) if w
    ).lower()
    sweeps = 3
    if d is not None and "sart_iterations" in d.extra:
        try:
            sweeps = int(d.extra["sart_iterations"])
        except (TypeError, ValueError):
            return f"sart_iterations must be an integer, got {d.extra['sart_iterations']!r}"
    filters = [f for f in FILTERS if f in words.replace("_", "-")]
    filter_name = filters[0] if filters else "ramp"
    if "sart" in words:
        from_fbp = "then" in words or "filtered" in words or bool(filters)
        note = (
            f"SART (non-negative, relaxation 0.15) started from the {filter_name}-filtered "
            "back-projection"
            if from_fbp
            else "SART (non-negative, relaxation 0.15) from the spec's initial guess 0"
        )
        return {
            "method": "fbp_sart" if from_fbp else "sart",
            "filter_name": filter_name,
            "sart_iterations": sweeps,
            "note": note,
        }
    if not words or "back_projection" in words or "fbp" in words or filters:
        return {
            "method": "fbp",
            "filter_name": filter_name,
            "sart_iterations": sweeps,
            "note": f"filtered back-projection, {filter_name} filter",
        }
    return f"reconstruction method '{words}' is not available (FBP with {FILTERS} filters, SART)"


def _constraints(values: SpecValues, unknown: str) -> tuple[tuple[str, float], ...] | str:
    """Bounds ``f >= c`` / ``f <= c`` from the spec's constraint conditions."""
    out = []
    for condition in values.spec.boundary.conditions:
        if condition.type != "constraint" or not condition.value:
            continue
        if condition.unknown not in (None, unknown):
            continue
        try:
            lhs, rhs, op = split_relation(condition.value)
            bound = float(sp.N(values.expression(rhs)))
        except Exception as exc:
            return f"constraint '{condition.value}' cannot be read: {exc}"
        if lhs.strip() != unknown or op not in (">=", "<=", ">", "<"):
            return f"constraint '{condition.value}' is not '{unknown} >= c' or '{unknown} <= c'"
        out.append((">=" if ">" in op else "<=", bound))
    return tuple(out)
