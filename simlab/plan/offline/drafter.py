"""The offline planner: recognise the family, read the numbers, draft or ask.

It says plainly that it is offline (no language model): in every note, every question and
the description of every spec it writes. It never invents a value a family needs; it uses a
documented default only when the request allows defaults, and names it in the spec.
"""

from __future__ import annotations

import re

from simlab.errors import PlanError
from simlab.plan.finalize import finish
from simlab.plan.offline.equations import read_equations
from simlab.plan.offline.families import known_families, recognize
from simlab.plan.offline.general import build_general
from simlab.plan.offline.reading import Reading
from simlab.plan.types import ClarifyingQuestion, Draft, RejectionFeedback

OFFLINE = "Offline drafter (no language model)"

#: families drafted from their name, whatever equation is typed beside it
_NAMED_SYSTEMS = frozenset({"robertson", "seird", "waveguide", "fresnel", "ct"})
_GEOMETRY = re.compile(
    r"\b(circular|circle|dis[ck]\b|spher\w*|ball\b|cylind\w*|annul\w*|radius|radii|"
    r"membrane|drum|torus|ellips\w*|polar coordinates|cubes?|cuboid|3-?d|three[- ]dimension\w*)"
)


_PHYSICS = re.compile(
    r"\b(maxwell'?s? equations|dielectric|magnetohydro\w*|plasma|korteweg\S*(?: de vries)?|kdv|"
    r"solitons?|kuramoto\S*|cahn\S*|ginzburg\S*|(?:sine|klein)[- ]gordon|elasticity|cantilever|"
    r"beam bending|bending of a beam|navier\S*|turbulen\w*)"
)


def unsupported(request: str) -> str | None:
    """Physics or a geometry the keyless drafter cannot represent, named; else ``None``."""
    p = _PHYSICS.search(request.lower())
    if p is not None:
        return f"the physics ('{p.group(1)}')"
    m = _GEOMETRY.search(request.lower())
    if m is None or "waveguide" in request.lower():
        return None
    return f"the geometry ('{m.group(1)}': only intervals and rectangles)"


def typed_system(typed: list) -> str | None:
    """Two or more typed equations for different unknowns (a system): not drafted keyless."""
    unknowns = list(dict.fromkeys(e.unknown for e in typed))
    return ", ".join(unknowns) if len(unknowns) > 1 else None


