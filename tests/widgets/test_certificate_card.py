"""The certificate card shows the verdict, the numbers behind it and a link to the bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from simlab.certify.certificate import Certificate, ConditionVerdict, Status
from simlab.widgets import CertificateCard
from tests.widgets.conftest import certificate_for, quadrature_observable


@pytest.mark.parametrize(("threshold", "status"), [(1e-3, "PASS"), (1e-9, "FLAG")])
def test_verdict_follows_the_certificate(threshold, status):
    _, obs, _ = quadrature_observable("trapezoid-exp", threshold=threshold)
    card = CertificateCard()
    assert card.status is None
    card.show(certificate_for(obs), bundle=Path("runs") / "abc123")
    html = card.pane.object
    assert card.status == status
    assert f'class="simlab-certificate" data-status="{status}"' in html
    assert "integral" in html and "runs/abc123" in html
    if status == "FLAG":
        assert "exceeds the tolerance" in html  # the flag reason is shown


def test_link_base_for_served_bundles():
    _, obs, _ = quadrature_observable("simpson-sin")
    card = CertificateCard(link_base="/runs")
    card.show(certificate_for(obs), bundle="/tmp/x/runs/deadbeef")
    assert "href='/runs/deadbeef/certificate.json'" in card.pane.object


def test_rejection_and_messages():
    cert = Certificate(
        Status.REJECT,
        [ConditionVerdict("S2", Status.REJECT, "backward heat equation is ill-posed")],
        reasons=["well_posed: backward heat equation is ill-posed"],
    )
    card = CertificateCard()
    card.show(cert)
    assert card.status == "REJECT" and "ill-posed" in card.pane.object
    card.show_message("STOPPED", "the run was stopped")
    assert card.status is None and 'data-status="STOPPED"' in card.pane.object
    card.clear()
    assert "no run yet" in card.pane.object


def test_diagnostics_are_listed():
    _, obs, _ = quadrature_observable("trapezoid-exp")
    cert = certificate_for(obs)
    cert.diagnostics = [  # the shape of simlab.diagnostics.assess entries
        {
            "diagnostic": "probe",
            "applied": True,
            "flagged": True,
            "flags": [
                {
                    "quantity": "relative_jump",
                    "value": 0.3,
                    "threshold": 0.05,
                    "message": "a 5 % change of lam moves the answer by 30 %",
                }
            ],
            "evidence": {"relative_jump": 0.3},
        },
        {
            "diagnostic": "ensemble",
            "applied": True,
            "flagged": False,
            "flags": [],
            "evidence": {"coefficient_of_variation": 0.0006, "member_norms": [1.0, 1.0]},
        },
        {
            "diagnostic": "lyapunov",
            "applied": False,
            "flagged": False,
            "reason": "not an ODE system",
        },
    ]
    card = CertificateCard()
    card.show(cert)
    html = card.pane.object
    assert "moves the answer by 30 %" in html and 'data-status="FLAG"' in html
    assert "coefficient_of_variation = 0.0006" in html and "member_norms" not in html
    assert "skipped" in html and "not an ODE system" in html
