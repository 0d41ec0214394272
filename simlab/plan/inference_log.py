"""The inference log: every exchange with a language model, as JSON lines, and its replay.

One line per HTTP exchange with the Messages API: the request body (never headers, so never
the API key), the response body exactly as received, the model, the SDK version, the time
and the SHA-256 of the canonical request (the replay key). :class:`RecordingTransport` sits
under the official SDK and appends each exchange; :class:`ReplayTransport` answers from the
log alone, byte for byte, and raises :class:`ReplayMissError` for a request it has not seen
instead of calling anyone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2

from simlab.errors import PlanError


class ReplayMissError(PlanError):
    """A replayed request is not in the inference log (the prompt, schema or model changed)."""


def canonical_request(body: bytes | str | dict[str, Any]) -> str:
    """The request body as canonical JSON (sorted keys, no spaces): what the hash covers."""
    data = json.loads(body) if isinstance(body, (bytes, str)) else body
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def request_hash(body: bytes | str | dict[str, Any]) -> str:
    """SHA-256 of the canonical request body: the replay key."""
    return hashlib.sha256(canonical_request(body).encode("utf-8")).hexdigest()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its response."""

    request_hash: str
    request: dict[str, Any]
    response: str
    status: int
    content_type: str
    model: str
    sdk: str
    time: str
    response_sha256: str
    complete: bool = True
    purpose: str = "plan"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class InferenceLog:
    """An append-only JSON-lines log; with ``path=None`` it lives in memory (save it later)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._memory: list[Exchange] = []

    @classmethod
    def open(cls, path: str | Path) -> InferenceLog:
        """An existing log to replay from; a missing or unreadable file is a clear error."""
        log = cls(path)
        if not log.path.is_file():  # type: ignore[union-attr]
            raise PlanError(f"no inference log at {path}", hint="record one with a live planner")
        log.entries()  # fail now on a corrupt file, not in the middle of a replay
        return log

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else "<in-memory inference log>"

    def append(self, exchange: Exchange) -> None:
        if self.path is None:
            self._memory.append(exchange)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(exchange.to_json() + "\n")

    def entries(self) -> list[Exchange]:
        if self.path is None:
            return list(self._memory)
        if not self.path.exists():
            return []
        out = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(Exchange(**json.loads(line)))
            except (json.JSONDecodeError, TypeError) as exc:
                raise PlanError(
                    f"inference log line {number} is not a recorded exchange ({exc})",
                    file=str(self.path),
                    line=number,
                ) from None
        return out

    def find(self, digest: str) -> Exchange | None:
        """The latest complete exchange for a request hash, preferring successful ones."""
        hits = [e for e in self.entries() if e.request_hash == digest and e.complete]
        ok = [e for e in hits if 200 <= e.status < 300]
        return (ok or hits or [None])[-1]

    def text(self) -> str:
        """The log as JSON lines, e.g. for a run bundle's ``inference.jsonl``."""
        return "".join(e.to_json() + "\n" for e in self.entries())

    def save(self, path: str | Path) -> Path:
        """Write every exchange to ``path`` and return it."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.text(), encoding="utf-8")
        return target


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _sdk_version() -> str:
    import anthropic

    return f"anthropic {anthropic.__version__}"


class _TeeStream(httpx2.SyncByteStream):
    """Passes the response through chunk by chunk and hands the whole body over at the end."""

    def __init__(self, inner: Any, on_done: Callable[[bytes, bool], None]) -> None:
        self._inner = inner
        self._on_done = on_done
        self._chunks: list[bytes] = []
        self._complete = False
        self._reported = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._chunks.append(chunk)
            yield chunk
        self._complete = True
        self._report()

    def close(self) -> None:
        self._report()
        if hasattr(self._inner, "close"):
            self._inner.close()

    def _report(self) -> None:
        if not self._reported:
            self._reported = True
            self._on_done(b"".join(self._chunks), self._complete)


class RecordingTransport(httpx2.BaseTransport):
    """Sends through ``inner`` and appends every Messages exchange to ``log``."""

    def __init__(self, inner: httpx2.BaseTransport, log: InferenceLog, purpose: str = "plan"):
        self.inner = inner
        self.log = log
        self.purpose = purpose

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        # uncompressed bodies, so the log holds the response text as the SDK reads it
        request.headers["accept-encoding"] = "identity"
        response = self.inner.handle_request(request)
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return response  # not a Messages request: pass through unrecorded
        content_type = response.headers.get("content-type", "")

        def record(raw: bytes, complete: bool) -> None:
            text = raw.decode("utf-8", errors="replace")
            self.log.append(
                Exchange(
                    request_hash=request_hash(data),
                    request=data,
                    response=text,
                    status=response.status_code,
                    content_type=content_type,
                    model=str(data.get("model", "")),
                    sdk=_sdk_version(),
                    time=_now(),
                    response_sha256=_sha256(text),
                    complete=complete,
                    purpose=self.purpose,
                )
            )

        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_TeeStream(response.stream, record),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.inner.close()


class ReplayTransport(httpx2.BaseTransport):
    """Answers each request from the log alone; an unseen request raises, it is never sent."""

    def __init__(self, log: InferenceLog) -> None:
        self.log = log

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        digest = request_hash(request.read())
        exchange = self.log.find(digest)
        if exchange is None:
            raise ReplayMissError(
                f"request {digest} is not in the inference log {self.log}; replay never "
                "calls the API",
                file=str(self.log),
                hint="the request changed since it was recorded (prompt, schema, model, "
                "max_tokens or the conversation); record it again with a live planner",
            )
        if _sha256(exchange.response) != exchange.response_sha256:
            raise PlanError(
                f"the recorded response for request {digest} does not match its SHA-256: "
                "the inference log was altered",
                file=str(self.log),
            )
        return httpx2.Response(
            status_code=exchange.status,
            headers={"content-type": exchange.content_type},
            content=exchange.response.encode("utf-8"),
        )
