"""Write -> sandbox -> certify, up to three rounds; the bundle; the byte-exact replay.

Each round the model writes a module (:class:`~simlab.execute.coder.ClaudeCoder`); simlab
runs it in the sandbox and certifies it (:func:`simlab.sandbox.certify_supplied`, the full
evidence of the pipeline). On FLAG or REJECT the certificate's reasons go back to the model
as the next user turn. The session ends at the first PASS, or refuses after the last round.

The bundle holds the spec, the inference log (every exchange), each round's code and
certificate, and ``session.json``; :func:`replay_bundle` runs the whole session again from
the log alone (no key, no network) and compares every code file and certificate byte for
byte.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from simlab.certify.certificate import Certificate, Status
from simlab.errors import SimlabError
from simlab.execute.coder import ClaudeCoder, ReplayCoder, SolverAttempt
from simlab.execute.prompts import feedback_message, task_message
from simlab.plan.inference_log import InferenceLog
from simlab.sandbox import Sandbox, certify_supplied, spec_payload
from simlab.spec.model import Spec
from simlab.spec.parse import parse_file
from simlab.spec.render import render

MAX_ROUNDS = 3
TIME_BUDGET = 600.0
"""Seconds per convergence study: generous, so that the refinement (and so the certificate)
does not depend on how loaded the machine is, which replay needs."""

Progress = Callable[[str], None]


@dataclass
class Round:
    """One round: what the model wrote and what simlab certified."""

    number: int
    code: str
    method: str
    formal_order: float
    note: str
    certificate: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.certificate.get("status"))

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("code")
        data.pop("certificate")
        return {**data, "status": self.status, "reasons": self.certificate.get("reasons", [])}


@dataclass
class SolveSession:
    """A whole Execute session: the spec, every round, the inference log."""

    spec: Spec
    log: InferenceLog
    rounds: list[Round] = field(default_factory=list)
    request: str | None = None

    @property
    def certified(self) -> bool:
        return bool(self.rounds) and self.rounds[-1].status == Status.PASS.value

    @property
    def final(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    def outcome(self) -> str:
        if self.certified:
            return f"certified in round {len(self.rounds)}"
        return (
            f"refused: no round of {len(self.rounds)} was certified (last: "
            f"{self.final.status if self.final else 'none'})"
        )


def run_session(
    spec: Spec,
    coder: ClaudeCoder,
    *,
    sandbox: Sandbox | None = None,
    max_rounds: int = MAX_ROUNDS,
    progress: Progress | None = None,
    request: str | None = None,
) -> SolveSession:
    """Rounds of write -> certify until PASS or ``max_rounds``."""
    session = SolveSession(spec, coder.log, request=request)
    messages = [{"role": "user", "content": task_message(spec, spec_payload(spec))}]
    own = sandbox is None
    box = sandbox if sandbox is not None else Sandbox()
    try:
        with tempfile.TemporaryDirectory(prefix="simlab-solve-") as folder:
            for number in range(1, max_rounds + 1):
                _say(progress, f"round {number}: asking {coder.model} for a solver")
                attempt = coder.write(messages)
                _say(progress, f"round {number}: certifying '{attempt.method}' in the sandbox")
                cert = _certify(spec, attempt, Path(folder) / f"round-{number}", box)
                session.rounds.append(
                    Round(
                        number,
                        attempt.code,
                        attempt.method,
                        attempt.formal_order,
                        attempt.note,
                        cert,
                    )
                )
                _say(progress, f"round {number}: {cert['status']}")
                if cert["status"] == Status.PASS.value:
                    break
                messages += [
                    {"role": "assistant", "content": attempt.raw},
                    {"role": "user", "content": feedback_message(number, cert)},
                ]
    finally:
        if own:
            box.close()
    return session


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def _certify(spec: Spec, attempt: SolverAttempt, folder: Path, box: Sandbox) -> dict[str, Any]:
    """The certificate of one round's module (a failure to run is a REJECT with its reason)."""
    folder.mkdir(parents=True)
    path = folder / "solver.py"
    path.write_text(attempt.code, encoding="utf-8")
    try:
        cert = certify_supplied(spec, path, sandbox=box, time_budget=TIME_BUDGET).certificate
    except SimlabError as exc:
        cert = Certificate(
            Status.REJECT,
            [],
            reasons=[f"the solver could not be certified: {exc.message}"],
            sandbox={**box.mode.to_dict(), "violations": getattr(exc, "violations", [])},
        )
    data = json.loads(json.dumps(cert.to_dict(), default=str))
    declared = _declared_order(data)
    if declared is not None and abs(declared - attempt.formal_order) > 1e-9:
        data["status"] = Status.REJECT.value
        data["reasons"].insert(
            0,
            f"the answer declares formal order {attempt.formal_order:g} but the module's "
            f"SOLVER says {declared:g}",
        )
    return data


