"""Integration with the real Judge (simlab.judge.judge). Not skipped: until the Judge lands,
these fail at the import, on purpose, so the wiring is not forgotten."""

from __future__ import annotations

import pytest

from simlab.plan import OfflinePlanner, redesign
from tests.plan.dev_requests import DEV_REQUESTS


@pytest.mark.parametrize("key", sorted(DEV_REQUESTS))
def test_offline_drafts_of_the_dev_problems_are_accepted_by_the_judge(key: str) -> None:
    from simlab.judge import judge

    outcome = redesign(OfflinePlanner(), judge, DEV_REQUESTS[key])
    assert outcome.status == "accepted", outcome.reasons
    assert len(outcome.rounds) == 1


def test_judge_rejection_reaches_the_planner_as_reasons() -> None:
    from simlab.judge import judge

    # Robertson with an explicit integrator: the stiffness gate must reject it
    request = DEV_REQUESTS["robertson"] + " Use explicit Euler."
    outcome = redesign(OfflinePlanner(), judge, request)
    assert outcome.status == "rejected"
    assert outcome.reasons and outcome.certificate is not None


@pytest.mark.parametrize("key", ["heat_1d", "advection_1d", "bratu_1d", "poisson_2d"])
def test_offline_drafts_certify(key: str) -> None:
    """Plain words -> offline draft -> Judge -> solve -> certificate PASS (the fast families;
    all 13 drafts were run with simlab run: see docs/CHANGELOG.md)."""
    from simlab.judge import judge
    from simlab.pipeline import certify_spec

    outcome = redesign(OfflinePlanner(), judge, DEV_REQUESTS[key])
    result = certify_spec(outcome.spec.spec, time_budget=60)
    assert result.certificate.status.value == "PASS", result.certificate.reasons
