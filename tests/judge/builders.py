"""Small spec.md texts for gate unit tests (parsed in memory with ``simlab.spec.parse``)."""

from __future__ import annotations

from simlab.judge import JudgeReport, judge
from simlab.spec import parse


def heat(
    *,
    kappa: str = "0.5 m^2/s",
    equation: str = "diff(u, t) = kappa*diff(u, x, 2)",
    bc: str = "left: {type: dirichlet, value: 0}\nright: {type: dirichlet, value: 0}",
    ic: str = "u: u0*sin(pi*x/L)",
    disc: str = "method: finite_difference\nscheme: crank_nicolson",
    threshold: str = "1.0e-4",
    extra_params: str = "",
) -> str:
    return f"""# Specification: heat test

## Domain
geometry: interval
coordinates:
  x: {{range: [0, 2], unit: m}}
time: {{range: [0, 0.5], unit: s}}
boundaries:
  left: x = 0
  right: x = 2

## Equations
unknowns:
  u: {{unit: K, depends_on: [t, x]}}
parameters:
  kappa: {kappa}
  L: 2 m
  u0: 1 K
{extra_params}equations:
  - {equation}

## Boundary Conditions
{bc}

## Initial Conditions
{ic}

## Observables
u_mid: {{definition: "u(t=0.5, x=1)", unit: K}}

## Tolerance
metric: relative_error
threshold: {threshold}
reference: extrapolation

## Discretization
{disc}
"""


def advection(
    *,
    a: str = "1 m/s",
    scheme: str = "upwind",
    dt: str | None = None,
    n: int = 100,
    bc: str = "left: {type: dirichlet, value: 0}",
    diffusion: str | None = None,
    cfl: float | None = None,
) -> str:
    eq = (
        "diff(u, t) + a*diff(u, x) = 0"
        if diffusion is None
        else ("diff(u, t) + a*diff(u, x) = D*diff(u, x, 2)")
    )
    d_line = f"  D: {diffusion}\n" if diffusion is not None else ""
    disc = f"method: finite_volume\nscheme: {scheme}\nresolution: {{n: {n}}}\n"
    if dt is not None:
        disc += f"dt: {dt}\n"
    if cfl is not None:
        disc += f"cfl: {cfl}\n"
    return f"""# Specification: advection test

## Domain
geometry: interval
coordinates:
  x: {{range: [0, 1], unit: m}}
time: {{range: [0, 0.5], unit: s}}
boundaries:
  left: x = 0
  right: x = 1

## Equations
unknowns:
  u: {{unit: kg/m^3, depends_on: [t, x]}}
parameters:
  a: {a}
  rho0: 1 kg/m^3
  L: 1 m
{d_line}equations:
  - {eq}

## Boundary Conditions
{bc}

## Initial Conditions
u: rho0*sin(pi*x/L)**2

## Observables
u_probe: {{definition: "u(t=0.5, x=0.8)", unit: kg/m^3}}

## Tolerance
metric: relative_error
threshold: 1.0e-2
reference: extrapolation

## Discretization
{disc}"""


def square(
    *,
    equation: str = "-laplacian(u) = f",
    f: str = "2*pi**2*sin(pi*x)*sin(pi*y)",
    bc: str | None = None,
    ic: str = "initial: none",
    threshold: str = "1.0e-4",
    params: str = "",
    extra: str = "",
) -> str:
    bc = bc or "\n".join(
        f"{s}: {{type: dirichlet, value: 0}}" for s in ("left", "right", "bottom", "top")
    )
    return f"""# Specification: square test

## Domain
geometry: rectangle
coordinates:
  x: {{range: [0, 1]}}
  y: {{range: [0, 1]}}
boundaries:
  left: x = 0
  right: x = 1
  bottom: y = 0
  top: y = 1

## Equations
nondimensional: true
unknowns:
  u: {{depends_on: [x, y]}}
{params}definitions:
  f: {f}
equations:
  - {equation}

## Boundary Conditions
{bc}

## Initial Conditions
{ic}

## Observables
u_center: {{definition: "u(x=0.5, y=0.5)"}}

## Tolerance
metric: relative_error
threshold: {threshold}
reference: extrapolation
{extra}"""


def neumann(value: str = "0") -> str:
    return "\n".join(
        f"{s}: {{type: neumann, value: {value}}}" for s in ("left", "right", "bottom", "top")
    )


def ode(
    equations: list[str],
    unknowns: dict[str, str],
    params: dict[str, str],
    *,
    t_end: float = 10.0,
    integrator: str = "radau",
    dt: str | None = None,
    threshold: str = "1.0e-3",
) -> str:
    u_lines = "\n".join(f"  {k}: {{unit: 1, depends_on: [t]}}" for k in unknowns)
    p_lines = "\n".join(f"  {k}: {v}" for k, v in params.items())
    ic_lines = "\n".join(f"{k}: {v}" for k, v in unknowns.items())
    eq_lines = "\n".join(f"  - {e}" for e in equations)
    first = next(iter(unknowns))
    disc = f"method: ode\nintegrator: {integrator}\n" + (f"dt: {dt}\n" if dt else "")
    return f"""# Specification: ode test

## Domain
geometry: point
time: {{range: [0, {t_end}], unit: s}}

## Equations
unknowns:
{u_lines}
parameters:
{p_lines}
equations:
{eq_lines}

## Boundary Conditions
boundaries: none

## Initial Conditions
{ic_lines}

## Observables
end: {{definition: "{first}(t={t_end})", unit: 1}}

## Tolerance
metric: relative_error
threshold: {threshold}
reference: extrapolation

## Discretization
{disc}"""


def run(text: str) -> JudgeReport:
    return judge(parse(text, file="test.md"))


def gate(text: str, gate_id: str):
    return run(text).verdict(gate_id)
