"""Finite elements on intervals and 3-D boxes, and with variable coefficients: the study's
bound of the cross-solver covers its true error against closed forms at several points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simlab.certify.cross_solve import independent_bound
from simlab.certify.study import run_study
from simlab.fem import read_fem_problem
from simlab.solvers.builtin.finite_element import FemP2Solver
from simlab.spec import parse

INTERVAL = """# Specification: {title}

## Domain
geometry: interval
coordinates:
  x: {{range: [0, {L}]}}
boundaries:
  a: x = 0
  b: x = {L}
{time}
## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x{t}]}}
equations:
  - {equation}

## Boundary Conditions
a: {a}
b: {b}

## Initial Conditions
{initial}

## Observables
{observables}

## Tolerance
metric: absolute_error
threshold: {tol}
"""


def interval(
    equation: str,
    a: str,
    b: str,
    points: dict[str, float],
    L: float = 1.0,
    span: float | None = None,
    initial: str = "initial: none",
    times: dict[str, float] | None = None,
    tol: float = 1e-7,
):
    observables = "\n".join(
        f'{name}: {{definition: "u(x={x}'
        + (f", t={(times or {}).get(name, span)}" if span else "")
        + ')"}'
        for name, x in points.items()
    )
    return parse(
        INTERVAL.format(
            title="fem interval",
            L=L,
            time=f"time: {{range: [0, {span}]}}\n" if span else "",
            t=", t" if span else "",
            equation=equation,
            a=a,
            b=b,
            initial=initial,
            observables=observables,
            tol=tol,
        )
    )


def assert_bounds_cover(spec, exact, tol: float = 1e-7) -> None:
    study = run_study(FemP2Solver(), spec, lambda name, v: tol, time_budget=60.0)
    for name, res in study.results.items():
        truth = exact(name)
        bound = independent_bound(res)
        assert bound is not None, (name, res.message)
        assert abs(res.values[0] - truth) <= bound, (name, res.values[0], truth, bound)


@pytest.mark.parametrize("lam, q, T0, L", [(15.0, 2.0, 350.0, 0.02 * 50), (3.0, -7.0, 1.0, 2.0)])
def test_interval_with_a_source_and_an_insulated_end(lam, q, T0, L) -> None:
    spec = interval(
        f"{lam}*diff(u, x, 2) + {q} = 0",
        f"{{type: dirichlet, value: {T0}}}",
        "{type: neumann, value: 0}",
        {"u_end": L, "u_mid": L / 2},
        L=L,
    )
    xs = {"u_end": L, "u_mid": L / 2}
    assert_bounds_cover(spec, lambda n: T0 + q / (2 * lam) * (2 * L * xs[n] - xs[n] ** 2))


@pytest.mark.parametrize("alpha, far, L", [(25.0, 300.0, 1.0), (0.5, -2.0, 2.5)])
def test_interval_robin_end(alpha, far, L) -> None:
    T0 = 400.0
    spec = interval(
        "diff(u, x, 2) = 0",
        f"{{type: dirichlet, value: {T0}}}",
        f"{{type: robin, alpha: {alpha}, value: {alpha * far}}}",
        {"u_end": L, "u_q": L / 4},
        L=L,
    )
    xs = {"u_end": L, "u_q": L / 4}

    def exact(n: str) -> float:  # u'' = 0, u(0) = T0, u' + alpha u = alpha far at x = L
        return T0 - (T0 - far) * alpha * xs[n] / (1 + alpha * L)

    assert_bounds_cover(spec, exact)


@pytest.mark.parametrize("c", [1.0, 3.0])
def test_interval_variable_conductivity(c) -> None:
    # -(k u')' = f with k = 1 + c x and u = sin(pi x)
    f = f"(1 + {c}*x)*pi**2*sin(pi*x) - {c}*pi*cos(pi*x)"
    spec = interval(
        f"-diff((1 + {c}*x)*diff(u, x), x) = {f}",
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 0}",
        {"u_q": 0.25, "u_7": 0.7},
    )
    problem = read_fem_problem(spec)
    assert not isinstance(problem, str) and not problem.constant
    xs = {"u_q": 0.25, "u_7": 0.7}
    assert_bounds_cover(spec, lambda n: math.sin(math.pi * xs[n]), tol=1e-6)


@pytest.mark.parametrize("D, a", [(0.2, 1.0), (0.5, -1.5)])
def test_interval_advection_diffusion(D, a) -> None:
    spec = interval(
        f"-{D}*diff(u, x, 2) + {a}*diff(u, x) = 0",
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 1}",
        {"u_8": 0.8, "u_5": 0.5},
    )
    xs = {"u_8": 0.8, "u_5": 0.5}

    def exact(n: str) -> float:
        return math.expm1(a * xs[n] / D) / math.expm1(a / D)

    assert_bounds_cover(spec, exact)


@pytest.mark.parametrize("D, k", [(0.3, 0.2), (1.0, 2.0)])
def test_interval_decay_with_an_intermediate_time(D, k) -> None:
    spec = interval(
        f"diff(u, t) = {D}*diff(u, x, 2) - {k}*u",
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 0}",
        {"u_end": math.pi / 2, "u_early": math.pi / 4},
        L=math.pi,
        span=2.0,
        initial="u: sin(x)",
        times={"u_early": 0.5},
        tol=1e-5,
    )
    where = {"u_end": (math.pi / 2, 2.0), "u_early": (math.pi / 4, 0.5)}

    def exact(n: str) -> float:
        x, t = where[n]
        return math.exp(-(D + k) * t) * math.sin(x)

    assert_bounds_cover(spec, exact, tol=1e-5)


BOX = """# Specification: fem box

