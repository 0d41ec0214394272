"""Dimension algebra on sympy expressions."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from simlab.judge.dims import (
    DIMENSIONLESS,
    Dim,
    DimensionMismatch,
    DimEnv,
    NotDimensionless,
    dimension_of,
)

x, t, k, c = sp.symbols("x t k c", real=True)
u = sp.Function("u")(t, x)
M, S, K = Dim.of_unit("m"), Dim.of_unit("s"), Dim.of_unit("K")


def env(**extra: Dim | None) -> DimEnv:
    symbols = {x: M, t: S, k: Dim.of_unit("m^2/s"), c: None}
    symbols.update({sp.Symbol(n, real=True): d for n, d in extra.items()})
    return DimEnv(symbols, {"u": K}, length=M)


def test_units_to_dimensions() -> None:
    assert Dim.of_unit("m^2/s") == M**2 / S
    assert Dim.of_unit("km/h") == M / S
    assert Dim.of_unit("1") == DIMENSIONLESS
    assert Dim.of_unit("Pa") == Dim.of_unit("kg/(m*s^2)")
    assert (M ** Fraction(1, 2)) ** 2 == M
    assert str(Dim.of_unit("K/(m*s)")) == "K/(m*s)"


def test_derivatives_divide_by_their_variables() -> None:
    assert dimension_of(sp.diff(u, x, 2), env()).dim == K / M**2
    assert dimension_of(k * sp.diff(u, x, 2), env()).dim == K / S
    assert dimension_of(sp.diff(u, t), env()).dim == K / S


def test_sums_must_agree_and_zero_fits_anything() -> None:
    with pytest.raises(DimensionMismatch) as err:
        dimension_of(sp.diff(u, t) + sp.diff(u, x), env())
    assert {err.value.da, err.value.db} == {K / S, K / M}
    assert dimension_of(sp.diff(u, t) + 0, env()).dim == K / S


def test_transcendental_arguments_must_be_dimensionless() -> None:
    with pytest.raises(NotDimensionless):
        dimension_of(sp.exp(x), env())
    assert dimension_of(sp.sin(sp.pi * x / sp.Symbol("L", real=True)), env(L=M)).dim == (
        DIMENSIONLESS
    )


def test_missing_unit_is_unknown_not_dimensionless() -> None:
    r = dimension_of(c * u, env())
    assert r.dim is None and r.missing == frozenset({"c"})


def test_integral_variable_takes_the_dimension_of_its_limits() -> None:
    xi, a = sp.symbols("xi a", real=True)
    expr = sp.Integral(sp.exp(sp.I * xi / a), (xi, -a, a))
    assert dimension_of(expr, env(a=M)).dim == M


def test_radon_transform_multiplies_by_a_length() -> None:
    f = sp.Function("f")(x)
    e = DimEnv({x: M}, {"f": Dim.of_unit("1/m")}, length=M)
    assert dimension_of(sp.Function("radon")(f), e).dim == DIMENSIONLESS
