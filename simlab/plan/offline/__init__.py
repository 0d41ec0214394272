"""Deterministic drafting without a language model, for the dev problem families."""

from simlab.plan.offline.drafter import OfflinePlanner

__all__ = ["OfflinePlanner"]
