"""Planning: chat text -> spec.md, checkable, replayable and honest about what it does not know.

One interface (:class:`Planner`) and three implementations: :class:`ClaudePlanner` (the
official SDK, structured output, streamed), :class:`ReplayPlanner` (answers from a recorded
inference log alone) and :class:`OfflinePlanner` (deterministic, no key). :func:`redesign`
sends the Judge's reasons back to a planner for at most three rounds.
"""

from simlab.plan.claude import ClaudePlanner, ReplayPlanner
from simlab.plan.errors import InvalidDraftError, ModelOutputError, ModelRefusalError
from simlab.plan.inference_log import Exchange, InferenceLog, ReplayMissError, request_hash
from simlab.plan.offline import OfflinePlanner
from simlab.plan.redesign import Judge, JudgeOutcome, PlanOutcome, Round, reasons_from, redesign
from simlab.plan.types import ClarifyingQuestion, Draft, Planner, RejectionFeedback, SpecDraft

__all__ = [
    "ClarifyingQuestion",
    "ClaudePlanner",
    "Draft",
    "Exchange",
    "InferenceLog",
    "InvalidDraftError",
    "Judge",
    "JudgeOutcome",
    "ModelOutputError",
    "ModelRefusalError",
    "OfflinePlanner",
    "PlanOutcome",
    "Planner",
    "RejectionFeedback",
    "ReplayMissError",
    "ReplayPlanner",
    "Round",
    "SpecDraft",
    "reasons_from",
    "redesign",
    "request_hash",
]
