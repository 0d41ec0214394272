"""A corpus of continuation problems whose special points are known in closed form.

Each :class:`Case` is a spec (rendered from a template below), the parameter to continue in,
the range given to ``simlab continue --min/--max`` and the special points of the CONTINUUM
problem on the branch through the spec's solution, from closed forms (KNOWN_ANSWERS.md:
Bratu, Chafee-Infante, Euler, normal forms, Brusselator, Lorenz) or from a derivation given
next to the case (imperfect and subcritical pitchforks, cubic folds, Fisher, SIR, Lotka-
Volterra, van der Pol, Neumann Laplacian). Bratu 2-D: the literature value 6.808124423
(Boyd; Chan and Keller), stated to 9 digits.

Used by ``benchmarks/bench_continuation_corpus.py`` (the table) and
``tests/diagnostics/test_continuation_corpus.py`` (every point found, typed, located).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BRATU_1D = 3.513830719125161
BRATU_2D = 6.808124423
PI = math.pi


@dataclass(frozen=True)
class Case:
    """One continuation problem: spec text, parameter, range and the expected special points."""

    name: str
    text: str
    parameter: str
    low: float
    high: float
    expected: tuple[tuple[str, float], ...]
    source: str

    @property
    def stationary(self) -> bool:
        return "time:" not in self.text


def _bvp(title, coords, boundaries, unknown, params, equation, bcs, guess, observable) -> str:
    return f"""# Specification: {title}

## Domain
geometry: {"interval" if len(coords) == 1 else "rectangle"}
coordinates:
{coords_block(coords)}
boundaries:
{boundaries}

## Equations
nondimensional: true
unknowns:
  {unknown}: {{depends_on: [{", ".join(coords)}]}}
parameters:
{params_block(params)}
equations:
  - {equation}

## Boundary Conditions
{bcs}

## Initial Conditions
initial: none
initial_guess: {{{unknown}: {guess}}}

## Observables
{observable}

## Tolerance
metric: absolute_error
threshold: 1.0e-4
reference: extrapolation
"""


def coords_block(coords: dict[str, tuple[float, float]]) -> str:
    return "\n".join(f"  {x}: {{range: [{a!r}, {b!r}]}}" for x, (a, b) in coords.items())


def params_block(params: dict[str, float]) -> str:
    return "\n".join(f"  {k}: {v!r}" for k, v in params.items())


def _interval(length: float) -> tuple[dict, str]:
    return {"x": (0.0, length)}, f"  left: x = 0\n  right: x = {length!r}"


def _dirichlet(*sides: str) -> str:
    return "\n".join(f"{s}: {{type: dirichlet, value: 0}}" for s in sides)


def bvp_1d(title, length, params, equation, guess="0", neumann=False, unknown="u") -> str:
    coords, boundaries = _interval(length)
    kind = "neumann" if neumann else "dirichlet"
    bcs = f"left: {{type: {kind}, value: 0}}\nright: {{type: {kind}, value: 0}}"
    obs = f'{unknown}_mid: {{definition: "{unknown}(x={length / 2!r})"}}'
    return _bvp(title, coords, boundaries, unknown, params, equation, bcs, guess, obs)


def bvp_square(title, side, params, equation) -> str:
    coords = {"x": (0.0, side), "y": (0.0, side)}
    boundaries = f"  left: x = 0\n  right: x = {side!r}\n  bottom: y = 0\n  top: y = {side!r}"
    bcs = _dirichlet("left", "right", "bottom", "top")
    obs = f'u_c: {{definition: "u(x={side / 2!r}, y={side / 2!r})"}}'
    return _bvp(title, coords, boundaries, "u", params, equation, bcs, "0", obs)


def ode(title, names, params, rates, initial, horizon) -> str:
    unknowns = "\n".join(f"  {n}: {{depends_on: [t]}}" for n in names)
    eqs = "\n".join(f"  - diff({n}, t) = {r}" for n, r in zip(names, rates, strict=True))
    ics = "\n".join(f"{n}: {v!r}" for n, v in zip(names, initial, strict=True))
    return f"""# Specification: {title}

## Domain
geometry: point
time: {{range: [0, {horizon!r}]}}

## Equations
nondimensional: true
unknowns:
{unknowns}
parameters:
{params_block(params)}
equations:
{eqs}

## Boundary Conditions
boundaries: none

## Initial Conditions
{ics}

