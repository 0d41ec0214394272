"""The peer: physverify (PyPI) on the same variants, where its checks apply.

physverify verifies code by order-of-accuracy studies against an exact or independent
reference solution (``check_order``) and by a static scan of the source (``scan``: grid
spacing that does not match its ``linspace``, Butcher tables, constants, undefined names ...).
Its own MMS and invariant studies need a code contract (``integrate(source, y0, t_end, n)``)
that a spec-driven module does not expose, so they do not apply here.

Applied per case: ``check_order`` on the module's declared resolutions (h = 1/n), errors
against the bench's trusted reference, expected order = the module's declared formal order,
no accuracy requirement (``atol``): an order study, as physverify intends it. Errors below
ten times the reference's own uncertainty are its noise floor; an INCONCLUSIVE study (too
few errors above it) raises no flag. It does not
apply where there is no formal order or no reference value (CT: acceptance bounds only). The
scan applies to every module; a WARN finding counts as caught at every point.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from simlab.bench.reference import Truth
from simlab.errors import SimlabError
from simlab.solvers.solution import Solution


def physverify_order(
    formal_order: float,
    solves: dict[int, Solution | SimlabError],
    truths: dict[str, Truth],
) -> tuple[bool, str] | None:
    """(passed, message) of physverify's order check on every observable; None if n/a."""
    try:
        from physverify import check_order
        from physverify.checks import ERROR, FAIL
    except ImportError:
        return None
    usable = {k: t for k, t in truths.items() if t.best is not None}
    if not usable or not math.isfinite(formal_order):
        return None
    resolutions = sorted(solves)
    if any(isinstance(solves[n], SimlabError) for n in resolutions):
        return False, "the code under test raised an exception"
    hs = [1.0 / n for n in resolutions]
    messages, passed = [], True
    for name, truth in usable.items():
        errors = []
        for n in resolutions:
            sol = solves[n]
            assert isinstance(sol, Solution)
            value = sol.observables.get(name, math.nan)
            errors.append(abs(value - truth.best) if math.isfinite(value) else math.inf)
        floor = max(1e-12, 10.0 * truth.bound)  # below the reference's own uncertainty: noise
        result = check_order(hs, errors, formal_order, scale=abs(truth.best) or 1.0, floor=floor)
        if result.status in (FAIL, ERROR):
            passed = False
            messages.append(f"{name}: {result.status} {result.message}")
    return passed, "; ".join(messages) or "order as declared"


@cache
def _scan(path: str, mtime: float) -> tuple[str, ...]:
    try:
        from physverify.scan import WARN, scan
    except ImportError:
        return ()
    findings, _ = scan(path)
    return tuple(
        f"physverify scan: {f.stage}: {f.message}"[:160] for f in findings if f.level == WARN
    )


def physverify_scan(path: Path) -> tuple[str, ...]:
    """physverify's WARN findings for one module's own source."""
    return _scan(str(path), path.stat().st_mtime)
