"""Notebook views over simlab's typed objects (panel, holoviews): no logic of their own.

- :class:`ChatSpec` / :class:`SpecEditor`: chat -> spec.md, re-validated as it is edited;
- :class:`GateBoard`: the Judge's five gates, driven by its live events;
- :class:`RunPanel`: progress over the convergence study, and Stop;
- :func:`convergence_plot`, :func:`continuation_plot`: holoviews (bokeh) figures;
- :class:`CertificateCard`: the verdict, the bounds, the flags, the bundle;
- :class:`SweepPanel`: a sweep's progress and rows as they arrive.

:func:`simlab.ui.workbench` composes them. Call :func:`extension` once in a notebook (resources
inline: no network needed); the views call it themselves when a notebook shows them first.
"""

from __future__ import annotations

import holoviews as hv
import holoviews.plotting.bokeh

from simlab.widgets.certificate_card import CertificateCard, certificate_html
from simlab.widgets.chat import ChatSpec, default_planner
from simlab.widgets.continuation_plot import continuation_plot, stability_segments
from simlab.widgets.convergence_plot import (
    ConvergenceData,
    convergence_data,
    convergence_plot,
    run_convergence_plots,
)
from simlab.widgets.gate_board import GateBoard
from simlab.widgets.notebook import extension
from simlab.widgets.run_panel import RunPanel
from simlab.widgets.spec_editor import SpecCheck, SpecEditor, check_text
from simlab.widgets.sweep_panel import SweepPanel

if hv.Store.current_backend != "bokeh":
    hv.Store.set_current_backend("bokeh")

__all__ = [
    "CertificateCard",
    "ChatSpec",
    "ConvergenceData",
    "GateBoard",
    "RunPanel",
    "SpecCheck",
    "SpecEditor",
    "SweepPanel",
    "certificate_html",
    "check_text",
    "continuation_plot",
    "convergence_data",
    "convergence_plot",
    "default_planner",
    "extension",
    "run_convergence_plots",
    "stability_segments",
]
