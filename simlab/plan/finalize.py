"""Turn a typed spec into a draft: render, read back, validate; refuse what is not checkable."""

from __future__ import annotations

from simlab.errors import SpecError
from simlab.plan.errors import InvalidDraftError
from simlab.plan.types import SpecDraft
from simlab.spec import parse, render
from simlab.spec.model import Spec
from simlab.spec.validate import validate


def finish(spec: Spec, *, planner: str, note: str = "", raw: str = "") -> SpecDraft:
    """The draft for ``spec`` once ``parse(render(spec))`` validates as machine-checkable."""
    try:
        text = render(spec)
        final = parse(text, file="<draft>")
    except SpecError as exc:
        raise InvalidDraftError(
            f"the drafted spec cannot be read back: {exc.message}",
            problems=(str(exc),),
            raw=raw,
            section=exc.section,
            hint=exc.hint,
        ) from None
    report = validate(final, text)
    if not (report.valid and report.machine_checkable):
        problems = tuple(
            f"{p.section}{f' (line {p.line})' if p.line else ''}: {p.message}"
            + (f" -- fix: {p.hint.splitlines()[0]}" if p.hint else "")
            for p in report.problems
            if p.severity != "note"
        )
        what = "invalid" if not report.valid else "not machine-checkable"
        raise InvalidDraftError(
            f"the drafted spec is {what}: " + "; ".join(problems[:3]),
            problems=problems,
            raw=raw,
            hint="see docs/spec-format.md for the machine-checkable dialect",
        )
    return SpecDraft(spec=final, text=text, planner=planner, note=note, raw=raw)
