"""Pseudo-arclength continuation of F(u, lam) = 0 with detection of special points.

Predictor: the unit tangent. Corrector: Newton on F = 0, <t, x - x_k> = ds (bordered
Jacobian, LU by scipy.sparse.linalg.splu or LAPACK). Step size halves on a failed or
too sharply turning step and grows by 1.5 after a fast Newton convergence.

Between two accepted points the detector looks for
- a fold: the tangent's lam-component changes sign;
- a branch point: det [[J, dF/dlam], [t^T]] changes sign (tangents oriented continuously);
- a Hopf point: the number of non-real eigenvalues with positive real part changes by 2.
Each is then located by :mod:`simlab.diagnostics.locate`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from simlab.diagnostics.corrector import Metric, Point, make_point, newton_correct
from simlab.diagnostics.corrector import newton_fixed_parameter as _newton_fixed
from simlab.diagnostics.errors import ConvergenceError, DiagnosticsError
from simlab.diagnostics.locate import (
    branch_point_at,
    locate_branch_point,
    locate_fold,
    locate_hopf,
    refine_on_other_branch,
)
from simlab.diagnostics.stability import Spectrum, simple_real_spectrum, spectrum
from simlab.diagnostics.types import Branch, ContinuationProblem, SpecialPoint, SpecialType

ALL_TYPES: tuple[SpecialType, ...] = ("fold", "branch_point", "hopf")


@dataclass(frozen=True)
class ContinuationSettings:
    """Step control, stopping rules and what to detect.

    Attributes:
        ds, ds_min, ds_max: initial, smallest and largest pseudo-arclength step.
        max_steps: most accepted steps.
        lam_min, lam_max: stop when the parameter leaves this interval.
        max_norm: stop when max|u| exceeds it.
        tol: Newton update tolerance relative to 1 + max|x|.
        newton_maxiter: Newton iterations before a step counts as failed.
        max_angle: largest angle (radians) between consecutive tangents.
        n_eigs: eigenvalues kept per point; 0 switches stability and Hopf detection off.
        sigma: shift for sparse shift-invert eigenvalue computations.
        detect: special point types to detect and locate.
        stop_at: stop as soon as ``stop_count`` special points of these types are located.
        stop_count: how many ``stop_at`` points end the branch (1: the first).
    """

    ds: float = 0.05
    ds_min: float = 1e-8
    ds_max: float = 0.5
    max_steps: int = 500
    lam_min: float = -np.inf
    lam_max: float = np.inf
    max_norm: float = np.inf
    tol: float = 1e-10
    newton_maxiter: int = 8
    max_angle: float = 0.6
    n_eigs: int = 6
    sigma: float = 0.0
    detect: tuple[SpecialType, ...] = ALL_TYPES
    stop_at: tuple[SpecialType, ...] = ()
    stop_count: int = 1

    def __post_init__(self) -> None:
        if not 0 < self.ds_min <= self.ds <= self.ds_max:
            raise DiagnosticsError(
                f"need 0 < ds_min <= ds <= ds_max, got {self.ds_min}, {self.ds}, {self.ds_max}"
            )
        if self.lam_min >= self.lam_max:
            raise DiagnosticsError(f"empty parameter range [{self.lam_min}, {self.lam_max}]")
        unknown = set(self.detect) - set(ALL_TYPES)
        if unknown:
            raise DiagnosticsError(
                f"unknown special point types {sorted(unknown)}; use {ALL_TYPES}"
            )


def _settings(settings: ContinuationSettings | None, overrides: dict) -> ContinuationSettings:
    return replace(settings or ContinuationSettings(), **overrides)


def continuation(
    problem: ContinuationProblem,
    u0: np.ndarray,
    lam0: float,
    *,
    direction: int = 1,
    settings: ContinuationSettings | None = None,
    **overrides: object,
) -> Branch:
    """Follow the branch through (u0, lam0); ``direction`` +1/-1 picks increasing/decreasing lam.

    u0 is first corrected by Newton at fixed lam0. Keyword overrides replace fields of
    ``settings`` (e.g. ``lam_max=4.0, ds=0.1``).
    """
    opts = _settings(settings, overrides)
    u0 = np.asarray(u0, dtype=float).ravel()
    problem.check(u0, float(lam0))
    if direction not in (1, -1):
        raise DiagnosticsError(f"direction must be +1 or -1, got {direction}")
    if not opts.lam_min <= lam0 <= opts.lam_max:
        raise DiagnosticsError(
            f"start {problem.parameter}={lam0} lies outside [{opts.lam_min}, {opts.lam_max}]"
        )
    u = _newton_fixed(problem, u0, float(lam0), tol=opts.tol)
    metric = Metric.for_size(u.size)
    e_lam = np.zeros(u.size + 1)
    e_lam[-1] = float(direction)
    start = make_point(problem, np.append(u, lam0), e_lam, metric, n_eigs=opts.n_eigs)
    return trace(problem, start, metric, opts)


def first_special_point(
    problem: ContinuationProblem,
    u0: np.ndarray,
    lam0: float,
    kind: SpecialType,
    *,
    direction: int = 1,
    settings: ContinuationSettings | None = None,
    **overrides: object,
) -> SpecialPoint:
    """Continue from (u0, lam0) until the first special point of ``kind`` and return it."""
    opts = _settings(settings, {**overrides, "stop_at": (kind,)})
    if kind == "hopf" and opts.n_eigs == 0:
        opts = replace(opts, n_eigs=6)
    branch = continuation(problem, u0, lam0, direction=direction, settings=opts)
    found = branch.of_type(kind)
    if not found:
        raise ConvergenceError(
            f"no {kind} found from {problem.parameter}={lam0} ({branch.stop_reason})",
            hint="widen lam_min/lam_max or raise max_steps",
        )
    return found[0]


def switch_branch(
    problem: ContinuationProblem,
    point: SpecialPoint,
    *,
    direction: int = 1,
    settings: ContinuationSettings | None = None,
    **overrides: object,
) -> Branch:
    """Start on the other branch through a simple branch point (Keller's perpendicular switch).

    The predictor steps along the branch point's null vector phi (perpendicular to the
    parent tangent in the kernel of [J, dF/dlam]); the corrector holds <phi, x - x_bp> = ds,
    a hyperplane that cuts the other branch and not the parent one near the point.
    """
    if point.type != "branch_point" or point.null_vector is None:
        raise DiagnosticsError(f"switch_branch needs a located branch point, got {point.type!r}")
    opts = _settings(settings, overrides)
    metric = Metric.for_size(point.u.size)
    x_bp = np.append(point.u, point.value)
    t = float(direction) * point.null_vector
    ds = opts.ds
    while ds >= opts.ds_min:
        try:
            x, _ = newton_correct(
                problem,
                x_bp + ds * t,
                x_bp,
                t,
                ds,
                metric,
                tol=opts.tol,
                maxiter=opts.newton_maxiter,
            )
            start = make_point(problem, x, t, metric, n_eigs=opts.n_eigs)
            return trace(problem, start, metric, opts)
        except ConvergenceError:
            ds *= 0.5
    raise ConvergenceError(
        f"could not step off the branch point at {point.parameter}={point.value:.6g}",
        hint="try a smaller ds or a smaller ds_min",
    )


def _tracks_by_determinant(
    problem: ContinuationProblem, start: Point, opts: ContinuationSettings
) -> bool:
    """Simple real eigenvalues (symmetric unreduced tridiagonal J, every 1-D scalar problem):
    the unstable count changes only where det J changes sign.

    Not for wider symmetric patterns: on a square, modes (1, 2) and (2, 1) cross 0 together
    and det J keeps its sign; a test on |det J| dips missed such a pair at 8 x 8 cells
    (the other 47 eigenvalues' smooth contribution hid the dip), so those keep a spectrum per
    point.
    """
    if not (problem.symmetric and opts.n_eigs > 0):
        return False
    return simple_real_spectrum(problem.jacobian(start.u, start.lam))


def _with_spectrum(problem: ContinuationProblem, point: Point, opts: ContinuationSettings) -> Point:
    jac = problem.jacobian(point.u, point.lam)
    found = spectrum(jac, opts.n_eigs, sigma=opts.sigma, symmetric=problem.symmetric)
    return replace(point, spectrum=found)


def _dip(prev: Point, base: Point, new: Point) -> bool:
    """log|det J| has a local minimum at base: two (simple) eigenvalues may have crossed 0
    within one step next to it, leaving det J's sign unchanged; recompute there."""
    return (
        base.jac_logabsdet < min(prev.jac_logabsdet, new.jac_logabsdet)
        and prev.jac_sign == base.jac_sign == new.jac_sign
    )


def _stability(
    problem: ContinuationProblem, base: Point, new: Point, opts: ContinuationSettings
) -> Point:
    """The spectrum at new, computed only where an eigenvalue may have crossed 0.

    With simple real eigenvalues (:func:`_tracks_by_determinant`) the number of unstable
    eigenvalues changes only where det J changes sign (one crossing; two within one step
    show as a dip of |det J|, :func:`_dip`). det J is known at every point from the bordered LU
    (:func:`make_point`); elsewhere the count is carried over from base, and the point's
    eigenvalues are not recomputed (NaN in :attr:`Branch.eigenvalues`).
    """
    if base.spectrum is None or new.jac_sign != base.jac_sign:
        return _with_spectrum(problem, new, opts)
    carried = Spectrum(
        leading=np.empty(0, dtype=complex),
        n_unstable_real=base.spectrum.n_unstable_real,
        n_unstable_complex=base.spectrum.n_unstable_complex,
        complete=base.spectrum.complete,
    )
    return replace(new, spectrum=carried)


def _changes(base: Point, new: Point) -> tuple[int, int]:
    """Change of (all, non-real) unstable eigenvalue counts from base to new."""
    if base.spectrum is None or new.spectrum is None:
        return 0, 0
    return (
        new.spectrum.n_unstable - base.spectrum.n_unstable,
        new.spectrum.n_unstable_complex - base.spectrum.n_unstable_complex,
    )


def _events(base: Point, new: Point, detect: tuple[SpecialType, ...]) -> list[SpecialType]:
    found: list[SpecialType] = []
    if "fold" in detect and base.tangent[-1] * new.tangent[-1] < 0:
        found.append("fold")
    if "branch_point" in detect and base.det_sign != new.det_sign:
        found.append("branch_point")
    d_all, d_cplx = _changes(base, new)
    # A pair crossing the imaginary axis; a pair colliding on the real axis keeps d_all = 0.
    if "hopf" in detect and abs(d_cplx) == 2 and d_all == d_cplx:
        found.append("hopf")
    return found


def _too_many_crossings(base: Point, new: Point) -> bool:
    """More eigenvalue crossings in one step than one event explains (complete spectra only)."""
    if new.spectrum is None or not new.spectrum.complete:
        return False
    d_all, d_cplx = _changes(base, new)
    return abs(d_all) > 2 or (abs(d_all) == 2 and d_cplx == 0)


def _locate(
    kind: str,
    problem: ContinuationProblem,
    base: Point,
    new: Point,
    metric: Metric,
    opts: ContinuationSettings,
    index: int,
) -> SpecialPoint:
    s_end = metric.dot(base.tangent, new.x - base.x)
    if kind == "pitchfork":
        # On a half-branch of a pitchfork the path runs through the branch point onto the
        # other half and lam turns there: the tangent's lam-component changes sign as at a
        # fold, but the bordered determinant changes sign too, which no fold does. The turning
        # point, located as a fold is (F = 0, J v = 0: a branch point satisfies both), is the
        # branch point; it is typed as one (the determinant's zero when that fails).
        try:
            fold = locate_fold(problem, base, s_end, metric, index)
        except ConvergenceError as first:
            try:
                return locate_branch_point(problem, base, s_end, metric, index)
            except ConvergenceError as second:
                raise ConvergenceError(f"{first}; by the determinant: {second}") from None
        x = np.append(fold.u, fold.value)
        rough = branch_point_at(problem, x, fold.tangent, metric, index)
        try:
            x = refine_on_other_branch(problem, rough, metric, abs(s_end))
        except ConvergenceError:
            return rough
        # typed on the branch it was met on: the null vector points to the other branch
        return branch_point_at(problem, x, fold.tangent, metric, index)
    if kind == "fold":
        return locate_fold(problem, base, s_end, metric, index)
    if kind == "branch_point":
        return locate_branch_point(problem, base, s_end, metric, index)
    return locate_hopf(problem, base, s_end, metric, index, n_eigs=opts.n_eigs, sigma=opts.sigma)


def trace(
    problem: ContinuationProblem, start: Point, metric: Metric, opts: ContinuationSettings
) -> Branch:
    """The continuation loop from a converged, oriented start point."""
    points, specials, notes = [start], [], []
    tracked = _tracks_by_determinant(problem, start, opts)
    ds, stop = opts.ds, "max_steps reached"
    while len(points) <= opts.max_steps:
        base = points[-1]
        try:
            x, iterations = newton_correct(
                problem,
                base.x + ds * base.tangent,
                base.x,
                base.tangent,
                ds,
                metric,
                tol=opts.tol,
                maxiter=opts.newton_maxiter,
            )
            new = make_point(
                problem,
                x,
                base.tangent,
                metric,
                n_eigs=0 if tracked else opts.n_eigs,
                sigma=opts.sigma,
            )
            if tracked:
                prev = points[-2] if len(points) > 1 else None
                if prev is not None and _dip(prev, base, new):
                    points[-1] = base = _with_spectrum(problem, base, opts)
                new = _stability(problem, base, new, opts)
            if metric.dot(new.tangent, base.tangent) < np.cos(opts.max_angle):
                raise ConvergenceError("tangent turned too sharply")
            if _too_many_crossings(base, new) and ds > 1e3 * opts.ds_min:
                raise ConvergenceError("several eigenvalue crossings in one step")
        except ConvergenceError:
            ds *= 0.5
            if ds < opts.ds_min:
                stop = f"step size fell below ds_min={opts.ds_min:g}"
                break
            continue
        kinds = _events(base, new, opts.detect)
        if "fold" in kinds and "branch_point" in kinds:
            kinds = ["pitchfork", *(k for k in kinds if k not in ("fold", "branch_point"))]
        located = []
        for kind in kinds:
            try:
                located.append(_locate(kind, problem, base, new, metric, opts, len(points) - 1))
            except (ConvergenceError, ValueError) as exc:
                what = "branch point (pitchfork)" if kind == "pitchfork" else kind
                notes.append(f"{what} between points {len(points) - 1} and {len(points)}: {exc}")
        for sp_ in located:
            if opts.lam_min <= sp_.value <= opts.lam_max:
                specials.append(sp_)
        points.append(new)
        if sum(p.type in opts.stop_at for p in specials) >= opts.stop_count:
            stop = f"located a {specials[-1].type}"
            break
        if iterations <= 3:
            ds = min(1.5 * ds, opts.ds_max)
        if not opts.lam_min <= new.lam <= opts.lam_max:
            stop = f"{problem.parameter} left [{opts.lam_min}, {opts.lam_max}]"
            break
        if float(np.max(np.abs(new.u))) > opts.max_norm:
            stop = f"max|u| exceeded {opts.max_norm}"
            break
    return _branch(problem, points, specials, stop, notes, opts.n_eigs)


def _branch(
    problem: ContinuationProblem,
    points: list[Point],
    specials: list[SpecialPoint],
    stop: str,
    notes: list[str],
    n_eigs: int,
) -> Branch:
    k = max(n_eigs, 1)
    eig = np.full((len(points), k), np.nan, dtype=complex)
    n_unstable = np.full(len(points), -1, dtype=int)
    for i, p in enumerate(points):
        if p.spectrum is not None:
            eig[i, : p.spectrum.leading.size] = p.spectrum.leading[:k]
            n_unstable[i] = p.spectrum.n_unstable
    return Branch(
        parameter=problem.parameter,
        lam=np.array([p.lam for p in points]),
        measure=np.array([problem.measure(p.u) for p in points]),
        u=np.array([p.u for p in points]),
        stable=n_unstable == 0,
        n_unstable=n_unstable,
        eigenvalues=eig,
        special_points=specials,
        stop_reason=stop,
        notes=notes,
    )
