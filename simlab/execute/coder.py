"""Claude writes a solver module (structured output), through the planner's hardened client."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simlab.execute.prompts import SOLVER_REPLY_SCHEMA, SYSTEM_PROMPT
from simlab.plan.claude import ClaudePlanner, ReplayPlanner
from simlab.plan.errors import ModelOutputError
from simlab.plan.inference_log import InferenceLog

CODER_MAX_TOKENS = 16000


@dataclass(frozen=True)
class SolverAttempt:
    """One round's answer: the module's code, the declared method and order, the raw reply."""

    code: str
    method: str
    formal_order: float
    note: str
    raw: str


class ClaudeCoder(ClaudePlanner):
    """Writes solver modules with Claude; every exchange goes to ``log`` (purpose 'execute')."""

    purpose = "execute"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_tokens", CODER_MAX_TOKENS)
        super().__init__(**kwargs)

    def solver_params(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": SYSTEM_PROMPT,
            "messages": messages,
            "output_config": {"format": {"type": "json_schema", "schema": SOLVER_REPLY_SCHEMA}},
        }

    def write(self, messages: list[dict[str, str]]) -> SolverAttempt:
        """The model's module for the conversation so far (task, answers, feedback)."""
        message = self.complete(self.solver_params(messages))
        text = "".join(b.text for b in message.content if getattr(b, "type", "") == "text")
        if message.stop_reason == "max_tokens":
            raise ModelOutputError(
                f"the model's solver was cut off at max_tokens={self.max_tokens}", raw=text
            )
        try:
            reply = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelOutputError(
                f"the model's answer is not valid JSON ({exc.msg} at {exc.pos})", raw=text
            ) from None
        code = reply.get("code") if isinstance(reply, dict) else None
        order = reply.get("formal_order") if isinstance(reply, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise ModelOutputError("the model's answer holds no code", raw=text)
        if isinstance(order, bool) or not isinstance(order, int | float) or math.isnan(order):
            raise ModelOutputError(f"the declared formal order {order!r} is not a number", raw=text)
        return SolverAttempt(
            code=code,
            method=str(reply.get("method", "")).strip(),
            formal_order=float(order),
            note=str(reply.get("reply", "")).strip(),
            raw=text,
        )


class ReplayCoder(ReplayPlanner, ClaudeCoder):
    """:class:`ClaudeCoder` answered from a recorded inference log, without a key."""

    purpose = "execute"

    def __init__(self, log: str | Path | InferenceLog, **kwargs: Any) -> None:
        kwargs.setdefault("max_tokens", CODER_MAX_TOKENS)
        ReplayPlanner.__init__(self, log, **kwargs)
