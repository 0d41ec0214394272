"""Bifurcation and sensitivity diagnostics: is a result near the boundary of certifiability?

Numerical core, independent of spec.md: callables in, typed results out.

- continuation: pseudo-arclength continuation with fold / branch-point / Hopf detection,
  precise location, branch switching and stability (:func:`continuation`).
- lyapunov: Benettin-QR Lyapunov spectra of flows and maps.
- ensemble / probe: model-free sensitivity checks that return flags with evidence.
- problems / systems: test problems with known bifurcations and Lyapunov spectra.
"""

from simlab.diagnostics.continuation import (
    ContinuationSettings,
    continuation,
    first_special_point,
    switch_branch,
)
from simlab.diagnostics.ensemble import ensemble_perturbation
from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.flags import DiagnosticResult, Flag
from simlab.diagnostics.locate import moore_spence
from simlab.diagnostics.lyapunov import LyapunovResult, lyapunov_flow, lyapunov_map
from simlab.diagnostics.probe import parameter_probe
from simlab.diagnostics.richardson import RichardsonTable, extrapolate_even
from simlab.diagnostics.stability import Spectrum, spectrum
from simlab.diagnostics.types import Branch, ContinuationProblem, Setup, SpecialPoint

__all__ = [
    "Branch",
    "ContinuationProblem",
    "ContinuationSettings",
    "DiagnosticResult",
    "DiagnosticsError",
    "Flag",
    "LyapunovResult",
    "RichardsonTable",
    "Setup",
    "SpecialPoint",
    "Spectrum",
    "continuation",
    "ensemble_perturbation",
    "extrapolate_even",
    "first_special_point",
    "lyapunov_flow",
    "lyapunov_map",
    "moore_spence",
    "parameter_probe",
    "spectrum",
    "switch_branch",
]
