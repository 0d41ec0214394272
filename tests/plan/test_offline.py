"""The offline drafter: dev problems from plain words, no invented values, questions."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from simlab.errors import PlanError
from simlab.plan import ClarifyingQuestion, RejectionFeedback, SpecDraft
from simlab.plan.nl_eval import load_nl_set
from simlab.plan.offline import OfflinePlanner
from simlab.plan.offline.closed_form import bratu_midpoint
from simlab.plan.offline.text import mentions, normalize, user_formula
from simlab.spec.expressions import Namespace
from simlab.spec.units import to_base
from simlab.spec.validate import validate
from tests.plan.dev_requests import DEV_REQUESTS, dev_spec, differences

PLANNER = OfflinePlanner()


def draft(text: str):
    return PLANNER.draft(text)


@pytest.mark.parametrize("key", sorted(DEV_REQUESTS))
def test_plain_description_gives_the_dev_spec(key: str) -> None:
    d = draft(DEV_REQUESTS[key])
    assert isinstance(d, SpecDraft), getattr(d, "question", d)
    assert differences(d.spec, dev_spec(key)) == []
    report = validate(d.spec, d.text)
    assert report.valid and report.machine_checkable
    assert "offline" in d.note.lower() and "no language model" in d.spec.description


@pytest.mark.parametrize(
    ("length", "kappa", "t_end", "amp"), [(2, 0.5, 0.5, 1), (0.3, 1e-4, 60, 20), (5, 2.0, 0.1, 0.5)]
)
def test_heat_reference_is_the_closed_form_at_several_points(length, kappa, t_end, amp) -> None:
    d = draft(
        f"Heat in a {length} m rod with diffusivity {kappa} m^2/s, ends held at 0 K, initial "
        f"sine profile of amplitude {amp} K, for {t_end} s."
    )
    ref = d.spec.tolerance.reference_for("u_mid")
    assert ref.kind == "analytic"
    value = _evaluate(d.spec, ref.value, x=length / 2, t=t_end)
    assert math.isclose(
        value, amp * math.exp(-kappa * math.pi**2 * t_end / length**2), rel_tol=1e-12
    )
    assert d.spec.observables[0].definition == f"u(t={t_end:g}, x={length / 2:g})"


@pytest.mark.parametrize(("length", "c", "t_end"), [(1, 1, 0.3), (0.65, 400, 0.01), (2, 3, 0.7)])
def test_wave_reference_at_several_points(length, c, t_end) -> None:
    d = draft(
        f"A string of length {length} m, wave speed {c} m/s, fixed ends, plucked into a sine of "
        f"amplitude 2 mm, released from rest, for {t_end} s."
    )
    value = _evaluate(d.spec, d.spec.tolerance.reference_for("u_mid").value, x=length / 2, t=t_end)
    assert math.isclose(
        value, 2 * math.cos(c * math.pi * t_end / length), rel_tol=1e-12, abs_tol=1e-14
    )


def test_non_mode_initial_data_gets_extrapolation_not_a_guessed_formula() -> None:
    d = draft(
        "Diffusion on the interval [0, 1] with diffusivity 0.01, u = 0 at both ends, initial "
        "condition u(x, 0) = x*(1 - x), up to t = 2."
    )
    assert d.spec.tolerance.reference_for("u_mid").kind == "extrapolation"
    insulated = draft(
        "A 3 m long copper bar, kappa = 1.1e-4 m²/s, insulated at both ends, starts from "
        "u(x, 0) = cos(pi x / L). Run until 600 s."
    )
    assert insulated.spec.tolerance.reference_for("u_probe").kind == "extrapolation"
    # cos(pi x/L) vanishes at the midpoint for all time: the observable moves off the node
    assert insulated.spec.observables[0].definition == "u(t=600, x=0.75)"


@pytest.mark.parametrize("lam", [0.5, 1.0, 2.0, 3.5])
def test_bratu_reference_solves_the_closed_form(lam: float) -> None:
    d = draft(f"Solve the 1D Bratu equation with lam = {lam}.")
    u_mid = float(d.spec.tolerance.reference_for("u_mid").value)
    theta = 4 * math.acosh(math.exp(u_mid / 2))
    assert math.isclose(theta, math.sqrt(2 * lam) * math.cosh(theta / 4), rel_tol=1e-13)
    assert theta < 4.798714560  # the lower branch


def test_bratu_known_value_and_no_solution_above_the_fold() -> None:
    assert math.isclose(bratu_midpoint(1.0), 0.140539214400471798, rel_tol=1e-14)
    assert bratu_midpoint(3.6) is None
    d = draft("Solve the Bratu problem with lambda = 3.6.")
    assert d.spec.tolerance.reference_for("u_mid").kind == "extrapolation"
    assert "no solution" in d.spec.description


def test_waveguide_modes_are_sorted_for_any_aspect_ratio() -> None:
    square = draft(
        "TE modes of a rectangular waveguide, 20 mm by 20 mm, the lowest three cutoff wavenumbers."
    )
    names = [o.name for o in square.spec.observables]
    assert names == ["kc2_TE01", "kc2_TE10", "kc2_TE11"]  # TE01 and TE10 are degenerate
    tall = draft(
        "TM modes of a rectangular waveguide, 10 mm by 30 mm: the lowest two cutoff wavenumbers."
    )
    assert [o.name for o in tall.spec.observables] == ["kc2_TM11", "kc2_TM12"]


# ---------------------------------------------------------------- honesty


def _request_values(text: str) -> list[float]:
    out = []
    for m in mentions(normalize(text)):
        unit = "person" if m.unit in ("people", "persons") else m.unit
        for value in (m.value, m.value / 100):
            try:
                out.append(to_base(value, unit if unit != "percent" else None))
            except Exception:
                out.append(value)
    return out


@pytest.mark.parametrize("case", load_nl_set()["complete"], ids=lambda c: c["request"][:40])
def test_no_parameter_value_is_invented(case) -> None:
    """Every number in a draft comes from the request, or is a default the request allowed or
    a choice, and then the description names it."""
    d = draft(case["request"])
    assert isinstance(d, SpecDraft)
    allowed = _request_values(case["request"])
    text = d.spec.description
    declared = "".join(part for part in text.split("Read from the request")[-1:])
    declared = (
        declared.split("Defaults used", 1)[-1]
        if "Defaults used" in declared
        else (
            declared.split("Chosen by the drafter", 1)[-1]
            if "Chosen by the drafter" in declared
            else ""
        )
    )
    for p in d.spec.equations.parameters:
        if not p.is_numeric:
            continue
        si = to_base(float(p.value), p.unit)
        from_request = any(math.isclose(si, v, rel_tol=1e-9) for v in allowed)
        derived_length = p.name == "L"  # the length of an interval the request gave as a range
        standard = p.name in ("a", "b") and "WR-" in d.spec.description
        named_default = f"{p.name} = " in declared
        assert from_request or derived_length or standard or named_default, (p, case["request"])


def test_defaults_only_when_the_request_allows_them() -> None:
    q = draft("Run the Robertson problem.")
    assert isinstance(q, ClarifyingQuestion)
    assert "standard values" in q.question
    d = draft("Run the standard Robertson problem.")
    assert isinstance(d, SpecDraft)
    assert (
        "Defaults used, as the request allowed: k1 = 0.04 1/s (rate constants)"
        in d.spec.description
    )


@pytest.mark.parametrize(
    ("request_text", "items"),
    [
        ("solve the wave equation", ["domain", "boundary conditions", "initial condition"]),
        ("k = 0.1, solve diffusion", ["domain", "meaning of k"]),
        (
            "large Reynolds number flow past a cylinder",
            ["value of the reynolds number", "problem type"],
        ),
    ],
)
def test_the_papers_category_a_gets_questions(request_text, items) -> None:
    q = draft(request_text)
    assert isinstance(q, ClarifyingQuestion)
    assert q.question.startswith("Offline drafter (no language model)")
    for item in items:
        assert any(item in m for m in q.missing), (item, q.missing)


def test_a_number_that_fits_nowhere_is_asked_about() -> None:
    q = draft(
        "Heat in a 1 m rod with diffusivity 1e-4 m^2/s, ends at 0 K, initial sine of amplitude "
        "1 K, for 10 s, and the thickness is 7 cm."
    )
    assert q.missing == ("meaning of 7 cm",)


def test_mixed_units_are_asked_about() -> None:
    q = draft(
        "Diffusion in a 2 m bar with kappa = 0.3, ends held at 0, initially a sine profile of "
        "amplitude 1 K, for 5 s."
    )
    assert q.missing == ("unit of kappa",)


def test_feedback_cannot_be_acted_on_offline() -> None:
    first = draft(DEV_REQUESTS["heat_1d"])
    feedback = RejectionFeedback(1, ("S2: something",), first.text)
    again = PLANNER.draft(DEV_REQUESTS["heat_1d"], feedback=feedback)
    assert again.text == first.text and "cannot act on the Judge's reasons" in again.note


def test_empty_request_is_an_error() -> None:
    with pytest.raises(PlanError, match="empty"):
        draft("   ")


@pytest.mark.parametrize("text", ["__import__('os')", "x.__class__", "sin pi x", "exec(x)", "x; y"])
def test_formulas_from_chat_are_read_safely(text: str) -> None:
    assert user_formula(text, {"x", "y"}) is None


def test_formulas_with_implicit_products() -> None:
    assert user_formula("2 pi^2 sin(pi x) sin(pi y)", {"x", "y"}) == "2*pi**2*sin(pi*x)*sin(pi*y)"
    assert user_formula("exp(-100 (x - 0.5)^2)", {"x"}) == "exp(-100*(x - 0.5)**2)"


def _evaluate(spec, text: str, **point: float) -> float:
    ns = Namespace.build(
        space=[c.name for c in spec.domain.coordinates],
        time="t",
        parameters=[p.name for p in spec.equations.parameters],
    )
    values = {ns.symbols[p.name]: float(p.value) for p in spec.equations.parameters if p.is_numeric}
    values.update({ns.symbols[k]: v for k, v in point.items()})
    return float(sp.N(ns.parse(text).subs(values)))
