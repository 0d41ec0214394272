"""specs/general: every spec is certified PASS with its TRUE error under the certified bound,
or refused by the Judge for a physical reason (files named ``*_refused.md``), or FLAGged only
because a pre-execution gate cannot verify a condition (``*_unverifiable.md``: the certificate
must say so; the answer's true error must still be under its bound).

The true error is computed here from the spec's reference (analytic: evaluated at the
observable's point; data: the number, computed independently of the engine, see each spec).
3-D specs and long nonlinear runs are marked slow (tens of seconds each on the shared machine).
"""

from __future__ import annotations

import pytest

from simlab.certify.certificate import Status
from simlab.paths import SPECS_DIR
from simlab.pipeline import certify_spec
from simlab.spec import parse_file

GENERAL = sorted((SPECS_DIR / "general").glob("*.md"))
SLOW = {"25_gray_scott_kinetics", "26_brusselator_uniform", "27_fitzhugh_nagumo_cable"}
"""Nonlinear systems integrated over long times: 15-30 s each on the shared machine."""


def _params():
    for path in GENERAL:
        spec = parse_file(path)
        slow = spec.domain.dimension == 3 or path.stem in SLOW
        marks = [pytest.mark.slow] if slow else []
        yield pytest.param(path, id=path.stem, marks=marks)


def test_corpus_is_large_and_varied() -> None:
    specs = [parse_file(p) for p in GENERAL]
    assert len(specs) >= 50
    kinds = {c.type for s in specs for c in s.boundary.conditions}
    assert {"dirichlet", "neumann", "robin", "periodic"} <= kinds
    assert {s.domain.dimension for s in specs} == {0, 1, 2, 3}
    assert any(len(s.equations.unknowns) > 1 for s in specs)
    units = {u.unit for s in specs for u in s.equations.unknowns}
    assert {"degC", "degF"} <= units


@pytest.mark.parametrize("path", list(_params()))
def test_general_spec_is_certified_with_true_error_under_bound(path) -> None:
    spec = parse_file(path)
    result = certify_spec(spec)
    cert = result.certificate
    if path.stem.endswith("_refused"):
        assert cert.status is Status.REJECT and not result.judge.accepted, cert.reasons
        return
    if path.stem.endswith("_unverifiable"):
        assert cert.status is Status.FLAG, (cert.solver, cert.reasons)
        assert cert.reasons and all("UNVERIFIABLE" in r for r in cert.reasons), cert.reasons
    else:
        assert cert.status is Status.PASS, (cert.solver, cert.reasons)
    for o in cert.observables:
        ref = spec.tolerance.reference_for(o.name)
        if ref.kind == "analytic":
            truth_error = o.exact_error
        else:
            truth_error = abs(o.value - float(ref.value) * o.scale)
        assert truth_error is not None and o.error_bound is not None, o.name
        # the bound must cover the true error (round-off floor for exact discretisations)
        assert truth_error <= o.error_bound + 1e-13 * max(1.0, abs(o.value)), (
            o.name,
            truth_error,
            o.error_bound,
        )
