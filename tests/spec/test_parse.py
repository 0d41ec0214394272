"""Parser: sections, YAML bodies, the dialect, and line numbers."""

from __future__ import annotations

import textwrap

import pytest

from simlab.errors import SpecError
from simlab.spec import parse

MINIMAL = textwrap.dedent(
    """\
    # Specification: Heat
    ## Domain
    geometry: interval
    coordinates:
      x: {range: [0, 1], unit: m}
    time: {range: [0, 1], unit: s}
    boundaries:
      left: x = 0
      right: x = 1
    ## Equations
    unknowns:
      u: {unit: K, depends_on: [t, x]}
    parameters:
      kappa: 1.0e-4 m^2/s
      u0: 1 K
    equations:
      - diff(u, t) = kappa*diff(u, x, 2)
    ## Boundary Conditions
    left: {type: dirichlet, value: 0}
    right: {type: neumann, value: 0}
    ## Initial Conditions
    u: u0*sin(pi*x)
    ## Observables
    u_mid: {definition: "u(t=1, x=0.5)", unit: K}
    ## Tolerance
    metric: relative_error
    threshold: 1e-3
    reference: extrapolation
    """
)


def test_minimal_spec_reads_every_part() -> None:
    spec = parse(MINIMAL)
    assert spec.title == "Heat"
    assert [c.name for c in spec.domain.coordinates] == ["x"]
    assert spec.domain.time is not None and spec.domain.time.upper == 1.0
    kappa = spec.equations.parameter("kappa")
    assert kappa is not None and kappa.value == pytest.approx(1e-4) and kappa.unit == "m^2/s"
    assert [c.type for c in spec.boundary.conditions] == ["dirichlet", "neumann"]
    assert spec.initial.of("u") is not None
    assert spec.observable("u_mid").unit == "K"
    # YAML 1.1 would read 1e-3 as a string; the spec loader reads a float
    assert spec.tolerance.threshold == pytest.approx(1e-3)
    assert spec.tolerance.reference_for("u_mid").kind == "extrapolation"


def test_sections_in_any_order_case_and_suffix() -> None:
    blocks = MINIMAL.split("## ")
    header, body = blocks[0], ["## " + b for b in blocks[1:]]
    shuffled = header + "".join(reversed(body))
    shuffled = shuffled.replace("## Tolerance", "## TOLERANCE (relative)")
    shuffled = shuffled.replace("## Domain", "##domain")
    assert parse(shuffled) == parse(MINIMAL)


def test_extensions_are_kept() -> None:
    text = MINIMAL + "## Task Instance Variations (100 instances)\nsplit: [public, dev]\n"
    spec = parse(text)
    ext = spec.extension("Task Instance Variations (100 instances)")
    assert ext is not None and ext.data == {"split": ["public", "dev"]}


def test_lines_point_at_keys() -> None:
    spec = parse(MINIMAL)
    assert spec.line_of("equations", "parameters", "kappa") == 14
    assert spec.line_of("boundary", "right") == 20


def test_multiline_flow_arrays_and_block_text() -> None:
    text = MINIMAL.replace(
        "## Observables",
        "## Primitives Required\nprimitives: [integrate, solve_linear,\n  optimize]\n"
        "## Observables",
    ).replace("geometry: interval", "geometry: interval\nnotes: |\n  first line\n  second line")
    spec = parse(text)
    assert spec.extension("Primitives Required").data["primitives"] == [
        "integrate",
        "solve_linear",
        "optimize",
    ]
    assert spec.domain.extra["notes"] == "first line\nsecond line\n"


def test_code_fenced_body_is_unwrapped() -> None:
    text = MINIMAL.replace("metric: relative_error", "```yaml\nmetric: relative_error").replace(
        "reference: extrapolation", "reference: extrapolation\n```"
    )
    assert parse(text).tolerance.metric == "relative_error"


def test_lambda_keyword_is_a_name() -> None:
    text = MINIMAL.replace("kappa", "lambda")
    spec = parse(text)
    assert spec.equations.parameter("lambda") is not None


@pytest.mark.parametrize(
    ("mutation", "line", "section", "needle"),
    [
        (("kappa: 1.0e-4 m^2/s", "kappa: 1.0e-4 m^2/sx"), 14, "Equations", "unknown unit 'sx'"),
        (("diff(u, t) = kappa", "diff(u, t) = = kappa"), 17, "Equations", "cannot read"),
        (("diff(u, t) = kappa*diff(u, x, 2)", "u.__class__ = 1"), 17, "Equations", "not allowed"),
        (("left: {type: dirichlet", "left: {type: dirichlett"), 19, "Boundary Conditions", "type"),
        (("u0: 1 K", "u0: 1 K\n  u0: 2 K"), 16, "Equations", "appears twice"),
        (("  x: {range: [0, 1], unit: m}", "  x: {range: [1, 0], unit: m}"), 5, "Domain", "upper"),
        (("metric: relative_error", "metric: [unclosed"), 26, "Tolerance", "YAML"),
        (("u: u0*sin(pi*x)", "u: u0*sin(pi*x\t)"), 22, "Initial Conditions", "tab"),
    ],
)
def test_malformed_input_names_line_and_section(mutation, line, section, needle) -> None:
    text = MINIMAL.replace(*mutation)
    with pytest.raises(SpecError) as info:
        parse(text, file="bad.md")
    err = info.value
    assert err.file == "bad.md"
    assert err.line == line, str(err)
    assert err.section == section
    assert needle.lower() in str(err).lower()
    assert err.hint or "fix" not in str(err)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("## Domain\ngeometry: interval\n", "first line"),
        (MINIMAL.replace("## Observables", "## Observables\n## Observables"), "appears twice"),
        (MINIMAL.split("## Tolerance")[0], "missing mandatory section"),
    ],
)
def test_structural_errors(text, needle) -> None:
    with pytest.raises(SpecError, match=needle):
        parse(text)


def test_unit_suggestion() -> None:
    with pytest.raises(SpecError) as info:
        parse(MINIMAL.replace("1.0e-4 m^2/s", "1.0e-4 m^2/secnd"))
    assert "did you mean" in (info.value.hint or "")
