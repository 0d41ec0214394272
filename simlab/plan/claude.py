"""Claude as planner, through the official ``anthropic`` SDK, with every exchange recorded.

The request asks for structured output (``output_config.format``: a JSON schema derived from
the spec model, see :mod:`simlab.plan.schema`) and streams; the ``reply`` field is passed to
``on_text`` as it arrives, for a chat view. The answer goes through the typed model
(``parse(render(...))``) and the validator before it becomes a draft. The API key comes only
from the environment (``ANTHROPIC_API_KEY``) unless a caller passes one explicitly; it travels
in a header, and headers are never recorded.

:class:`ReplayPlanner` is the same code path with the network replaced by the inference log.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import jiter

from simlab.errors import PlanError
from simlab.plan.errors import ModelOutputError, ModelRefusalError
from simlab.plan.finalize import finish
from simlab.plan.inference_log import (
    InferenceLog,
    RecordingTransport,
    ReplayMissError,
    ReplayTransport,
)
from simlab.plan.prompts import SYSTEM_PROMPT, build_messages
from simlab.plan.schema import REPLY_SCHEMA, spec_from_payload
from simlab.plan.types import ClarifyingQuestion, Draft, RejectionFeedback

DEFAULT_MODEL = "claude-sonnet-4-6"
DEFAULT_MAX_TOKENS = 8192
MODEL_ENV = "SIMLAB_CLAUDE_MODEL"
STREAM_RETRIES = 2
"""Retries of a stream that an error event ended (the SDK retries only HTTP errors)."""
STREAM_ERRORS = {
    "overloaded_error": ("the Anthropic API is overloaded", True),
    "api_error": ("the Anthropic API had an internal error", True),
    "rate_limit_error": ("the Anthropic API rate limit was reached", True),
    "timeout_error": ("the Anthropic API timed out", True),
    "invalid_request_error": ("the Anthropic API rejected the request", False),
    "authentication_error": ("the Anthropic API did not accept the key", False),
    "permission_error": ("the key may not use this model", False),
    "not_found_error": ("the Anthropic API does not know this model", False),
    "request_too_large": ("the request is too large for the Anthropic API", False),
}
"""Error event type -> (what it means, whether a retry can help)."""


def default_model() -> str:
    """The model to use: ``SIMLAB_CLAUDE_MODEL``, else the config's ``[claude] model``, else
    :data:`DEFAULT_MODEL`."""
    from simlab.plan.config import claude_setting

    env = os.environ.get(MODEL_ENV, "").strip()
    if env:
        return env
    configured = claude_setting("model")
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise PlanError(
                f"[claude] model in the configuration must be a model name, got {configured!r}"
            )
        return configured.strip()
    return DEFAULT_MODEL


class StreamError(PlanError):
    """The API sent an error event (in a 200 stream); ``retryable`` says if a retry may help."""

    def __init__(self, message: str, *, kind: str, retryable: bool, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.kind = kind
        self.retryable = retryable


def _stream_error(exc: anthropic.APIStatusError) -> StreamError | None:
    """The meaning of an error *event* the SDK raised with the stream's 200 status."""
    if exc.status_code != 200:
        return None  # an HTTP error status: the SDK already retried what it could
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else body
    kind = str(error.get("type", "")) if isinstance(error, dict) else ""
    meaning, retryable = STREAM_ERRORS.get(kind, ("the Anthropic API sent an error", False))
    detail = error.get("message", "") if isinstance(error, dict) else ""
    return StreamError(
        f"{meaning} ({kind or 'unknown error'} in the middle of the answer"
        + (f": {detail}" if detail else "")
        + ")",
        kind=kind,
        retryable=retryable,
        hint="try again in a minute" if retryable else None,
    )


TextCallback = Callable[[str], None]