def _declared_order(cert: dict[str, Any]) -> float | None:
    orders = {o.get("formal_order") for o in cert.get("observables") or []}
    orders.discard(None)
    return float(orders.pop()) if len(orders) == 1 else None


# ---------------------------------------------------------------- bundle


def session_texts(session: SolveSession) -> tuple[dict[str, str], dict[str, Any]]:
    """The bundle's text files and JSON documents for a session."""
    texts = {"spec.md": render(session.spec), "inference.jsonl": session.log.text()}
    documents: dict[str, Any] = {
        "session.json": {
            "request": session.request,
            "certified": session.certified,
            "outcome": session.outcome(),
            "rounds": [r.summary() for r in session.rounds],
        }
    }
    for r in session.rounds:
        texts[f"round-{r.number}-solver.py"] = r.code
        documents[f"round-{r.number}-certificate.json"] = r.certificate
    if session.final is not None:
        documents["certificate.json"] = session.final.certificate
    return texts, documents


def write_session(session: SolveSession, out_dir: str | Path = "runs") -> Path:
    """Write the session's bundle and return its folder."""
    from simlab.bundle import write_bundle

    texts, documents = session_texts(session)
    return write_bundle(
        out_dir, texts=texts, documents=documents, label=f"solve-{session.spec.title}"
    )


@dataclass
class ReplayReport:
    """What a replay reproduced, and every file that differs from the bundle."""

    session: SolveSession
    compared: list[str]
    differences: list[str]

    @property
    def identical(self) -> bool:
        return not self.differences


def replay_bundle(
    bundle: str | Path, *, sandbox: Sandbox | None = None, progress: Progress | None = None
) -> ReplayReport:
    """Run a recorded session again from its inference log and compare it file by file."""
    folder = Path(bundle)
    log_path = folder / "inference.jsonl"
    spec_path = folder / "spec.md"
    for needed in (log_path, spec_path, folder / "session.json"):
        if not needed.is_file():
            raise SimlabError(
                f"{needed.name} is missing from {folder}",
                file=str(needed),
                hint="replay a folder written by `simlab solve`",
            )
    recorded = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    spec = parse_file(spec_path)
    log = InferenceLog()
    for entry in InferenceLog.open(log_path).entries():
        log.append(entry)
    differences: list[str] = []
    if recorded.get("request"):  # the spec was drafted from words: replay the drafting too
        from simlab.plan.claude import ReplayPlanner

        draft = ReplayPlanner(log).draft(str(recorded["request"]))
        if getattr(draft, "spec", None) is None or render(draft.spec) != render(spec):
            differences.append("spec.md (drafted again from the request)")
    coder = ReplayCoder(log)
    session = run_session(
        spec,
        coder,
        sandbox=sandbox,
        max_rounds=max(1, len(recorded.get("rounds", []))),
        progress=progress,
        request=recorded.get("request"),
    )
    session.log = InferenceLog.open(log_path)  # the replay sends nothing new
    texts, documents = session_texts(session)
    compared: list[str] = []
    for name, text in texts.items():
        compared.append(name)
        if (folder / name).read_text(encoding="utf-8") != text:
            differences.append(name)
    for name, doc in documents.items():
        compared.append(name)
        path = folder / name
        if not path.is_file() or _canonical(json.loads(path.read_text("utf-8"))) != _canonical(doc):
            differences.append(name)
    return ReplayReport(session, compared, differences)


def _canonical(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, default=str)
