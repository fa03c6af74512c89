"""Checked questions: the pure marking behind the lessons' predict-then-check widgets.

Four kinds, each a frozen dataclass whose ``check(response)`` returns a :class:`Verdict`:

- :class:`Number`: a number within a relative tolerance (``rel_tol=0.25`` is ±25 %) or within a
  factor (``factor=10``: the right order of magnitude); the learner may type ``17000``,
  ``17,000``, ``17k``, ``1.7e4`` or ``17 thousand``.
- :class:`Choice`: one of a few options, by index, letter (``"B"``) or text.
- :class:`Order`: put items in order; the learner types the letters of the shown items (``"C A B"``).
- :class:`Prediction`: a short free-text prediction, not marked: it is shown beside the model answer.

Every question has a ``key`` named ``"NN.slug"`` (NN the lesson's number, e.g. ``"03.peak_qps"``):
the progress store and the course map count answers per lesson by that prefix.

A verdict's ``summary`` is safe to show after any try (it never gives the answer away); its
``why`` (the computation, with the learner's number in it) and ``answer`` are for after the
last try or a right one. Malformed questions or responses raise ``ValueError``/``TypeError``
naming the parameter.

>>> q = Number("03.peak_qps", "Peak QPS?", answer=17_361, unit="QPS", rel_tol=0.25,
...            working="500 million messages/day ÷ 86,400 s/day × 3 (peak factor)")
>>> q.check("2k").correct
False
>>> q.check("17k").correct
True
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import _check

__all__ = [
    "Choice",
    "Number",
    "Order",
    "Prediction",
    "Question",
    "Verdict",
    "lesson_of",
    "parse_number",
]

_KEY = re.compile(r"^\d\d\.[a-z0-9][a-z0-9_-]*$")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_WORDS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mm": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "g": 1e9,
    "trillion": 1e12,
    "t": 1e12,
}
_NUMBER = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([a-z]*)$")


@dataclass(frozen=True)
class Verdict:
    """The outcome of one try.

    ``correct`` is None for a :class:`Prediction` (compared, not marked). ``summary`` is one line
    that never gives the answer away; ``why`` explains the answer with the learner's response in
    it; ``answer`` is the model answer as text.
    """

    correct: bool | None
    summary: str
    why: str
    answer: str


def lesson_of(key: str) -> str:
    """The lesson number ``"NN"`` a question key belongs to.

    >>> lesson_of("03.peak_qps")
    '03'
    """
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(
            f"key must look like 'NN.slug' (two digits for the lesson, then lowercase letters, digits, "
            f"'_' or '-'), e.g. '03.peak_qps'; got {key!r}"
        )
    return key[:2]


def _text(name: str, value: object, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    if not empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def _fmt(x: float) -> str:
    """A readable number: thousands separators, 3 significant figures, e-notation past 10^12."""
    size = abs(x)
    if size >= 1e12 or (0 < size < 1e-3):
        return f"{x:.3g}"
    if size >= 1000:
        return f"{float(f'{x:.3g}'):,.0f}" if size >= 1e5 else f"{x:,.0f}"
    return f"{x:.3g}"


_ABOUT = ("~", "≈", "about", "approx.", "approx", "around", "roughly")


def parse_number(response: object, unit: str = "") -> float:
    """A learner's number: a float, or text such as ``"17,000"``, ``"17k"``, ``"1.7e4"``, ``"2 million"``.

    A leading "about"/"~", a trailing ``%`` and a trailing ``unit`` (the question's own, such as
    ``"QPS"`` or ``"hours"``) are allowed.

    >>> parse_number("17k"), parse_number("1,200"), parse_number("2.5 million")
    (17000.0, 1200.0, 2500000.0)
    >>> parse_number("~17k QPS", unit="QPS"), parse_number("94%", unit="%")
    (17000.0, 94.0)
    """
    if isinstance(response, str):
        text = response.strip().lower()
        for word in _ABOUT:
            if text.startswith(word):
                text = text[len(word) :].strip()
        for suffix in (unit.strip().lower(), "%"):
            if suffix and text.endswith(suffix) and text[: -len(suffix)].strip():
                text = text[: -len(suffix)].strip()
        text = text.replace(",", "").replace("_", "").replace(" ", "")
        found = _NUMBER.match(text)
        if not found or found.group(2) not in ("", *_WORDS):
            raise ValueError(
                "response must be a number such as 17000, 17,000, 17k, 1.7e4 or '2 million'; "
                f"got {response!r}"
            )
        value = float(found.group(1)) * _WORDS.get(found.group(2), 1.0)
    else:
        value = _check.number("response", response, low=-math.inf)
    if not math.isfinite(value):
        raise ValueError(f"response must be a finite number, got {response!r}")
    return value


@dataclass(frozen=True)
class Number:
    """A number to estimate. ``answer`` in ``unit``; right within ``rel_tol`` (a fraction) or ``factor``.

    Give one of ``rel_tol`` (0 < rel_tol < 1, e.g. 0.25 for ±25 %) or ``factor`` (> 1, e.g. 10:
    anything from answer/10 to answer×10 is the right order of magnitude); with neither,
    ±25 %. ``working`` is the computation in words, shown after the answer; ``hint`` is shown
    after a wrong first try.
    """

    key: str
    prompt: str
    answer: float
    unit: str = ""
    rel_tol: float | None = None
    factor: float | None = None
    working: str = ""
    hint: str = ""
    tries: int = 2

    kind = "number"

    def __post_init__(self) -> None:
        _common(self)
        _check.number("answer", self.answer, low=-math.inf)
        if not math.isfinite(self.answer):
            raise ValueError(f"answer must be a finite number, got {self.answer!r}")
        if self.rel_tol is not None and self.factor is not None:
            raise ValueError("rel_tol and factor: give one of them, not both")
        if self.rel_tol is not None:
            _check.number("rel_tol", self.rel_tol, low=0, high=1, low_open=True, high_open=True)
        if self.factor is not None:
            _check.number("factor", self.factor, low=1, low_open=True)
            if self.answer <= 0:
                raise ValueError(f"answer must be > 0 when a factor is given, got {self.answer!r}")
        _text("unit", self.unit, empty=True)

    @property
    def tolerance(self) -> str:
        """The accepted range in words."""
        if self.factor is not None:
            low, high = self.answer / self.factor, self.answer * self.factor
            return f"within a factor of {self.factor:g} (from {_fmt(low)} to {_fmt(high)})"
        tol = 0.25 if self.rel_tol is None else self.rel_tol
        low, high = sorted((self.answer * (1 - tol), self.answer * (1 + tol)))
        return f"within ±{tol * 100:g} % (from {_fmt(low)} to {_fmt(high)})"

    def check(self, response: object) -> Verdict:
        """Mark ``response`` (a number or text like ``"17k"``)."""
        value = parse_number(response, self.unit)
        unit = f" {self.unit}" if self.unit else ""
        if self.factor is not None:
            ok = value > 0 and self.answer / self.factor <= value <= self.answer * self.factor
        else:
            tol = 0.25 if self.rel_tol is None else self.rel_tol
            ok = abs(value - self.answer) <= tol * abs(self.answer) * (1 + 1e-12)
        answer = f"{_fmt(self.answer)}{unit}"
        if self.answer != 0 and value != 0 and (value > 0) == (self.answer > 0):
            ratio = value / self.answer
            off = _how_far(ratio)
            compare = f"Your {_fmt(value)}{unit} ÷ {answer} = {ratio:.3g}: {off}."
        else:
            off = "the wrong sign" if value * self.answer < 0 else f"{_fmt(value)} against {answer}"
            compare = f"Your {_fmt(value)}{unit} against {answer}: {off}."
        working = f"{self.working} = {answer}. " if self.working else f"The answer is {answer}. "
        why = f"{working}{compare} Counted right: {self.tolerance}."
        summary = "Right." if ok else f"Not yet: your {_fmt(value)}{unit} is {off}."
        return Verdict(ok, summary, why, answer)


def _how_far(ratio: float) -> str:
    if 0.995 <= ratio <= 1.005:
        return "spot on"
    if ratio >= 2:
        return f"{ratio:.2g} times too large"
    if ratio > 1:
        return f"{(ratio - 1) * 100:.0f} % too large"
    if ratio > 0.5:
        return f"{(1 - ratio) * 100:.0f} % too small"
    return f"{1 / ratio:.2g} times too small"


def _common(q: Number | Choice | Order | Prediction) -> None:
    lesson_of(q.key)
    _text("prompt", q.prompt)
    if isinstance(q.tries, bool) or not isinstance(q.tries, int) or not 1 <= q.tries <= 5:
        raise ValueError(f"tries must be a whole number in [1, 5], got {q.tries!r}")


def _options(name: str, values: object, low: int = 2) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list or tuple of strings, got {values!r}")
    items = tuple(_text(f"{name}[{i}]", v) for i, v in enumerate(values))
    if not low <= len(items) <= len(_LETTERS):
        raise ValueError(f"{name} must have {low} to {len(_LETTERS)} items, got {len(items)}")
    if len(set(items)) != len(items):
        raise ValueError(f"{name} must not repeat an item, got {list(items)!r}")
    return items


@dataclass(frozen=True)
class Choice:
    """Pick one of ``options``; ``answer`` is the right one's index (0-based).

    ``explanation`` says why the right one is right; ``why_not`` (optional, one text per option)
    says why each option is wrong, shown when it is picked.
    """

    key: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    why_not: tuple[str, ...] = ()
    hint: str = ""
    tries: int = 2

    kind = "choice"

    def __post_init__(self) -> None:
        _common(self)
        object.__setattr__(self, "options", _options("options", self.options))
        if (
            isinstance(self.answer, bool)
            or not isinstance(self.answer, int)
            or not 0 <= self.answer < len(self.options)
        ):
            raise ValueError(
                f"answer must be an option index in [0, {len(self.options) - 1}], got {self.answer!r}"
            )
        _text("explanation", self.explanation)
        if self.why_not:
            if isinstance(self.why_not, str) or len(self.why_not) != len(self.options):
                raise ValueError(
                    f"why_not must have one text per option ({len(self.options)}), got {self.why_not!r}"
                )
            object.__setattr__(
                self,
                "why_not",
                tuple(_text(f"why_not[{i}]", t, empty=True) for i, t in enumerate(self.why_not)),
            )
        if self.tries >= len(self.options):
            object.__setattr__(self, "tries", len(self.options) - 1)

    def index(self, response: object) -> int:
        """The option index of ``response``: an index, a letter ("B") or the option's text."""
        n = len(self.options)
        if isinstance(response, int) and not isinstance(response, bool):
            if not 0 <= response < n:
                raise ValueError(f"response must be an option index in [0, {n - 1}], got {response!r}")
            return response
        if isinstance(response, str):
            text = response.strip()
            if text in self.options:
                return self.options.index(text)
            letter = text.upper().rstrip(").")
            if len(letter) == 1 and letter in _LETTERS[:n]:
                return _LETTERS.index(letter)
        raise ValueError(
            f"response must be a letter A-{_LETTERS[n - 1]}, an index 0-{n - 1} or an option's text; "
            f"got {response!r}"
        )

    def check(self, response: object) -> Verdict:
        """Mark the chosen option."""
        i = self.index(response)
        right = f"{_LETTERS[self.answer]}) {self.options[self.answer]}"
        chosen = f"{_LETTERS[i]}) {self.options[i]}"
        ok = i == self.answer
        because = self.why_not[i] if self.why_not and not ok and self.why_not[i] else ""
        why = (
            f"You chose {chosen}. "
            + (because + " " if because else "")
            + f"The answer: {right}. {self.explanation}"
        ).strip()
        summary = (
            "Right."
            if ok
            else f"Not yet: {chosen} is not the best answer." + (f" {because}" if because else "")
        )
        return Verdict(ok, summary, why, right)


