"""The seeded-bug corpus: layout, documentation, and its problems' parameter points."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from simlab.bench.corpus import CorpusError, discover
from simlab.bench.problems import PROBLEMS, bratu_midpoint, problem
from simlab.bench.reference import truths
from simlab.judge import judge

VARIANTS = discover()


def test_every_dev_problem_has_a_correct_module_and_at_least_8_bugs():
    per_problem = Counter(v.problem for v in VARIANTS if not v.correct)
    assert {p.name for p in PROBLEMS} == set(per_problem)
    assert all(count >= 8 for count in per_problem.values()), per_problem
    assert sum(per_problem.values()) >= 104
    assert sum(1 for v in VARIANTS if v.correct) == len(PROBLEMS)


def test_every_bug_says_what_it_is():
    for v in VARIANTS:
        assert v.summary, v.label
        if not v.correct:
            assert v.kind and v.kind != "correct", v.label


def test_the_issue_s_bug_kinds_are_covered():
    kinds = " | ".join(v.kind for v in VARIANTS)
    for needle in (
        "time step beyond the limit",
        "off-by-one spacing",
        "sign error",
        "first-order closure",
        "360 instead of 180",
        "explicit integrator on a stiff system",
        "dropped source term",
        "units: conversion slip",
        "non-conservative flux",
        "calibrated",
        "symmetry",
    ):
        assert needle in kinds, needle


def test_a_bug_module_without_a_kind_is_rejected(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "correct.py").write_text('"""ok"""\n')
    (folder / "bug_x.py").write_text('"""something wrong"""\n')
    with pytest.raises(CorpusError, match="Kind"):
        discover(tmp_path)


def test_every_point_is_accepted_by_the_judge_with_the_spec_s_own_plan():
    for prob in PROBLEMS:
        assert len(prob.points) >= 3
        assert prob.points[0].label == "spec"
        for point in prob.points:
            assert judge(prob.spec(point)).accepted, (prob.name, point.label)


def test_bratu_closed_form_matches_the_known_answer():
    assert bratu_midpoint(1.0) == pytest.approx(0.14053921440040346, rel=1e-12)
    assert bratu_midpoint(0.5) < bratu_midpoint(1.0) < bratu_midpoint(2.5)


@pytest.mark.parametrize(
    ("name", "label", "observable", "value"),
    [
        ("heat_1d", "spec", "u_mid", math.exp(-0.5 * math.pi**2 * 0.5 / 4)),
        ("heat_1d", "kappa_cgs", "u_mid", math.exp(-0.2 * math.pi**2 * 1.0 / 4)),
        ("wave_1d", "fast", "u_mid", 1e-3 * math.cos(2 * math.pi * 0.4)),
        ("advection_1d", "leftward_cgs", "u_probe", math.sin(2 * math.pi * (0.25 + 0.5))),
        ("waveguide_te", "wide", "kc2_TE10", (math.pi / 0.03) ** 2),
        ("poisson_2d", "wide", "u_off_center", math.sin(1.5 * math.pi) * math.sin(0.25 * math.pi)),
    ],
)
def test_edited_points_carry_the_right_analytic_truth(name, label, observable, value):
    prob = problem(name)
    point = next(p for p in prob.points if p.label == label)
    truth = truths(prob.spec(point))[observable]
    assert truth.kind == "analytic"
    assert truth.value == pytest.approx(value, rel=1e-12)


def test_a_truth_judges_against_the_spec_tolerance():
    prob = problem("heat_1d")
    truth = truths(prob.spec(prob.points[0]))["u_mid"]
    assert not truth.wrong(truth.value * (1 + 0.5e-4))
    assert truth.wrong(truth.value * (1 + 2e-4))
    assert truth.wrong(math.nan)
