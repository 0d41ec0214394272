"""Initial data written as expressions with units inside (issue 15, session 4): a cue, a noun
phrase, and an expression whose quantities are replaced by SI-checked parameters. The grammar
is tested by combining cues, expression forms and units; each draft's initial profile is
evaluated in SI at points and compared with the value the request means."""

from __future__ import annotations

import itertools
import math

import pytest

from simlab.judge import judge
from simlab.plan import OfflinePlanner, SpecDraft
from simlab.plan.nl_eval import initial_value
from simlab.spec.units import to_base

CUES = (
    "initially u = {e}",
    "initialy T = {e}",
    "starts as {e}",
    "initial temperature profile {e}",
    "the initial temperature is {e}",
    "at t = 0, u = {e}",
    "u(x,0) = {e}",
)
EXPRESSIONS = (
    "{a} * sin(pi x/{l})",
    "{a}*sin(pi*x/{l})",
    "{a} times sin(pi x / {l})",
    "sin(pi x/{l}) * {a}",
)
#: (amplitude as written, its SI value, the rod as written, the length as written, L in m)
QUANTITIES = (
    ("5 K", 5.0, "a rod of 1 m", "1 m", 1.0),
    ("40 mK", 0.04, "a 30 cm rod", "30 cm", 0.3),
    ("2 mol/m^3", 2.0, "a 500 mm tube", "500 mm", 0.5),
)


def _draft(text: str):
    d = OfflinePlanner().draft(text)
    assert isinstance(d, SpecDraft), getattr(d, "question", d)
    return d.spec


def profile_at(spec, x_si: float, derivative: int = 0) -> float:
    """The spec's initial profile at ``x_si`` (m), in SI (the NL scorer's evaluation)."""
    assert spec.domain.coordinates[0].unit is not None, "these requests are dimensional"
    value = initial_value(spec, x_si, derivative)
    assert value is not None
    return value


@pytest.mark.parametrize(
    ("cue", "form", "q"), list(itertools.product(CUES, EXPRESSIONS, QUANTITIES))
)
def test_an_expression_with_units_is_the_initial_profile(cue, form, q) -> None:
    amplitude, a_si, rod, length, L = q
    profile = cue.format(e=form.format(a=amplitude, l=length))
    spec = _draft(f"diffusion in {rod}, D = 1e-5 m^2/s, ends held at 0, {profile}, for 60 s")
    assert profile_at(spec, L / 2) == pytest.approx(a_si, rel=1e-12)
    assert profile_at(spec, L / 4) == pytest.approx(a_si * math.sin(math.pi / 4), rel=1e-12)


def test_the_lead_guitar_string_is_read_and_judged() -> None:
    text = (
        "A 0.65 m guitar string, wave speed 400 m/s, fixed at both ends, plucked shape "
        "2 mm * sin(pi x/0.65 m), released from rest, for 0.01 s"
    )
    spec = _draft(text)
    assert profile_at(spec, 0.325) == pytest.approx(0.002)
    assert judge(spec).accepted


@pytest.mark.parametrize(
    ("words", "sigma_factor"),
    [
        ("with standard deviation 0.05 m", 1.0),
        ("with width 5 cm", 1.0),
        ("and a FWHM of 0.05 m", 1 / (2 * math.sqrt(2 * math.log(2)))),
    ],
)
def test_a_gaussian_bump_with_height_centre_and_width(words: str, sigma_factor: float) -> None:
    spec = _draft(
        "heat: bar of 0.5 m, kappa 1e-4 m^2/s, both ends at 0 K, the initial temperature is a "
        f"Gaussian bump of height 3 K centred at 0.25 m {words}, for 100 s"
    )
    sigma = 0.05 * sigma_factor
    assert profile_at(spec, 0.25) == pytest.approx(3.0)
    assert profile_at(spec, 0.25 + sigma) == pytest.approx(3.0 * math.exp(-0.5))
    assert judge(spec).accepted


