"""1-D Bratu problem ``u'' + lam e^u = 0`` on ``(0, 1)``, ``u(0) = u(1) = 0``.

Second-order finite differences, Newton's method with the sparse tridiagonal Jacobian, started
from ``u = 0`` so it follows the lower (stable) branch. Past the fold ``lam_c = 3.51383...`` no
solution exists and Newton fails with :class:`~simlab.errors.ConvergenceError`.
The closed form: ``u(x) = -2 ln(cosh((x - 1/2) theta / 2) / cosh(theta / 4))`` with
``theta = sqrt(2 lam) cosh(theta / 4)``.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.linalg import eigh_tridiagonal
from scipy.optimize import brentq, minimize_scalar

from simlab.errors import ConvergenceError
from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.kernels._fd_operators import second_difference
from simlab.solvers.solution import Solution

FORMAL_ORDER = 2.0


def _fold() -> tuple[float, float]:
    """``(theta_c, lam_c)``: where ``sqrt(2 lam) = theta / cosh(theta / 4)`` is largest."""
    best = minimize_scalar(
        lambda t: -t / math.cosh(t / 4),
        bounds=(1.0, 10.0),
        method="bounded",
        options={"xatol": 1e-12},
    )
    theta = float(best.x)
    return theta, 0.5 * (theta / math.cosh(theta / 4)) ** 2


THETA_FOLD, LAMBDA_FOLD = _fold()


def bratu_theta(lam: float, branch: Literal["lower", "upper"] = "lower") -> float:
    """Root of ``theta = sqrt(2 lam) cosh(theta / 4)`` on the requested branch."""
    lam = check.positive("lam", lam)
    check.choice("branch", branch, ("lower", "upper"))
    if lam > LAMBDA_FOLD:
        raise check.KernelInputError(
            f"the 1-D Bratu problem has no solution for lam = {lam} > lam_c = {LAMBDA_FOLD:.12f}"
        )

    def excess(t: float) -> float:
        return t - math.sqrt(2.0 * lam) * math.cosh(t / 4.0)

    if branch == "lower":
        return brentq(excess, 0.0, THETA_FOLD, xtol=1e-14, rtol=1e-15)
    upper = 2.0 * THETA_FOLD
    while excess(upper) > 0.0:
        upper *= 2.0
    return brentq(excess, THETA_FOLD, upper, xtol=1e-14, rtol=1e-15)


def bratu_exact_1d(
    lam: float, x: np.ndarray, branch: Literal["lower", "upper"] = "lower"
) -> np.ndarray:
    """The closed-form Bratu solution on ``x`` (lower branch by default)."""
    theta = bratu_theta(lam, branch)
    x = np.asarray(x, dtype=float)
    return -2.0 * np.log(np.cosh((x - 0.5) * theta / 2.0) / math.cosh(theta / 4.0))


def solve_bratu_1d(
    lam: float,
    n: int,
    *,
    tol: float = 1e-12,
    max_iter: int = 50,
    u_init: check.FieldData = 0.0,
) -> Solution:
    """Solve the discrete Bratu problem with Newton's method.

    Args:
        lam: the parameter ``lam > 0``.
        n: number of cells (``n - 1`` unknowns).
        tol: stop when the Newton step ``max |du| <= tol * (1 + max |u|)``.
        max_iter: Newton iterations allowed.
        u_init: start, constant or callable of ``x``; ``0`` selects the lower branch.

    Returns:
        ``fields["u"]`` on ``grid["x"]``; observables ``u_mid`` (``u(1/2)``, interpolated if ``n``
        is odd) and ``max``; ``meta`` with iterations, the residual history, and
        ``stability_eigenvalue`` (smallest eigenvalue of ``-J``: > 0 on the lower branch).

    Raises:
        ConvergenceError: Newton did not converge (e.g. ``lam`` beyond the fold).
    """
    lam = check.positive("lam", lam)
    n = check.cell_count("n", n)
    max_iter = check.cell_count("max_iter", max_iter, minimum=1)
    tol = check.positive("tol", tol)
    dx = 1.0 / n
    x = np.linspace(0.0, 1.0, n + 1)
    laplacian = second_difference(n - 1, dx, "dirichlet")
    u = check.sample("u_init", u_init, x[1:-1])
    history: list[float] = []
    steps: list[float] = []
    with np.errstate(over="ignore", invalid="ignore"):
        for iteration in range(max_iter + 1):
            growth = lam * np.exp(u)
            residual = laplacian @ u + growth
            norm = float(np.max(np.abs(residual)))
            history.append(norm)
            if not math.isfinite(norm):
                raise _failure(lam, iteration, history, "the iterate became non-finite")
            if steps and steps[-1] <= tol * (1.0 + float(np.max(np.abs(u)))):
                break
            if iteration == max_iter:
                raise _failure(lam, iteration, history, f"no convergence in {max_iter} steps")
            jacobian = (laplacian + sp.diags(growth)).tocsc()
            step = spla.spsolve(jacobian, residual)
            steps.append(float(np.max(np.abs(step))))
            u = u - step
    full = np.zeros(n + 1)
    full[1:-1] = u
    stability = float(
        eigh_tridiagonal(
            2.0 / dx**2 - growth,
            np.full(n - 2, -1.0 / dx**2),
            select="i",
            select_range=(0, 0),
            eigvals_only=True,
        )[0]
    )
    return Solution(
        grid={"x": x},
        fields={"u": full},
        resolution=float(n),
        h=dx,
        order=FORMAL_ORDER,
        observables={"u_mid": float(np.interp(0.5, x, full)), "max": float(full.max())},
        meta={
            "scheme": "3-point finite differences",
            "solver": "Newton, scipy.sparse.linalg.spsolve on the tridiagonal Jacobian",
            "iterations": iteration,
            "residual_norm": norm,
            "residual_history": history,
            "newton_steps": steps,
            "stability_eigenvalue": stability,
            "branch": "lower (stable)" if stability > 0 else "upper (unstable)",
            "lambda_fold": LAMBDA_FOLD,
        },
    )


def _failure(lam: float, iteration: int, history: list[float], why: str) -> ConvergenceError:
    beyond = ""
    if lam > LAMBDA_FOLD:
        beyond = f" lam = {lam} exceeds the fold lam_c = {LAMBDA_FOLD:.6f}."
    return ConvergenceError(
        f"Bratu Newton iteration failed after {iteration} steps: {why}.{beyond}",
        hint="no solution exists past the fold; lower lam or continue along the branch"
        if beyond
        else "try a better initial guess (u_init) or more iterations (max_iter)",
    )
