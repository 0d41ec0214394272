"""What the Execute agent is told: the supplied-solver protocol, the spec, the feedback."""

from __future__ import annotations

import json
from typing import Any

from simlab.sandbox import protocol
from simlab.spec.model import Spec
from simlab.spec.render import render

SOLVER_REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reply", "method", "formal_order", "code"],
    "properties": {
        "reply": {"type": "string", "description": "a short note to the person"},
        "method": {
            "type": "string",
            "description": "the numerical method, e.g. 'Crank-Nicolson finite differences'",
        },
        "formal_order": {
            "type": "number",
            "description": "order of accuracy in h = 1/resolution (equal to SOLVER's)",
        },
        "code": {"type": "string", "description": "the complete Python module"},
    },
}

SYSTEM_PROMPT = f"""You write numerical solvers for simlab, which certifies them.

Write ONE self-contained Python module following simlab's supplied-solver protocol:
{protocol.__doc__}
Rules:
- Use only numpy and scipy. No file, network or process access: the module runs in a sandbox
  that forbids them, and any attempt rejects the solver.
- Read every parameter, coordinate range, time span and observable point from spec["si"]
  (SI base units). Never hard-code a value of the spec: simlab reruns the solver at other
  parameter points and with manufactured solutions.
- Declare in SOLVER exactly the discretization that solve() runs (scheme or integrator, dt
  or cfl), and its true formal order: simlab's Judge checks stability and the observed order.
- A time step must respect the stability limit on the finest grid you declare.
- Return every observable of the spec by name, as a float in SI units.
Answer with the JSON object of the schema: a short note, the method, its formal order, and
the complete module as `code`."""


def task_message(spec: Spec, payload: dict[str, Any]) -> str:
    """The first user turn: the spec as written and its numbers in SI."""
    return (
        "Write the solver for this spec.\n\n```markdown\n"
        + render(spec)
        + "\n```\n\nspec['si'] (what solve() receives, SI base units):\n```json\n"
        + json.dumps(payload.get("si", {}), indent=1, sort_keys=True, default=str)
        + "\n```"
    )


FEEDBACK_LIMIT = 6000


def feedback_message(number: int, certificate: dict[str, Any]) -> str:
    """simlab's verdict on round ``number``, for the next round."""
    lines = [
        f"simlab's certificate for your round-{number} solver: {certificate.get('status')}.",
        "Reasons:",
    ]
    lines += [f"- {r}" for r in certificate.get("reasons") or ["(none given)"]]
    for cond in certificate.get("conditions") or []:
        if cond.get("status") != "PASS":
            lines.append(f"- {cond.get('condition')} {cond.get('status')}: {cond.get('reason')}")
    for check in certificate.get("audit") or []:
        if not check.get("passed"):
            lines.append(f"- audit {check.get('name')}: {check.get('message')}")
    violations = (certificate.get("sandbox") or {}).get("violations") or []
    lines += [f"- sandbox violation {v['kind']}: {v['detail']}" for v in violations]
    lines.append("Fix the cause (not the symptom) and answer with the complete module again.")
    text = "\n".join(lines)
    return text if len(text) <= FEEDBACK_LIMIT else text[: FEEDBACK_LIMIT - 20] + "\n[cut]"
