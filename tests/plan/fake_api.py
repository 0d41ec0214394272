"""A stand-in for the Messages API at the HTTP layer: the real SDK code path, no network.

Responses are server-sent events in the API's wire format (message_start, content_block_*,
message_delta with the stop reason, message_stop), built from a reply text; requests are
kept for inspection.
"""

from __future__ import annotations

import json

import httpx2

from simlab.plan.schema import payload_from_spec
from simlab.spec.model import Spec

MODEL = "claude-sonnet-4-6"


def sse_body(
    text: str, *, stop_reason: str = "end_turn", model: str = MODEL, chunk: int = 64
) -> bytes:
    events: list[dict] = [
        {
            "type": "message_start",
            "message": {
                "id": "msg_test_0001",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 1200, "output_tokens": 1},
            },
        },
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    ]
    events += [
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": text[i : i + chunk]},
        }
        for i in range(0, len(text), chunk)
    ]
    events += [
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": max(1, len(text) // 4)},
        },
        {"type": "message_stop"},
    ]
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()


def spec_reply(spec: Spec, reply: str = "Here is the spec.") -> str:
    return json.dumps(
        {
            "reply": reply,
            "kind": "spec",
            "question": "",
            "missing": [],
            "spec": payload_from_spec(spec),
        }
    )


def question_reply(question: str, missing: list[str], reply: str = "I need more detail.") -> str:
    return json.dumps(
        {"reply": reply, "kind": "question", "question": question, "missing": missing, "spec": None}
    )


class FakeMessagesAPI:
    """Answers POST /v1/messages with the scripted replies, in order."""

    def __init__(self, *replies: str | tuple[str, str] | httpx2.Response) -> None:
        self.replies = list(replies)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError("the fake API got more requests than scripted")
        reply = self.replies.pop(0)
        if isinstance(reply, httpx2.Response):
            return reply
        text, stop = (reply, "end_turn") if isinstance(reply, str) else reply
        return httpx2.Response(
            200,
            headers={"content-type": "text/event-stream"},
            content=sse_body(text, stop_reason=stop),
        )

    @property
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self)

    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests]