def test_a_gaussian_without_its_width_is_asked_about() -> None:
    d = OfflinePlanner().draft(
        "heat in a rod of 1 m, kappa 1e-4 m^2/s, ends held at 0 K, initial temperature a "
        "Gaussian of height 2 K centred at 0.5 m, for 60 s"
    )
    assert not isinstance(d, SpecDraft)
    assert "initial condition" in d.missing


@pytest.mark.parametrize(
    ("start", "si"),
    [("starts at a uniform 290 K", 290.0), ("initially at 20 °C everywhere", 293.15)],
)
def test_a_uniform_start_with_its_unit(start: str, si: float) -> None:
    spec = _draft(f"heat: bar of 0.5 m, kappa 1e-4 m^2/s, insulated ends, {start}, for 100 s")
    assert profile_at(spec, 0.1) == pytest.approx(si)


def test_a_quantity_before_a_shape_word_is_not_a_uniform_start() -> None:
    spec = _draft(
        "heat: bar of 0.5 m, kappa 1e-4 m^2/s, both ends at 0 K, initial temperature 1 K "
        "half-sine, for 100 s"
    )
    assert profile_at(spec, 0.25) == pytest.approx(1.0)
    assert profile_at(spec, 0.125) == pytest.approx(math.sin(math.pi / 4))


def test_degrees_celsius_times_a_shape_are_a_difference_from_zero_celsius() -> None:
    spec = _draft(
        "heat: bar of 500 mm, kappa 1e-4 m^2/s, ends held at 0 °C, initial temperature "
        "30 °C * sin(pi x / 500 mm), for 2 minutes"
    )
    assert profile_at(spec, 0.25) == pytest.approx(273.15 + 30.0)
    assert profile_at(spec, 0.0) == pytest.approx(273.15)
    assert {c.value for c in spec.boundary.conditions} == {"u_ref"}
    assert judge(spec).accepted


@pytest.mark.parametrize(
    ("profile", "missing"),
    [
        ("initial temperature 2 K * sin(pi x / 1 s)", "initial condition"),  # sine of a time
        ("initial temperature 2 K + 3 m", "initial condition"),  # unlike units added
    ],
)
def test_an_inconsistent_profile_is_asked_about(profile: str, missing: str) -> None:
    d = OfflinePlanner().draft(
        f"heat in a rod of 1 m, kappa 1e-4 m^2/s, ends held at 0 K, {profile}, for 60 s"
    )
    assert not isinstance(d, SpecDraft)
    assert missing in d.missing


def test_a_profile_in_another_unit_than_the_boundary_values_is_asked_about() -> None:
    d = OfflinePlanner().draft(
        "heat in a rod of 1 m, kappa 1e-4 m^2/s, ends held at 10 K, initially 5 mm * "
        "sin(pi x / 1 m), for 60 s"
    )
    assert not isinstance(d, SpecDraft)


def test_an_initial_velocity_with_units_and_a_zero_displacement() -> None:
    spec = _draft(
        "a string of 2 m, wave speed 10 m/s, fixed ends, initial displacement 0, initial "
        "velocity 0.5 m/s * sin(pi x / 2 m), run 0.4 s"
    )
    assert profile_at(spec, 1.0, derivative=1) == pytest.approx(0.5)
    assert profile_at(spec, 1.0) == 0.0
    assert to_base(1.0, spec.equations.unknowns[0].unit) == pytest.approx(1.0)  # metres
    assert judge(spec).accepted


@pytest.mark.parametrize(
    "profile",
    [
        "initially 300 K for x < 0.5 m and 200 K elsewhere",  # a step, not a uniform start
        "initial temperature 20 K, and a bump of 5 K sin(pi x / 1 m)",
        "initial temperature 5 K * sin(pi x / 1 m) * exp(-t / 10 s)",  # time in a profile
    ],
)
def test_what_a_profile_cannot_hold_is_asked_about(profile: str) -> None:
    d = OfflinePlanner().draft(
        f"heat in a 1 m rod, kappa 1e-4 m^2/s, ends at 0 K, {profile}, run 60 s"
    )
    assert not isinstance(d, SpecDraft)
