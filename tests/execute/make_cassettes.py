"""Write the Execute cassettes: each scenario's model replies, round by round.

``python -m tests.execute.make_cassettes`` (run from the repository). The replies are written
by hand from the seeded-bug corpus (benchmarks/seeded): a buggy first round is a corpus bug
module made self-contained (its ``from correct import`` folded into one file), a good round
is the corpus's correct module. The test serves them through the real anthropic SDK.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "seeded"
HERE = Path(__file__).with_name("cassettes")

SCENARIOS = {
    "heat_first_try": ("heat_1d", ["correct"]),
    "heat_explicit_unstable": ("heat_1d", ["bug_ftcs_fixed_dt", "correct"]),
    "heat_boundary_closure": ("heat_1d", ["bug_bc_half_cell", "correct"]),
    "robertson_unit_slip": ("robertson", ["bug_time_in_hours", "correct"]),
    "robertson_hardcoded_end": ("robertson", ["bug_hardcoded_t_end", "correct"]),
    "heat_hardcoded_kappa": ("heat_1d", ["hardcoded_kappa", "correct"]),
    "heat_never_right": ("heat_1d", ["bug_ftcs_fixed_dt", "bug_bc_half_cell", "bug_cn_sign"]),
}


HAND_WRITTEN = {
    # the model copies the spec's number instead of reading it (right at the spec's point)
    "hardcoded_kappa": ('self.kappa = self.p["kappa"]', "self.kappa = 0.5  # from the spec"),
}


def self_contained(problem: str, name: str) -> str:
    correct = (CORPUS / problem / "correct.py").read_text()
    if name == "correct":
        return correct
    if name in HAND_WRITTEN:
        old, new = HAND_WRITTEN[name]
        assert old in correct
        return correct.replace(old, new)
    bug = (CORPUS / problem / f"{name}.py").read_text()

    def aliases(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(1).split(",")]
        pairs = [n.split(" as ") for n in names if " as " in n]
        return "\n".join(f"{alias} = {orig}" for orig, alias in pairs)

    bug = re.sub(r"^from correct import ([^#\n]*).*$", aliases, bug, flags=re.M)
    return f"{correct}\n\n# ---- round changes\n{bug}"


def reply(problem: str, name: str) -> dict[str, object]:
    code = self_contained(problem, name)
    scope: dict[str, object] = {"__name__": "cassette"}
    exec(compile(code, f"{problem}/{name}", "exec"), scope)  # our own corpus
    solver = scope["SOLVER"]
    assert isinstance(solver, dict)
    disc = solver.get("discretization", {})
    method = ", ".join(str(disc[k]) for k in ("method", "scheme", "integrator") if k in disc)
    return {
        "reply": f"Here is a solver ({name.replace('_', ' ')}).",
        "method": method or str(solver["name"]),
        "formal_order": float(solver["formal_order"]),
        "code": code,
    }


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for scenario, (problem, rounds) in SCENARIOS.items():
        data = {
            "spec": f"dev/{problem}",
            "rounds": [{"module": name, "reply": reply(problem, name)} for name in rounds],
        }
        (HERE / f"{scenario}.json").write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
