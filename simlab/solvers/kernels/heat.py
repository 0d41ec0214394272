"""Heat equation ``u_t = kappa * laplacian(u)`` with Dirichlet data, in 1-D and on a rectangle.

One theta-scheme time marcher serves all three schemes: explicit Euler (theta = 0), Crank-Nicolson
(theta = 1/2) and backward Euler (theta = 1). The implicit matrix is factorised once (SuperLU).

Default time steps keep the declared order 2 in ``h = dx`` along a refinement path:
Crank-Nicolson uses ``dt ~ dx`` (``n * m`` steps, ``m = max(2, ceil(2 t_end kappa / L^2))``,
so ``dt <= min(t_end, L^2 / kappa) / (2 n)``); the Euler schemes use ``dt ~ dx^2`` (``n^2 * m``
steps, diffusion number ``kappa * dt * sum(1 / h_i^2) <= 0.4``). A given ``dt`` is used as is
(rounded down so that a whole number of steps reaches ``t_end``), even when explicit Euler is
unstable with it: the run then blows up honestly and stops at the first non-finite state.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.kernels._fd_operators import (
    interpolation_matrix_2d,
    interpolation_rows,
    laplacian_2d,
    second_difference,
    trapezoid_weights,
)
from simlab.solvers.solution import Solution

Scheme = Literal["crank_nicolson", "explicit_euler", "backward_euler"]
SCHEMES: dict[str, float] = {"explicit_euler": 0.0, "crank_nicolson": 0.5, "backward_euler": 1.0}
FORMAL_ORDER = 2.0
EULER_DIFFUSION_NUMBER = 0.4


def solve_heat_1d(
    kappa: float,
    length: float,
    t_end: float,
    u0: check.FieldData,
    n: int,
    *,
    scheme: Scheme = "crank_nicolson",
    dt: float | None = None,
    left: float = 0.0,
    right: float = 0.0,
    probes: Sequence[float] | None = None,
    rannacher_steps: int = 0,
) -> Solution:
    """Solve ``u_t = kappa u_xx`` on ``[0, length]`` with ``u(0) = left``, ``u(length) = right``.

    Args:
        kappa: diffusivity (> 0).
        length: domain length.
        t_end: final time.
        u0: initial data, constant or vectorised ``u0(x)``; end values are replaced by the
            boundary values (the mismatch is reported in ``meta["ic_bc_mismatch"]``).
        n: number of cells (``n + 1`` nodes).
        scheme: ``"crank_nicolson"``, ``"explicit_euler"`` or ``"backward_euler"``.
        dt: time step; ``None`` chooses the order-preserving default described in the module.
        left, right: constant Dirichlet values.
        probes: points whose values are recorded every step (default ``L/4, L/2, 3L/4``).
        rannacher_steps: Crank-Nicolson only: the first steps are done as two backward-Euler
            half steps, which damps the high modes of rough data (e.g. ``u0`` disagreeing with
            the boundary values) that Crank-Nicolson alone leaves ringing. Order 2 is kept but
            the error constant grows for smooth data, so the default is 0.

    Returns:
        ``fields["u"]`` at ``t_end`` on ``grid["x"]``; ``history`` with ``t``, ``l2`` (trapezoid
        L2 norm), ``max``, ``min`` and ``probes`` (steps+1, n_probes); observables ``u_mid``,
        ``l2``, ``max``, ``min``.
    """
    kappa, length = check.positive("kappa", kappa), check.positive("length", length)
    t_end = check.positive("t_end", t_end)
    n = check.cell_count("n", n)
    left, right = check.finite("left", left), check.finite("right", right)
    dx = length / n
    x = np.linspace(0.0, length, n + 1)
    start = check.sample("u0", u0, x)
    mismatch = max(abs(start[0] - left), abs(start[-1] - right))
    start[0], start[-1] = left, right
    lifted = np.zeros(n - 1)
    lifted[0], lifted[-1] = lifted[0] + left / dx**2, lifted[-1] + right / dx**2
    points = np.asarray([length / 4, length / 2, 3 * length / 4] if probes is None else probes)
    marcher = _Marcher(
        laplacian=second_difference(n - 1, dx, "dirichlet"),
        lifted=lifted,
        kappa=kappa,
        inverse_h2=1.0 / dx**2,
        diffusion_time=length**2 / kappa,
        n=n,
    )
    interior = np.s_[1:-1]
    result = marcher.run(
        start=start,
        interior=interior,
        weights=trapezoid_weights(n + 1, dx),
        probe_matrix=sp.csr_matrix(interpolation_rows(x, points)),
        t_end=t_end,
        scheme=scheme,
        dt=dt,
        rannacher_steps=check.cell_count("rannacher_steps", rannacher_steps, minimum=0),
    )
    center = float((interpolation_rows(x, np.array([length / 2])) @ result["u"])[0])
    extra = {"probes": points, "ic_bc_mismatch": mismatch}
    return _solution(result, {"x": x}, float(n), dx, center, extra)


def solve_heat_2d(
    kappa: float,
    lx: float,
    ly: float,
    t_end: float,
    u0: check.FieldData,
    n: int | Sequence[int],
    *,
    scheme: Scheme = "crank_nicolson",
    dt: float | None = None,
    boundary: check.FieldData = 0.0,
    probes: Sequence[Sequence[float]] | None = None,
    rannacher_steps: int = 0,
) -> Solution:
    """Solve ``u_t = kappa (u_xx + u_yy)`` on ``[0, lx] x [0, ly]``, fixed Dirichlet data.

    Args:
        kappa: diffusivity (> 0).
        lx, ly: rectangle sides.
        t_end: final time.
        u0: initial data, constant or vectorised ``u0(x, y)``.
        n: cells per direction or ``(nx, ny)``.
        scheme: ``"crank_nicolson"``, ``"explicit_euler"`` or ``"backward_euler"``.
        dt: time step (``None``: the order-preserving default described in the module).
        boundary: Dirichlet data, constant or ``g(x, y)``.
        probes: ``(x, y)`` points recorded every step (default centre, ``(lx/4, ly/4)``,
            ``(3 lx/4, ly/2)``).
        rannacher_steps: as in :func:`solve_heat_1d`.

    Returns:
        ``fields["u"]`` (``ij`` indexing) at ``t_end``; the same history and observables as
        :func:`solve_heat_1d`; ``h = max(dx, dy)``.
    """
    kappa, t_end = check.positive("kappa", kappa), check.positive("t_end", t_end)
    lx, ly = check.positive("lx", lx), check.positive("ly", ly)
    nx, ny = check.cell_counts_2d(n)
    hx, hy = lx / nx, ly / ny
    x, y = np.linspace(0.0, lx, nx + 1), np.linspace(0.0, ly, ny + 1)
    xx, yy = np.meshgrid(x, y, indexing="ij")
    edge = check.sample("boundary", boundary, xx, yy)
    start = check.sample("u0", u0, xx, yy)
    rim = np.ones_like(start, dtype=bool)
    rim[1:-1, 1:-1] = False
    mismatch = float(np.max(np.abs(start[rim] - edge[rim])))
    start[rim] = edge[rim]
    edge[1:-1, 1:-1] = 0.0
    lifted = (edge[:-2, 1:-1] + edge[2:, 1:-1]) / hx**2 + (edge[1:-1, :-2] + edge[1:-1, 2:]) / hy**2
    default_probes = [[lx / 2, ly / 2], [lx / 4, ly / 4], [3 * lx / 4, ly / 2]]
    points = np.asarray(default_probes if probes is None else probes, dtype=float)
    marcher = _Marcher(
        laplacian=laplacian_2d(
            second_difference(nx - 1, hx, "dirichlet"), second_difference(ny - 1, hy, "dirichlet")
        ),
        lifted=lifted.ravel(),
        kappa=kappa,
        inverse_h2=1.0 / hx**2 + 1.0 / hy**2,
        diffusion_time=max(lx, ly) ** 2 / kappa,
        n=max(nx, ny),
    )
    result = marcher.run(
        start=start,
        interior=np.s_[1:-1, 1:-1],
        weights=np.outer(trapezoid_weights(nx + 1, hx), trapezoid_weights(ny + 1, hy)),
        probe_matrix=interpolation_matrix_2d(x, y, points),
        t_end=t_end,
        scheme=scheme,
        dt=dt,
        rannacher_steps=check.cell_count("rannacher_steps", rannacher_steps, minimum=0),
    )
    center_row = interpolation_matrix_2d(x, y, np.array([[lx / 2, ly / 2]]))
    center = float((center_row @ result["u"].ravel())[0])
    extra = {"probes": points, "ic_bc_mismatch": mismatch, "nx": nx, "ny": ny}
    return _solution(result, {"x": x, "y": y}, float(max(nx, ny)), max(hx, hy), center, extra)


class _Marcher:
    """Theta-scheme time stepping of ``w' = kappa (A w + lifted)`` for the interior unknowns."""

    def __init__(
        self,
        laplacian: sp.csr_matrix,
        lifted: np.ndarray,
        kappa: float,
        inverse_h2: float,
        diffusion_time: float,
        n: int,
    ) -> None:
        self.laplacian = laplacian
        self.lifted = lifted
        self.kappa = kappa
        self.inverse_h2 = inverse_h2
        self.diffusion_time = diffusion_time
        self.n = n

    def default_dt(self, scheme: str, t_end: float) -> float:
        if scheme == "crank_nicolson":
            # n * m steps exactly, so dt is exactly proportional to dx under refinement.
            m = max(2, math.ceil(2.0 * t_end / self.diffusion_time))
            return t_end / (self.n * m)
        # n^2 * m steps exactly, so dt is exactly proportional to dx^2 under refinement.
        per_n2 = self.kappa * self.inverse_h2 / self.n**2
        m = max(1, math.ceil(t_end * per_n2 / EULER_DIFFUSION_NUMBER))
        return t_end / (self.n**2 * m)

    def refinement_path(self, scheme: str, dt: float | None) -> str:
        if dt is not None:
            return "fixed dt: only the spatial error (order 2) refines with h"
        return "dt ~ dx" if scheme == "crank_nicolson" else "dt ~ dx^2"

    def run(
        self,
        start: np.ndarray,
        interior: tuple[slice, ...] | slice,
        weights: np.ndarray,
        probe_matrix: sp.csr_matrix,
        t_end: float,
        scheme: str,
        dt: float | None,
        rannacher_steps: int,
    ) -> dict:
        check.choice("scheme", scheme, tuple(SCHEMES))
        theta = SCHEMES[scheme]
        requested = self.default_dt(scheme, t_end) if dt is None else check.positive("dt", dt)
        steps, step = check.time_steps(t_end, requested)
        identity = sp.identity(self.laplacian.shape[0], format="csc")
        explicit_part = (identity + (1 - theta) * step * self.kappa * self.laplacian).tocsr()
        implicit_part = (identity - theta * step * self.kappa * self.laplacian).tocsc()
        solve: Callable[[np.ndarray], np.ndarray] | None = (
            spla.splu(implicit_part).solve if theta > 0 else None
        )
        forcing = step * self.kappa * self.lifted
        field = start.copy()
        w = field[interior].ravel()
        times, norms, maxima, minima, probes = [0.0], [], [], [], []
        residual, diverged_at = 0.0, None

        def record() -> None:
            norms.append(np.sqrt(np.sum(weights * field**2)))
            maxima.append(field.max())
            minima.append(field.min())
            probes.append(probe_matrix @ field.ravel())

        record()
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(1, steps + 1):
                if solve is not None and theta == 0.5 and k <= rannacher_steps:
                    # Rannacher start: two backward-Euler half steps (same matrix as CN).
                    half = solve(w + 0.5 * forcing)
                    residual = max(residual, _norm(implicit_part @ half - w - 0.5 * forcing))
                    rhs = half + 0.5 * forcing
                else:
                    rhs = explicit_part @ w + forcing
                w = rhs if solve is None else solve(rhs)
                residual = max(residual, _norm(implicit_part @ w - rhs))
                field[interior] = w.reshape(field[interior].shape)
                times.append(k * step)
                record()
                if not np.all(np.isfinite(w)):
                    diverged_at = k
                    break
        return {
            "u": field,
            "history": {
                "t": np.asarray(times),
                "l2": np.asarray(norms),
                "max": np.asarray(maxima),
                "min": np.asarray(minima),
                "probes": np.asarray(probes),
            },
            "meta": {
                "scheme": scheme,
                "theta": theta,
                "rannacher_steps": rannacher_steps if theta == 0.5 and solve else 0,
                "dt": step,
                "dt_requested": requested,
                "refinement_path": self.refinement_path(scheme, dt),
                "steps": steps,
                "steps_taken": len(times) - 1,
                "t_end": t_end,
                "t_reached": times[-1],
                "diffusion_number": self.kappa * step * self.inverse_h2,
                "explicit_stability_limit": 0.5,
                "diverged_at_step": diverged_at,
                "solver": "none (explicit)" if solve is None else "scipy.sparse.linalg.splu, once",
                "residual_norm": residual,
            },
        }


def _norm(vector: np.ndarray) -> float:
    return float(np.linalg.norm(vector))


def _solution(
    result: dict, grid: dict, resolution: float, h: float, center: float, extra: dict
) -> Solution:
    history = result["history"]
    return Solution(
        grid=grid,
        fields={"u": result["u"]},
        resolution=resolution,
        h=h,
        order=FORMAL_ORDER,
        observables={
            "u_mid": center,
            "l2": float(history["l2"][-1]),
            "max": float(history["max"][-1]),
            "min": float(history["min"][-1]),
        },
        history=history,
        meta={**result["meta"], **extra},
    )
