"""Any text gives a Spec or the one error type, nothing else (property-based)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simlab.errors import SpecError
from simlab.spec import Spec, parse, render
from simlab.spec.sections import decode
from tests.spec.test_parse import MINIMAL

FRAGMENTS = [
    "# Specification: T\n",
    "## Domain\n",
    "## Equations\n",
    "## Boundary Conditions\n",
    "## Initial Conditions\n",
    "## Observables\n",
    "## Tolerance\n",
    "## Discretization\n",
    "unknowns:\n  u: {unit: K, depends_on: [t, x]}\n",
    "parameters:\n  k: 1e-3 m^2/s\n",
    "equations:\n  - diff(u, t) = k*diff(u, x, 2)\n",
    "coordinates:\n  x: {range: [0, 1]}\n",
    "left: {type: dirichlet, value: 0}\n",
    "threshold: 1e-3\n",
    "reference: {kind: analytic, value: '1'}\n",
    "key: [a, b,\n  c]\n",
    "text: |\n  block\n",
    "- item\n",
    ": : :\n",
    "\t\n",
    "{[\n",
    "u: __import__('os')\n",
    "x: 1 furlongs/fortnight\n",
]


def _check(text: str) -> None:
    try:
        spec = parse(text)
    except SpecError as exc:
        assert exc.message
        return
    assert isinstance(spec, Spec)
    assert parse(render(spec)) == spec


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25))
def test_structured_fragments(parts: list[str]) -> None:
    _check("".join(parts))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(MINIMAL) - 1), st.text(max_size=8))
def test_mutated_valid_spec(pos: int, insert: str) -> None:
    _check(MINIMAL[:pos] + insert + MINIMAL[pos + 1 :])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.md")
    except SpecError:
        return
    _check(text)
