"""Precise location of folds, branch points and Hopf points bracketed by two branch points.

Each test function is evaluated on the branch itself, parametrised by the pseudo-arclength
s from the base point (a Newton correction for every s), and its zero is found with
Brent's method down to round-off in s. A fold is then polished by Newton on the
Moore-Spence system F = 0, J v = 0, <c, v> = 1, solved by bordering so that only
nonsingular matrices are factorised.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import brentq

from simlab.diagnostics.bordered import bordered_matrix, factor, null_vector
from simlab.diagnostics.corrector import Metric, Point, bordered_lu, make_point, newton_correct
from simlab.diagnostics.errors import ConvergenceError
from simlab.diagnostics.stability import spectrum
from simlab.diagnostics.types import ContinuationProblem, SpecialPoint

ROUNDOFF_FLOOR = float(np.sqrt(np.finfo(float).eps))
"""Moore-Spence accepts updates that stopped shrinking only below sqrt(eps) |x| (round-off of
an ill-conditioned system, not a slow convergence far from the fold)."""
LOCATE_MAXITER = 60
"""Newton iterations for a point on the curve: next to a branch point the corrector's matrix
is nearly singular and Newton converges only linearly (halving the residual per step)."""


def _curve(problem: ContinuationProblem, base: Point, metric: Metric) -> Callable:
    def x_of_s(s: float) -> np.ndarray:
        x_pred = base.x + s * base.tangent
        return newton_correct(
            problem, x_pred, base.x, base.tangent, s, metric, tol=1e-13, maxiter=LOCATE_MAXITER
        )[0]

    return x_of_s


def _root(
    g: Callable[[float], float], s_end: float, rtol: float = 4 * np.finfo(float).eps
) -> float:
    return float(brentq(g, 0.0, s_end, xtol=1e-300, rtol=rtol, maxiter=200))


def locate_fold(
    problem: ContinuationProblem, base: Point, s_end: float, metric: Metric, index: int
) -> SpecialPoint:
    """The fold between base and arclength s_end: zero of the tangent's lam-component."""
    x_of_s = _curve(problem, base, metric)

    def lam_dot(s: float) -> float:
        return float(make_point(problem, x_of_s(s), base.tangent, metric).tangent[-1])

    # Moore-Spence from the secant estimate of the zero; Brent to round-off if that fails.
    t_end = make_point(problem, x_of_s(s_end), base.tangent, metric).tangent[-1]
    s_guess = s_end * base.tangent[-1] / (base.tangent[-1] - t_end)
    x = x_of_s(s_guess)
    t = make_point(problem, x, base.tangent, metric).tangent
    u, lam, v = x[:-1], float(x[-1]), t[:-1] / np.linalg.norm(t[:-1])
    polished = moore_spence(problem, u, lam, v)
    if polished is not None and _near(metric, x, polished, abs(s_end)):
        u, lam, v = polished
    else:
        x = x_of_s(_root(lam_dot, s_end))
        t = make_point(problem, x, base.tangent, metric).tangent
        u, lam, v = x[:-1], float(x[-1]), t[:-1] / np.linalg.norm(t[:-1])
    jac = problem.jacobian(u, lam)
    return SpecialPoint(
        type="fold",
        parameter=problem.parameter,
        value=lam,
        u=u,
        measure=problem.measure(u),
        residual=float(np.max(np.abs(problem.residual(u, lam)))),
        test_residual=float(np.max(np.abs(jac @ v))),
        tangent=t,
        null_vector=v,
        index=index,
    )


def _near(metric: Metric, x: np.ndarray, polished: tuple, distance: float) -> bool:
    """True when the polished point lies within ``distance`` of x (the same fold)."""
    return metric.norm(np.append(polished[0], polished[1]) - x) <= distance


def _directional(
    problem: ContinuationProblem, u: np.ndarray, lam: float, v: np.ndarray, w: np.ndarray
) -> np.ndarray:
    """d/de J(u + e w, lam) v at e = 0 by central differences."""
    size = float(np.max(np.abs(w)))
    if size == 0.0:
        return np.zeros_like(v)
    eps = 1e-5 * (1.0 + float(np.max(np.abs(u)))) / size
    plus = problem.jacobian(u + eps * w, lam) @ v
    minus = problem.jacobian(u - eps * w, lam) @ v
    return (plus - minus) / (2.0 * eps)