class ReplyStream:
    """Feeds raw JSON deltas in, hands out the new text of the ``reply`` field."""

    def __init__(self, on_text: TextCallback | None) -> None:
        self._on_text = on_text
        self._buffer = ""
        self._shown = 0

    def feed(self, delta: str) -> None:
        if self._on_text is None:
            return
        self._buffer += delta
        try:
            partial = jiter.from_json(self._buffer.encode(), partial_mode="trailing-strings")
        except ValueError:
            return
        reply = partial.get("reply") if isinstance(partial, dict) else None
        if isinstance(reply, str) and len(reply) > self._shown:
            self._on_text(reply[self._shown :])
            self._shown = len(reply)


class ClaudePlanner:
    """Drafts specs with Claude; ``log`` receives every exchange (in memory by default)."""

    purpose = "plan"
    """How this client's exchanges are labelled in the inference log."""

    def __init__(
        self,
        *,
        model: str | None = None,
        log: InferenceLog | None = None,
        api_key: str | None = None,
        transport: httpx2.BaseTransport | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        max_retries: int = 2,
        on_text: TextCallback | None = None,
        retry_wait: float = 2.0,
    ) -> None:
        """``model`` defaults to :func:`default_model` (environment, config, built-in)."""
        model = model or default_model()
        key = api_key if api_key is not None else os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise PlanError(
                "no Anthropic API key: set ANTHROPIC_API_KEY in the environment",
                hint="or draft offline (simlab draft --offline), or replay a recorded log",
            )
        self.log = log if log is not None else InferenceLog()
        recording = RecordingTransport(
            transport or httpx2.HTTPTransport(), self.log, purpose=self.purpose
        )
        client = anthropic.Anthropic(
            api_key=key,
            http_client=anthropic.DefaultHttpxClient(transport=recording),
            max_retries=max_retries,
        )
        self._setup(f"claude:{model}", model, client, max_tokens, on_text)
        self.retry_wait = retry_wait

    def _setup(
        self,
        name: str,
        model: str,
        client: anthropic.Anthropic,
        max_tokens: int,
        on_text: TextCallback | None,
    ) -> None:
        self.name = name
        self.model = model
        self.max_tokens = max_tokens
        self.on_text = on_text
        self._client = client
        self.retry_wait = 0.0

    def __repr__(self) -> str:  # never show the client (it holds the key)
        return f"{type(self).__name__}(model={self.model!r})"

    def request_params(self, request: str, feedback: RejectionFeedback | None) -> dict[str, Any]:
        """Everything sent for one round (the SDK adds ``stream: true``)."""
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "system": SYSTEM_PROMPT,
            "messages": build_messages(request, feedback),
            "output_config": {"format": {"type": "json_schema", "schema": REPLY_SCHEMA}},
        }

    def draft(self, request: str, *, feedback: RejectionFeedback | None = None) -> Draft:
        if not request or not request.strip():
            raise PlanError("the request is empty", hint="describe the problem to simulate")
        return self._interpret(self.complete(self.request_params(request, feedback)))

    def complete(self, params: dict[str, Any]) -> Any:
        """Stream one request to its final message; an error event mid-stream is retried
        (up to :data:`STREAM_RETRIES` times) when its type says a retry may help."""
        for attempt in range(STREAM_RETRIES + 1):
            try:
                return self._stream_once(params)
            except StreamError as exc:
                if not exc.retryable or attempt == STREAM_RETRIES:
                    if exc.retryable:
                        exc.message += f"; gave up after {attempt + 1} attempts"
                    raise
                time.sleep(self.retry_wait * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _stream_once(self, params: dict[str, Any]) -> Any:
        stream_view = ReplyStream(self.on_text)
        try:
            with self._client.messages.stream(**params) as stream:
                for delta in stream.text_stream:
                    stream_view.feed(delta)
                return stream.get_final_message()
        except anthropic.APIConnectionError as exc:
            if isinstance(exc.__cause__, PlanError):
                raise exc.__cause__ from None
            raise PlanError(
                f"cannot reach the Anthropic API ({type(exc).__name__})",
                hint="check the network, or draft offline with --offline",
            ) from None
        except anthropic.AuthenticationError:
            raise PlanError(
                "the Anthropic API did not accept the key (401)",
                hint="check ANTHROPIC_API_KEY",
            ) from None
        except anthropic.APIStatusError as exc:
            event = _stream_error(exc)
            if event is not None:
                raise event from None
            raise PlanError(
                f"the Anthropic API answered {exc.status_code}: {exc.message}"
            ) from None
        except anthropic.AnthropicError as exc:
            raise PlanError(f"the Anthropic SDK failed: {exc}") from None
        except (AssertionError, ValueError, KeyError, TypeError) as exc:
            # the SDK asserts it saw a message_start: a 200 without events lands here
            raise PlanError(
                "the Anthropic API answered 200 without a message (an empty body, or a body "
                f"that is not an event stream, such as an HTML page) [{type(exc).__name__}]",
                hint="a proxy, captive portal or wrong ANTHROPIC_BASE_URL may be answering "
                "instead of the API; check the network settings and try again",
            ) from None

    def _interpret(self, message: Any) -> Draft:
        text = "".join(b.text for b in message.content if getattr(b, "type", "") == "text")
        if message.stop_reason == "refusal":
            raise ModelRefusalError(
                "the model declined to draft this request (stop_reason: refusal)",
                raw=text,
                hint="rephrase the request, or draft offline",
            )
        if message.stop_reason == "max_tokens":
            raise ModelOutputError(
                f"the model's answer was cut off at max_tokens={self.max_tokens} "
                f"after {len(text)} characters",
                problems=(
                    f"your previous answer was cut off at max_tokens={self.max_tokens}; "
                    "answer again, more concisely (short description, no repetition)",
                ),
                raw=text,
            )
        try:
            reply = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ModelOutputError(
                f"the model's answer is not valid JSON ({exc.msg} at character {exc.pos})",
                problems=(f"your previous answer was not valid JSON: {exc.msg} at {exc.pos}",),
                raw=text,
            ) from None
        return self._draft_from_reply(reply, text)

    def _draft_from_reply(self, reply: Any, raw: str) -> Draft:
        if not isinstance(reply, dict) or reply.get("kind") not in ("spec", "question"):
            raise ModelOutputError(
                "the model's answer does not follow the reply schema (no kind spec/question)",
                raw=raw,
            )
        note = str(reply.get("reply", "")).strip()
        if reply["kind"] == "question":
            question = str(reply.get("question", "")).strip()
            if not question:
                raise ModelOutputError("the model chose to ask but gave no question", raw=raw)
            missing = tuple(str(m).strip() for m in reply.get("missing") or () if str(m).strip())
            return ClarifyingQuestion(question, missing, planner=self.name, note=note, raw=raw)
        if not isinstance(reply.get("spec"), dict):
            raise ModelOutputError("the model chose kind 'spec' but sent no spec", raw=raw)
        try:
            spec = spec_from_payload(reply["spec"])
        except PlanError as exc:
            raise ModelOutputError(exc.message, raw=raw, hint=exc.hint) from None
        return finish(spec, planner=self.name, note=note, raw=raw)


class ReplayPlanner(ClaudePlanner):
    """Answers from a recorded inference log alone; an unrecorded request raises
    :class:`~simlab.plan.inference_log.ReplayMissError` (never a network call)."""

    def __init__(
        self,
        log: str | Path | InferenceLog,
        *,
        model: str | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        on_text: TextCallback | None = None,
    ) -> None:
        self.log = log if isinstance(log, InferenceLog) else InferenceLog.open(log)
        if model is None:
            models = [e.model for e in self.log.entries() if e.purpose == self.purpose]
            if not models:
                what = {"plan": "planning", "execute": "solver-writing"}.get(
                    self.purpose, self.purpose
                )
                raise ReplayMissError(f"the inference log {self.log} holds no {what} exchange")
            model = models[-1]
        client = anthropic.Anthropic(
            api_key="replay-without-a-key",  # required by the SDK; nothing is ever sent
            http_client=httpx2.Client(transport=ReplayTransport(self.log)),
            max_retries=0,
        )
        self._setup(f"replay:{model}", model, client, max_tokens, on_text)
