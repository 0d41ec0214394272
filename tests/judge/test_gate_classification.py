"""Gate 4: the family is read from the equation structure, not from words."""

from __future__ import annotations

import pytest

from simlab.judge import Status
from simlab.judge.classify import FAMILIES, SOLVERS
from tests.judge.builders import advection, heat, ode, run, square


def family(text: str) -> str | None:
    report = run(text)
    return report.classification.family if report.classification else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (heat(), "parabolic"),
        (
            heat(
                equation="diff(u, t) = kappa*diff(u, x, 2) + r*u*(1 - u/u0)",
                extra_params="  r: 1 1/s\n",
            ),
            "parabolic",
        ),
        (square(), "elliptic"),
        (square(equation="laplacian(u) = -f"), "elliptic"),
        (square(equation="-laplacian(u) = exp(u)", f="0"), "nonlinear_stationary"),
        (square(equation="diff(u, x, 2) - diff(u, y, 2) = f"), "hyperbolic"),
        (advection(dt="0.001 s"), "hyperbolic"),
        (ode(["diff(y, t) = -k*y"], {"y": "1"}, {"k": "1 1/s"}), "ode"),
    ],
)
def test_family_from_structure(text: str, expected: str) -> None:
    assert family(text) == expected


def test_words_do_not_classify() -> None:
    # a title and unknown names that say "heat" and "wave", equations that say Poisson
    text = square().replace("# Specification: square test", "# Specification: Heat wave")
    assert family(text) == "elliptic"
    text = heat().replace("# Specification: heat test", "# Specification: Poisson problem")
    assert family(text) == "parabolic"


def test_eigenproblem_needs_the_eigenvalue_to_multiply_the_unknown() -> None:
    base = square(equation="-laplacian(u) = lam*u").replace(
        "definitions:", "eigenvalue: {symbol: lam}\ndefinitions:"
    )
    assert family(base) == "eigenproblem"
    wrong = base.replace("= lam*u", "= lam")
    report = run(wrong)
    v = report.verdict("classification")
    assert v.status == Status.FAIL and "does not multiply" in v.message


def test_inverse_problem_and_integral_transform() -> None:
    inverse = square(equation="radon(u) = radon(f)")
    assert family(inverse) == "inverse"
    transform = square(equation="u = integral(f*exp(-s**2), (s, 0, 1))")
    assert family(transform) == "integral_transform"


def test_stiffness_separates_ode_families() -> None:
    eqs = ["diff(y1, t) = -a*(y1 - y2)", "diff(y2, t) = -b*y2"]
    slow = ode(eqs, {"y1": "0", "y2": "1"}, {"a": "10 1/s", "b": "1 1/s"}, t_end=5)
    fast = ode(eqs, {"y1": "0", "y2": "1"}, {"a": "1.0e5 1/s", "b": "1 1/s"}, t_end=5)
    assert family(slow) == "ode"
    assert family(fast) == "ode_stiff"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            heat(equation="diff(u, t) = kappa*diff(u, x, 2)\n  - diff(u, x, 2) = 0"),
            "over-determined",
        ),
        (
            heat(
                equation="diff(u, t) = nu0/Re*diff(u, x, 2)",
                extra_params="  nu0: 1 m^2/s\n  Re: large\n",
            ),
            "no numeric value",
        ),
        (heat(equation="diff(u, t) = alpha*diff(u, x, 2)"), "not declared"),
        (
            heat()
            .replace("  x: {range: [0, 2], unit: m}\n", "")
            .replace("boundaries:\n  left: x = 0\n  right: x = 2\n", ""),
            "domain is missing",
        ),
    ],
)
def test_incomplete_statements_fail_s1(text: str, needle: str) -> None:
    v = run(text).verdict("classification")
    assert v.status == Status.FAIL and v.condition == "S1"
    assert any(needle in f.message for f in v.findings), [f.message for f in v.findings]


def test_every_family_names_a_solver() -> None:
    assert set(SOLVERS) == set(FAMILIES)
