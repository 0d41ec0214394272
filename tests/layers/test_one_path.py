"""Solvers, the engine and the supplied-solver audit read the compiled Problem, not the spec.

The spec is compiled once (``simlab.problem.compile_problem``); after that, the modules below
must not parse spec text again (the spec parser, the expression parser, the Judge's whole-spec
parse, ``SpecValues``) nor read a spec section (``spec.domain``, ``spec.boundary`` ...). The
test walks each module's AST, so an import inside a function counts too. The few modules that
still read the spec are listed with the reason, so the list can only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from simlab.paths import REPO_ROOT

ON_THE_PATH = ("simlab/solvers", "simlab/discretize", "simlab/sandbox/audit.py")
STILL_READING_THE_SPEC = {
    "simlab/solvers/spec_values.py": "SpecValues itself (kept for transform, CT, pipeline)",
    "simlab/solvers/builtin/transform.py": "integral transforms are free text, not in Problem",
    "simlab/solvers/builtin/inverse.py": "CT data and the Radon operator are not in Problem",
    "simlab/solvers/builtin/finite_element.py": "disk/annulus/L-shape are not in Problem yet",
}
PARSERS = ("simlab.spec.parse", "simlab.spec.expressions", "simlab.solvers.spec_values")
WHOLE_SPEC_PARSE = {"simlab.judge.symbolic": ("build", "SymbolicSpec")}
SECTIONS = frozenset(
    {"domain", "equations", "boundary", "initial", "observables", "observable", "tolerance"}
    | {"discretization"}
)


def _modules() -> list[Path]:
    out: list[Path] = []
    for entry in ON_THE_PATH:
        path = REPO_ROOT / entry
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def spec_reads(source: str) -> list[str]:
    """What a module does that re-reads a spec: parser imports and spec-section access."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.startswith(PARSERS)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(PARSERS):
                found.append(f"from {node.module} import ...")
            banned = WHOLE_SPEC_PARSE.get(node.module, ())
            found += [f"from {node.module} import {a.name}" for a in node.names if a.name in banned]
        elif isinstance(node, ast.Attribute) and node.attr in SECTIONS:
            value = node.value
            owner = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
            if owner == "spec":
                found.append(f"line {node.lineno}: spec.{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "spec":
            found.append(f"line {node.lineno}: .spec (the Problem's source spec)")
    return found


@pytest.mark.parametrize(
    "path", _modules(), ids=lambda p: str(p.relative_to(REPO_ROOT)).removeprefix("simlab/")
)
def test_module_reads_the_problem_not_the_spec(path: Path) -> None:
    key = str(path.relative_to(REPO_ROOT))
    reads = spec_reads(path.read_text())
    if key in STILL_READING_THE_SPEC:
        assert reads, f"{key} no longer reads the spec: remove it from STILL_READING_THE_SPEC"
        return
    assert not reads, f"{key} re-reads the spec: {reads}"


def test_the_walker_sees_each_kind_of_spec_read() -> None:
    planted = (
        "from simlab.spec.expressions import safe_name\n"
        "import simlab.spec.parse\n"
        "from simlab.judge.symbolic import build, Jet\n"
        "def f(spec, values, problem):\n"
        "    from simlab.solvers.spec_values import SpecValues\n"
        "    return spec.domain, values.spec.observables, problem.spec\n"
    )
    reads = spec_reads(planted)
    assert len(reads) == 8, reads  # 4 imports, 2 sections, 2 ``.spec`` (values., problem.)
    assert not spec_reads("from simlab.judge.symbolic import Jet\nproblem.geometry.faces\n")


def test_the_built_in_adapters_analyse_a_problem() -> None:
    """``analyse`` takes the compiled Problem (the base class compiles the spec, once)."""
    import inspect

    from simlab.problem import Problem
    from simlab.solvers.builtin._base import SpecDrivenSolver
    from simlab.solvers.protocol import registered

    adapters = [c for c in registered().values() if issubclass(c, SpecDrivenSolver)]
    assert len(adapters) >= 10
    for cls in adapters:
        hints = inspect.get_annotations(cls.analyse, eval_str=True)
        assert hints["problem"] is Problem, cls.__name__