## Domain
geometry: box
coordinates:
  x: {{range: [0, {Lx}]}}
  y: {{range: [0, {Ly}]}}
  z: {{range: [0, {Lz}]}}
boundaries:
  x0: x = 0
  x1: x = {Lx}
  y0: y = 0
  y1: y = {Ly}
  z0: z = 0
  z1: z = {Lz}

## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x, y, z]}}
equations:
  - -laplacian(u) = {f}

## Boundary Conditions
x0: {{type: dirichlet, value: 0}}
x1: {{type: dirichlet, value: 0}}
y0: {{type: neumann, value: 0}}
y1: {{type: neumann, value: 0}}
z0: {{type: dirichlet, value: 0}}
z1: {{type: dirichlet, value: 0}}

## Initial Conditions
initial: none

## Observables
u_c: {{definition: "u(x={cx}, y={cy}, z={cz})"}}
u_q: {{definition: "u(x={qx}, y={qy}, z={qz})"}}

## Tolerance
metric: absolute_error
threshold: 1.0e-3
"""


@pytest.mark.parametrize("Lx, Ly, Lz", [(1.0, 2.0, 1.0), (2.0, 1.0, 1.5)])
def test_box_with_insulated_sides(Lx, Ly, Lz) -> None:
    # u = sin(pi x/Lx) cos(pi y/Ly) sin(pi z/Lz): zero on x and z faces, du/dn = 0 on y faces
    k2 = (math.pi / Lx) ** 2 + (math.pi / Ly) ** 2 + (math.pi / Lz) ** 2
    f = f"{k2}*sin(pi*x/{Lx})*cos(pi*y/{Ly})*sin(pi*z/{Lz})"
    c = (Lx / 2, Ly / 4, Lz / 2)
    q = (Lx / 4, Ly / 8, Lz / 3)
    spec = parse(
        BOX.format(Lx=Lx, Ly=Ly, Lz=Lz, f=f, cx=c[0], cy=c[1], cz=c[2], qx=q[0], qy=q[1], qz=q[2])
    )
    problem = read_fem_problem(spec)
    assert not isinstance(problem, str) and problem.dimension == 3

    def exact(n: str) -> float:
        x, y, z = c if n == "u_c" else q
        return math.sin(math.pi * x / Lx) * math.cos(math.pi * y / Ly) * math.sin(math.pi * z / Lz)

    assert_bounds_cover(spec, exact, tol=1e-3)


SQUARE = """# Specification: variable conductivity plate

## Domain
geometry: rectangle
coordinates:
  x: {{range: [0, 1]}}
  y: {{range: [0, 1]}}
boundaries:
  w: x = 0
  e: x = 1
  s: y = 0
  n: y = 1

## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x, y]}}
equations:
  - -diff((1 + {c}*x*y)*diff(u, x), x) - diff((1 + {c}*x*y)*diff(u, y), y) = {f}

## Boundary Conditions
w: {{type: dirichlet, value: 0}}
e: {{type: dirichlet, value: 0}}
s: {{type: dirichlet, value: 0}}
n: {{type: dirichlet, value: 0}}

## Initial Conditions
initial: none

## Observables
u_c: {{definition: "u(x=0.5, y=0.5)"}}
u_q: {{definition: "u(x=0.25, y=0.7)"}}

