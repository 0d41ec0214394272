"""Fast diagonalisation of Kronecker sums: same answers as SuperLU, and only where it applies."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from simlab.discretize.separable import eigenvalues as separable_eigenvalues
from simlab.discretize.separable import fast_solver, kronecker_sum


def _second_difference(n: int, kind: str) -> sps.csr_matrix:
    """1-D second differences on n nodes: Dirichlet interior, Neumann ghost rows, periodic."""
    m = sps.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(n, n)).tolil()
    if kind == "neumann":
        m[0, 1] = m[n - 1, n - 2] = 2.0
    if kind == "periodic":
        m[0, n - 1] = m[n - 1, 0] = 1.0
    return sps.csr_matrix(m) * float(n * n)


def _kronecker_sum(mats: list[sps.csr_matrix]) -> sps.csr_matrix:
    sizes = [m.shape[0] for m in mats]
    total = None
    for axis, m in enumerate(mats):
        term = sps.identity(1, format="csr")
        for other, n in enumerate(sizes):
            term = sps.kron(term, m if other == axis else sps.identity(n), format="csr")
        total = term if total is None else total + term
    return total.tocsr()


@pytest.mark.parametrize(
    ("sizes", "kinds", "shift"),
    [
        ((15, 23), ("dirichlet", "dirichlet"), 0.0),
        ((16, 9), ("neumann", "dirichlet"), -3.0),
        ((8, 9, 10), ("dirichlet", "neumann", "periodic"), -1.0),
        ((12, 12), ("periodic", "neumann"), -7.5),
    ],
)
def test_fast_solves_agree_with_superlu(sizes, kinds, shift) -> None:
    mats = [_second_difference(n, k) for n, k in zip(sizes, kinds, strict=True)]
    a = (_kronecker_sum(mats) + shift * sps.identity(int(np.prod(sizes)))).tocsr()
    solve, transposed = fast_solver(a, sizes)
    lu = spla.splu(a.tocsc())
    b = np.random.default_rng(3).standard_normal(a.shape[0])
    x, y = solve(b), lu.solve(b)
    assert np.max(np.abs(x - y)) <= 1e-10 * np.max(np.abs(y))
    xt, yt = transposed(b), lu.solve(b, trans="T")
    assert np.max(np.abs(xt - yt)) <= 1e-10 * np.max(np.abs(yt))


def test_operators_that_are_not_kronecker_sums_are_left_to_superlu() -> None:
    n = 12
    d = _second_difference(n, "dirichlet")
    eye = sps.identity(n)
    laplacian = _kronecker_sum([d, d])
    variable = sps.diags(np.linspace(1.0, 2.0, n * n)) @ laplacian  # k(x, y) laplacian
    first = sps.diags([-1.0, 1.0], [-1, 1], shape=(n, n))
    mixed = laplacian + sps.kron(first, first)  # a u_xy term
    assert kronecker_sum(variable.tocsr(), (n, n)) is None
    assert kronecker_sum(mixed.tocsr(), (n, n)) is None
    assert fast_solver(variable.tocsr(), (n, n)) is None
    assert kronecker_sum(sps.kron(d, eye).tocsr(), (n, n)) is not None


def test_a_singular_operator_is_left_to_superlu_which_names_it() -> None:
    n = 10
    neumann = _second_difference(n, "neumann")  # flux conditions only: u fixed up to a constant
    assert fast_solver(_kronecker_sum([neumann, neumann]), (n, n)) is None


def test_the_spectrum_of_a_kronecker_sum_is_the_sums_of_the_axis_spectra() -> None:
    mats = [_second_difference(9, "neumann"), _second_difference(7, "dirichlet")]
    a = _kronecker_sum(mats)
    b = 2.5 * sps.identity(a.shape[0], format="csr")
    fast = np.sort(separable_eigenvalues(a, b, (9, 7)).real)
    dense = np.sort(np.linalg.eigvals(a.toarray()).real / 2.5)
    assert np.max(np.abs(fast - dense)) <= 1e-10 * np.max(np.abs(dense))
    mass = sps.diags(np.linspace(1.0, 2.0, a.shape[0])).tocsr()  # a variable mass: not this
    assert separable_eigenvalues(a, mass, (9, 7)) is None
