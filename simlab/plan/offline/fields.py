"""Templates for waves and imaging: rectangular waveguide modes, Fresnel slit, CT."""

from __future__ import annotations

import re

from simlab.plan.offline.build import describe, in_si, num
from simlab.plan.offline.conditions import NUM, tolerance
from simlab.plan.offline.reading import Reading, Slot
from simlab.plan.offline.text import read_unit
from simlab.spec.model import (
    BoundaryCondition,
    BoundaryConditions,
    BoundarySegment,
    Coordinate,
    Discretization,
    Domain,
    Eigenvalue,
    Equation,
    Equations,
    InitialConditions,
    Observable,
    Parameter,
    Quantity,
    Reference,
    Spec,
    Tolerance,
    Unknown,
)

#: standard waveguide designations (EIA): inner width and height
WAVEGUIDES = {
    "wr-90": (Quantity(0.02286, "m"), Quantity(0.01016, "m")),
    "wr-62": (Quantity(0.0157988, "m"), Quantity(0.0078994, "m")),
    "wr-137": (Quantity(0.0348488, "m"), Quantity(0.0157988, "m")),
    "wr-284": (Quantity(0.0721360, "m"), Quantity(0.0340360, "m")),
}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

WIDTH = Slot(
    "a", "guide width a", "m", words=("width", "wide", "broad wall", "a"), symbols=("a", "width")
)
HEIGHT = Slot(
    "b",
    "guide height b",
    "m",
    words=("height", "high", "narrow wall", "b"),
    symbols=("b", "height"),
)


def _mode_count(r: Reading) -> int:
    m = re.search(
        r"(?:first|lowest)\s+(?P<n>\d+|one|two|three|four|five|six)\b"
        r"|(?P<m>\d+|two|three|four|five|six)\s+lowest",
        r.lower,
    )
    if m:
        word = m.group("n") or m.group("m")
        start = m.start("n") if m.group("n") else m.start("m")
        r.consume(start, start + len(word))
        n = int(word) if word.isdigit() else _WORDS[word]
        r.read.append(f"{n} lowest modes")
        return n
    r.choices.append("the two lowest modes")
    return 2


def _guide_size(r: Reading) -> tuple[Quantity, Quantity] | None:
    for name, (a, b) in WAVEGUIDES.items():
        if re.search(rf"\b{name}\b|\b{name.replace('-', '')}\b", r.lower):
            r.read.append(f"{name.upper()} guide: a = {a}, b = {b}")
            return a, b
    m = re.search(
        rf"(?P<a>{NUM})\s*(?P<ua>[A-Za-z]+)?\s*(?:by|x|×)\s*(?P<b>{NUM})\s*(?P<ub>[A-Za-z]+)?",
        r.text,
    )
    if m:
        ua, _ = read_unit(" " + (m.group("ua") or ""))
        ub, _ = read_unit(" " + (m.group("ub") or ""))
        ua = ua or ub
        if ua is not None and (ub or ua) is not None:
            r.consume(m.start(), m.end())
            a, b = Quantity(float(m.group("a")), ua), Quantity(float(m.group("b")), ub or ua)
            r.read.append(f"cross-section {a} by {b}")
            return a, b
    r.assign((WIDTH, HEIGHT))
    a, b = r.get(WIDTH), r.get(HEIGHT)
    return None if a is None or b is None else (a, b)


def build_waveguide(r: Reading) -> Spec | None:
    te = r.has(r"\bte\b|\bte\d\d|transverse electric|\bh[- ]modes?\b")
    tm = r.has(r"\btm\b|\btm\d\d|transverse magnetic|\be[- ]modes?\b")
    if te == tm:
        r.ask("mode type (TE or TM)", "TE modes (H_z, Neumann walls) or TM modes (E_z, Dirichlet)?")
    threshold = tolerance(r, 1e-4)
    count = _mode_count(r)
    size = _guide_size(r)
    r.assign(())
    if r.missing or size is None:
        return None
    a, b = size
    if a.unit is None or b.unit is None:
        r.ask("units of the cross-section", "In which unit are the guide's sides given?")
        return None
    kind = "TE" if te else "TM"
    modes = _modes(kind, in_si(a), in_si(b), count)
    field, unit, bc = ("Hz", "A/m", "neumann") if kind == "TE" else ("Ez", "V/m", "dirichlet")
    ax, bx = in_si(a), in_si(b)
    sides = (
        BoundarySegment("left", "x = 0"),
        BoundarySegment("right", f"x = {num(ax)}"),
        BoundarySegment("bottom", "y = 0"),
        BoundarySegment("top", f"y = {num(bx)}"),
    )
    names = [f"kc2_{kind}{m}{n}" for m, n in modes]
    r.choices.append(
        "cutoff wavenumbers squared as observables, referenced to pi^2((m/a)^2 + (n/b)^2)"
    )
    return Spec(
        title=f"Rectangular waveguide, {kind} cutoff wavenumbers",
        description=describe(
            r,
            f"{kind} modes of a rectangular guide with perfectly conducting walls: "
            + (
                "the normal derivative of H_z vanishes on the walls (Neumann eigenvalues)."
                if kind == "TE"
                else "E_z = 0 on the walls (Dirichlet eigenvalues)."
            ),
        ),
        domain=Domain(
            geometry="rectangle",
            coordinates=(Coordinate("x", 0.0, ax, "m"), Coordinate("y", 0.0, bx, "m")),
            boundaries=sides,
        ),
        equations=Equations(
            unknowns=(Unknown(field, unit, ("x", "y")),),
            parameters=(
                Parameter("a", float(a.value), a.unit),
                Parameter("b", float(b.value), b.unit),
            ),
            equations=(Equation(f"-laplacian({field}) = kc2*{field}"),),
            eigenvalue=Eigenvalue("kc2", "1/m^2", count),
        ),
        boundary=BoundaryConditions(tuple(BoundaryCondition(s.name, bc, "0") for s in sides)),
        initial=InitialConditions(stationary=True),
        observables=tuple(
            Observable(n, f"eigenvalue({i})", "1/m^2") for i, n in enumerate(names, 1)
        ),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={
                n: Reference("analytic", _cutoff(m, k))
                for n, (m, k) in zip(names, modes, strict=True)
            },
        ),
        discretization=Discretization(method="finite_difference", scheme="central_5_point"),
    )