class OfflinePlanner:
    """Deterministic drafting for the dev problem families; needs no key and no network."""

    name = "offline"

    def draft(self, request: str, *, feedback: RejectionFeedback | None = None) -> Draft:
        if not isinstance(request, str) or not request.strip():
            raise PlanError("the request is empty", hint="describe the problem to simulate")
        family, why = recognize(request)
        if why == "outside":
            return self._unplaced(request, why)
        beyond = unsupported(request)
        if beyond is not None:
            return self._unsupported(beyond)
        typed = read_equations(request)
        if typed and (family is None or family.key not in _NAMED_SYSTEMS):
            system = typed_system(typed)
            if system is not None:
                return self._unsupported(f"a system of typed equations (for {system})")
            reading = Reading.of(request)
            spec = build_general(reading, typed[0])
            if spec is not None and not reading.missing:
                return self._done(spec, "an equation-driven", reading, feedback)
            two_d = any(m.startswith("not supported: equations in more") for m in reading.missing)
            if not (two_d and family is not None):
                return self._question("typed-equation", reading)
        if family is None:
            return self._unplaced(request, why)
        reading = Reading.of(request)
        spec = family.build(reading)
        if spec is None or reading.missing:
            return self._question(family.name, reading)
        return self._done(spec, f"a {family.name}", reading, feedback)

    def _done(self, spec, what: str, reading: Reading, feedback: RejectionFeedback | None) -> Draft:
        note = f"{OFFLINE}: drafted {what} spec from the request."
        if reading.defaults:
            note += " Defaults used: " + "; ".join(reading.defaults) + "."
        if feedback is not None:
            note += (
                " The offline drafter cannot act on the Judge's reasons; it returns the same "
                "draft. Revise the request, or use a language-model planner."
            )
        try:
            return finish(spec, planner=self.name, note=note)
        except PlanError as exc:  # a misreading the validator caught: ask, never crash
            return ClarifyingQuestion(
                question=(
                    f"{OFFLINE}: I read {what} problem but could not write it as a valid spec: "
                    f"{exc.message}. Please state that part of the request more explicitly."
                ),
                missing=(f"clarification: {exc.message}",),
                planner=self.name,
                note=f"{OFFLINE}: asking before drafting.",
            )

    def _question(self, family: str, r: Reading) -> ClarifyingQuestion:
        asks = list(r.asked.values())
        lines = [f"{OFFLINE}: this reads as a {family} problem, but I will not guess:"]
        lines += [f"  {n}. {q}" for n, q in enumerate(asks, 1)]
        if r.defaults_allowed is False and _has_defaults(family):
            lines.append("  (Say 'use the standard values' to accept the documented defaults.)")
        return ClarifyingQuestion(
            question="\n".join(lines),
            missing=tuple(r.missing),
            planner=self.name,
            note=f"{OFFLINE}: asking before drafting.",
        )

    def _unsupported(self, what: str) -> ClarifyingQuestion:
        return ClarifyingQuestion(
            question=(
                f"{OFFLINE}: not supported: {what}. The keyless drafter writes 1-D problems "
                "(rods, strings, intervals), rectangles, ODEs and the named dev families. "
                "Write the spec.md yourself (docs/spec-format.md) or use a language-model "
                "planner (set ANTHROPIC_API_KEY)."
            ),
            missing=(f"not supported: {what}",)
            + (("domain (an interval or a rectangle)",) if "geometry" in what else ()),
            planner=self.name,
            note=f"{OFFLINE}: outside what it can represent.",
        )

    def _unplaced(self, request: str, why: str) -> ClarifyingQuestion:
        text = request.lower()
        missing: list[str] = []
        asks: list[str] = []
        if why == "heat dimension":
            missing.append("domain")
            asks.append(
                "On which domain: a 1-D rod or interval (its length), or a 2-D plate (its sides)?"
            )
            m = re.search(r"\b([a-z]\w*)\s*=\s*[-+]?[\d.]", text)
            if m and m.group(1) not in ("kappa", "alpha", "d", "x", "t", "u"):
                missing.append(f"meaning of {m.group(1)}")
                asks.append(f"Is {m.group(1)} a diffusivity (m^2/s) or a rate (1/s)?")
            for item, pattern, ask in (
                (
                    "boundary conditions",
                    r"boundar|insulated|held at|fixed|periodic|dirichlet",
                    "Which boundary conditions hold?",
                ),
                ("initial condition", r"initial|u\(x, ?0\)", "What is the initial profile?"),
                ("final time", r"\bfor \d|until|up to t|t ?= ?\d", "Until which time?"),
            ):
                if not re.search(pattern, text):
                    missing.append(item)
                    asks.append(ask)
        else:
            vague = re.findall(
                r"\b(?:large|high|low|small|moderate|typical)\s+([a-z]+(?: number)?)", text
            )
            missing.append("problem type")
            if why == "outside":
                missing.append("not supported: this physics")
            else:  # nothing in the request names a problem the drafter can write
                missing.append("not supported: none of the keyless drafter's problems")
            asks.append(
                "Which problem is this? The offline drafter knows: "
                + ", ".join(known_families())
                + ". Outside these, use a language-model planner or write the spec.md yourself."
            )
            for noun in vague:
                missing.append(f"value of the {noun}")
                asks.append(f"Which {noun} exactly ('{noun}' alone is not a value)?")
            if re.search(r"flow|cylinder|reynolds|navier", text):
                missing += ["geometry and dimension", "inflow and wall conditions"]
                asks.append(
                    "2-D or 3-D, which domain size, and which inflow, outflow and wall conditions?"
                )
        lines = [f"{OFFLINE}: I cannot draft this without guessing:"]
        lines += [f"  {n}. {q}" for n, q in enumerate(asks, 1)]
        return ClarifyingQuestion(
            question="\n".join(lines),
            missing=tuple(missing),
            planner=self.name,
            note=f"{OFFLINE}: asking before drafting.",
        )


def _has_defaults(family: str) -> bool:
    return any(k in family.lower() for k in ("robertson", "bratu", "ct"))
