"""Finite elements (scikit-fem, P1 or P2 triangles) for ``c u_t - kappa lap(u) + b u + g = 0``.

Weak form: ``c (u_t, v) + kappa (grad u, grad v) + b (u, v) + kappa alpha <u, v>_Robin
= -(g, v) + kappa <q, v>_Neumann/Robin``, Dirichlet data imposed by condensation
(``skfem.condense``). Stationary: one sparse solve (SuperLU; ``pyamg`` smoothed aggregation
with CG above ``AMG_LIMIT`` unknowns). Evolution: Crank-Nicolson with ``dt ~ h`` and two
backward-Euler half steps first (Rannacher), the interior matrix factorised once and reused
for every step. Point values by ``basis.probes`` with the linear mesh's element finder.

Orders in ``h`` of a point value (smooth data): P1 2, P2 3 (stationary); Crank-Nicolson
makes every evolution order 2.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import skfem
from skfem.helpers import dot, grad

from simlab.fem.meshes import FeMesh, build_mesh
from simlab.fem.reader import FemProblem
from simlab.solvers.solution import Solution

AMG_LIMIT = 200_000
AMG_RTOL = 1e-12


def formal_order(problem: FemProblem, order: int) -> float:
    """The order in ``h`` the convergence study should see."""
    return 2.0 if problem.capacity != 0.0 or order == 1 else 3.0


@skfem.BilinearForm
def _stiffness(u, v, w):
    return dot(grad(u), grad(v))


@skfem.BilinearForm
def _mass(u, v, w):
    return u * v


@skfem.LinearForm
def _load(v, w):
    return w["f"] * v


def solve_fem(problem: FemProblem, n: int, order: int = 2) -> Solution:
    """Solve at resolution ``n`` with P1 (``order=1``) or P2 elements."""
    fe = build_mesh(problem.domain, n, order)
    element = skfem.ElementTriP1() if order == 1 else skfem.ElementTriP2()
    basis = skfem.Basis(fe.mesh, element, intorder=2 * order + 2)
    stiffness = skfem.asm(_stiffness, basis)
    mass = skfem.asm(_mass, basis)
    operator = problem.kappa * stiffness + problem.reaction * mass
    robin, dirichlet = None, []
    for name, cond in problem.conditions.items():
        if cond.kind == "robin" and float(cond.alpha) != 0.0:
            facet_basis = skfem.FacetBasis(fe.mesh, element, facets=fe.facets[name])
            term = float(problem.kappa) * float(cond.alpha) * skfem.asm(_mass, facet_basis)
            robin = term if robin is None else robin + term
        if cond.kind == "dirichlet":
            dirichlet.append(basis.get_dofs(fe.facets[name]).all())
    if robin is not None:
        operator = operator + robin
    fixed = np.unique(np.concatenate(dirichlet)) if dirichlet else np.array([], dtype=int)
    free = np.setdiff1d(np.arange(basis.N), fixed)
    x, y = basis.doflocs

    def load(t: float) -> np.ndarray:
        rhs = -skfem.asm(_load, basis, f=_at_quadrature(basis, problem.source, t))
        for name, cond in problem.conditions.items():
            if cond.kind in ("neumann", "robin"):
                fb = skfem.FacetBasis(fe.mesh, element, facets=fe.facets[name])
                q = _at_quadrature(fb, cond.value, t)
                rhs += problem.kappa * skfem.asm(_load, fb, f=q)
        return rhs

    def boundary_values(t: float) -> np.ndarray:
        u = np.zeros(basis.N)
        for name, cond in problem.conditions.items():
            if cond.kind == "dirichlet":
                dofs = basis.get_dofs(fe.facets[name]).all()
                u[dofs] = cond.value(x[dofs], y[dofs], t)
        return u

    if problem.capacity == 0.0:
        u, meta = _stationary(operator, load(0.0), boundary_values(0.0), free)
    else:
        u, meta = _evolution(problem, fe, basis, operator, mass, load, boundary_values, free, x, y)
    probes = _probe_matrix(fe, basis, np.array(list(problem.points.values())).T)
    values = probes @ u
    observables = {name: float(v) for name, v in zip(problem.points, values, strict=True)}
    return Solution(
        grid={"x": x, "y": y},
        fields={"u": u},
        resolution=float(n),
        h=fe.h,
        order=formal_order(problem, order),
        observables=observables,
        meta={
            "method": f"finite elements P{order} (scikit-fem {skfem.__version__})",
            "domain": problem.domain.kind,
            "elements": int(fe.mesh.t.shape[1]),
            "unknowns": int(basis.N),
            **meta,
        },
    )


def _at_quadrature(basis: skfem.AbstractBasis, fn, t: float) -> np.ndarray:
    qx, qy = np.asarray(basis.global_coordinates())
    return fn(qx, qy, t)


def _stationary(
    operator: sp.spmatrix, rhs: np.ndarray, fixed_values: np.ndarray, free: np.ndarray
) -> tuple[np.ndarray, dict]:
    a = operator.tocsr()
    u = fixed_values.copy()
    a_ii = a[free][:, free]
    b = rhs[free] - a[free] @ fixed_values
    u[free], solver = _linear_solve(a_ii, b)
    residual = np.linalg.norm(a_ii @ u[free] - b) / max(np.linalg.norm(b), 1e-300)
    return u, {"solver": solver, "relative_residual": float(residual)}


def _linear_solve(a: sp.csr_matrix, b: np.ndarray) -> tuple[np.ndarray, str]:
    if a.shape[0] <= AMG_LIMIT:
        return spla.splu(a.tocsc()).solve(b), "scipy.sparse.linalg.splu"
    import pyamg

    ml = pyamg.smoothed_aggregation_solver(a, symmetry="hermitian")
    x = ml.solve(b, tol=AMG_RTOL, accel="cg", maxiter=500)
    return x, "pyamg smoothed aggregation + CG"


def _evolution(problem, fe: FeMesh, basis, operator, mass, load, boundary_values, free, x, y):
    t0, t1 = problem.t_span
    span = t1 - t0
    length = min(b - a for a, b in problem.domain.ranges)
    diffusion_time = length**2 / problem.kappa * problem.capacity
    per_cell = max(2, math.ceil(2.0 * span / diffusion_time))
    steps = max(1, round(length / fe.h)) * per_cell  # dt ~ h along the refinement path
    dt = span / steps
    c_mass = (problem.capacity * mass).tocsr()
    a = operator.tocsr()
    u = problem.u0(x, y)
    u = np.where(np.isin(np.arange(basis.N), free), u, boundary_values(t0))
    ff = np.ix_(free, free)

    def stepper(theta: float, step: float):
        lhs = (c_mass + theta * step * a)[ff].tocsc()
        return spla.splu(lhs), (c_mass - (1 - theta) * step * a).tocsr()

    half = stepper(1.0, 0.5 * dt)
    cn = stepper(0.5, dt)
    factorisations = 2
    t = t0
    f_now = load(t)
    for k in range(steps):
        if k < 1:  # Rannacher start: two backward-Euler half steps
            for _ in range(2):
                u, t, f_now = _advance(
                    u, t, 0.5 * dt, 1.0, half, a, c_mass, load, f_now, boundary_values, free
                )
        else:
            u, t, f_now = _advance(u, t, dt, 0.5, cn, a, c_mass, load, f_now, boundary_values, free)
    return u, {
        "scheme": "Crank-Nicolson (Rannacher start), dt ~ h",
        "dt": dt,
        "steps": steps,
        "factorisations": factorisations,
        "solver": "scipy.sparse.linalg.splu, factorised once per step size",
    }


def _advance(u, t, dt, theta, factor, a, c_mass, load, f_now, boundary_values, free):
    lu, explicit = factor
    t_next = t + dt
    f_next = load(t_next)
    g_next = boundary_values(t_next)
    lhs_full = c_mass + theta * dt * a
    rhs = explicit @ u + dt * (theta * f_next + (1 - theta) * f_now)
    rhs_free = rhs[free] - (lhs_full @ g_next)[free]
    new = g_next.copy()
    new[free] = lu.solve(rhs_free)
    return new, t_next, f_next


def _probe_matrix(fe: FeMesh, basis, points: np.ndarray) -> sp.csr_matrix:
    """Point evaluation: cells found on the linear mesh, values from the (curved) basis."""
    cells = fe.linear.element_finder()(*points)
    pts = basis.mapping.invF(points[:, :, np.newaxis], tind=cells)
    phis = np.array(
        [basis.elem.gbasis(basis.mapping, pts, k, tind=cells)[0] for k in range(basis.Nbfun)]
    ).flatten()
    rows = np.tile(np.arange(points.shape[1]), basis.Nbfun)
    cols = basis.element_dofs[:, cells].flatten()
    return sp.coo_matrix((phis, (rows, cols)), shape=(points.shape[1], basis.N)).tocsr()
