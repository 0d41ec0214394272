"""Real typed objects for the view tests: grid studies of quadrature rules with known answers."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from simlab.certify.certificate import Certificate, ConditionVerdict, Status, judge_observable
from simlab.certify.convergence import ConvergenceResult, grid_study
from simlab.judge.report import Finding, GateVerdict, JudgeReport
from simlab.judge.report import Status as GateStatus


def trapezoid(f: Callable[[np.ndarray], np.ndarray], n: int) -> float:
    x = np.linspace(0.0, 1.0, n + 1)
    return float(np.trapezoid(f(x), x))


def simpson(f: Callable[[np.ndarray], np.ndarray], n: int) -> float:
    x = np.linspace(0.0, 1.0, n + 1)
    y = f(x)
    return float((y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum()) / (3 * n))


#: (rule, integrand, exact integral on [0, 1], formal order)
QUADRATURES = {
    "trapezoid-exp": (trapezoid, np.exp, math.e - 1.0, 2.0),
    "trapezoid-cos": (trapezoid, lambda x: np.cos(3 * x), math.sin(3.0) / 3.0, 2.0),
    "simpson-sin": (simpson, lambda x: np.sin(2 * x), (1 - math.cos(2.0)) / 2.0, 4.0),
}


def quadrature_study(key: str, ns: tuple[int, ...] = (8, 16, 32)) -> tuple[ConvergenceResult, list]:
    rule, f, _exact, order = QUADRATURES[key]
    values = [rule(f, n) for n in ns]
    h = [1.0 / n for n in ns]
    return grid_study(values, h, formal_order=order), list(zip(h, values, strict=True))


def quadrature_observable(key: str, threshold: float = 1e-3, scale: float = 1.0, **kw):
    _rule, _f, exact, order = QUADRATURES[key]
    result, records = quadrature_study(key, **kw)
    obs = judge_observable(
        "integral",
        result,
        metric="relative_error",
        threshold=threshold,
        formal_order=order,
        unit="J" if scale == 1.0 else "kJ",
        scale=scale,
        reference_kind="analytic",
        exact_value=exact,
        data_value=None,
    )
    return result, obs, records


def certificate_for(obs) -> Certificate:
    conditions = [
        ConditionVerdict("S1", Status.PASS, "pre-execution gates passed"),
        ConditionVerdict("S2", Status.PASS, "pre-execution gates passed"),
        ConditionVerdict("S3", Status.PASS if not obs.reasons else Status.FLAG, "order"),
        ConditionVerdict("S4", obs.status, "; ".join(obs.reasons) or "bound within ε"),
    ]
    return Certificate(obs.status, conditions, [obs], solver="quadrature", reasons=obs.reasons)


GATES = [
    ("dimensions", "Dimensional consistency", "S1"),
    ("bc_ic", "Boundary and initial conditions", "S2"),
    ("well_posedness", "Well-posedness and stability", "S2"),
    ("classification", "Classification", "S1"),
    ("cost", "Cost estimation", "S3"),
]


def verdicts(fail_at: int | None = None) -> list[GateVerdict]:
    out = []
    for i, (gate, title, cond) in enumerate(GATES):
        status = GateStatus.FAIL if i == fail_at else GateStatus.PASS
        finding = Finding(
            status,
            cond,
            f"{title} {'failed' if status == GateStatus.FAIL else 'holds'}",
            numbers={"checked": i + 1},
            fix="change the spec" if status == GateStatus.FAIL else None,
        )
        out.append(GateVerdict.from_findings(gate, title, (cond,), [finding], {"terms": 3}))
    return out


def report_of(vs: list[GateVerdict]) -> JudgeReport:
    return JudgeReport(None, "test spec", tuple(vs), None, None)


@pytest.fixture
def quad():
    return quadrature_observable