def moore_spence(
    problem: ContinuationProblem,
    u: np.ndarray,
    lam: float,
    v: np.ndarray,
    *,
    tol: float = 1e-14,
    maxiter: int = 8,
) -> tuple[np.ndarray, float, np.ndarray] | None:
    """Newton on F(u, lam) = 0, J v = 0, <c, v> = 1 with c = v0 / |v0|^2.

    Every linear solve uses M = [[J, dF/dlam], [c^T, 0]], nonsingular at a regular fold.
    Second derivatives are directional central differences of J; their error only slows
    Newton, the converged point satisfies the exact equations. Returns (u, lam, v) with
    |v| = 1, or None when Newton does not converge.
    """
    c = v / (v @ v)
    n = u.size
    e_last = np.zeros(n + 1)
    e_last[-1] = 1.0
    previous = np.inf
    for _ in range(maxiter):
        f = problem.residual(u, lam)
        jac = problem.jacobian(u, lam)
        f_lam = problem.dF_dparam(u, lam)
        try:
            lu = factor(jac, f_lam, c, 0.0)
        except ConvergenceError:
            return None
        p = lu.solve(np.append(-f, 0.0))
        q = lu.solve(e_last)
        eps = 1e-6 * (1.0 + abs(lam))
        jl_v = (problem.jacobian(u, lam + eps) @ v - problem.jacobian(u, lam - eps) @ v) / (
            2.0 * eps
        )
        r0 = -(jac @ v) - _directional(problem, u, lam, v, p[:-1]) - jl_v * p[-1]
        r1 = -_directional(problem, u, lam, v, q[:-1]) - jl_v * q[-1]
        s0 = lu.solve(np.append(r0, 1.0 - c @ v))
        s1 = lu.solve(np.append(r1, 0.0))
        if s1[-1] == 0.0:
            return None
        alpha = -s0[-1] / s1[-1]
        du, dlam, dv = p[:-1] + alpha * q[:-1], p[-1] + alpha * q[-1], s0[:-1] + alpha * s1[:-1]
        u, lam, v = u + du, lam + dlam, v + dv
        step = max(float(np.max(np.abs(du))), abs(dlam), float(np.max(np.abs(dv))))
        if not np.isfinite(step):
            return None
        size = 1.0 + max(float(np.max(np.abs(u))), abs(lam))
        if step <= tol * size:
            return u, float(lam), v / np.linalg.norm(v)
        if step <= ROUNDOFF_FLOOR * size and step > 0.5 * previous:
            # Newton has reached the round-off floor of an ill-conditioned system (cond ~ n^2
            # for a 1-D Laplacian: 1e-10 at n = 2000): the updates stopped shrinking.
            return u, float(lam), v / np.linalg.norm(v)
        previous = step
    return None


def _nearest_regular(x_of_s: Callable[[float], np.ndarray], s: float) -> np.ndarray:
    """x(s), or x at s moved by a few ulps when the corrector matrix is exactly singular."""
    for ulps in (0, 1, -1, 4, -4, 16, -16):
        try:
            return x_of_s(s + ulps * np.spacing(max(abs(s), 1e-300)))
        except ConvergenceError:
            continue
    raise ConvergenceError("the corrector is singular at and around the located branch point")


def locate_branch_point(
    problem: ContinuationProblem, base: Point, s_end: float, metric: Metric, index: int
) -> SpecialPoint:
    """The branch point between base and s_end: sign change of det [[J, F_lam], [t^T]]."""
    x_of_s = _curve(problem, base, metric)

    def det_ratio(s: float) -> float:
        try:
            lu = bordered_lu(problem, x_of_s(s), base.tangent, metric)
        except ConvergenceError:
            return 0.0
        return lu.sign * float(np.exp(np.clip(lu.logabsdet - base.logabsdet, -700.0, 700.0)))

    x = _nearest_regular(x_of_s, _root(det_ratio, s_end))
    return branch_point_at(problem, x, base.tangent, metric, index)


