"""Matching the numbers of a request to a family's parameters, and keeping the account.

A :class:`Reading` records, for the spec's description and for the question it may have to
ask: what was read from the request, which defaults were used (only when the request allows
defaults), which choices the drafter made, and what is missing or ambiguous. A number is
matched to a parameter by its symbol (``kappa = ...``), by the words next to it
(``diffusivity 0.5 m^2/s``, ``a 2 m rod``) or, failing both, by its unit when exactly one
parameter has that dimension. A number that fits nowhere is asked about, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from simlab.plan.offline.text import Mention, mentions, normalize
from simlab.spec.model import Quantity
from simlab.spec.units import parse_unit

DEFAULTS_ALLOWED = re.compile(
    r"\b(use (the )?defaults?|defaults?|standard|textbook|classic(al)?|canonical|usual)\b"
)


@dataclass(frozen=True)
class Slot:
    """A parameter a family needs: its spec name, what it is, its dimension, how it is named."""

    key: str
    label: str
    unit: str | None = None
    words: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    default: Quantity | None = None
    required: bool = True

    def fits(self, m: Mention) -> bool:
        """Whether the mention's unit has this parameter's dimension (no unit fits anything;
        a slot whose unit is ``"*"`` takes any dimension)."""
        if m.unit is None or self.unit == "*":
            return True
        have = parse_unit(m.unit).dimensionality
        want = parse_unit(self.unit).dimensionality if self.unit else parse_unit("1").dimensionality
        return have == want


@dataclass
class Reading:
    """One request being read against one family."""

    text: str
    lower: str = ""
    all_mentions: list[Mention] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    values: dict[str, Quantity] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    asked: dict[str, str] = field(default_factory=dict)
    #: parameters a typed profile introduced (its lengths, centre, width...), to be declared
    profile_keys: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Each missing or ambiguous item, in the order found."""
        return list(self.asked)

    @classmethod
    def of(cls, text: str) -> Reading:
        clean = normalize(text)
        return cls(clean, clean.lower(), mentions(clean))

    @property
    def defaults_allowed(self) -> bool:
        return bool(DEFAULTS_ALLOWED.search(self.lower))

    # ------------------------------------------------------------ bookkeeping

    def ask(self, item: str, question: str | None = None) -> None:
        """Record a missing or ambiguous item (once) and, optionally, how to ask for it."""
        if item not in self.asked:
            self.asked[item] = question or f"What is the {item}?"

    def consume(self, start: int, end: int) -> None:
        """Numbers inside ``[start, end)`` belong to a formula or range already read."""
        for i, m in enumerate(self.all_mentions):
            if m.start < end and m.end > start:
                self.used.add(i)

    def is_used(self, start: int, end: int) -> bool:
        """Whether a used number lies inside ``[start, end)``."""
        return any(
            i in self.used and m.start < end and m.end > start
            for i, m in enumerate(self.all_mentions)
        )

    def free(self) -> list[tuple[int, Mention]]:
        return [(i, m) for i, m in enumerate(self.all_mentions) if i not in self.used]

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.lower) is not None

    # ------------------------------------------------------------ parameters

    def assign(self, slots: tuple[Slot, ...], ignore: frozenset[str] = frozenset()) -> None:
        """Match the unused numbers to ``slots``; ask about any number that fits none."""
        open_slots = {s.key: s for s in slots if s.key not in self.values}
        pending: list[tuple[int, Mention]] = []
        for i, m in self.free():
            if m.name is not None and (m.name in ignore or _is_field_name(m.name)):
                continue
            if m.name in ("t", "T") and m.value == 0:
                continue  # "infected at t = 0": the initial instant, not a final time
            if m.name == "t" and re.search(r"\b(?:at|when)$", m.before):
                continue  # "front position at t = 20 s": a time to look at (ask_unplaced)
            slot = self._by_symbol(m, open_slots) or self._by_words(m, open_slots)
            if slot is None:
                pending.append((i, m))
                continue
            self._take(i, m, slot, open_slots)
        for i, m in pending:
            fitting = [
                s for s in open_slots.values() if m.unit is not None and s.unit != "*" and s.fits(m)
            ]
            required = [s for s in fitting if s.required]
            if len(required) == 1:  # by its unit alone a number fills only a required slot
                self._take(i, m, required[0], open_slots)
            elif m.name is not None:
                self.ask(
                    f"meaning of {m.name}",
                    f"What is {m.name} = {_show(m)}: "
                    + " or ".join(s.label for s in open_slots.values())
                    + "?"
                    if open_slots
                    else f"What is {m.name} = {_show(m)}?",
                )
            else:
                self.ask(
                    f"meaning of {_show(m)}",
                    f"What does {_show(m)} refer to in your request?",
                )

    def ask_unplaced(self, names: tuple[str, ...] = ("t", "x")) -> None:
        """Ask about a coordinate value no reader placed ("x = 0.3 is where I look"): a
        number written in the request is never dropped in silence."""
        for _i, m in self.free():
            if m.name in names:
                self.ask(
                    f"meaning of {m.name} = {m.value:g}", f"What is {m.name} = {m.value:g} for?"
                )

    def _by_symbol(self, m: Mention, open_slots: dict[str, Slot]) -> Slot | None:
        if m.name is None:
            return None
        exact = [s for s in open_slots.values() if m.name in s.symbols]
        loose = [
            s
            for s in open_slots.values()
            if m.name.lower() in (x.lower() for x in s.symbols) and s not in exact
        ]
        found = [s for s in (exact or loose) if s.fits(m)]
        return found[0] if len(found) == 1 else None

    def _by_words(self, m: Mention, open_slots: dict[str, Slot]) -> Slot | None:
        """The slot named closest before the number, else one named right after it."""
        fitting = [s for s in open_slots.values() if s.fits(m)]
        first = m.after.split()[:1]
        named_after = [s for s in fitting if first and first[0] in s.after and s.unit != "*"]
        if len(named_after) == 1:
            return named_after[0]  # "a 2 m string": the noun right after the number wins
        best: tuple[int, Slot] | None = None
        for s in fitting:
            for w in s.words:
                pos = _last_word_end(m.before, w)
                if pos is not None and (best is None or pos > best[0]):
                    best = (pos, s)
        if best is not None:
            return best[1]
        after = [s for s in fitting if any(_has_word(m.after, w) for w in s.after)]
        return after[0] if len(after) == 1 else None

    def _take(self, i: int, m: Mention, slot: Slot, open_slots: dict[str, Slot]) -> None:
        self.used.add(i)
        unit = "person" if m.unit in ("people", "persons") else m.unit
        value, unit = (m.value / 100, None) if unit == "percent" else (m.value, unit)
        if unit is not None and slot.unit in (None, "*") and parse_unit(unit).dimensionality == {}:
            unit = None
        if unit is None and slot.unit == "person":
            unit = "person"  # a head count is a number of persons
        self.values[slot.key] = Quantity(value, unit)
        self.read.append(f"{slot.key} = {Quantity(value, unit)} ({slot.label})")
        open_slots.pop(slot.key, None)

    def get(self, slot: Slot) -> Quantity | None:
        """The slot's value; its documented default only when the request allows defaults."""
        if slot.key in self.values:
            return self.values[slot.key]
        if slot.default is not None and self.defaults_allowed:
            self.values[slot.key] = slot.default
            self.defaults.append(f"{slot.key} = {slot.default} ({slot.label})")
            return slot.default
        if slot.required:
            self.ask(slot.label)
        return None

    def need(self, *slots: Slot) -> list[Quantity | None]:
        return [self.get(s) for s in slots]

    # ------------------------------------------------------------ units

    def dimensional(self, keys: tuple[str, ...]) -> bool:
        """True when the given parameters carry units; asks when only some of them do."""
        present = {k: q for k, q in self.values.items() if k in keys}
        with_units = [k for k, q in present.items() if q.unit is not None]
        if with_units and len(with_units) < len(present):
            for k, q in present.items():
                if q.unit is None:
                    self.ask(f"unit of {k}", f"In which unit is {k} = {q}?")
        return bool(with_units)


def _is_field_name(name: str) -> bool:
    """``u``, ``u_t``, ``u_x``, ``u_xx``: the unknown and its derivatives, not parameters."""
    return re.fullmatch(r"u(_[txyz]+)?", name) is not None


def _show(m: Mention) -> str:
    return str(Quantity(m.value, m.unit))


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def _last_word_end(text: str, word: str) -> int | None:
    hits = list(re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text))
    return hits[-1].end() if hits else None
