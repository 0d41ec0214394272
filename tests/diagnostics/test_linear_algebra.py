"""Bordered LU: determinant sign and magnitude, permutation parity, null vectors, spectra."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest
import scipy.sparse as sp

from simlab.diagnostics import DiagnosticsError, extrapolate_even, spectrum
from simlab.diagnostics.bordered import BorderedLU, bordered_matrix, null_vector, permutation_sign
from simlab.diagnostics.problems import laplacian_1d
from simlab.errors import ConvergenceError, SimlabError


def _parity_by_swaps(perm: tuple[int, ...]) -> int:
    p, sign = list(perm), 1
    for i in range(len(p)):
        while p[i] != i:
            j = p[i]
            p[i], p[j] = p[j], p[i]
            sign = -sign
    return sign


def test_permutation_sign_matches_swap_count() -> None:
    for n in range(1, 6):
        for perm in permutations(range(n)):
            assert permutation_sign(np.array(perm)) == _parity_by_swaps(perm)
    rng = np.random.default_rng(3)
    for _ in range(20):
        perm = rng.permutation(int(rng.integers(50, 2000)))
        assert permutation_sign(perm) == _parity_by_swaps(tuple(perm))


@pytest.mark.parametrize("sparse", [True, False])
def test_bordered_determinant_matches_numpy(sparse: bool) -> None:
    rng = np.random.default_rng(7)
    signs = set()
    for trial in range(60):
        n = int(rng.integers(1, 25))
        jac = sp.random(n, n, density=0.3, random_state=trial, format="csc")
        jac = jac + sp.diags(rng.standard_normal(n))
        b, c, d = rng.standard_normal(n), rng.standard_normal(n), float(rng.standard_normal())
        matrix = bordered_matrix(jac if sparse else jac.toarray(), b, c, d)
        dense = matrix.toarray() if sparse else matrix
        sign, logdet = np.linalg.slogdet(dense)
        lu = BorderedLU(matrix)
        assert lu.sign == sign
        assert lu.logabsdet == pytest.approx(logdet, abs=1e-9)
        x = rng.standard_normal(n + 1)
        np.testing.assert_allclose(dense @ lu.solve(x), x, atol=1e-8 * np.abs(dense).max())
        signs.add(sign)
    assert signs == {-1.0, 1.0}


def test_singular_matrix_is_a_convergence_error_and_null_vector_is_found() -> None:
    lap = laplacian_1d(9, 1.0 / 10).toarray()
    shift = 2.0 / 0.01 * (1.0 - np.cos(2 * np.pi / 10))  # second eigenvalue of -D2
    singular = lap + shift * np.eye(9)
    phi = null_vector(singular)
    exact = np.sin(2 * np.pi * np.arange(1, 10) / 10)
    assert abs(phi @ exact) / np.linalg.norm(exact) == pytest.approx(1.0, abs=1e-10)
    with pytest.raises(ConvergenceError) as info:
        BorderedLU(np.zeros((3, 3)))
    assert isinstance(info.value, SimlabError) and isinstance(info.value, RuntimeError)


def test_sparse_shift_invert_spectrum_agrees_with_dense() -> None:
    n = 300
    jac = laplacian_1d(n, 1.0 / (n + 1)) + sp.diags(np.full(n, 30.0))
    full = spectrum(jac, 4, dense_limit=10_000, symmetric=True)
    assert full.complete
    # symmetric band: LAPACK bisection, complete; general: ARPACK eigs around 0, partial
    for symmetric, complete in ((True, True), (False, False)):
        part = spectrum(jac, 4, symmetric=symmetric)
        assert part.complete is complete
        np.testing.assert_allclose(part.leading.real, full.leading.real, rtol=1e-10)
        assert part.n_unstable == 1
    # 30 - pi^2 k^2 > 0 for k = 1 only (discrete values are slightly smaller)
    assert full.n_unstable_real == 1


def test_banded_and_2d_spectra_count_every_unstable_eigenvalue() -> None:
    n = 400
    lap = laplacian_1d(n, 1.0 / (n + 1))
    for shift in (0.0, 30.0, 1000.0, 5000.0):  # 0, 1, 10 and 22 unstable modes
        jac = lap + sp.diags(np.full(n, shift))
        dense = np.linalg.eigvalsh(jac.toarray())
        banded = spectrum(jac, 6, symmetric=True)
        assert banded.complete
        assert banded.n_unstable == int(np.sum(dense > 1e-9 * np.abs(dense).max()))
        np.testing.assert_allclose(banded.leading.real, dense[::-1][:6], rtol=1e-9)
    m = 20  # 2-D Laplacian: half-bandwidth m, above the band limit -> ARPACK eigsh around
    lap2 = sp.kronsum(laplacian_1d(m, 1.0 / (m + 1)), laplacian_1d(m, 1.0 / (m + 1)))
    for shift in (25.0, 300.0):  # Gershgorin's upper bound: the largest first; 1 and 19 unstable
        jac2 = sp.csr_matrix(lap2 + sp.identity(m * m) * shift)
        part = spectrum(jac2, 4, symmetric=True, dense_limit=100)
        dense2 = np.linalg.eigvalsh(jac2.toarray())
        assert part.complete
        assert part.n_unstable == int(np.sum(dense2 > 1e-9 * np.abs(dense2).max()))
        np.testing.assert_allclose(part.leading.real, dense2[::-1][:4], rtol=1e-9)


def test_richardson_even_powers_is_exact_for_a_polynomial_in_h_squared() -> None:
    h = np.array([0.4, 0.2, 0.1, 0.05])
    values = 2.5 - 3.0 * h**2 + 7.0 * h**4 - 11.0 * h**6
    table = extrapolate_even(h, values)
    assert table.value == pytest.approx(2.5, abs=1e-13)
    assert table.order == 8
    # Non-uniform ratios work the same way.
    h2 = np.array([0.3, 0.17, 0.09])
    assert extrapolate_even(h2, 1.0 + h2**2 + h2**4).value == pytest.approx(1.0, abs=1e-14)
    with pytest.raises(DiagnosticsError):
        extrapolate_even([0.1, 0.1], [1.0, 1.0])