## Tolerance
metric: absolute_error
threshold: 1.0e-6
"""


@pytest.mark.parametrize("c", [0.5, 2.0])
def test_plate_with_variable_conductivity(c) -> None:
    # u = sin(pi x) sin(pi y), k = 1 + c x y: f = -div(k grad u)
    f = (
        f"(1 + {c}*x*y)*2*pi**2*sin(pi*x)*sin(pi*y) - {c}*y*pi*cos(pi*x)*sin(pi*y)"
        f" - {c}*x*pi*sin(pi*x)*cos(pi*y)"
    )
    spec = parse(SQUARE.format(c=c, f=f))
    where = {"u_c": (0.5, 0.5), "u_q": (0.25, 0.7)}
    assert_bounds_cover(
        spec, lambda n: float(np.prod([math.sin(math.pi * v) for v in where[n]])), tol=1e-6
    )


def test_mixed_derivatives_and_time_varying_coefficients_are_refused_with_a_reason() -> None:
    spec = interval(
        "diff(u, t) = (1 + t)*diff(u, x, 2)",
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 0}",
        {"u_m": 0.5},
        span=1.0,
        initial="u: sin(pi*x)",
    )
    reason = read_fem_problem(spec)
    assert isinstance(reason, str) and "depends on ['t']" in reason


EIGEN = """# Specification: modes

## Domain
geometry: interval
coordinates:
  x: {{range: [0, {L}]}}
boundaries:
  a: x = 0
  b: x = {L}

## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x]}}
eigenvalue: {{symbol: lam, count: 3}}
equations:
  - -{c}*diff(u, x, 2) = lam*u

## Boundary Conditions
a: {{type: dirichlet, value: 0}}
b: {{type: {end}, value: 0}}

## Initial Conditions
initial: none

## Observables
lam1: {{definition: eigenvalue(1)}}
lam3: {{definition: eigenvalue(3)}}

## Tolerance
metric: relative_error
threshold: 1.0e-6
"""


@pytest.mark.parametrize(
    "L, c, end", [(0.65, 1.0, "dirichlet"), (2.0, 3.0, "dirichlet"), (1.0, 0.5, "neumann")]
)
def test_interval_eigenvalues(L, c, end) -> None:
    spec = parse(EIGEN.format(L=L, c=c, end=end))
    problem = read_fem_problem(spec)
    assert not isinstance(problem, str) and problem.eigenvalues == {"lam1": 1, "lam3": 3}

    def exact(name: str) -> float:
        k = int(name[-1])
        mode = k if end == "dirichlet" else k - 0.5  # clamped-free: quarter waves
        return c * (mode * math.pi / L) ** 2

    assert_bounds_cover(spec, exact, tol=1e-6 * exact("lam3"))


def test_an_eigenproblem_with_inhomogeneous_data_is_refused() -> None:
    spec = parse(
        EIGEN.format(L=1.0, c=1.0, end="neumann").replace("neumann, value: 0", "neumann, value: 1")
    )
    reason = read_fem_problem(spec)
    assert isinstance(reason, str) and "inhomogeneous" in reason


@pytest.mark.parametrize("A, L", [(1.0, 1.0), (2.5, 3.0)])
def test_interval_domain_functionals(A, L) -> None:
    spec = interval(
        f"-diff(u, x, 2) = {A}*(pi/{L})**2*sin(pi*x/{L})",
        "{type: dirichlet, value: 0}",
        "{type: dirichlet, value: 0}",
        {},
        L=L,
    )
    text = (
        'total: {definition: "integral(u)"}\n'
        'average: {definition: "mean(u)"}\n'
        'top: {definition: "max(u)"}\n'
        'size: {definition: "l2_norm(u)"}\n'
    )
    from simlab.spec.render import render

    spec = parse(render(spec).replace("## Observables\n", "## Observables\n" + text))
    problem = read_fem_problem(spec)
    assert not isinstance(problem, str), problem
    exact = {
        "total": 2 * A * L / math.pi,
        "average": 2 * A / math.pi,
        "top": A,
        "size": A * math.sqrt(L / 2),
    }
    assert_bounds_cover(spec, exact.__getitem__, tol=1e-7 * A)


@pytest.mark.parametrize("L, c", [(1.0, 0.5), (2.0, 3.0)])
def test_free_free_eigenvalues_do_not_count_the_constant_mode(L, c) -> None:
    """Neumann at both ends: the constant is a null vector, not eigenvalue(1) (house rule)."""
    spec = parse(
        EIGEN.format(L=L, c=c, end="neumann").replace(
            "a: {type: dirichlet, value: 0}", "a: {type: neumann, value: 0}"
        )
    )
    solver = FemP2Solver()
    assert solver.fit(spec).ok
    values = solver.solve(spec, solver.resolutions[0]).observables
    for name, k in (("lam1", 1), ("lam3", 3)):
        exact = c * (k * math.pi / L) ** 2
        # a miscounted mode is off by a factor (k/(k-1))^2; the coarse grid is within 1 %
        assert abs(values[name] - exact) <= 1e-2 * exact, (name, values[name], exact)
