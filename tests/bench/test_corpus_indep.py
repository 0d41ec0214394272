"""The second, independently written corpus: size, independence, variety, documentation."""

from __future__ import annotations

import ast
from collections import Counter

from simlab.bench.corpus import INDEPENDENT, discover
from simlab.bench.problems import PROBLEMS

VARIANTS = discover(INDEPENDENT, corpus="seeded_indep")
BUGS = [v for v in VARIANTS if not v.correct]
CORRECT = [v for v in VARIANTS if v.correct]


def _tree(v):
    return ast.parse(v.path.read_text(encoding="utf-8"))


def _solver(tree) -> dict:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "SOLVER" for t in node.targets
        ):
            return ast.literal_eval(
                ast.unparse(node.value).replace("CFL", "0.5")
            )  # CFL: a module constant
    raise AssertionError("no SOLVER")


def test_size_and_labels():
    assert len(BUGS) >= 60 and len(CORRECT) >= 10
    assert {v.problem for v in VARIANTS} <= {p.name for p in PROBLEMS}
    assert all(v.corpus == "seeded_indep" for v in VARIANTS)
    assert all(v.label.startswith("seeded_indep:") for v in VARIANTS)
    for v in BUGS:
        assert v.summary and v.kind and v.kind != "correct", v.label


def test_no_module_imports_the_first_corpus():
    for v in VARIANTS:
        for node in ast.walk(_tree(v)):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in {"numpy", "scipy", "math", "cmath"}, (v.label, name)


def test_styles_and_declared_methods_vary():
    methods = Counter(_solver(_tree(v))["discretization"].get("method") for v in VARIANTS)
    assert {"finite_volume", "method_of_lines", "spectral", "ode"} <= set(methods), methods
    schemes = {
        _solver(_tree(v))["discretization"].get(k)
        for v in VARIANTS
        for k in ("scheme", "integrator")
    }
    assert {"crank_nicolson", "rk4", "rk3", "bdf2", "radau3", "composite_simpson"} <= schemes
    classes = sum(any(isinstance(n, ast.ClassDef) for n in _tree(v).body) for v in VARIANTS)
    assert 0.2 * len(VARIANTS) < classes < 0.8 * len(VARIANTS)  # classes and plain functions
    rich = sum(
        '"trajectory"' in v.path.read_text() or '"fields"' in v.path.read_text() for v in VARIANTS
    )
    assert rich >= 0.25 * len(VARIANTS)  # plain numbers and trajectories / fields both


def test_the_issue_s_bug_classes_are_covered():
    kinds = " | ".join(v.kind for v in BUGS)
    for needle in (
        "final time off by one step",
        "duplicated boundary node",
        "source at the wrong time level",
        "units",
        "wrong compartment",
        "second eigenvalue",
        "float32",
        "resolution ignored",
        "1.001 x coefficient",
        "calibrated",
        "hard-coded parameter",
        "cached reference",
        "0.9 % leak",
        "peak time in days",
    ):
        assert needle in kinds, needle
