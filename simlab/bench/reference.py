"""Ground truth at a parameter point: a trusted value and the error the spec allows.

Trusted, in this order: the spec's analytic reference evaluated at the observable's point;
numeric reference data; else a built-in solver's certified value with its tolerance
tightened tenfold (its GCI bound is kept and widens the "right" band, so the reference's own
error never marks a right answer wrong). Never a variant of the corpus. Observables with only
acceptance bounds (CT: ``minimum``/``maximum``) are judged against the bounds.

Computed references are cached in a JSON file keyed by the rendered spec's hash.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from simlab.errors import SimlabError
from simlab.solvers.spec_values import SpecValues, read_call
from simlab.spec.model import Reference, Spec
from simlab.spec.render import render

TIGHTEN = 10.0
"""A computed reference is certified to the spec's tolerance divided by this."""


class TruthError(SimlabError, RuntimeError):
    """No trusted reference could be computed at a parameter point."""


@dataclass(frozen=True)
class Truth:
    """What is right for one observable at one point (SI values)."""

    kind: str  # analytic | data | computed | acceptance
    value: float | None = None
    allowed: float | None = None
    bound: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    scale: float = 1.0
    precise: float | None = None

    @property
    def best(self) -> float | None:
        """The most precise value known (a computed one where the data have few digits)."""
        return self.precise if self.precise is not None else self.value

    def wrong(self, value: float | None) -> bool:
        """Is ``value`` beyond the spec's tolerance (or outside its acceptance bounds)?"""
        if value is None or not math.isfinite(value):
            return True
        if self.kind == "acceptance":
            shown = value / self.scale
            low = self.minimum is not None and shown < self.minimum
            high = self.maximum is not None and shown > self.maximum
            return low or high
        assert self.value is not None and self.allowed is not None
        return abs(value - self.value) > self.allowed + self.bound

    def error(self, value: float | None) -> float | None:
        if value is None or self.value is None or not math.isfinite(value):
            return None
        return abs(value - self.value)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def spec_key(spec: Spec) -> str:
    return hashlib.sha256(render(spec).encode()).hexdigest()[:16]


class ReferenceCache:
    """Computed references by spec hash, loaded from and saved to one JSON file."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self.data: dict[str, dict[str, list[float]]] = {}
        if self.path and self.path.is_file():
            try:
                self.data = json.loads(self.path.read_text())
            except ValueError:
                self.data = {}

    def get(self, key: str) -> dict[str, list[float]] | None:
        return self.data.get(key)

    def put(self, key: str, values: dict[str, list[float]]) -> None:
        self.data[key] = values

    def save(self) -> None:
        if self.path:
            self.path.write_text(json.dumps(self.data, indent=1, sort_keys=True) + "\n")


def truths(
    spec: Spec, cache: ReferenceCache | None = None, tighten: float = TIGHTEN
) -> dict[str, Truth]:
    """The ground truth of every observable of ``spec``.

    A computed reference is certified to the spec's tolerance divided by ``tighten``; data
    references also get such a computed ``precise`` value (for order studies, which need
    more digits than a table gives).
    """
    values = SpecValues(spec)
    tol = spec.tolerance
    metric = (tol.metric or "relative_error").lower()
    out: dict[str, Truth] = {}
    missing: list[str] = []
    data: list[str] = []
    for obs in spec.observables:
        name = obs.name
        scale = values.observable_scale(name)
        if not metric.startswith(("relative", "absolute")):
            out[name] = Truth(
                "acceptance",
                minimum=tol.minimum.get(name),
                maximum=tol.maximum.get(name),
                scale=scale,
            )
            continue
        ref = tol.reference_for(name)
        exact = None
        kind = ""
        if ref is not None and ref.kind == "analytic" and ref.value is not None:
            exact, kind = _analytic(values, obs.definition or "", ref.value), "analytic"
        elif ref is not None and ref.kind == "data" and ref.value is not None:
            exact, kind = float(ref.value) * scale, "data"
            data.append(name)
        if exact is None:
            missing.append(name)
            continue
        out[name] = Truth(kind, exact, _allowed(spec, name, exact))
    if missing or data:
        computed = _computed(spec, cache, tighten)
        for name in missing:
            value, bound = computed[name]
            out[name] = Truth("computed", value, _allowed(spec, name, value), bound)
        for name in data:
            out[name] = replace(out[name], precise=computed[name][0])
    return out


def _allowed(spec: Spec, name: str, value: float) -> float:
    eps = spec.tolerance.threshold_for(name)
    if eps is None:
        raise TruthError(f"observable '{name}' has no tolerance to judge against")
    metric = (spec.tolerance.metric or "relative_error").lower()
    return eps * abs(value) if metric.startswith("relative") else eps


def _analytic(values: SpecValues, definition: str, expression: str) -> float:
    point: dict[str, float] = {}
    if definition:
        call = read_call(definition)
        for coord, v in call.kwargs.items():
            if values.spec.domain.coordinate(coord) is not None:
                point[coord] = values.kwarg_in_si(coord, v)
    value = values.evaluate(expression, **point)
    return float(value.real if isinstance(value, complex) else value)


def _computed(
    spec: Spec, cache: ReferenceCache | None, tighten: float
) -> dict[str, tuple[float, float]]:
    """Certified built-in values (tolerance tightened), with their error bounds."""
    key = f"{spec_key(spec)}/{tighten:g}"
    if cache is not None and (hit := cache.get(key)) is not None:
        return {k: (v[0], v[1]) for k, v in hit.items()}
    from simlab.pipeline import certify_spec

    tol = spec.tolerance
    tight = replace(
        tol,
        threshold=None if tol.threshold is None else tol.threshold / tighten,
        thresholds={k: v / tighten for k, v in tol.thresholds.items()},
    )
    computed_spec = replace(spec, tolerance=tight)
    if any(r.kind == "data" for r in tol.references.values()):  # compare with nothing but itself
        refs = {k: Reference("extrapolation") for k in tol.references}
        computed_spec = replace(computed_spec, tolerance=replace(tight, references=refs))
    result = certify_spec(computed_spec, time_budget=300.0)
    cert = result.certificate
    out: dict[str, tuple[float, float]] = {}
    for o in cert.observables:
        allowed = _allowed(spec, o.name, o.value)
        if o.error_bound is None or o.error_bound > allowed / 2:
            raise TruthError(
                f"{spec.title}: the built-in reference for '{o.name}' has bound "
                f"{o.error_bound} (allowed error {allowed:.3g}); it cannot serve as ground truth"
            )
        out[o.name] = (float(o.value), float(o.error_bound))
    if cache is not None:
        cache.put(key, {k: [v, b] for k, (v, b) in out.items()})
    return out
