"""Finite elements (scikit-fem; Lagrange order 1 or 2 on lines, triangles and hexahedra) for
``c u_t - div(K grad u) + beta . grad(u) + b u + g = 0``, ``K = diag(kappa_i(x))``.

Weak form: ``c (u_t, v) + (K grad u, grad v) + (beta . grad u, v) + (b u, v)
+ <kappa_n alpha u, v>_Robin = -(g, v) + <kappa_n q, v>_Neumann/Robin`` with ``kappa_n =
n . K n`` (a Neumann or Robin value is the normal derivative), the coefficients evaluated at
the quadrature points; Dirichlet data imposed at the degrees of freedom, the rest condensed.
Stationary: one sparse solve (SuperLU; ``pyamg`` smoothed aggregation with CG above
``AMG_LIMIT`` unknowns of a symmetric operator). Evolution: Crank-Nicolson with ``dt ~ h`` and
two backward-Euler half steps first (Rannacher), the interior matrix factorised once and
reused for every step. Point values from the basis functions of the element holding the point.

Orders in ``h`` of a point value (smooth data): order-1 elements 2, order-2 elements 3
(stationary); Crank-Nicolson makes every evolution order 2.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
import skfem
from skfem.helpers import dot, grad

from simlab.discretize.roundoff import solve_error
from simlab.fem.meshes import FeMesh, build_mesh
from simlab.fem.reader import FemProblem
from simlab.solvers.solution import Solution

AMG_LIMIT = {1: 10**9, 2: 200_000, 3: 30_000}
"""Unknowns above which a symmetric stationary operator is solved by AMG-CG, by dimension
(3-D fill-in makes SuperLU's memory grow far faster than in 2-D)."""
AMG_RTOL = 1e-12


def formal_order(problem: FemProblem, order: int) -> float:
    """The order in ``h`` the convergence study should see (eigenvalues: ``2 p``)."""
    if problem.eigen_weight is not None:
        return 2.0 * order
    return 2.0 if problem.capacity != 0.0 or order == 1 else 3.0


@skfem.BilinearForm
def _stiffness(u, v, w):
    return dot(grad(u), grad(v))


@skfem.BilinearForm
def _mass(u, v, w):
    return u * v


@skfem.BilinearForm
def _weighted_stiffness(u, v, w):
    return sum(w[f"k{i}"] * grad(u)[i] * grad(v)[i] for i in range(u.grad.shape[0]))


@skfem.BilinearForm
def _advection(u, v, w):
    return sum(w[f"b{i}"] * grad(u)[i] for i in range(u.grad.shape[0])) * v


@skfem.BilinearForm
def _weighted_mass(u, v, w):
    return w["r"] * u * v


@skfem.BilinearForm
def _facet_mass(u, v, w):
    return w["a"] * u * v


def _normal_diffusion(problem: FemProblem, fb: skfem.FacetBasis) -> np.ndarray:
    """``kappa_n = sum_i kappa_i n_i^2`` at the facet quadrature points."""
    x = _coordinates(fb)
    normals = np.asarray(fb.normals)
    return sum(k(*x) * normals[i] ** 2 for i, k in enumerate(problem.diffusion))


def _operator(problem: FemProblem, basis: skfem.CellBasis, mass: sp.spmatrix) -> sp.spmatrix:
    """``(K grad u, grad v) + (beta . grad u, v) + (b u, v)``."""
    x = _coordinates(basis)
    if problem.constant:
        k = [float(np.mean(f(*x))) for f in problem.diffusion]
        r = float(np.mean(problem.reaction(*x)))
        if len(set(k)) == 1:
            operator = k[0] * skfem.asm(_stiffness, basis) + r * mass
        else:
            fields = {f"k{i}": np.full(x[0].shape, v) for i, v in enumerate(k)}
            operator = skfem.asm(_weighted_stiffness, basis, **fields) + r * mass
    else:
        fields = {f"k{i}": f(*x) for i, f in enumerate(problem.diffusion)}
        operator = skfem.asm(_weighted_stiffness, basis, **fields)
        operator = operator + skfem.asm(_weighted_mass, basis, r=problem.reaction(*x))
    if problem.advection is not None:
        fields = {f"b{i}": f(*x) for i, f in enumerate(problem.advection)}
        operator = operator + skfem.asm(_advection, basis, **fields)
    return operator


@skfem.LinearForm
def _load(v, w):
    return w["f"] * v


def solve_fem(problem: FemProblem, n: int, order: int = 2) -> Solution:
    """Solve at resolution ``n`` with P1 (``order=1``) or P2 elements."""
    fe = build_mesh(problem.domain, n, order)
    element = fe.element
    basis = skfem.Basis(fe.mesh, element, intorder=2 * order + 2)
    mass = skfem.asm(_mass, basis)
    operator = _operator(problem, basis, mass)
    facet_bases = {
        name: skfem.FacetBasis(fe.mesh, element, facets=fe.facets[name], intorder=2 * order + 2)
        for name, cond in problem.conditions.items()
        if cond.kind in ("neumann", "robin")
    }
    flux_weight = {name: _normal_diffusion(problem, fb) for name, fb in facet_bases.items()}
    dirichlet = []
    for name, cond in problem.conditions.items():
        if cond.kind == "robin" and float(cond.alpha) != 0.0:
            weight = float(cond.alpha) * flux_weight[name]
            operator = operator + skfem.asm(_facet_mass, facet_bases[name], a=weight)
        if cond.kind == "dirichlet":
            dirichlet.append(basis.get_dofs(fe.facets[name]).all())
    fixed = np.unique(np.concatenate(dirichlet)) if dirichlet else np.array([], dtype=int)
    free = np.setdiff1d(np.arange(basis.N), fixed)
    doflocs = tuple(basis.doflocs)

    def load(t: float) -> np.ndarray:
        rhs = -skfem.asm(_load, basis, f=problem.source(*_coordinates(basis), t))
        for name, fb in facet_bases.items():
            q = problem.conditions[name].value(*_coordinates(fb), t)
            rhs += skfem.asm(_load, fb, f=flux_weight[name] * q)
        return rhs

    def boundary_values(t: float) -> np.ndarray:
        u = np.zeros(basis.N)
        for name, cond in problem.conditions.items():
            if cond.kind == "dirichlet":
                dofs = basis.get_dofs(fe.facets[name]).all()
                u[dofs] = cond.value(*(x[dofs] for x in doflocs), t)
        return u

    if problem.eigen_weight is not None:
        weighted = skfem.asm(_weighted_mass, basis, r=problem.eigen_weight(*_coordinates(basis)))
        values, meta = _eigen(operator, weighted, free, max(problem.eigenvalues.values()))
        return Solution(
            grid=dict(zip(problem.domain.names, doflocs, strict=True)),
            fields={},
            resolution=float(n),
            h=fe.h,
            order=formal_order(problem, order),
            observables={name: float(values[i - 1]) for name, i in problem.eigenvalues.items()},
            meta={
                "method": f"finite elements P{order} (scikit-fem {skfem.__version__}), "
                "generalized symmetric eigenproblem",
                "unknowns": int(basis.N),
                **meta,
            },
        )
    if problem.capacity == 0.0:
        limit = AMG_LIMIT[problem.dimension]
        u, meta = _stationary(operator, load(0.0), boundary_values(0.0), free, limit)
        states = {None: u}
    else:
        times = set(problem.times.values())
        states, meta = _evolution(
            problem, fe, basis, operator, mass, load, boundary_values, free, doflocs, times
        )
        u = states[problem.t_span[1]]
    observables = {}
    probes = sp.csr_matrix((0, basis.N))
    if problem.points:
        probes = _probe_matrix(fe, basis, np.array(list(problem.points.values()), dtype=float).T)
    for row, name in enumerate(problem.points):
        state = states[problem.times.get(name)] if problem.capacity != 0.0 else u
        observables[name] = float((probes[row] @ state)[0])
    for name, kind in problem.functionals.items():
        state = states[problem.times.get(name)] if problem.capacity != 0.0 else u
        observables[name] = _domain_functional(kind, fe, basis, mass, state)
    if "round_off" in meta:  # the state's bound through each observable's weights
        bound = meta.pop("round_off")
        weights = np.asarray(abs(probes).sum(axis=1)).ravel()
        noise = {name: float(w * bound) for name, w in zip(problem.points, weights, strict=True)}
        cells = skfem.asm(_unit_load, basis)
        volume = float(cells.sum())
        for name, kind in problem.functionals.items():
            noise[name] = bound * {
                "integral": float(np.abs(cells).sum()),
                "mean": float(np.abs(cells).sum()) / volume,
                "l2_norm": math.sqrt(volume),
            }.get(kind, LEBESGUE[(problem.dimension, order)])
        meta["observable_round_off"] = noise
    return Solution(
        grid=dict(zip(problem.domain.names, doflocs, strict=True)),
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


@skfem.LinearForm
def _unit_load(v, w):
    return v


def _domain_functional(kind: str, fe: FeMesh, basis, mass: sp.spmatrix, u: np.ndarray) -> float:
    """``integral``, ``mean``, ``l2_norm`` of the finite-element function, or its ``max`` /
    ``min``: the best degree of freedom, then the element function maximised around it
    (Nelder-Mead inside the bounding box; the value at a smooth extremum is insensitive to
    its location to second order, so it keeps the element's order)."""
    if kind in ("integral", "mean"):
        weights = skfem.asm(_unit_load, basis)
        total = float(weights @ u)
        return total if kind == "integral" else total / float(weights.sum())
    if kind == "l2_norm":
        return float(np.sqrt(u @ (mass @ u)))
    from scipy.optimize import minimize

    sign = 1.0 if kind == "max" else -1.0
    start = np.asarray(basis.doflocs)[:, int(np.argmax(sign * u))]
    lo = np.asarray(fe.mesh.p.min(axis=1))
    hi = np.asarray(fe.mesh.p.max(axis=1))

    def negative(x: np.ndarray) -> float:
        point = np.clip(np.asarray(x, dtype=float), lo, hi).reshape(-1, 1)
        try:
            return -sign * float((_probe_matrix(fe, basis, point) @ u)[0])
        except Exception:  # outside a non-box domain
            return np.inf

    size = float(np.max(hi - lo))
    best = minimize(
        negative,
        start,
        method="Nelder-Mead",
        bounds=list(zip(lo, hi, strict=True)),
        options={"xatol": 1e-10 * size, "fatol": 1e-15 * max(1.0, float(np.max(np.abs(u))))},
    )
    return float(-sign * min(best.fun, negative(start)))


def _coordinates(basis: skfem.AbstractBasis) -> tuple[np.ndarray, ...]:
    """The quadrature points' coordinates, one array per axis."""
    return tuple(np.asarray(basis.global_coordinates()))


def _stationary(
    operator: sp.spmatrix, rhs: np.ndarray, fixed_values: np.ndarray, free: np.ndarray, limit: int
) -> tuple[np.ndarray, dict]:
    """One linear solve, and its round-off bound (max norm over the free unknowns)."""
    a = operator.tocsr()
    u = fixed_values.copy()
    a_ii = a[free][:, free]
    b = rhs[free] - a[free] @ fixed_values
    solve, transposed, solver = _linear_solver(a_ii, limit)
    u[free] = solve(b)
    residual = np.linalg.norm(a_ii @ u[free] - b) / max(np.linalg.norm(b), 1e-300)
    meta = {"solver": solver, "relative_residual": float(residual)}
    if transposed is not None:  # with the factors in hand the estimate costs a few solves
        terms = np.abs(rhs[free]) + abs(a[free]) @ np.abs(fixed_values)
        meta["round_off"] = solve_error(
            a_ii, solve, u[free], b, transposed=transposed, rhs_terms=terms
        )[""]
    return u, meta


LEBESGUE = {(1, 1): 1.0, (1, 2): 1.25, (2, 1): 1.0, (2, 2): 5 / 3, (3, 1): 1.0, (3, 2): 1.25**3}
"""max over an element of sum_i |phi_i(x)| (Lagrange order 1 and 2 by dimension): how far a
value of the element function moves when every degree of freedom moves by one."""

DENSE_EIGEN = 1500
"""Free unknowns up to which the eigenproblem is solved densely (scipy.linalg.eigh)."""


def _eigen(
    operator: sp.spmatrix, weighted: sp.spmatrix, free: np.ndarray, count: int
) -> tuple[np.ndarray, dict]:
    """The ``count`` smallest eigenvalues of ``A x = lambda M x`` on the free unknowns."""
    import scipy.linalg as sla

    a = operator.tocsr()[free][:, free]
    m = weighted.tocsr()[free][:, free]
    if a.shape[0] <= DENSE_EIGEN:
        values = sla.eigh(a.toarray(), m.toarray(), eigvals_only=True)
        return _nonzero(values)[:count], {"solver": "scipy.linalg.eigh (dense)"}
    # shift-invert about a point below the spectrum (a Neumann problem has 0 in it)
    diag = a.diagonal() / m.diagonal()
    shift = -0.01 * float(np.min(np.abs(diag)))
    k = min(count + 4, a.shape[0] - 2)
    values = spla.eigsh(
        a.tocsc(), k=k, M=m.tocsc(), sigma=shift, which="LM", return_eigenvectors=False
    )
    return _nonzero(values)[:count], {"solver": "scipy.sparse.linalg.eigsh, shift-invert"}


NULL_EIGENVALUE = 1e-8
"""Eigenvalues below this fraction of the largest computed one are the null space."""


def _nonzero(values: np.ndarray) -> np.ndarray:
    """Sorted eigenvalues without the null space (the constant mode of a pure Neumann or
    periodic operator is not a mode: eigenvalue(k) counts the non-zero eigenvalues, as the
    engine and the eigen kernel do)."""
    real = np.sort(np.real(values))
    scale = float(np.max(np.abs(real))) if real.size else 1.0
    return real[np.abs(real) > NULL_EIGENVALUE * scale]


def _linear_solver(a: sp.csr_matrix, limit: int):
    """(solve, transposed solve, name): SuperLU up to ``limit`` unknowns or for a
    nonsymmetric operator, smoothed-aggregation AMG with CG above (no transposed solve: its
    round-off estimate would cost several more iterative solves, and the CG tolerance, not
    round-off, limits it; the study keeps its default floor)."""
    symmetric = abs(a - a.T).max() <= 1e-12 * abs(a).max()
    if a.shape[0] <= limit or not symmetric:
        lu = spla.splu(a.tocsc())
        return lu.solve, lambda r: lu.solve(r, trans="T"), "scipy.sparse.linalg.splu"
    import pyamg

    ml = pyamg.smoothed_aggregation_solver(a, symmetry="hermitian")

    def solve(r: np.ndarray) -> np.ndarray:
        return ml.solve(r, tol=AMG_RTOL, accel="cg", maxiter=500)

    return solve, None, "pyamg smoothed aggregation + CG"


def _evolution(
    problem, fe: FeMesh, basis, operator, mass, load, boundary_values, free, doflocs, times
) -> tuple[dict[float, np.ndarray], dict]:
    """Crank-Nicolson to every observation time (each one a step node): the state there.

    The interval is cut at the observation times; each piece gets steps in proportion to
    its length, so ``dt ~ h`` on every piece and the order stays 2.
    """
    t0, t1 = problem.t_span
    span = t1 - t0
    length = min(b - a for a, b in problem.domain.ranges)
    diffusion_time = length**2 / problem.kappa * problem.capacity
    per_cell = max(2, math.ceil(2.0 * span / diffusion_time))
    steps = max(1, round(length / fe.h)) * per_cell  # dt ~ h along the refinement path
    knots = sorted({t1, *(t for t in times if t0 < t < t1)})
    c_mass = (problem.capacity * mass).tocsr()
    a = operator.tocsr()
    u = problem.u0(*doflocs)
    u = np.where(np.isin(np.arange(basis.N), free), u, boundary_values(t0))
    ff = np.ix_(free, free)
    factors: dict[tuple[float, float], tuple] = {}

    def stepper(theta: float, step: float):
        key = (theta, step)
        if key not in factors:
            full = (c_mass + theta * step * a).tocsr()
            explicit = (c_mass - (1 - theta) * step * a).tocsr()
            factors[key] = (spla.splu(full[ff].tocsc()), explicit, theta, full)
        return factors[key]

    t = t0
    f_now = load(t)
    states = {t0: u.copy()}
    taken = 0
    start = t0
    for end in knots:
        count = max(1, round(steps * (end - start) / span))
        dt = (end - start) / count
        for k in range(count):
            if taken == 0:  # Rannacher start: two backward-Euler half steps
                for _ in range(2):
                    u, t, f_now = _advance(
                        u, t, 0.5 * dt, stepper(1.0, 0.5 * dt), load, f_now, boundary_values, free
                    )
            else:
                target = end if k == count - 1 else None
                u, t, f_now = _advance(
                    u, t, dt, stepper(0.5, dt), load, f_now, boundary_values, free, target
                )
            taken += 1
        states[end] = u.copy()
        start = end
    return states, {
        "scheme": "Crank-Nicolson (Rannacher start), dt ~ h, observation times as nodes",
        "dt": span / steps,
        "steps": taken,
        "factorisations": len(factors),
        "solver": "scipy.sparse.linalg.splu, factorised once per step size",
    }


def _advance(u, t, dt, factor, load, f_now, boundary_values, free, target=None):
    """One theta step (the factor holds theta's LU and explicit part); ``target``: land
    exactly on that time (no round-off drift past an observation time)."""
    lu, explicit, theta, lhs_full = factor
    t_next = t + dt if target is None else target
    f_next = load(t_next)
    g_next = boundary_values(t_next)
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
