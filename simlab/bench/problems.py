"""The benchmark's problems: each dev spec and the parameter points it is run at.

Every problem has its own point (``spec``) and at least two edited ones. The edits are the
neighbouring questions a user asks (another diffusivity, a longer run, a wider box, a second
initial mode that breaks a symmetry, a parameter written in another unit); each keeps a
trusted reference: the spec's analytic expression where it still holds, a closed form
evaluated at the new point (Bratu), or ``extrapolation`` when only a computed reference
exists (then the bench computes it with a built-in solver, never with a variant).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from scipy.optimize import brentq

from simlab.bench.points import Point
from simlab.paths import SPECS_DIR
from simlab.spec.model import Spec
from simlab.spec.parse import parse_file


@dataclass(frozen=True)
class Problem:
    """A dev spec and its parameter points (the first is the spec's own)."""

    name: str
    spec_file: str
    points: tuple[Point, ...]
    tighten: float = 10.0
    """Computed references are certified to the tolerance divided by this."""
    quick: tuple[str, ...] = ()
    """Bug modules the ``--quick`` subset runs (cheap, wrong at the spec's own point)."""

    @property
    def path(self) -> Path:
        return SPECS_DIR / "dev" / self.spec_file

    def spec(self, point: Point) -> Spec:
        return point.apply(_parsed(str(self.path)))


@cache
def _parsed(path: str) -> Spec:
    return parse_file(path)


def bratu_midpoint(lam: float) -> float:
    """``u(1/2)`` on the lower Bratu branch: ``2 ln cosh(theta/4)``, theta the lower root of
    ``theta = sqrt(2 lam) cosh(theta/4)`` (KNOWN_ANSWERS: Bratu 1D)."""

    def gap(theta: float) -> float:
        return theta - math.sqrt(2.0 * lam) * math.cosh(theta / 4.0)

    theta = brentq(gap, 0.0, 4.7987, xtol=1e-15, rtol=1e-15)  # 4.7987: the fold's theta
    return 2.0 * math.log(math.cosh(theta / 4.0))


SPEC = Point("spec")
HEAT_TWO_MODES = (
    "u0*exp(-kappa*pi**2*t/L**2)*sin(pi*x/L) + u1*exp(-4*kappa*pi**2*t/L**2)*sin(2*pi*x/L)"
)
ROBERTSON_COMPUTED = {name: ("extrapolation", None) for name in ("y1_end", "y2_end", "y3_end")}


def _problems() -> tuple[Problem, ...]:
    return (
        Problem(
            "heat_1d",
            "heat_1d.md",
            (
                SPEC,
                Point(
                    "kappa_cgs",
                    parameters={"kappa": "2000 cm^2/s"},
                    time=(0.0, 1.0),
                    observables={"u_mid": "u(t=1.0, x=1)"},
                ),
                Point(
                    "two_modes",
                    parameters={"u1": "0.5 K"},
                    initial={"u": "u0*sin(pi*x/L) + u1*sin(2*pi*x/L)"},
                    observables={"u_mid": "u(t=0.5, x=0.5)"},
                    references={"u_mid": ("analytic", HEAT_TWO_MODES)},
                ),
            ),
        ),
        Problem(
            "heat_2d",
            "heat_2d.md",
            (
                SPEC,
                Point(
                    "slow",
                    parameters={"kappa": 0.05},
                    time=(0.0, 0.8),
                    observables={"u_center": "u(t=0.8, x=0.5, y=0.5)"},
                ),
                Point(
                    "asymmetric",
                    initial={"u": "sin(pi*x)*sin(2*pi*y)"},
                    observables={"u_center": "u(t=0.5, x=0.5, y=0.25)"},
                    references={
                        "u_center": ("analytic", "exp(-5*kappa*pi**2*t)*sin(pi*x)*sin(2*pi*y)")
                    },
                ),
            ),
        ),
        Problem(
            "poisson_2d",
            "poisson_2d.md",
            (
                SPEC,
                Point(
                    "mode_12",
                    definitions={"f": "5*pi**2*sin(pi*x)*sin(2*pi*y)"},
                    observables={
                        "u_center": "u(x=0.5, y=0.25)",
                        "u_off_center": "u(x=0.25, y=0.25)",
                    },
                    references={
                        "u_center": ("analytic", "sin(pi*x)*sin(2*pi*y)"),
                        "u_off_center": ("analytic", "sin(pi*x)*sin(2*pi*y)"),
                    },
                ),
                Point(
                    "wide",
                    coordinates={"x": (0.0, 2.0)},
                    boundaries={"right": "x = 2"},
                    observables={
                        "u_center": "u(x=0.5, y=0.5)",
                        "u_off_center": "u(x=1.5, y=0.25)",
                    },
                ),
            ),
        ),
        Problem(
            "wave_1d",
            "wave_1d.md",
            (
                SPEC,
                Point(
                    "fast",
                    parameters={"c": "2 m/s"},
                    time=(0.0, 0.4),
                    observables={"u_mid": "u(t=0.4, x=0.5)"},
                ),
                Point(
                    "slow_cgs",
                    parameters={"c": "50 cm/s", "A": "2 mm"},
                    time=(0.0, 0.7),
                    observables={"u_mid": "u(t=0.7, x=0.3)"},
                ),
            ),
        ),
        Problem(
            "advection_1d",
            "advection_1d.md",
            (
                SPEC,
                Point(
                    "slow",
                    parameters={"a": "0.5 m/s"},
                    observables={"u_probe": "u(t=0.5, x=0.5)"},
                ),
                Point("leftward_cgs", parameters={"a": "-100 cm/s"}),
            ),
        ),
        Problem(
            "fisher_kpp",
            "fisher_kpp.md",
            (
                SPEC,
                Point("fast_growth", parameters={"r": "2 1/s", "D": "0.5 m^2/s", "w": "0.5 m"}),
                Point("slow_cgs", parameters={"r": "0.5 1/s", "D": "20000 cm^2/s"}),
            ),
        ),
        Problem(
            "robertson",
            "robertson.md",
            (
                SPEC,
                Point(
                    "long",
                    time=(0.0, 400.0),
                    observables={
                        "y1_end": "y1(t=400)",
                        "y2_end": "y2(t=400)",
                        "y3_end": "y3(t=400)",
                    },
                    references=ROBERTSON_COMPUTED,
                ),
                Point(
                    "fast_k1_hours",
                    parameters={"k1": "288 1/h", "k3": "2.0e4 1/s"},
                    references=ROBERTSON_COMPUTED,
                ),
            ),
        ),
        Problem(
            "seird",
            "seird.md",
            (
                SPEC,
                Point(
                    "slower",
                    parameters={"beta": "0.3 1/day"},
                    time=(0.0, 700.0),
                    observables={"final_deaths": "D(t=700)"},
                ),
                Point(
                    "deadly_hours",
                    parameters={"mu": "0.02 1/day", "sigma": "0.01 1/hour", "I0": "100 person"},
                ),
            ),
            tighten=1.0e4,  # RK4 is far more accurate than 1e-5: order studies need the digits
        ),
        Problem(
            "waveguide_te",
            "waveguide_te.md",
            _waveguide_points(),
        ),
        Problem(
            "waveguide_tm",
            "waveguide_tm.md",
            _waveguide_points(),
        ),
        Problem(
            "fresnel",
            "fresnel.md",
            (
                SPEC,
                Point("near", parameters={"z": "0.25 m"}),
                Point("red", parameters={"wavelength": "0.633 um", "a": "0.8 mm", "z": "100 cm"}),
            ),
        ),
        Problem(
            "bratu_1d",
            "bratu_1d.md",
            tuple(
                Point(
                    "spec" if lam == 1.0 else f"lam_{lam:g}",
                    parameters={} if lam == 1.0 else {"lam": lam},
                    references={}
                    if lam == 1.0
                    else {"u_mid": ("analytic", repr(bratu_midpoint(lam)))},
                )
                for lam in (1.0, 0.5, 2.5)
            ),
        ),
        Problem(
            "ct_shepp_logan",
            "ct_shepp_logan.md",
            (
                SPEC,
                Point("angles_90", parameters={"n_angles": 90}),
                Point("angles_60", parameters={"n_angles": 60}),
            ),
        ),
    )


def _waveguide_points() -> tuple[Point, ...]:
    return (
        SPEC,
        Point(
            "wide",
            parameters={"a": "30 mm", "b": "12 mm"},
            coordinates={"x": (0.0, 0.03), "y": (0.0, 0.012)},
            boundaries={"right": "x = 0.03", "top": "y = 0.012"},
        ),
        Point(
            "large_cm",
            parameters={"a": "4 cm", "b": "15 mm"},
            coordinates={"x": (0.0, 0.04), "y": (0.0, 0.015)},
            boundaries={"right": "x = 0.04", "top": "y = 0.015"},
        ),
    )


QUICK = {
    "heat_1d": "bug_cn_sign",
    "heat_2d": "bug_one_direction",
    "poisson_2d": "bug_source_sign",
    "wave_1d": "bug_output_mm",
    "advection_1d": "bug_cfl_above_one",
    "fisher_kpp": "bug_window_full_run",
    "robertson": "bug_explicit_euler_clipped",
    "seird": "bug_dropped_death_outflow",
    "waveguide_te": "bug_kc_not_squared",
    "waveguide_tm": "bug_mode_index",
    "fresnel": "bug_prefactor_dropped",
    "bratu_1d": "bug_upper_branch",
    "ct_shepp_logan": "bug_360_degrees",
}
"""The bug each problem runs in the ``--quick`` subset (wrong at the spec's own point)."""

PROBLEMS: tuple[Problem, ...] = tuple(
    replace(p, quick=(QUICK[p.name],)) if p.name in QUICK else p for p in _problems()
)


def problem(name: str) -> Problem:
    for p in PROBLEMS:
        if p.name == name:
            return p
    raise KeyError(name)
