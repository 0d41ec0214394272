"""The keyless planner reads numbers by their roles and equations as typed (issue 15)."""

from __future__ import annotations

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