@dataclass(frozen=True)
class Order:
    """Put ``items`` (given here in the right order) in order; ``criterion`` says by what.

    The learner sees them shuffled (a fixed shuffle from the key, never already in order) with
    letters, and types the letters in order, e.g. ``"C A B"``.
    """

    key: str
    prompt: str
    items: tuple[str, ...]
    explanation: str
    hint: str = ""
    tries: int = 2

    kind = "order"

    def __post_init__(self) -> None:
        _common(self)
        object.__setattr__(self, "items", _options("items", self.items))
        _text("explanation", self.explanation)

    @property
    def shown(self) -> tuple[str, ...]:
        """The items as shown to the learner: shuffled with a seed from the key, never in the right order."""
        rng = random.Random(self.key)
        order = list(self.items)
        while tuple(order) == self.items:
            rng.shuffle(order)
        return tuple(order)

    def parse(self, response: object) -> tuple[str, ...]:
        """The items in the learner's order, from letters (``"C A B"``, ``"CAB"``, ``"c, a, b"``) or texts."""
        n, shown = len(self.items), self.shown
        if isinstance(response, str):
            letters = [c for c in response.upper() if not c.isspace() and c not in ",;>-"]
            if any(c not in _LETTERS[:n] for c in letters):
                raise ValueError(
                    f"response must be the letters A-{_LETTERS[n - 1]} in your order, like 'C A B'; "
                    f"got {response!r}"
                )
            picked = [shown[_LETTERS.index(c)] for c in letters]
        elif isinstance(response, Sequence):
            picked = [_text("response item", r) for r in response]
            if any(p not in self.items for p in picked):
                raise ValueError(f"response must list the items themselves; got {list(response)!r}")
        else:
            raise TypeError(f"response must be letters like 'C A B' or a list of the items, got {response!r}")
        if len(picked) != n or len(set(picked)) != n:
            raise ValueError(f"response must name each of the {n} items exactly once; got {response!r}")
        return tuple(picked)

    def check(self, response: object) -> Verdict:
        """Mark the learner's order."""
        picked = self.parse(response)
        shown = self.shown
        letter = {item: _LETTERS[shown.index(item)] for item in self.items}
        right_letters = " ".join(letter[i] for i in self.items)
        placed = sum(a == b for a, b in zip(picked, self.items, strict=True))
        ok = placed == len(self.items)
        yours = " ".join(letter[i] for i in picked)
        first = next((i for i, (a, b) in enumerate(zip(picked, self.items, strict=True)) if a != b), None)
        detail = (
            ""
            if first is None
            else f" The first out of place is position {first + 1}: "
            f"you put {letter[picked[first]]}) {picked[first]}."
        )
        summary = "Right." if ok else f"Not yet: {placed} of {len(self.items)} in the right place.{detail}"
        answer = " → ".join(f"{letter[i]}) {i}" for i in self.items)
        why = f"Your order {yours}; the right order {right_letters}: {answer}. {self.explanation}"
        return Verdict(ok, summary, why, answer)


@dataclass(frozen=True)
class Prediction:
    """A short free-text prediction, shown beside ``model_answer`` once committed. Not marked."""

    key: str
    prompt: str
    model_answer: str
    tries: int = 1

    kind = "prediction"

    def __post_init__(self) -> None:
        _common(self)
        _text("model_answer", self.model_answer)

    def check(self, response: object) -> Verdict:
        """Accept any non-empty text (up to 2,000 characters) and reveal the model answer."""
        text = _text("response", response).strip()
        if len(text) > 2000:
            raise ValueError(f"response must be at most 2,000 characters, got {len(text):,}")
        return Verdict(
            None,
            "Compare your prediction with the model answer.",
            f"You predicted: {text}",
            self.model_answer,
        )


Question = Number | Choice | Order | Prediction
"""Any checked question."""
