"""The keyless planner reads numbers by their roles and equations as typed (issue 15)."""

from __future__ import annotations

import math

import pytest

from simlab.plan.offline.equations import read_equations
from simlab.plan.offline.reading import Reading
from simlab.plan.offline.roles import read_observation, read_tolerance


@pytest.mark.parametrize(
    ("text", "value", "metric"),
    [
        ("report it to 1e-4 relative.", 1e-4, "relative_error"),
        ("run 100 s, rel tol 1e-3", 1e-3, "relative_error"),
        ("accurate to 1e-5.", 1e-5, "relative_error"),
        ("within 0.1 percent", 1e-3, "relative_error"),
        ("tolerance 1 %", 1e-2, "relative_error"),
        ("relative error below 2e-6", 2e-6, "relative_error"),
        ("with an absolute error of 1e-6 K", 1e-6, "absolute_error"),
        ("tolerance 1.0e-3 Pa", 1e-3, "absolute_error"),
        ("give u(0.5) to 1e-8.", 1e-8, "relative_error"),
    ],
)
def test_tolerance_phrasings(text: str, value: float, metric: str) -> None:
    found = read_tolerance(Reading.of(text))
    assert found is not None
    assert found.threshold == pytest.approx(value)
    assert found.metric == metric


@pytest.mark.parametrize("text", ["integrate to t = 3", "a 2 m rod for 5 s", "run 60 s"])
def test_no_tolerance_where_none_is_written(text: str) -> None:
    assert read_tolerance(Reading.of(text)) is None


@pytest.mark.parametrize(
    ("text", "x", "t"),
    [
        ("Report u at x = 0.5 after 60 s.", 0.5, 60.0),
        ("Need u(0.5, 1) within 0.1 percent.", 0.5, 1.0),
        ("what is the value at x = 2 m at t = 3 s?", 2.0, 3.0),
        ("give y(3) to 1e-7", None, 3.0),
    ],
)
def test_observation_point_and_time(text: str, x: float | None, t: float | None) -> None:
    obs = read_observation(Reading.of(text), ("u", "y"))
    assert (obs.x, obs.t) == (x, t)


def test_an_initial_value_is_not_an_observation() -> None:
    obs = read_observation(Reading.of("y(0) = 1 and y'(0) = 0"), ("y",))
    assert obs.t is None


@pytest.mark.parametrize(
    ("text", "equation"),
    [
        ("Solve u_t + 3 u_x = 0 on [0, 1]", "diff(u, t) + 3*diff(u, x) = 0"),
        ("u_t = 0.02 u_xx - 0.5 u on 0 <= x <= 1", "diff(u, t) = 0.02*diff(u, x, 2) - 0.5*u"),
        ("y'' + 4 y = 0, y(0) = 1, y'(0) = 0, to t = 3", "diff(y, t, 2) + 4*y = 0"),
        ("Exponential decay dN/dt = -N/tau with tau = 5 s", "diff(N, t) = -N/tau"),
        ("Logistic growth y' = 0.3 y (1 - y), y(0) = 0.1, to t = 20", "diff(y, t) = 0.3*y*(1 - y)"),
        ("-u'' = 2 on [0, 1], u(0) = 0, u(1) = 0", "-diff(u, x, 2) = 2"),
        ("Bratu u'' + lambda e^u = 0, u(0) = u(1) = 0", "diff(u, x, 2) + lam*exp(u) = 0"),
        ("x'' + 0.2 x' + x = 0, x(0) = 1", "diff(x, t, 2) + 0.2*diff(x, t) + x = 0"),
        ("u_tt = 4 u_xx on [0, 1]", "diff(u, t, 2) = 4*diff(u, x, 2)"),
    ],
)
def test_typed_equations(text: str, equation: str) -> None:
    found = read_equations(text)
    assert [e.text for e in found] == [equation]


def test_no_equation_in_plain_prose() -> None:
    assert read_equations("Heat conduction in a 2 m rod held at 0 K for 5 s.") == []


# ------------------------------------------- amplitude with a unit; x counted in the domain's unit

ROD = "Heat equation in a 1 m rod, kappa = 1e-3 m^2/s, ends held at 0 K, {ic}, for 60 s."


@pytest.mark.parametrize(
    "ic, amplitude, unit",
    [
        ("initial temperature 5 K times sin(pi x / L)", 5.0, "K"),
        ("initial temperature 5 K * sin(pi x / L)", 5.0, "K"),
        ("initially u = 2 mK sin(pi x/L)", 2.0, "mK"),
        ("initial u = sin(pi x/L) times 20 K", 20.0, "K"),
        ("u(x, 0) = sin(pi x / L) K", 1.0, "K"),
    ],
)
def test_an_amplitude_with_a_unit_times_a_shape(ic: str, amplitude: float, unit: str) -> None:
    """The amplitude is a parameter with its unit, the profile is that amplitude times the
    shape, and the field carries the amplitude's unit."""
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(ROD.format(ic=ic))
    assert draft.kind == "spec", draft
    u0 = draft.spec.equations.parameter("u0")
    assert (u0.value, u0.unit) == (amplitude, unit)
    assert _same(draft.spec.initial.conditions[0].value, "u0*sin(pi*x/L)")
    assert draft.spec.equations.unknowns[0].unit == unit


