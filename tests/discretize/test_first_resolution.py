"""The engine's first grid resolves the reaction-diffusion length sqrt(D / r) (Fisher-KPP)."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from simlab.discretize.solve import (
    MIN_STEPS_PER_CELL,
    POINTS_PER_LENGTH,
    RATE_STEP,
    first_resolution,
    step_plan,
)
from simlab.paths import REPO_ROOT
from simlab.problem import compile_problem
from simlab.spec import parse

FISHER = (REPO_ROOT / "specs" / "dev" / "fisher_kpp.md").read_text()


@pytest.mark.parametrize(("diffusivity", "rate"), [(1.0, 1.0), (4.0, 1.0), (1.0, 0.25), (0.5, 2.0)])
def test_a_fisher_front_is_resolved_on_the_first_grid(diffusivity: float, rate: float) -> None:
    text = FISHER.replace("D: 1 m^2/s", f"D: {diffusivity} m^2/s").replace(
        "r: 1 1/s", f"r: {rate} 1/s"
    )
    width = math.sqrt(diffusivity / rate)  # the front's width; the domain is 200 m long
    wanted = math.ceil(POINTS_PER_LENGTH * 200.0 / width)
    assert first_resolution(compile_problem(parse(text)), 16) == max(16, wanted)


def test_a_uniform_start_behind_zero_flux_faces_keeps_the_default() -> None:
    spec = (REPO_ROOT / "specs" / "general" / "25_gray_scott_kinetics.md").read_text()
    assert first_resolution(compile_problem(parse(spec)), 16) == 16
    heat = (REPO_ROOT / "specs" / "dev" / "heat_1d.md").read_text()  # no reaction: no length
    assert first_resolution(compile_problem(parse(heat)), 16) == 16


@pytest.mark.parametrize("first", [16, 100, 400])
def test_the_reaction_step_limit_holds_on_the_first_grid(first: int) -> None:
    """``r dt <= 1/4`` on the study's first grid (r = 1/s, 60 s), and no finer than needed."""
    plan = step_plan(compile_problem(parse(FISHER)), first)
    times = plan.times
    for (a, b), per_unit in zip(pairwise(times), plan.per_unit, strict=True):
        dt = (b - a) / (first * per_unit)
        assert 1.0 * dt <= RATE_STEP
        fewer = (b - a) / (first * (per_unit - 1)) if per_unit > 1 else math.inf
        assert 1.0 * fewer > RATE_STEP or per_unit <= MIN_STEPS_PER_CELL