def _modes(kind: str, a: float, b: float, count: int) -> list[tuple[int, int]]:
    start = 0 if kind == "TE" else 1
    pairs = [(m, n) for m in range(start, 12) for n in range(start, 12) if (m, n) != (0, 0)]
    pairs.sort(key=lambda p: ((p[0] / a) ** 2 + (p[1] / b) ** 2, p))
    return pairs[:count]


def _cutoff(m: int, n: int) -> str:
    if n == 0:
        return f"{m * m}*pi**2/a**2" if m > 1 else "pi**2/a**2"
    if m == 0:
        return f"{n * n}*pi**2/b**2" if n > 1 else "pi**2/b**2"
    return f"pi**2*({m * m}/a**2 + {n * n}/b**2)"


# ---------------------------------------------------------------- Fresnel

SLIT = Slot(
    "a",
    "slit width",
    "m",
    words=("slit width", "width", "slit of", "wide", "aperture"),
    after=("slit", "wide", "aperture"),
    symbols=("a", "w", "width", "d"),
)
DISTANCE = Slot(
    "z",
    "propagation distance",
    "m",
    words=(
        "distance",
        "screen at",
        "screen",
        "propagation distance",
        "at a distance",
        "away",
        "behind",
    ),
    after=("away", "behind", "from the slit", "downstream"),
    symbols=("z", "L", "distance"),
)
WAVELENGTH = Slot(
    "wavelength",
    "wavelength",
    "m",
    words=("wavelength", "light of", "lambda"),
    symbols=("lambda", "wavelength", "lam"),
)


def build_fresnel(r: Reading) -> Spec | None:
    threshold = tolerance(r, 1e-6)
    r.assign((SLIT, DISTANCE, WAVELENGTH))
    a, z, lam = r.need(SLIT, DISTANCE, WAVELENGTH)
    if r.missing or None in (a, z, lam):
        return None
    if None in (a.unit, z.unit, lam.unit):
        for key, q in (("slit width", a), ("distance", z), ("wavelength", lam)):
            if q.unit is None:
                r.ask(f"unit of {key}", f"In which unit is the {key} {q} given?")
        return None
    a_si, z_si, lam_si = in_si(a), in_si(z), in_si(lam)
    fresnel_number = a_si**2 / (lam_si * z_si)
    r.choices.append("screen window [-2a, 2a]; observables: intensity at the centre and at x = a/2")
    return Spec(
        title="Fresnel diffraction by a single slit",
        description=describe(
            r,
            "A unit plane wave passes a slit of width a; on a screen at distance z the paraxial "
            "field is an integral over the aperture, with a closed-form intensity in the Fresnel "
            f"integrals. Fresnel number a^2/(lambda z) = {fresnel_number:.4g}.",
        ),
        domain=Domain(
            geometry="interval", coordinates=(Coordinate("x", -2 * a_si, 2 * a_si, "m"),)
        ),
        equations=Equations(
            unknowns=(Unknown("U", "1", ("x",)),),
            parameters=(
                Parameter("a", float(a.value), a.unit),
                Parameter("z", float(z.value), z.unit),
                Parameter("wavelength", float(lam.value), lam.unit),
            ),
            definitions={
                "v1": "sqrt(2/(wavelength*z))*(-a/2 - x)",
                "v2": "sqrt(2/(wavelength*z))*(a/2 - x)",
            },
            equations=(
                Equation(
                    "U = sqrt(1/(I*wavelength*z))*integral(exp(I*pi*(x - xi)**2/(wavelength*z)), "
                    "(xi, -a/2, a/2))"
                ),
            ),
        ),
        boundary=BoundaryConditions(none=True),
        initial=InitialConditions(stationary=True),
        observables=(
            Observable("I_center", "intensity(x=0)", "1"),
            Observable("I_edge", f"intensity(x={num(a_si / 2)})", "1"),
        ),
        tolerance=Tolerance(
            metric="relative_error",
            threshold=threshold,
            references={
                "*": Reference(
                    "analytic",
                    "((fresnelc(v2) - fresnelc(v1))**2 + (fresnels(v2) - fresnels(v1))**2)/2",
                )
            },
        ),
        discretization=Discretization(method="quadrature", scheme="composite_simpson"),
    )


