"""Interval enclosures contain every point value; sign proofs find witnesses and bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from simlab.judge.intervals import Unsupported, compile_interval
from simlab.judge.rangeproof import Outcome, maximum, prove_sign

x, t = sp.symbols("x t", real=True)
EXPRESSIONS = [
    sp.sin(7 * x) * sp.cos(3 * t) + x**2,
    sp.exp(-(((x - 0.3) / 0.05) ** 2)) - t / 2,
    sp.tanh(5 * x - 2) * sp.atan(t) + sp.Abs(x - t),
    sp.sqrt(1 + x**2) / (2 + sp.cos(x * t)),
    sp.Heaviside(x - 0.5) * t + sp.Min(x, t) - sp.Max(x, 2 * t),
    sp.log(1 + x**2 + t) * sp.cosh(x) - sp.sinh(t) ** 3,
    (x - t) ** sp.Rational(1, 3) + x ** sp.Rational(3, 2),
    sp.Piecewise((x, x < 0.25), (1 - x, True)) * sp.erf(t),
]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    k=st.integers(0, len(EXPRESSIONS) - 1),
    a=st.floats(-1.0, 1.0),
    w=st.floats(1e-6, 2.0),
    c=st.floats(-1.0, 1.0),
    v=st.floats(1e-6, 2.0),
)
def test_enclosure_contains_every_point_value(k: int, a: float, w: float, c: float, v: float):
    expr = EXPRESSIONS[k]
    if k == 6:  # x**(3/2) needs x >= 0
        a = abs(a)
    fn = compile_interval(expr)
    lo, hi = fn({x: (np.array([a]), np.array([a + w])), t: (np.array([c]), np.array([c + v]))})
    step = {"Heaviside": lambda z, h=0.5: np.heaviside(z, h)}
    f = sp.lambdify((x, t), expr, modules=[step, "scipy", "numpy"])
    xs, ts = np.meshgrid(np.linspace(a, a + w, 41), np.linspace(c, c + v, 41))
    with np.errstate(all="ignore"):
        values = np.real_if_close(np.asarray(f(xs, ts), dtype=complex))
    values = values[np.isfinite(values)] if np.isrealobj(values) else np.array([])
    if values.size:
        assert lo[0] <= values.min() + 1e-12 and values.max() - 1e-12 <= hi[0]


def test_narrow_negative_band_is_found_with_a_confirmed_witness() -> None:
    expr = 1 - 1.2 * sp.exp(-(((x - 1.3) / 0.01) ** 2))
    proof = prove_sign(expr, {x: (0.0, 2.0)})
    assert proof.outcome == Outcome.VIOLATED
    assert abs(proof.witness["x"] - 1.3) < 0.01 and proof.bound.best < 0


def test_positive_expression_is_proven_with_its_bound() -> None:
    expr = 2 + sp.sin(13 * x) * sp.cos(5 * t)
    proof = prove_sign(expr, {x: (0.0, 1.0), t: (0.0, 1.0)})
    assert proof.outcome == Outcome.PROVEN
    assert 0 < proof.bound.lower <= 1.0 + 1e-9


def test_degenerate_zero_is_touching_not_violated() -> None:
    assert prove_sign(x**2, {x: (-1.0, 1.0)}).outcome == Outcome.TOUCHES
    assert prove_sign(sp.sin(sp.pi * x) ** 2, {x: (0.0, 1.0)}).outcome == Outcome.TOUCHES


def test_maximum_of_a_narrow_bump_is_tight() -> None:
    got, upper, point = maximum(1 + 0.05 * sp.exp(-(((x - 0.77) / 0.003) ** 2)), {x: (0.0, 1.0)})
    assert got <= 1.05 <= upper and upper - got < 2e-3 and abs(point["x"] - 0.77) < 0.003


def test_unknown_function_is_unsupported_and_undecided() -> None:
    f = sp.Function("f")
    with pytest.raises(Unsupported):
        compile_interval(f(x))
    assert prove_sign(f(x), {x: (0.0, 1.0)}).outcome == Outcome.UNDECIDED


def test_cos_enclosure_at_extrema() -> None:
    fn = compile_interval(sp.cos(x))
    lo, hi = fn({x: (np.array([-0.1, 3.0]), np.array([0.1, 3.3]))})
    assert hi[0] == 1.0 and lo[1] == -1.0 and math.isclose(lo[0], math.cos(0.1), rel_tol=1e-12)