@pytest.mark.parametrize(
    "request_text, profile",
    [
        (
            "Diffusion on [0, 3] m with kappa = 0.2 m^2/s, u = 0 at both ends, "
            "u(x, 0) = sin(pi x / 3) K, until t = 4 s",
            "u0*sin(pi*(x/length_unit)/3)",
        ),
        (
            "Advect u(x, 0) = exp(-100 (x - 0.5)^2) at 2 m/s on a 1 m periodic domain for 1 s",
            "exp(-100*((x/length_unit) - 0.5)**2)",
        ),
    ],
)
def test_x_in_a_typed_profile_counts_the_domain_unit(request_text: str, profile: str) -> None:
    """The domain is in metres and the profile takes sin/exp of the number x: x is read as
    x/length_unit with length_unit = 1 m (said in the description), never as the sine of a
    length."""
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(request_text)
    assert draft.kind == "spec", draft
    length_unit = draft.spec.equations.parameter("length_unit")
    assert (length_unit.value, length_unit.unit) == (1.0, "m")
    assert draft.spec.initial.conditions[0].value == profile
    assert "length_unit = 1 m" in draft.spec.description


def test_a_profile_mixing_a_length_and_a_bare_x_is_asked_about() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "Heat in a 2 m rod, kappa = 1e-3 m^2/s, ends held at 0 K, "
        "u(x, 0) = sin(pi x / L) exp(-x) K, for 10 s"
    )
    assert draft.kind == "question" and "dimensionless formula" in draft.missing


def test_one_end_stated_is_not_read_for_both() -> None:
    """'left end at 0 K' says nothing about the right end: asked, not assumed."""
    from simlab.plan.offline import OfflinePlanner

    base = "a rod, 1 m, kappa 1e-4 m^2/s, left end at 0 K, {}for 60 s, initial sine 1 K"
    asked = OfflinePlanner().draft(base.format(""))
    assert asked.kind == "question" and asked.missing == ("boundary conditions",)
    drafted = OfflinePlanner().draft(base.format("right end insulated, "))
    kinds = [(c.type, c.value) for c in drafted.spec.boundary.conditions]
    assert kinds == [("dirichlet", "0"), ("neumann", "0")]


def test_an_initial_velocity_keeps_its_unit() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "string 2 m, c 5 m/s, fixed ends, u(x,0) = 3 mm sin(pi x/L), u_t(x,0) = 1 m/s, 1 s"
    )
    v0 = draft.spec.equations.parameter("v0")
    assert (v0.value, v0.unit) == (1.0, "m/s")
    assert _same(draft.spec.initial.of("u", 1).value, "v0")


def test_a_polynomial_profile_counts_x_in_the_domain_unit() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "heat, 1 m rod, kappa 1e-4 m^2/s, ends at 0 K, initially 2 K times x (1 - x), for 10 s"
    )
    assert _same(
        draft.spec.initial.conditions[0].value, "u0*((x/length_unit)*(1 - (x/length_unit)))"
    )


def test_an_initial_value_with_a_unit_is_not_read_as_a_parameter() -> None:
    """'x(0) = 0.1 m' with a mass named m: 0.1 metres, not 0.1 times the mass."""
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "harmonic oscillator m x'' + k x = 0 with m = 1 kg, k = 4 N/m, x(0) = 0.1 m, "
        "x'(0) = 0 m/s, until t = 3 s"
    )
    assert [c.value for c in draft.spec.initial.conditions] == ["0.1", "0"]
    assert draft.spec.equations.unknowns[0].unit == "m"


def test_a_plate_profile_with_an_amplitude_and_metres() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "Heat in a 2 m by 1 m plate, kappa = 1e-4 m^2/s, edges at 0 K, initial 10 K times "
        "sin(pi x/2) sin(pi y), 1000 s"
    )
    u0 = draft.spec.equations.parameter("u0")
    assert (u0.value, u0.unit) == (10.0, "K") and draft.spec.equations.unknowns[0].unit == "K"
    assert draft.spec.initial.conditions[0].value == (
        "u0*sin(pi*(x/length_unit)/2)*sin(pi*(y/length_unit))"
    )


@pytest.mark.parametrize("written, value", [("t = pi", math.pi), ("t = 2 pi", 2 * math.pi)])
def test_a_final_time_written_with_pi(written: str, value: float) -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(f"x'' + x = 0, x(0) = 1, x'(0) = 0, until {written}")
    assert draft.spec.domain.time.upper == pytest.approx(value, rel=1e-15)