def refine_on_other_branch(
    problem: ContinuationProblem, rough: SpecialPoint, metric: Metric, distance: float
) -> np.ndarray:
    """A branch point located to round-off on the OTHER branch through a rough location.

    A pitchfork met on a half-branch is a turning point of that half-branch, where every
    locating system is singular to first order (Moore-Spence converges linearly: ~3e-8 in
    lam). The other branch crosses it transversally: step off the rough point along the
    other branch's direction (``rough.null_vector``) to both sides, and find the bordered
    determinant's sign change between them by Brent, as on any branch. Returns x = (u, lam).
    """
    x0 = np.append(rough.u, rough.value)
    phi = rough.null_vector
    ends = []
    for side in (-1.0, 1.0):
        d = distance
        while True:
            try:
                x, _ = newton_correct(
                    problem,
                    x0 + side * d * phi,
                    x0,
                    phi,
                    side * d,
                    metric,
                    tol=1e-13,
                    maxiter=LOCATE_MAXITER,
                )
                break
            except ConvergenceError:
                d *= 0.5
                if d < 1e-6 * distance:
                    raise
        ends.append(x)
    first, last = (make_point(problem, x, phi, metric) for x in ends)
    if first.det_sign == last.det_sign:
        raise ConvergenceError("the determinant keeps its sign across the rough branch point")
    s_end = metric.dot(first.tangent, last.x - first.x)
    found = locate_branch_point(problem, first, s_end, metric, rough.index)
    return np.append(found.u, found.value)


def branch_point_at(
    problem: ContinuationProblem, x: np.ndarray, tangent: np.ndarray, metric: Metric, index: int
) -> SpecialPoint:
    """The branch point at the located x = (u, lam) on a branch with unit ``tangent``."""
    u, lam = x[:-1], float(x[-1])
    row = metric.row(tangent)
    jac, f_lam = problem.jacobian(u, lam), problem.dF_dparam(u, lam)
    phi = null_vector(bordered_matrix(jac, f_lam, row[:-1], row[-1]))
    phi = phi * np.sign(phi[np.argmax(np.abs(phi))]) / metric.norm(phi)
    return SpecialPoint(
        type="branch_point",
        parameter=problem.parameter,
        value=lam,
        u=u,
        measure=problem.measure(u),
        residual=float(np.max(np.abs(problem.residual(u, lam)))),
        test_residual=float(np.max(np.abs(jac @ phi[:-1] + f_lam * phi[-1])))
        / float(np.linalg.norm(phi)),
        tangent=tangent,
        null_vector=phi,
        index=index,
    )


def _upper_complex(mu: np.ndarray) -> np.ndarray:
    return mu[mu.imag > 1e-9 * (1.0 + np.abs(mu))]


def locate_hopf(
    problem: ContinuationProblem,
    base: Point,
    s_end: float,
    metric: Metric,
    index: int,
    *,
    n_eigs: int,
    sigma: float = 0.0,
) -> SpecialPoint:
    """The Hopf point between base and s_end: zero of the crossing pair's real part.

    With c0 and c1 unstable complex pairs at the two ends (|c1 - c0| = 1), the crossing
    pair is the j-th pair in decreasing real part, j = max(c0, c1) - 1 (0-based). That
    order statistic is continuous in s and changes sign exactly at the crossing, also when
    several pairs share an imaginary part; Brent finds its zero to round-off.
    """
    x_of_s = _curve(problem, base, metric)

    def pairs(s: float) -> np.ndarray:
        x = x_of_s(s)
        mu = spectrum(problem.jacobian(x[:-1], float(x[-1])), n_eigs, sigma=sigma).leading
        return _upper_complex(mu)[np.argsort(-_upper_complex(mu).real, kind="stable")]

    start, end = pairs(0.0), pairs(s_end)
    j = max(int(np.sum(start.real > 0)), int(np.sum(end.real > 0))) - 1

    def critical(s: float) -> complex:
        mu = pairs(s)
        if mu.size <= j:
            raise ConvergenceError("the crossing complex pair left the computed eigenvalues")
        return complex(mu[j])

    if j < 0 or critical(0.0).real * critical(s_end).real >= 0:
        raise ConvergenceError("no complex pair changes the sign of its real part in the bracket")
    s_star = _root(lambda s: critical(s).real, s_end)
    x = x_of_s(s_star)
    u, lam = x[:-1], float(x[-1])
    crossing = critical(s_star)
    return SpecialPoint(
        type="hopf",
        parameter=problem.parameter,
        value=lam,
        u=u,
        measure=problem.measure(u),
        residual=float(np.max(np.abs(problem.residual(u, lam)))),
        test_residual=abs(crossing.real),
        tangent=make_point(problem, x, base.tangent, metric).tangent,
        frequency=abs(crossing.imag),
        index=index,
    )
