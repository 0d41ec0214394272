"""Planner errors that carry what went wrong in a form the redesign loop can send back."""

from __future__ import annotations

from simlab.errors import PlanError


class ModelOutputError(PlanError):
    """A planner's output could not be turned into a draft.

    ``problems`` are the findings as text, ``raw`` the output as received, and ``retryable``
    says whether another round with the problems as feedback can help (invalid JSON, an
    answer cut at ``max_tokens``, a spec that fails validation: yes; a refusal: no).
    """

    def __init__(
        self,
        message: str,
        *,
        problems: tuple[str, ...] = (),
        raw: str = "",
        retryable: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(message, **kwargs)
        self.problems = problems or (message,)
        self.raw = raw
        self.retryable = retryable


class InvalidDraftError(ModelOutputError):
    """The drafted spec is not valid and machine-checkable (``problems`` lists each finding)."""


class ModelRefusalError(ModelOutputError):
    """The model declined to answer; asking again with the same request will not help."""

    def __init__(self, message: str, **kwargs) -> None:
        super().__init__(message, retryable=False, **kwargs)
