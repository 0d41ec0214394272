"""Stability along a branch from det J: the carried counts equal full spectra.

With simple real eigenvalues (1-D scalar problems: symmetric unreduced tridiagonal J) the
continuation computes eigenvalues only where det J (free from the bordered LU) changes sign
or dips; everywhere else it carries the unstable count. These tests recompute every point's
full spectrum and compare, on a fold (Bratu 1-D) and on simple crossings (Chafee-Infante 1-D
trivial branch, lam = k^2); on a square, where modes (1, 2) and (2, 1) cross together and
det J keeps its sign, the spectrum is computed per point and the counts must be right too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg as la
import scipy.sparse as sp

from simlab.diagnostics.spec_bridge import stationary_continuation
from simlab.diagnostics.stability import simple_real_spectrum
from simlab.spec import parse, parse_file

SPECS = Path(__file__).resolve().parents[2] / "specs"
sys.path.insert(0, str(SPECS.parent / "benchmarks"))
from continuation_corpus import bvp_square  # noqa: E402

SQUARE = bvp_square(
    "Chafee-Infante on the unit square",
    1.0,
    {"lam": 1.0},
    "diff(u, x, 2) + diff(u, y, 2) + lam*(u - u**3) = 0",
)


def _full_counts(run, branch) -> np.ndarray:
    """Unstable counts from EVERY eigenvalue (LAPACK band reduction of the whole matrix)."""
    counts = []
    for v, p in zip(branch.u, branch.lam, strict=True):
        jac = sp.csr_matrix(run.problem.jacobian(v, p))
        coo = jac.tocoo()
        band = int(np.max(np.abs(coo.row - coo.col)))
        upper = np.zeros((band + 1, jac.shape[0]))
        for offset in range(band + 1):
            upper[band - offset, offset:] = jac.diagonal(offset)
        mu = la.eig_banded(upper, eigvals_only=True)
        counts.append(int(np.sum(mu > 1e-9 * np.abs(mu).max())))
    return np.array(counts)


@pytest.mark.parametrize(
    ("spec", "window", "cells", "expected_max"),
    [
        ("dev/bratu_1d.md", 4.0, 24, 1),
        ("boundary/chafee_infante_1.md", 12.0, 24, 3),
    ],
)
def test_carried_counts_equal_full_spectra_in_1d(spec, window, cells, expected_max) -> None:
    run = stationary_continuation(parse_file(SPECS / spec), "lam", cells)
    assert simple_real_spectrum(run.problem.jacobian(run.v0, run.p0))
    most = 0
    for direction in (1, -1):
        branch = run.run(direction, window=window, n_eigs=4, max_steps=120)
        assert (branch.n_unstable == _full_counts(run, branch)).all()
        most = max(most, int(branch.n_unstable.max()))
    assert most == expected_max  # the counts did change along the way


def test_double_crossings_on_a_square_are_counted() -> None:
    run = stationary_continuation(parse(SQUARE), "lam", 8)
    assert run.problem.symmetric
    assert not simple_real_spectrum(run.problem.jacobian(run.v0, run.p0))
    branch = run.run(1, window=130.0, n_eigs=4, max_steps=400, ds=0.5, ds_max=4.0)
    full = _full_counts(run, branch)
    assert (branch.n_unstable == full).all()
    jumps = np.diff(full)
    assert full[0] == 0 and 2 in jumps  # (1, 2) and (2, 1) together: det J kept its sign
    assert full.max() >= 6


def test_unstable_eigenvalue_far_from_zero_is_counted_in_2d() -> None:
    """2-D Bratu's upper branch: the unstable eigenvalue grows with lam e^u past the other
    eigenvalues nearest 0; shift-invert around 0 lost it (points 50 on at 23^2 unknowns were
    reported stable). Around Gershgorin's upper bound every positive one is found."""
    text = bvp_square(
        "Bratu on the unit square",
        1.0,
        {"lam": 2.0},
        "diff(u, x, 2) + diff(u, y, 2) + lam*exp(u) = 0",
    )
    run = stationary_continuation(parse(text), "lam", 24)
    assert not simple_real_spectrum(run.problem.jacobian(run.v0, run.p0))
    branch = run.run(1, window=10.0, n_eigs=4, max_steps=70)
    full = _full_counts(run, branch)
    assert (branch.n_unstable == full).all()
    assert full[-1] >= 1 and branch.measure[-1] > 4.0  # well up the unstable upper branch
