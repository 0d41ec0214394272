"""The families the offline drafter knows, and how it recognises them in a request.

Keywords are fine here: this is a drafter, not a gate. Whatever it drafts still goes through
the validator and the Judge, and a request it cannot place gets a question, not a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from simlab.plan.offline.evolution import ADVECTION_1D, HEAT_1D, WAVE_1D, build_evolution
from simlab.plan.offline.fields import build_ct, build_fresnel, build_waveguide
from simlab.plan.offline.kinetics import build_robertson, build_seird
from simlab.plan.offline.nonlinear import build_bratu, build_fisher_kpp
from simlab.plan.offline.plane import build_heat_2d, build_poisson_2d
from simlab.plan.offline.reading import Reading
from simlab.spec.model import Spec


@dataclass(frozen=True)
class Family:
    key: str
    name: str
    pattern: str
    build: Callable[[Reading], Spec | None]


FAMILIES: tuple[Family, ...] = (
    Family("robertson", "Robertson stiff kinetics", r"robertson", build_robertson),
    Family(
        "bratu_1d",
        "Bratu problem",
        r"bratu|gelfand|lam\w*\s*\*?\s*e\^?\(?u\b|exp\(u\)",
        build_bratu,
    ),
    Family(
        "fisher_kpp",
        "Fisher-KPP front",
        r"fisher|\bkpp\b|travell?ing (front|wave)|u\s*\*?\s*\(\s*1\s*-\s*u\s*\)|logistic",
        build_fisher_kpp,
    ),
    Family(
        "seird", "SEIR-D epidemic", r"\bseir|epidemic|outbreak|infect|\bsir\b|pandemic", build_seird
    ),
    Family(
        "waveguide",
        "rectangular waveguide modes",
        r"wave ?guide|\bwr-?\d+|cut-?off (wave ?numbers?|frequenc)|rectangular guide"
        r"|\b(te|tm)\b[^.]*\bguide\b",
        build_waveguide,
    ),
    Family("fresnel", "Fresnel diffraction", r"fresnel|slit|diffract", build_fresnel),
    Family(
        "ct",
        "CT reconstruction",
        r"\bct\b|tomograph|shepp|radon|back-?projection|sinogram",
        build_ct,
    ),
    Family(
        "poisson_2d",
        "Poisson equation",
        r"poisson|laplace('s)? equation|-\s*laplacian\(u\)",
        build_poisson_2d,
    ),
    Family(
        "advection_1d",
        "linear advection",
        r"advect|\btransport|convect|carried (along|downstream)",
        lambda r: build_evolution(r, ADVECTION_1D),
    ),
    Family(
        "wave_1d",
        "wave equation (string)",
        r"wave eq|string|vibrat|guitar|wave ?speed|\btaut\b|pluck",
        lambda r: build_evolution(r, WAVE_1D),
    ),
    Family(
        "heat",
        "heat equation / diffusion",
        r"heat|diffus|temperature|thermal|conduct|cool|\bkappa\b|insulat|\bhot\b|\bwarm",
        lambda r: None,
    ),
)

HEAT_1D_FAMILY = Family("heat_1d", "heat equation in 1D", "", lambda r: build_evolution(r, HEAT_1D))
HEAT_2D_FAMILY = Family("heat_2d", "heat equation in 2D", "", build_heat_2d)

_SAYS_2D = r"\b2d\b|\b2-d\b|two[- ]dimension|\]\s*(x|×)\s*\["
_SAYS_1D = r"\b1d\b|\b1-d\b|one[- ]dimension"
_TWO_D = r"\b2d\b|2-d|two[- ]dimension|plate|square|rectangle|membrane|drum|sin\(pi ?\*? ?y|\by\b"
_ONE_D = (
    r"\b1d\b|1-d|one[- ]dimension|\brod\b|\bbar\b|wire|interval|segment|\bx\s*=|"
    r"[\[(]\s*-?[\d.]+\s*,\s*[\d.]+\s*[\])]|\d\s*[a-z]+\s+long\b|length|lenght|\bshaft\b|"
    r"\bslab\b|\bpipe\b|\bfin\b|\btube\b|\bfib(?:re|er)\b|\bcolumn\b|\bchannel\b|\bcapillary\b|"
    r"\bfilament\b|\bthread\b|\bstrip\b|\bneedle\b|\bcable\b|\bline\b"
)
_OUTSIDE = (
    r"navier|stokes|reynolds|cylinder|turbulen|airfoil|schr(o|ö)dinger|maxwell's|"
    r"elasticity|beam bending|black[- ]scholes|burgers|shallow water|euler equations"
)


def recognize(request: str) -> tuple[Family | None, str]:
    """The family a request belongs to, or ``None`` with the reason."""
    text = re.sub(r"\bt(?:ime)?\s*(?:in|∈|=)\s*[\[(][^\])]*[\])]", " ", request.lower())
    if re.search(_OUTSIDE, text) and not any(re.search(f.pattern, text) for f in FAMILIES[:-1]):
        return None, "outside"
    for family in FAMILIES:
        if re.search(family.pattern, text):
            if family.key != "heat":
                return family, ""
            return _heat_dimension(text)
    if conducts_heat(request):
        return _heat_dimension(text)
    return None, "unknown"


def conducts_heat(request: str) -> bool:
    """Read from the quantities, not the words: a diffusivity (length²/time) beside a
    temperature (K, degC...), a concentration (mol/m³) or a density (kg/m³) is diffusion
    (the heat equation), whatever the body or the process is called."""
    from simlab.plan.offline.text import mentions, normalize
    from simlab.spec.units import parse_unit

    dims = {
        str(parse_unit(m.unit).dimensionality)
        for m in mentions(normalize(request))
        if m.unit is not None and m.has_unit
    }
    diffusivity = str(parse_unit("m^2/s").dimensionality)
    diffusing = {str(parse_unit(u).dimensionality) for u in ("K", "mol/m^3", "kg/m^3")}
    return diffusivity in dims and bool(diffusing & dims)


def _heat_dimension(text: str) -> tuple[Family | None, str]:
    """Heat in 1D or 2D, from what the request says about its body."""
    if re.search(_SAYS_2D, text):
        return HEAT_2D_FAMILY, ""
    if re.search(_SAYS_1D, text):
        return HEAT_1D_FAMILY, ""
    two, one = re.search(_TWO_D, text), re.search(_ONE_D, text)
    if two and not one:
        return HEAT_2D_FAMILY, ""
    if one and not two:
        return HEAT_1D_FAMILY, ""
    return None, "heat dimension"


def known_families() -> list[str]:
    names = [f.name for f in FAMILIES if f.key != "heat"]
    return [HEAT_1D_FAMILY.name, HEAT_2D_FAMILY.name, *names]