# ---------------------------------------------------------------- CT

ANGLES = Slot(
    "n_angles",
    "number of projection angles",
    None,
    words=("angles", "projections", "views", "projection angles"),
    after=("angles", "projections", "views", "projection", "parallel-beam", "parallel"),
    symbols=("n_angles", "angles"),
    default=Quantity(180.0),
)
SPAN = Slot(
    "angle_range",
    "angular range",
    "degree",
    words=("over", "spanning", "covering", "range of", "angular range"),
    symbols=("angle_range",),
    default=Quantity(180.0, "degree"),
)


def build_ct(r: Reading) -> Spec | None:
    if not r.has(r"shepp|logan|phantom"):
        r.ask(
            "object to image",
            "Which object should be reconstructed? The offline drafter "
            "knows the Shepp-Logan phantom.",
        )
    if r.has(r"fan[- ]beam|cone[- ]beam|helical"):
        r.ask("beam geometry", "The offline drafter writes parallel-beam CT only; is that meant?")
    grid = _grid(r)
    noise = _noise(r)
    r.assign((ANGLES, SPAN))
    angles = r.get(ANGLES)
    span = r.get(SPAN) if "angle_range" in r.values or r.defaults_allowed else _half_turn(r)
    if grid is None:
        if r.defaults_allowed:
            grid = 128
            r.defaults.append("image grid 128 x 128")
        else:
            r.ask("image size", "On which image grid (e.g. 128 x 128 pixels)?")
    if r.missing or angles is None or grid is None or span is None:
        return None
    r.choices.append(
        "acceptance: PSNR at least 25 dB and relative error at most 0.25 against the phantom; "
        "filtered back-projection refined by SART"
    )
    return Spec(
        title="CT reconstruction of the Shepp-Logan phantom",
        description=describe(
            r,
            "Parallel-beam tomography: projections reconstructed by filtered back-projection and "
            "refined by a regularised, non-negative iterative method. The reference is the "
            "phantom itself.",
        ),
        domain=Domain(
            geometry="rectangle",
            coordinates=(Coordinate("x", -1.0, 1.0), Coordinate("y", -1.0, 1.0)),
            grid={"nx": grid, "ny": grid},
        ),
        equations=Equations(
            unknowns=(Unknown("f", None, ("x", "y")),),
            parameters=(
                Parameter("n_angles", float(int(angles.value))),
                Parameter("angle_range", float(span.value), span.unit or "degree"),
                Parameter("geometry", "parallel_beam"),
                Parameter("noise", noise),
            ),
            definitions={"p": "radon(shepp_logan(x, y))"},
            equations=(Equation("radon(f) = p"),),
            nondimensional=True,
        ),
        boundary=BoundaryConditions((BoundaryCondition("positivity", "constraint", "f >= 0"),)),
        initial=InitialConditions(stationary=True, initial_guess={"f": "0"}),
        observables=(
            Observable("psnr", "psnr(f)", "dB"),
            Observable("relative_error", "relative_error(f)"),
        ),
        tolerance=Tolerance(
            metric="psnr",
            threshold=25.0,
            references={"*": Reference("data", "shepp_logan_phantom")},
            minimum={"psnr": 25.0},
            maximum={"relative_error": 0.25},
        ),
        discretization=Discretization(
            method="filtered_back_projection", scheme="ramp_filter_then_sart"
        ),
    )


def _grid(r: Reading) -> int | None:
    m = re.search(r"(?P<n>\d+)\s*(?:x|×|by)\s*(?P<m>\d+)(?:\s*(?:pixels?|grid|image))?", r.lower)
    if m and m.group("n") == m.group("m"):
        r.consume(m.start(), m.end())
        r.read.append(f"image grid {m.group('n')} x {m.group('m')}")
        return int(m.group("n"))
    return None


def _noise(r: Reading) -> str:
    if r.has(r"noise[- ]free|no noise|without noise|noiseless|exact data|clean data"):
        r.read.append("noise-free projections")
        return "none"
    if r.has(r"\bnois(e|y)\b"):
        r.ask("noise level", "How much noise is in the projections (e.g. 1 % Gaussian)?")
        return "unknown"
    r.choices.append("noise-free projections (no noise was mentioned)")
    return "none"


def _half_turn(r: Reading) -> Quantity | None:
    if r.has(r"half[- ]turn|180 ?(deg|degrees|°)|\bpi\b radians"):
        return Quantity(180.0, "degree")
    r.choices.append(
        "angle_range = 180 degree: projections over a half turn, which holds every line "
        "integral once (no range was given)"
    )
    return Quantity(180.0, "degree")