## Observables
{names[0]}_end: {{definition: "{names[0]}(t={horizon!r})"}}

## Tolerance
metric: absolute_error
threshold: 1.0e-6
reference: extrapolation

## Discretization
method: ode
integrator: rk4
"""


def _cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    # --- Bratu / Gelfand 1-D: D u'' + lam e^u = 0 on (0, L): fold at BRATU_1D D / L^2
    for length, d in (
        (1.0, 1.0),
        (2.0, 1.0),
        (0.5, 1.0),
        (PI, 1.0),
        (10.0, 1.0),
        (3.0, 1.0),
        (1.0, 0.5),
        (1.0, 4.0),
    ):
        fold = BRATU_1D * d / length**2
        eq = (
            f"{d!r}*diff(u, x, 2) + lam*exp(u) = 0"
            if d != 1.0
            else "diff(u, x, 2) + lam*exp(u) = 0"
        )
        add(
            Case(
                f"bratu_1d_L{length:g}_D{d:g}",
                bvp_1d(f"Bratu on (0, {length:g}), D = {d:g}", length, {"lam": 0.5 * fold}, eq),
                "lam",
                0.05 * fold,
                1.5 * fold,
                (("fold", fold),),
                "Bratu 1-D fold 3.513830719125161 (KNOWN_ANSWERS), x -> x / L, lam -> lam L^2 / D",
            )
        )
    # --- Bratu 2-D on squares: fold at BRATU_2D / side^2
    for side in (1.0, 2.0):
        fold = BRATU_2D / side**2
        add(
            Case(
                f"bratu_2d_side{side:g}",
                bvp_square(
                    f"Bratu on the square of side {side:g}",
                    side,
                    {"lam": 0.5 * fold},
                    "diff(u, x, 2) + diff(u, y, 2) + lam*exp(u) = 0",
                ),
                "lam",
                0.05 * fold,
                1.5 * fold,
                (("fold", fold),),
                "Bratu 2-D fold 6.808124423 (Boyd 1986; Chan & Keller 1982), scaled by 1 / side^2",
            )
        )
    # --- Chafee-Infante D u'' + lam (u - u^3) = 0, Dirichlet: pitchforks at D (k pi / L)^2
    for length, d in ((PI, 1.0), (1.0, 1.0), (2.0, 1.0), (PI, 2.0)):
        ks = [d * (k * PI / length) ** 2 for k in (1, 2, 3)]
        coef = "" if d == 1.0 else f"{d!r}*"
        add(
            Case(
                f"chafee_infante_L{length:.3g}_D{d:g}",
                bvp_1d(
                    f"Chafee-Infante on (0, {length:.4g}), D = {d:g}",
                    length,
                    {"lam": 0.5 * ks[0]},
                    f"{coef}diff(u, x, 2) + lam*(u - u**3) = 0",
                ),
                "lam",
                0.1 * ks[0],
                1.1 * ks[2],
                tuple(("branch_point", k) for k in ks),
                "pitchforks of u = 0 at lam = D k^2 pi^2 / L^2 (KNOWN_ANSWERS)",
            )
        )
    # --- Allen-Cahn with the parameter on the linear term only: u'' + lam u - u^3 = 0
    add(
        Case(
            "allen_cahn_linear_lam",
            bvp_1d(
                "Allen-Cahn, lam on the linear term",
                PI,
                {"lam": 0.5},
                "diff(u, x, 2) + lam*u - u**3 = 0",
            ),
            "lam",
            0.1,
            10.0,
            (("branch_point", 1.0), ("branch_point", 4.0), ("branch_point", 9.0)),
            "u = 0 loses stability where lam = k^2 (Dirichlet eigenvalues of -d2/dx2 on (0, pi))",
        )
    )
    # --- Fisher-KPP steady state: u'' + r u (1 - u) = 0, Dirichlet: transcritical at (k pi)^2
    add(
        Case(
            "fisher_steady_r",
            bvp_1d(
                "Fisher-KPP steady state on (0, 1)",
                1.0,
                {"r": 5.0},
                "diff(u, x, 2) + r*u*(1 - u) = 0",
            ),
            "r",
            0.5,
            45.0,
            (("branch_point", PI**2), ("branch_point", 4 * PI**2)),
            "J = d2/dx2 + r on u = 0: singular at r = k^2 pi^2",
        )
    )
    # --- Neumann Chafee-Infante: eigenvalues -k^2 of the Neumann Laplacian on (0, pi)
    add(
        Case(
            "chafee_infante_neumann",
            bvp_1d(
                "Chafee-Infante with insulated ends",
                PI,
                {"lam": 0.5},
                "diff(u, x, 2) + lam*(u - u**3) = 0",
                neumann=True,
            ),
            "lam",
            0.2,
            5.0,
            (("branch_point", 1.0), ("branch_point", 4.0)),
            "Neumann eigenvalues of -d2/dx2 on (0, pi): k^2, k = 1, 2 (k = 0 sits at lam = 0)",
        )
    )
    # --- Euler elastica EI y'' + P y sqrt(1 - y'^2) = 0: P_k = k^2 pi^2 EI / L^2
    for length, ei in ((1.0, 2.0), (2.0, 1.0)):
        loads = [k**2 * PI**2 * ei / length**2 for k in (1, 2)]
        add(
            Case(
                f"euler_elastica_L{length:g}_EI{ei:g}",
                bvp_1d(
                    f"Euler elastica, L = {length:g}, EI = {ei:g}",
                    length,
                    {"EI": ei, "P": 0.5 * loads[0]},
                    "EI*diff(y, x, 2) + P*y*sqrt(1 - diff(y, x)**2) = 0",
                    unknown="y",
                ),
                "P",
                0.1 * loads[0],
                1.1 * loads[1],
                tuple(("branch_point", p) for p in loads),
                "Euler loads P = k^2 pi^2 EI / L^2 (KNOWN_ANSWERS)",
            )
        )
    # --- ODE normal forms (shifted: the bifurcation at mu = c)
    for c in (1.0, -2.0):
        add(
            Case(
                f"saddle_node_c{c:g}",
                ode("Saddle-node", ["x"], {"mu": c + 0.25}, [f"(mu - {c!r}) - x**2"], [1.0], 40.0),
                "mu",
                c - 1.0,
                c + 1.0,
                (("fold", c),),
                "x' = (mu - c) - x^2: fold at mu = c",
            )
        )
        add(
            Case(
                f"pitchfork_c{c:g}",
                ode("Pitchfork", ["x"], {"mu": c + 0.25}, [f"(mu - {c!r})*x - x**3"], [1.0], 60.0),
                "mu",
                c - 1.0,
                c + 1.0,
                (("branch_point", c),),
                "x' = (mu - c) x - x^3: pitchfork at mu = c",
            )
        )
        add(
            Case(
                f"transcritical_c{c:g}",
                ode(
                    "Transcritical", ["x"], {"mu": c + 0.5}, [f"(mu - {c!r})*x - x**2"], [1.0], 60.0
                ),
                "mu",
                c - 1.0,
                c + 1.0,
                (("branch_point", c),),
                "x' = (mu - c) x - x^2: exchange of stability at c",
            )
        )
    add(
        Case(
            "subcritical_pitchfork",
            ode("Subcritical pitchfork", ["x"], {"mu": 0.5}, ["mu*x + x**3 - x**5"], [1.5], 60.0),
            "mu",
            -1.0,
            1.0,
            (("fold", -0.25), ("branch_point", 0.0)),
            "x' = mu x + x^3 - x^5: x^2 = (1 + sqrt(1 + 4 mu)) / 2 folds at mu = -1/4, "
            "the middle branch ends in the pitchfork at mu = 0",
        )
    )
    for h in (0.1, 0.5):
        fold = 3.0 * (h / 2.0) ** (2.0 / 3.0)
        add(
            Case(
                f"imperfect_pitchfork_h{h:g}",
                ode(
                    "Imperfect pitchfork",
                    ["x"],
                    {"mu": fold + 1.0},
                    [f"{h!r} + mu*x - x**3"],
                    [-1.5],
                    60.0,
                ),
                "mu",
                fold - 1.0,
                fold + 2.0,
                (("fold", fold),),
                "x' = h + mu x - x^3: the negative branch folds at mu = 3 (h/2)^(2/3)",
            )
        )
    add(
        Case(
            "cubic_folds",
            ode("S-shaped cubic", ["x"], {"mu": 0.0}, ["mu + x - x**3"], [1.5], 40.0),
            "mu",
            -1.0,
            1.0,
            (("fold", -2.0 / (3.0 * math.sqrt(3.0))), ("fold", 2.0 / (3.0 * math.sqrt(3.0)))),
            "x' = mu + x - x^3: folds at x = +-1/sqrt(3), mu = -+2 / (3 sqrt 3)",
        )
    )
    for c, omega in ((1.0, 1.0), (2.0, 3.0)):
        add(
            Case(
                f"hopf_normal_form_c{c:g}_w{omega:g}",
                ode(
                    "Hopf normal form",
                    ["x", "y"],
                    {"mu": c - 0.5},
                    [
                        f"(mu - {c!r})*x - {omega!r}*y - x*(x**2 + y**2)",
                        f"{omega!r}*x + (mu - {c!r})*y - y*(x**2 + y**2)",
                    ],
                    [0.3, 0.0],
                    40.0,
                ),
                "mu",
                c - 1.0,
                c + 1.0,
                (("hopf", c),),
                "linear part (mu - c) +- i omega: Hopf at mu = c",
            )
        )
    for a in (1.0, 1.5, 2.0):
        hopf = 1.0 + a * a
        add(
            Case(
                f"brusselator_a{a:g}",
                ode(
                    "Brusselator",
                    ["x", "y"],
                    {"a": a, "b": 0.7 * hopf},
                    ["a - (b + 1)*x + x**2*y", "b*x - x**2*y"],
                    [a + 0.1, 0.7 * hopf / a],
                    80.0,
                ),
                "b",
                0.5 * hopf,
                1.3 * hopf,
                (("hopf", hopf),),
                "Brusselator: Hopf at b = 1 + a^2 (KNOWN_ANSWERS)",
            )
        )
    lorenz = ["sigma*(y - x)", "x*(rho - z) - y", "x*y - beta*z"]
    add(
        Case(
            "lorenz_origin",
            ode(
                "Lorenz near the origin",
                ["x", "y", "z"],
                {"sigma": 10.0, "rho": 0.5, "beta": 8.0 / 3.0},
                lorenz,
                [0.1, 0.1, 0.1],
                20.0,
            ),
            "rho",
            0.1,
            1.5,
            (("branch_point", 1.0),),
            "Lorenz: pitchfork of 0 at rho = 1",
        )
    )
    for sigma, beta, start in ((10.0, 8.0 / 3.0, 15.0), (16.0, 4.0, 20.0)):
        rho_h = sigma * (sigma + beta + 3.0) / (sigma - beta - 1.0)
        add(
            Case(
                f"lorenz_hopf_s{sigma:g}",
                ode(
                    "Lorenz, convecting",
                    ["x", "y", "z"],
                    {"sigma": sigma, "rho": start, "beta": beta},
                    lorenz,
                    [math.sqrt(beta * (start - 1)) + 0.5, math.sqrt(beta * (start - 1)), start - 1],
                    30.0,
                ),
                "rho",
                start - 5.0,
                rho_h + 5.0,
                (("hopf", rho_h),),
                "Lorenz: Hopf of C+- at rho = sigma (sigma + beta + 3) / (sigma - beta - 1)",
            )
        )
    add(
        Case(
            "van_der_pol_origin",
            ode(
                "Van der Pol near the origin",
                ["x", "y"],
                {"mu": -0.5},
                ["y", "mu*(1 - x**2)*y - x"],
                [0.2, 0.0],
                60.0,
            ),
            "mu",
            -1.0,
            0.5,
            (("hopf", 0.0),),
            "origin: eigenvalues mu/2 +- i sqrt(1 - mu^2/4): Hopf at mu = 0",
        )
    )
    add(
        Case(
            "lotka_volterra_logistic",
            ode(
                "Predator-prey with logistic prey",
                ["x", "y"],
                {"d": 1.5},
                ["x*(1 - x) - x*y", "y*(x - d)"],
                [0.5, 0.1],
                60.0,
            ),
            "d",
            0.5,
            2.0,
            (("branch_point", 1.0),),
            "(1, 0) and (d, 1 - d) exchange stability at d = 1",
        )
    )
    add(
        Case(
            "sir_endemic",
            ode(
                "SIR with births",
                ["S", "I"],
                {"beta": 0.4, "g": 0.5, "m": 0.1},
                ["m - beta*S*I - m*S", "beta*S*I - (g + m)*I"],
                [0.9, 0.1],
                200.0,
            ),
            "beta",
            0.2,
            1.0,
            (("branch_point", 0.6),),
            "disease-free (1, 0) unstable for beta > g + m",
        )
    )
    return out


CASES: tuple[Case, ...] = tuple(_cases())
