"""Cutoff wavenumbers of a rectangular (PEC) waveguide: ``-laplacian(psi) = kc^2 psi``.

The cross-section is ``[0, a] x [0, b]``.

TM modes: ``psi = E_z`` with Dirichlet walls, 5-point stencil on interior nodes.
TE modes: ``psi = H_z`` with Neumann walls, cell-centred grid so the operator is symmetric; the
constant mode (``kc = 0``) is not a waveguide mode and is dropped. Both discretisations are
second order. Eigenpairs come from ``scipy.sparse.linalg.eigsh`` in shift-invert mode.
Exact: ``kc = pi sqrt((m/a)^2 + (n/b)^2)``, TE ``m, n >= 0`` not both 0, TM ``m, n >= 1``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from simlab.errors import SolverError
from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.kernels._fd_operators import laplacian_2d, second_difference
from simlab.solvers.solution import Solution

FORMAL_ORDER = 2.0


def waveguide_cutoffs_exact(
    a: float, b: float, count: int, polarisation: str
) -> list[tuple[float, int, int]]:
    """The ``count`` lowest exact cutoffs ``(kc, m, n)`` for ``"TE"`` or ``"TM"``, ascending."""
    a, b = check.positive("a", a), check.positive("b", b)
    count = check.cell_count("count", count, minimum=1)
    check.choice("polarisation", polarisation, ("TE", "TM"))
    first = 0 if polarisation == "TE" else 1
    # Enough indices that every omitted mode lies above the count-th kept one.
    reach = count + 1
    modes = [
        (math.pi * math.hypot(m / a, n / b), m, n)
        for m in range(first, reach + first)
        for n in range(first, reach + first)
        if m or n
    ]
    return sorted(modes)[:count]


def solve_waveguide_cutoffs(
    a: float,
    b: float,
    n: int | Sequence[int],
    *,
    num_modes: int = 4,
) -> Solution:
    """The lowest ``num_modes`` TE and TM cutoff wavenumbers of an ``a x b`` rectangular guide.

    Args:
        a, b: cross-section sides.
        n: cells per direction or ``(nx, ny)``; ``h = max(a/nx, b/ny)``.
        num_modes: how many cutoffs of each polarisation.

    Returns:
        ``fields["kc_te"]``, ``fields["kc_tm"]`` (ascending cutoffs), ``fields["psi_te"]``,
        ``fields["psi_tm"]`` (mode shapes, ``(num_modes, nx, ny)`` on cell centres for TE and
        ``(num_modes, nx - 1, ny - 1)`` on interior nodes for TM); observables ``kc_te_1`` ...
        and ``kc_tm_1`` ...; ``meta["residual_norm"]``: the largest ``||A v - kc^2 v||`` over
        the returned unit eigenvectors.
    """
    a, b = check.positive("a", a), check.positive("b", b)
    nx, ny = check.cell_counts_2d(n, minimum=3)
    num_modes = check.cell_count("num_modes", num_modes, minimum=1)
    hx, hy = a / nx, b / ny
    tm_unknowns = (nx - 1) * (ny - 1)
    if num_modes + 1 >= tm_unknowns:
        raise check.KernelInputError(
            f"{num_modes} modes need a finer grid than {nx} x {ny} cells (at most "
            f"{tm_unknowns - 2} TM modes fit); raise n or lower num_modes"
        )
    tm = -laplacian_2d(
        second_difference(nx - 1, hx, "dirichlet"), second_difference(ny - 1, hy, "dirichlet")
    )
    te = -laplacian_2d(
        second_difference(nx, hx, "neumann_cell"), second_difference(ny, hy, "neumann_cell")
    )
    # Below the spectrum (all eigenvalues are >= 0): shift-invert returns the lowest ones.
    shift = -0.5 * (math.pi / max(a, b)) ** 2
    kc2_tm, psi_tm, res_tm = _lowest(tm, num_modes, shift)
    kc2_te, psi_te, res_te = _lowest(te, num_modes + 1, shift)
    constant_mode = kc2_te[0]
    if abs(constant_mode) > 1e-8 * kc2_te[1]:
        raise SolverError(f"TE operator lost its constant mode (lowest eigenvalue {constant_mode})")
    kc2_te, psi_te = kc2_te[1:], psi_te[1:]
    kc_te, kc_tm = np.sqrt(kc2_te), np.sqrt(kc2_tm)
    observables = {f"kc_te_{i + 1}": float(k) for i, k in enumerate(kc_te)}
    observables |= {f"kc_tm_{i + 1}": float(k) for i, k in enumerate(kc_tm)}
    return Solution(
        grid={
            "x_nodes": np.linspace(0.0, a, nx + 1),
            "y_nodes": np.linspace(0.0, b, ny + 1),
            "x_cells": (np.arange(nx) + 0.5) * hx,
            "y_cells": (np.arange(ny) + 0.5) * hy,
        },
        fields={
            "kc_te": kc_te,
            "kc_tm": kc_tm,
            "psi_te": psi_te.reshape(num_modes, nx, ny),
            "psi_tm": psi_tm.reshape(num_modes, nx - 1, ny - 1),
        },
        resolution=float(max(nx, ny)),
        h=max(hx, hy),
        order=FORMAL_ORDER,
        observables=observables,
        meta={
            "scheme": "5-point FD; TM Dirichlet on nodes, TE Neumann on cell centres",
            "solver": f"scipy.sparse.linalg.eigsh, shift-invert at sigma = {shift:.6g}",
            "te_constant_mode_eigenvalue": float(constant_mode),
            "residual_norm": max(res_tm, res_te),
            "nx": nx,
            "ny": ny,
        },
    )


def _lowest(
    matrix: sp.csr_matrix, count: int, shift: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """The ``count`` smallest eigenpairs (ascending), eigenvectors as rows, and the max residual."""
    values, vectors = spla.eigsh(matrix.tocsc(), k=count, sigma=shift, which="LM")
    order = np.argsort(values)
    values, vectors = values[order], vectors[:, order]
    residual = float(np.max(np.linalg.norm(matrix @ vectors - vectors * values, axis=0)))
    return values, vectors.T, residual