def test_t_equals_zero_is_the_initial_instant_not_the_final_time() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "SEIRD for 300000 people, 100 infected at t=0, beta 0.45 1/day, sigma 0.2 1/day, "
        "gamma 0.14 1/day, mu 0.003 1/day, 250 days"
    )
    assert (draft.spec.domain.time.upper, draft.spec.domain.time.unit) == (250.0, "days")


def test_one_unit_shared_by_several_numbers() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "Robertson, k1=0.04, k2=3e7, k3=1e4 (all 1/s), initial (1,0,0), integrate to 1e5 s"
    )
    rates = [(p.name, p.value, p.unit) for p in draft.spec.equations.parameters]
    assert rates == [("k1", 0.04, "1/s"), ("k2", 3e7, "1/s"), ("k3", 1e4, "1/s")]


def test_an_amplitude_before_the_shape_word() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "diffusion in a 5 cm slab, D = 0.1 mm^2/s, faces held at 0 K, initial 1 K half-sine, 30 min"
    )
    u0 = draft.spec.equations.parameter("u0")
    assert (u0.value, u0.unit) == (1.0, "K")


def test_a_rate_written_with_a_day_is_per_day_not_one_day() -> None:
    """'0.4 a day' is a rate; only 'for a day' counts one day."""
    from simlab.plan.offline import OfflinePlanner
    from simlab.plan.offline.text import normalize

    assert normalize("beta 0.3 a day, for an hour") == "beta 0.3 per day, for 1 hour"
    draft = OfflinePlanner().draft(
        "SEIR-D: N = 10000 people, 5 infected, beta 0.4 a day, sigma 0.2 a day, gamma 0.1 a "
        "day, mu 0.01 a day, for 200 days"
    )
    assert draft.spec.equations.parameter("beta").unit == "1/day"
    assert draft.spec.domain.time.upper == 200


@pytest.mark.parametrize(
    "span, upper, unit",
    [
        ("t from 0 to 60 s", 60.0, "s"),
        ("from t = 0 to t = 2 min", 2.0, "min"),
        ("t in [0, 60] s", 60.0, "s"),
    ],
)
def test_a_time_interval_is_the_final_time_not_the_domain(span, upper, unit) -> None:
    """'t in [0, 60] s' is a time interval: never read as the rod (a wrong-spec risk)."""
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        f"heat conduction in a 1 m rod, kappa 1e-4 m^2/s, ends at 0 K, initial sine 2 K, {span}"
    )
    assert (draft.spec.domain.time.upper, draft.spec.domain.time.unit) == (upper, unit)
    assert draft.spec.domain.coordinates[0].upper == 1.0


def test_both_ends_in_one_clause_joined_by_and() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "rod 1 m, kappa 1e-4 m^2/s, left end at 0 K and right end at 10 K, initial sine 2 K, 60 s"
    )
    kinds = [(c.type, c.value) for c in draft.spec.boundary.conditions]
    assert kinds == [("dirichlet", "0"), ("dirichlet", "u_right")]
    assert draft.spec.equations.parameter("u_right").value == 10.0


def test_an_observation_time_after_the_field_name_is_read_in_the_time_unit() -> None:
    """'y at t = 30 s' with t up to 2 min: observed at 0.5 min, not dropped for the end."""
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft("y' = -y, y(0) = 1, until t = 2 min, y at t = 30 s")
    assert [o.definition for o in draft.spec.observables] == ["y(t=0.5)"]


def test_a_time_no_reader_places_is_asked_not_dropped() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft("y' = -y, y(0) = 1, until t = 2, and t = 7 is nice")
    assert draft.kind == "question" and draft.missing == ("meaning of t = 7",)


def test_a_place_no_reader_placed_is_asked_in_the_family_templates() -> None:
    from simlab.plan.offline import OfflinePlanner

    draft = OfflinePlanner().draft(
        "heat in a 1 m rod, kappa 1e-4 m^2/s, ends at 0 K, initial sine of 2 K, for 60 s, "
        "x = 0.3 is where I look"
    )
    assert draft.kind == "question" and draft.missing == ("meaning of x = 0.3",)


def test_a_time_to_look_at_is_neither_the_final_time_nor_a_time_step() -> None:
    """'..., 50 s, front position at t = 20 s': T was read as 20 s and 50 s as the optional
    time step (by its unit alone). Now the time step needs its name and 't = 20' is asked."""
    from simlab.plan.offline import OfflinePlanner

    base = (
        "Fisher-KPP, D = 1 m^2/s, r = 1 1/s, 100 m domain, no-flux ends, front at x0 = 10 m "
        "of width 1 m, 50 s"
    )
    assert OfflinePlanner().draft(base + ", front position at t = 20 s").missing == (
        "meaning of t = 20",
    )
    spec = OfflinePlanner().draft(base).spec
    assert spec.domain.time.upper == 50.0 and spec.discretization.dt is None


def _same(a: str, b: str) -> bool:
    """The same formula up to how it is written (sympy)."""
    import sympy

    return sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0
