"""The certificate card: the verdict, each condition, the bounds, the flags and the bundle link."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import panel as pn

from simlab.widgets.notebook import NotebookView
from simlab.widgets.style import badge, esc, number, status_text
from simlab.widgets.view_lock import updates_view


class CertificateCard(NotebookView):
    """Shows a :class:`~simlab.certify.certificate.Certificate` (or a run's) as a card."""

    def __init__(self, *, link_base: str | None = None, **params: Any) -> None:
        """``link_base`` turns the bundle path into a URL (the app serves bundles there)."""
        super().__init__(**params)
        self.link_base = link_base
        self.certificate: Any = None
        self.bundle: Path | None = None
        self.pane = pn.pane.HTML(_empty(), sizing_mode="stretch_width")

    @property
    def status(self) -> str | None:
        """The verdict shown (``PASS``/``FLAG``/``REJECT``), None before a run."""
        return None if self.certificate is None else status_text(self.certificate.status)

    @updates_view
    def show(self, run_or_certificate: Any, bundle: str | Path | None = None) -> None:
        """Show a RunResult (its certificate and bundle) or a bare Certificate."""
        cert = getattr(run_or_certificate, "certificate", run_or_certificate)
        bundle = bundle if bundle is not None else getattr(run_or_certificate, "bundle", None)
        self.certificate = cert
        self.bundle = Path(bundle) if bundle else None
        self.pane.object = certificate_html(cert, self._link(self.bundle))

    @updates_view
    def show_message(self, state: str, message: str) -> None:
        """Show a run that produced no certificate (stopped, or an error)."""
        self.certificate = None
        self.pane.object = (
            f'<div class="simlab-certificate" data-status="{esc(state)}">'
            f"{badge(state)} {esc(message)}</div>"
        )

    @updates_view
    def clear(self) -> None:
        self.certificate = None
        self.bundle = None
        self.pane.object = _empty()

    def __panel__(self) -> pn.viewable.Viewable:
        return self.pane

    def _link(self, bundle: Path | None) -> tuple[str, str] | None:
        if bundle is None:
            return None
        if self.link_base is not None:
            return f"{self.link_base.rstrip('/')}/{bundle.name}/certificate.json", str(bundle)
        try:
            href = os.path.relpath(bundle)
        except ValueError:  # another drive (Windows)
            href = str(bundle)
        return href, str(bundle)


def _empty() -> str:
    return '<div class="simlab-certificate" data-status="NONE"><i>no run yet</i></div>'


def certificate_html(cert: Any, link: tuple[str, str] | None = None) -> str:
    """The card's HTML: verdict, S1–S4 rows, one row per observable, flags, audit, bundle."""
    verdict = status_text(cert.status)
    head = (
        f"<div style='font-size:1.3em;margin-bottom:6px'>Certificate {badge(verdict)}"
        + (f" <small>solver {esc(cert.solver)}</small>" if cert.solver else "")
        + "</div>"
    )
    conditions = "".join(
        f"<tr><td><b>{esc(c.condition)}</b></td><td>{badge(c.status)}</td><td>{esc(c.reason)}</td></tr>"
        for c in cert.conditions
    )
    observables = "".join(_observable_row(o) for o in cert.observables)
    obs_table = (
        "<table class='simlab-observables' style='width:100%'><tr><th>observable</th><th>value ± "
        "bound</th><th>bound / ε</th><th>order (formal)</th><th>true error</th>"
        f"<th></th></tr>{observables}</table>"
        if observables
        else ""
    )
    flags = "".join(f"<li>{esc(r)}</li>" for r in cert.reasons)
    flags_html = (
        f"<div><b>flags</b><ul style='padding-left:18px'>{flags}</ul></div>" if flags else ""
    )
    audit = "".join(
        f"<li>{badge('PASS' if a.passed else 'FLAG', 'ok' if a.passed else 'failed')} "
        f"{esc(a.name)}: {esc(a.message)}</li>"
        for a in cert.audit
    )
    audit_html = (
        f"<div><b>physics audit</b><ul style='padding-left:18px'>{audit}</ul></div>"
        if audit
        else ""
    )
    diag = "".join(f"<li>{_diagnostic(d)}</li>" for d in cert.diagnostics)
    diag_html = f"<div><b>diagnostics</b><ul>{diag}</ul></div>" if diag else ""
    bundle = (
        f"<div>bundle: <a href='{esc(link[0])}' target='_blank'>{esc(link[1])}</a></div>"
        if link
        else ""
    )
    return (
        f'<div class="simlab-certificate" data-status="{verdict}">{head}'
        f"<table class='simlab-conditions'>{conditions}</table>{obs_table}{flags_html}"
        f"{audit_html}{diag_html}{bundle}</div>"
    )


def _diagnostic(d: Any) -> str:
    """One diagnostic entry (``simlab.diagnostics`` assessment): verdict, flags, evidence."""
    if not isinstance(d, dict):
        return esc(d)
    name = esc(d.get("diagnostic") or d.get("name") or "diagnostic")
    if d.get("applied") is False:
        return f"{badge('UNVERIFIABLE', 'skipped')} <b>{name}</b>: {esc(d.get('reason', ''))}"
    flagged = d.get("flagged")
    if flagged is None and "status" in d:
        flagged = str(d["status"]).upper() == "FLAG"
    head = f"{badge('FLAG' if flagged else 'PASS', 'flag' if flagged else 'no flag')} <b>{name}</b>"
    flags = "".join(
        f"<li>{esc(f.get('message', f))}</li>" if isinstance(f, dict) else f"<li>{esc(f)}</li>"
        for f in d.get("flags", [])
    )
    message = f" {esc(d['message'])}" if d.get("message") else ""
    evidence = d.get("evidence") or {
        k: v for k, v in d.items() if k not in ("diagnostic", "name", "status", "message")
    }
    scalars = ", ".join(
        f"{esc(k)} = {number(v)}"
        for k, v in evidence.items()
        if isinstance(v, (int, float, str, bool)) and not isinstance(v, bool)
    )
    details = f"<details><summary>evidence</summary>{scalars}</details>" if scalars else ""
    listing = f"<ul style='padding-left:18px'>{flags}</ul>" if flags else ""
    return f"{head}{message}{listing}{details}"


def _observable_row(o: Any) -> str:
    unit = f" {esc(o.unit)}" if o.unit else ""
    bound = None if o.error_bound is None else o.error_bound / o.scale
    measured = o.relative_bound if (o.metric or "").startswith("relative") else bound
    ratio = number(measured / o.threshold, 3) if measured is not None and o.threshold else "—"
    true_error = "—" if o.exact_error is None else number(o.exact_error / o.scale, 3) + unit
    return (
        f"<tr><td>{esc(o.name)}</td><td>{number(o.display_value, 10)} ± {number(bound, 3)}{unit}"
        f"</td><td>{ratio}</td><td>{number(o.observed_order, 3)} ({number(o.formal_order, 3)})</td>"
        f"<td>{true_error}</td><td>{badge(o.status)}</td></tr>"
    )
