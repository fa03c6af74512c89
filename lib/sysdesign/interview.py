"""A mock interview that talks back: prompts per phase, typed decisions, follow-up probes, a score.

An :class:`Interview` walks one system (``"chat"``, the chat app of lesson 10, or ``"snip"``, the
URL shortener of practice problem ps05/p01) through the six phases of :mod:`sysdesign.framework`.
In each phase the interviewer gives a prompt and the learner makes decisions
(:class:`Decision`): requirements kept from a list, the estimate's figures as numbers, the API as
endpoint lines, the store, the shard key, the write and read quorums... :meth:`Interview.submit`
checks the answers (bad input raises ``ValueError`` naming the decision and what it accepts) and
returns the interviewer's follow-ups (:class:`Probe`): a *probe* asks about a decision (chose
``W = 1``: "a node acknowledged a message and died; where is the message?"), a *pushback* says an
answer contradicts an earlier one (kept "an accepted message is never lost", then chose ``W = 1``).
Every rule is a plain function of the answers, and numbers come from the library (the estimate,
:mod:`sysdesign.sim.sharding`, :mod:`sysdesign.sim.quorum`, :mod:`sysdesign.sim.failure`, the
reference throughputs), so the same answers always give the same probes and the same score.

**The rubric.** Each phase has items worth 1 point each (:class:`Item`, with the reason). A
figure counts when it lies within a factor of :data:`TOLERANCE` (1.5) of the library's figure:
the syllabus asks for the right order of magnitude, and a factor of 3 (a forgotten peak factor)
is a real mistake. A phase's share is its points earned over points possible; the overall share
weights each phase by its minutes in the 45-minute plan (:func:`sysdesign.framework.phases`), so
the 15-minute architecture counts three times the 5-minute requirements.

**The level** (:func:`suggest_level`) reads three things: the overall share; the *depth* share,
the same weighting over the architecture and the deep dive only (25 of the 45 minutes); and the
number of pushbacks (answers that contradicted an earlier one). Staff: overall >= 0.85, depth >=
0.85 and no pushback. Senior: overall >= 0.70, depth >= 0.60, at most one pushback. Mid: overall
>= 0.50. Below that: "below mid". Where this comes from: the syllabus says failure scenarios are
what separate senior candidates from mid-level ones, and that one-sided reasoning reads as
inexperience (hence depth and consistency gates); Evan King's "The System Design Interview: What
is Expected at Each Level" (Hello Interview, 2023) describes the weight moving from breadth to
depth, and from being steered to steering (catching one's own problems), as the level rises. The
cut-offs 0.50 / 0.70 / 0.85 are this course's own calibration, not a published scale: read the
level as a hint of which habits to practise, never as a hiring verdict.

>>> iv = Interview("chat")
>>> [p.kind for p in iv.submit("requirements", {"features": CHAT_AGREED, "qualities": ["fast"]}).probes]
['probe']
>>> run("chat", model_answers("chat")).scorecard().level
'staff'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import api, availability, framework, requirements, shortener, tradeoffs
from ._lazy import pd
from .estimate import CHAT_APP
from .questions import parse_number
from .sim import failure, quorum, sharding
from .units import format_count, format_size, parse_size, say_roughly

__all__ = [
    "CHAT_AGREED",
    "DECISION_KINDS",
    "LEVELS",
    "SNIP",
    "SYSTEMS",
    "TOLERANCE",
    "Decision",
    "Interview",
    "Item",
    "PhaseResult",
    "Probe",
    "Scorecard",
    "System",
    "model_answers",
    "run",
    "suggest_level",
    "system",
]

DECISION_KINDS: tuple[str, ...] = ("keep", "pick", "number", "size", "integer", "endpoints", "text")
"""How a decision is answered: keep some options, pick one, a number, a size ("18 PB"), a whole
number, endpoint lines (:mod:`sysdesign.api` format), or free text."""

LEVELS: tuple[str, ...] = ("below mid", "mid", "senior", "staff")
TOLERANCE = 1.5
"""A figure counts when it is within this factor of the library's: [figure / 1.5, figure x 1.5]."""
REPLICAS = 3
"""Copies of each item in the deep dive's store (N of the quorum arithmetic)."""
DEPTH_PHASES: tuple[str, ...] = ("architecture", "deep_dive")
LEVEL_RULES: tuple[tuple[str, float, float, int | None], ...] = (
    ("staff", 0.85, 0.85, 0),
    ("senior", 0.70, 0.60, 1),
    ("mid", 0.50, 0.0, None),
)
"""(level, least overall share, least depth share, most pushbacks or None), checked in this order."""
POLL_INTERVAL_S = 5.0
"""A polling client's interval assumed when the interviewer prices a polling endpoint (seconds)."""


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """One thing the learner decides in a phase: ``key``, a short ``label``, its ``kind``
    (:data:`DECISION_KINDS`), the ``options`` as (value, label) pairs for keep/pick, the ``unit``
    of a number, and the range ``low``-``high`` of a whole number.

    >>> Decision("peak_qps", "estimation", "Peak", "number", unit="messages/s").parse("17k")
    17000.0
    >>> Decision("storage", "estimation", "Storage", "size").parse("18 PB")
    1.8e+16
    >>> Decision("store", "architecture", "Store", "pick", (("sql", "SQL"),)).parse("nosql")
    Traceback (most recent call last):
    ...
    ValueError: store must be one of 'sql'; got 'nosql'
    """

    key: str
    phase: str
    label: str
    kind: str
    options: tuple[tuple[Any, str], ...] = ()
    unit: str = ""
    low: int = 0
    high: int = 10_000

    def accepts(self) -> str:
        """What this decision accepts, as a phrase for error messages."""
        values = ", ".join(repr(v) for v, _ in self.options)
        return {
            "keep": f"a list of any of {values}",
            "pick": f"one of {values}",
            "number": f"a number >= 0 ({self.unit}), such as 17000, '17,000' or '17k'",
            "size": "a size such as '18 PB', '973 GB' or a number of bytes",
            "integer": f"a whole number in [{self.low}, {self.high}]",
            "endpoints": "endpoint lines (one string, or a list of strings) such as "
            "'POST /api/v1/messages {chat_id, content} -> {message_id}'",
            "text": "a non-empty string",
        }[self.kind]

    def parse(self, value: object) -> Any:
        """The answer in its canonical form (keep: a tuple in option order; endpoints: a tuple of
        lines), or ``ValueError`` naming the decision and what it accepts."""
        try:
            return self._parse(value)
        except (ValueError, TypeError) as exc:
            detail = f" ({exc})" if str(exc) and not str(exc).startswith(self.key) else ""
            raise ValueError(f"{self.key} must be {self.accepts()}; got {value!r}{detail}") from None

    def _parse(self, value: object) -> Any:
        values = [v for v, _ in self.options]
        if self.kind == "keep":
            if isinstance(value, str) or not isinstance(value, Iterable):
                raise TypeError("")
            chosen = list(value)
            for v in chosen:
                if v not in values:
                    raise ValueError("")
            return tuple(v for v in values if v in chosen)
        if self.kind == "pick":
            for v in values:
                if value == v or (isinstance(v, int) and isinstance(value, str) and value.strip() == str(v)):
                    return v
            raise ValueError("")
        if self.kind == "number":
            x = parse_number(value, self.unit) if isinstance(value, str) else parse_number(value)
            if x < 0:
                raise ValueError("")
            return x
        if self.kind == "size":
            x = parse_size(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
            if not math.isfinite(x) or x < 0:
                raise ValueError("")
            return x
        if self.kind == "integer":
            n: Any = parse_number(value) if isinstance(value, str) else value
            if isinstance(n, bool) or not isinstance(n, (int, float)) or not math.isfinite(n) or n != int(n):
                raise TypeError("")
            if not self.low <= n <= self.high:
                raise ValueError("")
            return int(n)
        if self.kind == "endpoints":
            lines = value.splitlines() if isinstance(value, str) else value
            if not isinstance(lines, Iterable) or not all(isinstance(x, str) for x in lines):
                raise TypeError("")
            kept = tuple(x.strip() for x in lines if x.strip())
            if not kept:
                raise ValueError("")
            api.parse_api(kept)  # raises ValueError naming the bad line
            return kept
        if not isinstance(value, str) or not value.strip():
            raise ValueError("")
        return value.strip()

    def show(self, value: Any) -> str:
        """An answer as text: option labels, a readable number, endpoint lines joined."""
        labels = dict(self.options)
        if self.kind == "keep":
            return "; ".join(labels[v] for v in value) or "(none)"
        if self.kind == "pick":
            return labels[value]
        if self.kind == "number":
            return f"{format_count(value)} {self.unit}".strip()
        if self.kind == "size":
            return format_size(value)
        if self.kind == "endpoints":
            return "\n".join(value)
        return str(value)


@dataclass(frozen=True)
class Probe:
    """A follow-up: ``kind`` "probe" (a question about a decision) or "pushback" (the answer
    contradicts the earlier decisions named in ``contradicts``); ``text`` is what the interviewer
    says, ``model`` a model answer to it; ``rule`` names the rule that fired."""

    phase: str
    rule: str
    kind: str
    text: str
    model: str
    contradicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One rubric item of a phase: what earns it (``rule``), points ``earned`` of ``possible``, and why."""

    phase: str
    key: str
    rule: str
    earned: int
    possible: int
    reason: str


@dataclass(frozen=True)
class PhaseResult:
    """What one submitted phase gave: the parsed ``answers``, the ``probes`` and the rubric ``items``."""

    phase: str
    answers: tuple[tuple[str, Any], ...]
    probes: tuple[Probe, ...]
    items: tuple[Item, ...]

    @property
    def pushbacks(self) -> tuple[Probe, ...]:
        """The probes that say an answer contradicts an earlier one."""
        return tuple(p for p in self.probes if p.kind == "pushback")


Rules = Callable[[Mapping[str, Any]], tuple[list[Item], list[Probe]]]


@dataclass(frozen=True)
class System:
    """A design problem for the interview: its phase ``prompts``, ``decisions``, model answers
    (``model``, by decision key), the ``rules`` of each phase, and the ``scale`` figures a
    wrap-up may quote."""

    key: str
    name: str
    prompts: Mapping[str, str]
    decisions: tuple[Decision, ...]
    model: Mapping[str, Any]
    rules: Mapping[str, Rules]
    scale: tuple[float, ...]


# --------------------------------------------------------------------------------------------
# Helpers shared by the rules
# --------------------------------------------------------------------------------------------


def _within(value: float, target: float) -> bool:
    """True when ``value`` is within a factor of :data:`TOLERANCE` of ``target``."""
    return target / TOLERANCE <= value <= target * TOLERANCE


def _item(phase: str, key: str, rule: str, ok: bool, why: str) -> Item:
    return Item(phase, key, rule, int(ok), 1, why)


def _figure_rules(
    phase: str, a: Mapping[str, Any], figures: Iterable[tuple[str, str, float, str, float | None, str]]
) -> tuple[list[Item], list[Probe]]:
    """Items and probes for estimated figures: (key, name, library figure, working, slip figure or
    None, slip question). A figure near the slip figure (a typical mistake) gets the slip question."""
    items, probes = [], []
    for key, name, target, working, slip, slip_question in figures:
        value = a[key]
        ok = _within(value, target)
        shown = format_size(target) if "storage" in key else format_count(target)
        items.append(_item(phase, key, f"{name} within x{TOLERANCE:g} of {shown}", ok, f"library: {working}"))
        if not ok:
            slipped = slip is not None and _within(value, slip)
            text = slip_question if slipped else f"Walk me through your {name}: where does it come from?"
            probes.append(Probe(phase, f"{key}-{'slip' if slipped else 'off'}", "probe", text, working))
    return items, probes


def _api_rules(
    a: Mapping[str, Any], operations: tuple[str, ...], from_features: Mapping[str, tuple[str, str]]
) -> tuple[list[Item], list[Probe]]:
    """The API phase, shared by every system: operations covered, no error or warning, 3-5 endpoints.

    ``from_features`` maps an operation to (feature key, feature label): when the learner kept that
    feature in phase 1 and no endpoint does the operation, the interviewer pushes back.
    """
    lines = a["endpoints"]
    findings = api.judge(lines, operations)
    missing = [f for f in findings if f.rule == "missing-operation"]
    other = [f for f in findings if f.rule != "missing-operation" and f.severity in ("error", "warning")]
    items = [
        _item(
            "api",
            "operations",
            f"an endpoint for each of: {', '.join(operations)}",
            not missing,
            "; ".join(f.message for f in missing) or "every operation has its endpoint",
        ),
        _item(
            "api",
            "review",
            "no error or warning from the API review (lesson 04)",
            not other,
            "; ".join(f"{f.rule}: {f.message}" for f in other) or "the review finds nothing wrong",
        ),
        _item(
            "api",
            "size",
            "3 to 5 endpoints (the syllabus's core API)",
            3 <= len(lines) <= 5,
            f"{len(lines)} endpoint{'s' if len(lines) != 1 else ''}",
        ),
    ]
    probes = []
    for f in missing:
        op = f.message.split("'")[1]
        feature = from_features.get(op)
        if feature and feature[0] in a.get("features", ()):
            probes.append(
                Probe(
                    "api",
                    "kept-feature-no-endpoint",
                    "pushback",
                    f"You kept '{feature[1]}' as a requirement, yet no call lets a client '{op}'. Which "
                    "one does?",
                    f.fix,
                    ("features",),
                )
            )
        else:
            probes.append(Probe("api", "missing-operation", "probe", f"How does a client '{op}'?", f.fix))
    for f in other:
        if f.rule == "polling":
            cost = _polling_cost()
            text = (
                f"Clients poll {f.endpoint}. With {format_count(cost.online)} clients online, each asking "
                f"every {POLL_INTERVAL_S:g} s, what load is that, and how often does a poll find anything?"
            )
            model = (
                f"{format_count(cost.requests_per_s)} requests/s, and only {cost.useful_fraction:.1%} find a "
                f"new message (sysdesign.api.polling_cost). {f.fix}."
            )
            probes.append(Probe("api", "polling", "probe", text, model))
        else:
            probes.append(
                Probe("api", f.rule, "probe", f"About {f.endpoint or 'your API'}: {f.message}. Why?", f.fix)
            )
    return items, probes


@cache
def _polling_cost() -> api.PollingCost:
    online = CHAT_APP.connections().concurrent
    received = CHAT_APP.per_user_per_day * CHAT_APP.fanout
    return api.polling_cost(online, POLL_INTERVAL_S, received, users=CHAT_APP.dau)


def _quorum_rules(
    a: Mapping[str, Any], what: str, durable_key: str, durable_label: str
) -> tuple[list[Item], list[Probe]]:
    """Write and read quorums over :data:`REPLICAS` copies: W = 2 earns, and R + W > N earns."""
    n, w, r = REPLICAS, a["write_quorum"], a["read_quorum"]
    kept = a.get("qualities", ())
    majority = n // 2 + 1
    if w == majority:
        why = (
            f"W = {w} of {n}: a write survives one node's death, and one node down still lets writes through"
        )
    elif w < majority:
        why = f"W = {w}: one node's acknowledgement; if it dies before copying, the {what} is gone"
    else:
        why = f"W = {w} = N: every replica must answer, so one node down stops every write"
    items = [
        _item("deep_dive", "write_quorum", f"W = {majority}, a majority of N = {n}", w == majority, why),
        _item(
            "deep_dive",
            "read_quorum",
            f"R + W > N = {n}, so every read meets the latest write",
            quorum.quorum_overlap(n, r, w),
            quorum.summary(n, r, w),
        ),
    ]
    probes = []
    if w < majority:
        text = f"W = {w}: a node acknowledged a {what} and died before copying it. Where is the {what}?"
        model = (
            f"Gone: it existed on one node only. With W = {majority} of {n} the acknowledgement waits for a "
            "second copy, so one node's death loses nothing (Kleppmann, DDIA ch. 5)."
        )
        if durable_key in kept:
            probes.append(
                Probe(
                    "deep_dive",
                    "w1-vs-durability",
                    "pushback",
                    f"You promised '{durable_label}'. " + text,
                    model,
                    ("qualities",),
                )
            )
        else:
            probes.append(Probe("deep_dive", "w1", "probe", text, model))
    if w == n and "available" in kept:
        serve = quorum.can_serve(n, r, w, 1)
        writes = bool(serve.loc[serve["side"] == "connected", "writes"].iloc[0])
        probes.append(
            Probe(
                "deep_dive",
                "wn-vs-availability",
                "pushback",
                f"You promised 99.99 % availability, {_downtime(0.9999)} of downtime a year. With W = {n}, "
                f"one of the {n} replicas is down: can a {what} still be written?",
                f"{'Yes' if writes else 'No'}: {n - 1} replicas answer and W needs {w} (quorum.can_serve). "
                f"W = {majority} keeps writing with one replica down and still loses nothing.",
                ("qualities",),
            )
        )
    if not quorum.quorum_overlap(n, r, w):
        fresh = quorum.p_fresh(n, r, w)
        probes.append(
            Probe(
                "deep_dive",
                "stale-reads",
                "probe",
                f"R = {r}, W = {w}, N = {n}: a user reloads right after a {what} was written. What do "
                "they see?",
                f"Without a partition only {fresh:.0%} of reads reach a copy with it (quorum.p_fresh); "
                "the rest "
                f"show the old state. R + W > N (R = W = {majority}) makes every read set meet the write "
                "set.",
            )
        )
    return items, probes


def _downtime(nines: float) -> str:
    return f"{availability.downtime(nines) / 60:.1f} minutes"


_NUMBER_IN_TEXT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|bn|k|m|b)?\b", re.IGNORECASE)
_SCALE_WORDS = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}


def _numbers_in(text: str) -> list[float]:
    """Every number a sentence states, with its scale word ("50 M" is 50 million, "17k" 17,000).

    >>> _numbers_in("about 50 million users and 17k messages a second, 12,346 redirects")
    [50000000.0, 17000.0, 12346.0]
    """
    found = []
    for digits, word in _NUMBER_IN_TEXT.findall(text):
        try:
            value = float(digits.replace(",", ""))
        except ValueError:
            continue
        found.append(value * _SCALE_WORDS.get(word.lower(), 1.0))
    return found


def _wrap_up_rules(
    a: Mapping[str, Any], scale: tuple[float, ...], model_summary: str
) -> tuple[list[Item], list[Probe]]:
    """Wrap-up: a summary of 20 words to 2 minutes at 150 words/min that states the scale, and 2+ "
    "extensions."""
    summary, extensions = a["summary"], a["extensions"]
    words = len(summary.split())
    minutes = framework.speaking_minutes(summary)
    scaled = any(_within(x, s) for x in _numbers_in(summary) for s in scale)
    items = [
        _item(
            "wrap_up",
            "summary_length",
            "a recap of at least 20 words that takes at most 2 minutes to say (150 words/min)",
            words >= 20 and minutes <= 2,
            f"{words} words, about {minutes:.1f} minutes to say",
        ),
        _item(
            "wrap_up",
            "summary_scale",
            "the recap states the scale: a figure within x1.5 of the estimate's",
            scaled,
            "it quotes the estimate" if scaled else "no figure from the estimate in it",
        ),
        _item(
            "wrap_up",
            "extensions",
            "at least two extensions named",
            len(extensions) >= 2,
            f"{len(extensions)} named",
        ),
    ]
    probes = []
    if minutes > 2:
        probes.append(
            Probe(
                "wrap_up",
                "long-summary",
                "probe",
                f"That took {minutes:.1f} minutes. Give me the 30-second version.",
                model_summary,
            )
        )
    elif words < 20:
        probes.append(
            Probe(
                "wrap_up",
                "thin-summary",
                "probe",
                "Can you say a little more: what are the main parts, and what does each do?",
                model_summary,
            )
        )
    if not scaled:
        probes.append(
            Probe("wrap_up", "no-scale", "probe", "How big is this system, in one number?", model_summary)
        )
    if len(extensions) < 2:
        probes.append(
            Probe(
                "wrap_up",
                "few-extensions",
                "probe",
                "With another hour, what would you add?",
                "Name two or three extensions in a line each, without designing them.",
            )
        )
    return items, probes


def _keep_rules(
    a: Mapping[str, Any],
    decision: Decision,
    key: str,
    must: tuple[str, ...],
    never: tuple[str, ...],
    what: str,
    never_what: str,
) -> list[Item]:
    """Two requirement items: every one of ``must`` kept; none of ``never`` kept."""
    kept, labels = a[key], dict(decision.options)
    lost = [labels[k] for k in must if k not in kept]
    extra = [labels[k] for k in never if k in kept]
    return [
        _item(
            "requirements",
            f"{key}_kept",
            f"keep all {len(must)} {what}",
            not lost,
            f"missing: {'; '.join(lost)}" if lost else f"all {len(must)} kept",
        ),
        _item(
            "requirements",
            f"{key}_scope",
            f"keep none of the {never_what}",
            not extra,
            f"added: {'; '.join(extra)}" if extra else "nothing added",
        ),
    ]


def _nodes_needed(load_per_s: float) -> tradeoffs.ShardSizing:
    """Shards for ``load_per_s`` database operations/s at the cheat sheet's cautious 5,000 per node."""
    return tradeoffs.shards_needed(load_per_s)


# --------------------------------------------------------------------------------------------
# The chat app (lesson 10)
# --------------------------------------------------------------------------------------------

_CHAT_T = CHAT_APP.traffic()
_CHAT_STORAGE = CHAT_APP.text_storage().total + CHAT_APP.media_storage().total
_CHAT_SERVERS = CHAT_APP.connections().servers
_CHAT_NODES = _nodes_needed(_CHAT_T.peak_qps)
_CHAT_GROUP = 500  # the syllabus's largest group

_CHAT_FEATURES: tuple[tuple[str, str], ...] = (
    ("one_to_one", "One-to-one chats"),
    ("groups", f"Group chats of up to {_CHAT_GROUP} members"),
    ("text", "Text messages"),
    ("images", "Images in messages"),
    ("history", "Message history kept on the server"),
    ("read_receipts", "Read receipts"),
    ("push", "Push notifications for offline users"),
    ("typing", "Typing indicators"),
    ("presence", "Online status"),
    ("calls", "Voice and video calls"),
    ("search", "Full-text search of old messages"),
    ("e2e", "End-to-end encryption"),
)
CHAT_AGREED: tuple[str, ...] = requirements.CHAT_FEATURES
"""The features the interviewer agreed to (the syllabus's contract)."""
_CHAT_OUT = ("calls", "search", "e2e")
_CHAT_QUALITIES: tuple[tuple[str, str], ...] = (
    ("never_lost", requirements.DURABILITY["zero-loss"][0]),
    ("fast", "A message reaches an online recipient within 500 ms"),
    ("available", "The service is up 99.99 % of the time"),
    ("ordered", requirements.ORDERING["per-chat"][0]),
    ("global_order", requirements.ORDERING["global"][0]),
    ("strong_reads", "Every read, in every region, sees the latest write at once"),
)
_CHAT_TARGETS = ("never_lost", "fast", "available", "ordered")
_CHAT_OVERSPEC = ("global_order", "strong_reads")

_STORES: tuple[tuple[str, str], ...] = (
    ("wide_column", "A wide-column store (Cassandra, ScyllaDB)"),
    ("relational", "A relational database (PostgreSQL, MySQL), sharded"),
    ("key_value", "A replicated key-value store (DynamoDB, Riak)"),
    ("document", "A document store (MongoDB)"),
    ("in_memory", "An in-memory store (Redis) as the only copy"),
)
_QUORUMS: tuple[tuple[int, str], ...] = tuple((k, f"{k} of {REPLICAS}") for k in range(1, REPLICAS + 1))


def _d(
    key: str, phase: str, label: str, kind: str, options: tuple[tuple[Any, str], ...] = (), **kw: Any
) -> Decision:
    return Decision(key, phase, label, kind, options, **kw)


_CHAT_DECISIONS: tuple[Decision, ...] = (
    _d("features", "requirements", "Features you keep", "keep", _CHAT_FEATURES),
    _d("qualities", "requirements", "Quality targets you keep", "keep", _CHAT_QUALITIES),
    _d("peak_qps", "estimation", "Peak messages per second", "number", unit="messages/s"),
    _d("storage", "estimation", "Storage after 5 years (text and images)", "size"),
    _d("ws_servers", "estimation", "WebSocket servers at the busiest moment", "integer", high=10_000_000),
    _d("endpoints", "api", "Endpoints, one a line", "endpoints"),
    _d("store", "architecture", "Message store", "pick", _STORES),
    _d("store_nodes", "architecture", "Shards of the message store", "integer", low=1),
    _d(
        "ack",
        "architecture",
        "The sender's tick comes",
        "pick",
        (
            ("persist_first", "after the message is stored (log, then database)"),
            ("push_first", "as soon as the WebSocket server has it; store it afterwards"),
        ),
    ),
    _d(
        "shard_key",
        "deep_dive",
        "Shard key of the messages",
        "pick",
        (
            ("chat_id", "chat_id: a chat's messages together"),
            ("user_id", "user_id: a sender's messages together"),
        ),
    ),
    _d("write_quorum", "deep_dive", "W: replicas that confirm a write", "pick", _QUORUMS),
    _d("read_quorum", "deep_dive", "R: replicas a read asks", "pick", _QUORUMS),
    _d("summary", "wrap_up", "Your recap", "text"),
    _d(
        "extensions",
        "wrap_up",
        "Extensions you name",
        "keep",
        tuple((e.name, e.name) for e in framework.EXTENSIONS),
    ),
)
_CHAT_DEC = {d.key: d for d in _CHAT_DECISIONS}


def _scope_rules(
    a: Mapping[str, Any],
    decisions: Mapping[str, Decision],
    scope: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    out_label: str,
    features: tuple[tuple[str, str], ...],
    question: str,
    model: str,
) -> tuple[list[Item], list[Probe]]:
    """Phase 1's common items and probes: features and qualities kept against ``scope`` (agreed,
    left out, implied targets, targets not needed), and a scope-creep probe per feature left out
    that the learner kept (``question`` names it with ``{}``)."""
    agreed, out, targets, overspec = scope
    items = _keep_rules(a, decisions["features"], "features", agreed, out, "agreed features", out_label)
    items += _keep_rules(
        a,
        decisions["qualities"],
        "qualities",
        targets,
        overspec,
        "quality targets the prompt implies",
        "targets the product does not need",
    )
    labels = dict(features)
    probes = [
        Probe("requirements", "scope-creep", "probe", question.format(labels[k]), model)
        for k in out
        if k in a["features"]
    ]
    return items, probes


def _chat_requirements(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    items, probes = _scope_rules(
        a,
        _CHAT_DEC,
        (CHAT_AGREED, _CHAT_OUT, _CHAT_TARGETS, _CHAT_OVERSPEC),
        "features nobody asked for",
        _CHAT_FEATURES,
        "Nobody asked for '{}'. What does adding it cost you in 45 minutes?",
        "Leave it out of the design and name it as an extension in the wrap-up.",
    )
    if "global_order" in a["qualities"]:
        probes.append(
            Probe(
                "requirements",
                "global-order",
                "probe",
                f"One order for every message means one sequencer for all of them, "
                f"{say_roughly(_CHAT_T.peak_qps)} messages/s at peak through one box. What does "
                "a chat actually need?",
                f"{requirements.ORDERING['per-chat'][0]}: {requirements.ORDERING['per-chat'][1]}",
            )
        )
    if "strong_reads" in a["qualities"]:
        t = tradeoffs.consistency_for("chat")
        probes.append(
            Probe(
                "requirements",
                "strong-reads",
                "probe",
                "Every read in every region sees the latest write: what happens to sending when "
                "the link between two regions breaks?",
                t.say(),
            )
        )
    if "never_lost" not in a["qualities"]:
        probes.append(
            Probe(
                "requirements",
                "no-durability",
                "probe",
                "A user's message disappears in a server crash. Would your users accept that?",
                f"{requirements.DURABILITY['zero-loss'][0]}: {requirements.DURABILITY['zero-loss'][1]}",
            )
        )
    return items, probes


def _chat_estimation(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    c = CHAT_APP
    text_total = c.text_storage().total
    return _figure_rules(
        "estimation",
        a,
        (
            (
                "peak_qps",
                "peak messages per second",
                _CHAT_T.peak_qps,
                f"{format_count(_CHAT_T.per_day)} messages/day / 86,400 s x {c.peak_factor:g} (peak) = "
                f"{format_count(_CHAT_T.peak_qps)}/s",
                _CHAT_T.avg_qps,
                "Is that the average or the peak? Traffic is not flat over the day.",
            ),
            (
                "storage",
                "5-year storage",
                _CHAT_STORAGE,
                f"text {format_size(text_total)} + images {format_size(c.media_storage().total)} over "
                f"{c.retention_years:g} years = {format_size(_CHAT_STORAGE)}",
                text_total,
                f"Did you count the images? {c.media_share:.0%} of messages carry "
                f"{format_size(c.media_bytes)}.",
            ),
            (
                "ws_servers",
                "WebSocket servers",
                float(_CHAT_SERVERS),
                f"{format_count(c.dau)} x {c.online_fraction:.0%} online = "
                f"{format_count(c.connections().concurrent)} "
                f"connections / {format_count(c.per_server)} per server = {_CHAT_SERVERS:,} servers",
                c.dau / c.per_server,
                "Are all your daily users online at the same moment?",
            ),
        ),
    )


def _chat_api(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    receipts = ("read_receipts", dict(_CHAT_FEATURES)["read_receipts"])
    ops: tuple[str, ...] = ("send message", "list messages", "create chat", "receive message.new")
    if "read_receipts" in a["features"]:
        ops += ("mark message read", "receive message.read")
    return _api_rules(a, ops, {"mark message read": receipts, "receive message.read": receipts})


@cache
def _push_first_crash() -> failure.CrashResult:
    return failure.crash(order="push_first")


def _chat_architecture(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    store, nodes, kept = a["store"], a["store_nodes"], a["qualities"]
    items = [
        _item(
            "architecture",
            "store",
            "a store that keeps 5 years of history on disk, replicated",
            store != "in_memory",
            f"{format_size(CHAT_APP.text_storage().total)} of text alone over 5 years"
            + (": far too much to hold only in memory" if store == "in_memory" else ""),
        ),
        _item(
            "architecture",
            "store_nodes",
            f"enough shards for {format_count(_CHAT_T.peak_qps)} writes/s at 5,000 per node (cheat sheet): "
            f"{_CHAT_NODES.shards}",
            nodes >= _CHAT_NODES.shards,
            _CHAT_NODES.say(),
        ),
        _item(
            "architecture",
            "ack",
            "the tick comes after the message is stored",
            a["ack"] == "persist_first",
            "a crash then loses nothing: clients replay from their last message id"
            if a["ack"] == "persist_first"
            else "a crash loses every message still in the server's memory",
        ),
    ]
    probes = []
    own = _nodes_needed(a["peak_qps"])
    if nodes < own.shards:
        probes.append(
            Probe(
                "architecture",
                "nodes-vs-estimate",
                "pushback",
                f"Your own estimate says {format_count(a['peak_qps'])} messages/s at peak; one "
                f"database node takes about 5,000-10,000 simple writes/s (cheat sheet). How do "
                f"{nodes} shard{'s' if nodes != 1 else ''} keep up?",
                own.say(),
                ("peak_qps",),
            )
        )
    if store == "relational":
        probes.append(
            Probe(
                "architecture",
                "sql-write-rate",
                "probe",
                f"A relational database for {format_count(_CHAT_T.per_day)} messages a day: "
                f"{format_count(_CHAT_T.peak_qps)} writes/s at peak. How do you shard it, and what "
                "do you give up?",
                f"{_CHAT_NODES.say()} Shard by chat_id so a chat stays on one "
                "shard; cross-shard joins and transactions are gone. "
                + tradeoffs.CLASSICS["sql_vs_nosql"].say(),
            )
        )
    elif store == "in_memory":
        probes.append(
            Probe(
                "architecture",
                "in-memory",
                "probe",
                f"5 years of text is {format_size(CHAT_APP.text_storage().total)}. Where does it "
                "live, and what happens to it when the whole cluster restarts?",
                "On disk, in a replicated store partitioned by chat_id (Cassandra, for example); "
                "Redis holds only the recent messages of busy chats.",
            )
        )
    else:
        probes.append(
            Probe(
                "architecture",
                "partition-layout",
                "probe",
                "Sketch the messages table: what is the partition key, and in what order are rows "
                "kept inside a partition?",
                "Partition by chat_id, rows ordered by message_id (time-ordered) descending: one "
                "page of history is one contiguous read of one partition.",
            )
        )
    if a["ack"] == "push_first":
        r = _push_first_crash()
        text = (
            f"Your server pushes first and stores afterwards. It crashes holding "
            f"{r.connections:,} connections: what happens to the messages in flight?"
        )
        model = (
            f"In the course's simulation (sim.failure.crash) {r.lost} of {r.messages} messages were lost for "
            "good. Store first (Kafka, then the database), then push: a reconnecting client replays "
            "everything after its last message id, and nothing is lost."
        )
        if "never_lost" in kept:
            probes.append(
                Probe(
                    "architecture",
                    "push-first-vs-durability",
                    "pushback",
                    "You promised that an accepted message is never lost. " + text,
                    model,
                    ("qualities",),
                )
            )
        else:
            probes.append(Probe("architecture", "push-first", "probe", text, model))
    return items, probes


def _chat_deep_dive(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    n = a["store_nodes"] if a["store_nodes"] >= 2 else _CHAT_NODES.shards
    fan = sharding.shards_touched(a["shard_key"], "chat_history", n)
    items = [
        _item(
            "deep_dive",
            "shard_key",
            "shard by chat_id: a page of history is a one-shard query",
            a["shard_key"] == "chat_id",
            f"one page of a chat's history touches {fan.touched} of {n} shards (sim.sharding)",
        )
    ]
    probes = []
    if a["shard_key"] == "user_id":
        probes.append(
            Probe(
                "deep_dive",
                "user-id-fanout",
                "probe",
                f"With {n} shards keyed by user_id, how many shards does opening one group chat touch?",
                f"All {fan.touched}: the router knows only the chat id, so it asks every shard and "
                f"merges (scatter-gather); on average {fan.holding_data_mean:.1f} of them actually hold "
                "rows of the chat (sim.sharding.shards_touched). Keyed by chat_id: 1.",
            )
        )
    else:
        hot = sharding.hot_shard_ratio("chat_id", 16)
        probes.append(
            Probe(
                "deep_dive",
                "hot-chat",
                "probe",
                f"A {_CHAT_GROUP}-member group is very busy. What does chat_id sharding do to its shard?",
                f"It runs hot: on 16 shards with Zipf-skewed chats the busiest carries {hot:.1f}x the "
                "mean (sim.sharding.hot_shard_ratio). A busy chat cannot be split; cache its recent "
                "messages in Redis and give hot shards their own nodes.",
            )
        )
    q_items, q_probes = _quorum_rules(a, "message", "never_lost", dict(_CHAT_QUALITIES)["never_lost"])
    return items + q_items, probes + q_probes


def _chat_wrap_up(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    return _wrap_up_rules(
        a, (CHAT_APP.dau, _CHAT_T.per_day, _CHAT_T.peak_qps), framework.spoken_summary(with_extensions=False)
    )


_CHAT_PROMPTS = {
    "requirements": (
        '"Design a chat application." You ask your clarifying questions and hear: both one-to-one and group '
        f"chats, groups of up to {_CHAT_GROUP}; text and images for now; history is kept on the server; read "
        "receipts yes; typing indicators and online status are nice-to-have; offline users get a push "
        f"notification. The scale is WhatsApp-like, about {format_count(CHAT_APP.dau)} daily users, and "
        "people "
        "must trust what they send. Write the contract down: keep the features and the quality targets you "
        "will design for."
    ),
    "estimation": (
        f'"Size it." Assume {format_count(CHAT_APP.dau)} daily users sending {CHAT_APP.per_user_per_day:g} '
        f"messages each a day; {CHAT_APP.media_share:.0%} carry an image of "
        f"{format_size(CHAT_APP.media_bytes)}, "
        f"text is {format_size(CHAT_APP.text_bytes)}; everything is kept {CHAT_APP.retention_years:g} "
        "years; the "
        f"peak is {CHAT_APP.peak_factor:g}x the average; {CHAT_APP.online_fraction:.0%} of users are "
        "online at the "
        f"busiest moment and one server holds {format_count(CHAT_APP.per_server)} connections. Give the peak "
        "messages per second, the storage after 5 years, and the WebSocket servers."
    ),
    "api": (
        '"What does the client call?" Sketch 3 to 5 endpoints, one a line: METHOD /path {request} -> '
        "{response} "
        "# purpose; a WEBSOCKET line lists the events the server pushes."
    ),
    "architecture": (
        '"Walk me through a message from sender to recipient." Choose the message store, how many shards it '
        "has, and when the sender sees its tick."
    ),
    "deep_dive": (
        f'"Let\'s go deeper on the message store." Every message is kept on N = {REPLICAS} replicas. What do '
        "you shard by, how many replicas must confirm a write before the tick (W), and how many does a read "
        "ask (R)?"
    ),
    "wrap_up": (
        '"We have a few minutes left." Recap the design in a few sentences, and name what you would add.'
    ),
}

_CHAT_MODEL: dict[str, Any] = {
    "features": CHAT_AGREED,
    "qualities": _CHAT_TARGETS,
    "peak_qps": _CHAT_T.peak_qps,
    "storage": _CHAT_STORAGE,
    "ws_servers": _CHAT_SERVERS,
    "endpoints": api.CHAT_API.lines().splitlines(),
    "store": "wide_column",
    "store_nodes": _CHAT_NODES.shards,
    "ack": "persist_first",
    "shard_key": "chat_id",
    "write_quorum": 2,
    "read_quorum": 2,
    "summary": framework.spoken_summary(with_extensions=False),
    "extensions": tuple(e.name for e in framework.EXTENSIONS[:3]),
}

CHAT = System(
    "chat",
    "Chat app (lesson 10)",
    _CHAT_PROMPTS,
    _CHAT_DECISIONS,
    _CHAT_MODEL,
    {
        "requirements": _chat_requirements,
        "estimation": _chat_estimation,
        "api": _chat_api,
        "architecture": _chat_architecture,
        "deep_dive": _chat_deep_dive,
        "wrap_up": _chat_wrap_up,
    },
    (CHAT_APP.dau, _CHAT_T.per_day, _CHAT_T.peak_qps),
)


# --------------------------------------------------------------------------------------------
# Snip, the URL shortener of practice problem ps05_warmup/p01
# --------------------------------------------------------------------------------------------

SNIP = shortener.ShortenerScenario(
    links_per_month=40e6, reads_per_write=200, record_bytes=400, years=5, peak_factor=4, name="Snip"
)
"""The practice problem's scenario (ps05_warmup/p01): 40 M links a month, 200 redirects each, 4x peak,
400 B a record, kept 5 years."""
SNIP_CACHE_SHARE = 0.2
"""Share of the hot links (one month's) the cache holds, as in the practice problem."""
SNIP_MAX_COLLISION = 1e-3
"""Highest chance that one conditional insert finds its random code taken (the practice problem's)."""

_SNIP_R = SNIP.reads()
_SNIP_HIT = shortener.cache_hit_ratio(SNIP_CACHE_SHARE)
_SNIP_CODE = next(
    length
    for length in range(1, shortener.MAX_LENGTH + 1)
    if shortener.insert_collision_probability(SNIP.total_links(), length) <= SNIP_MAX_COLLISION
)
_SNIP_FEATURES: tuple[tuple[str, str], ...] = (
    ("shorten", "A writer pastes a long URL and gets a short link"),
    ("redirect", "Opening a short link leads on to the long URL"),
    ("alias", "A writer may pick a custom alias, if it is free"),
    ("clicks", "A writer sees each link's clicks, day by day"),
    ("preview", "A page previews the destination before the redirect"),
    ("qr", "Every link comes with a printable QR code"),
)
_SNIP_AGREED = ("shorten", "redirect", "alias", "clicks")
_SNIP_OUT = ("preview", "qr")
_SNIP_QUALITIES: tuple[tuple[str, str], ...] = (
    ("fast", "A redirect completes within 100 ms"),
    ("available", "Redirects work 99.99 % of the time"),
    ("unguessable", "Nobody can list other writers' links by trying codes"),
    ("durable", "A link keeps working for the 5 years it is kept"),
    ("realtime_clicks", "Click counts update within a second"),
    ("strong_reads", "Every redirect in every region sees a link's latest state at once"),
)
_SNIP_TARGETS = ("fast", "available", "unguessable", "durable")
_SNIP_OVERSPEC = ("realtime_clicks", "strong_reads")
_SNIP_EXTENSIONS = (
    "Link previews",
    "QR codes",
    "Custom domains",
    "Clicks by country and device",
    "Malware checks on destinations",
)

_SNIP_DECISIONS: tuple[Decision, ...] = (
    _d("features", "requirements", "Features you keep", "keep", _SNIP_FEATURES),
    _d("qualities", "requirements", "Quality targets you keep", "keep", _SNIP_QUALITIES),
    _d("peak_redirects", "estimation", "Peak redirects per second", "number", unit="redirects/s"),
    _d("storage", "estimation", "Link storage after 5 years", "size"),
    _d("total_links", "estimation", "Links stored after 5 years", "number", unit="links"),
    _d("endpoints", "api", "Endpoints, one a line", "endpoints"),
    _d("store", "architecture", "Link store", "pick", _STORES),
    _d("store_nodes", "architecture", "Shards of the link store", "integer", low=1),
    _d(
        "cache",
        "architecture",
        "Cache",
        "pick",
        (
            ("hot", f"the hottest {SNIP_CACHE_SHARE:.0%} of a month's links (cache-aside)"),
            ("none", "no cache"),
        ),
    ),
    _d(
        "redirect",
        "architecture",
        "Redirect status",
        "pick",
        (("302", "302 Found: browsers ask every time"), ("301", "301 Moved Permanently: browsers remember")),
    ),
    _d("codes", "deep_dive", "How codes are made", "pick", tuple(shortener.STRATEGY_NAMES.items())),
    _d(
        "code_length",
        "deep_dive",
        "Code length (base62 characters)",
        "integer",
        low=1,
        high=shortener.MAX_LENGTH,
    ),
    _d("write_quorum", "deep_dive", "W: replicas that confirm a write", "pick", _QUORUMS),
    _d("read_quorum", "deep_dive", "R: replicas a read asks", "pick", _QUORUMS),
    _d("summary", "wrap_up", "Your recap", "text"),
    _d("extensions", "wrap_up", "Extensions you name", "keep", tuple((e, e) for e in _SNIP_EXTENSIONS)),
)
_SNIP_DEC = {d.key: d for d in _SNIP_DECISIONS}


def _snip_requirements(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    items, probes = _scope_rules(
        a,
        _SNIP_DEC,
        (_SNIP_AGREED, _SNIP_OUT, _SNIP_TARGETS, _SNIP_OVERSPEC),
        "features ruled out",
        _SNIP_FEATURES,
        "We ruled out '{}'. Why is it on your list?",
        "Leave it out and name it as an extension in the wrap-up.",
    )
    if "realtime_clicks" in a["qualities"]:
        probes.append(
            Probe(
                "requirements",
                "realtime-clicks",
                "probe",
                "Writers look at daily counts. What does counting within a second cost you?",
                "A counter update on every redirect's path. Daily counts let a queue and workers "
                "add clicks up off the redirect path, so analytics never slows a redirect.",
            )
        )
    if "unguessable" not in a["qualities"]:
        probes.append(
            Probe(
                "requirements",
                "guessable",
                "probe",
                "Could someone walk through codes one after another and list every writer's links?",
                "Keep 'codes cannot be guessed' as a target: codes then come from a random source, "
                "not a counter.",
            )
        )
    return items, probes


def _snip_estimation(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    s = SNIP
    per_month = s.links_per_month * s.reads_per_write
    return _figure_rules(
        "estimation",
        a,
        (
            (
                "peak_redirects",
                "peak redirects per second",
                _SNIP_R.peak_qps,
                f"{format_count(per_month)} redirects a month / (30 x 86,400 s) x {s.peak_factor:g} = "
                f"{format_count(_SNIP_R.peak_qps)}/s",
                _SNIP_R.avg_qps,
                "Is that the average or the busiest hour?",
            ),
            (
                "storage",
                "5-year storage",
                s.storage().total,
                f"{format_count(s.total_links())} links x {format_size(s.record_bytes)} = "
                f"{format_size(s.storage().total)}",
                s.storage().total / s.years,
                "For how many years are links kept?",
            ),
            (
                "total_links",
                "links after 5 years",
                s.total_links(),
                f"{format_count(s.links_per_month)} a month / 30 x 365 x {s.years:g} = "
                f"{format_count(s.total_links())}",
                s.links_per_month * 12 * s.years * s.reads_per_write,
                "Is that links, or redirects?",
            ),
        ),
    )


def _snip_api(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    return _api_rules(a, shortener.SHORTENER_OPERATIONS, {})


def _snip_shards(peak: float, cache_choice: str) -> tradeoffs.ShardSizing:
    """Shards for the redirects that miss the cache (all of them without one)."""
    return _nodes_needed(peak * (1.0 - (_SNIP_HIT if cache_choice == "hot" else 0.0)))


def _snip_architecture(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    store, nodes, feats = a["store"], a["store_nodes"], a["features"]
    need = _snip_shards(_SNIP_R.peak_qps, a["cache"])
    clicks = shortener.redirect_clicks("301", 5_000, 4.0)
    items = [
        _item(
            "architecture",
            "store",
            "a store that keeps every link on disk, replicated",
            store != "in_memory",
            f"{format_size(SNIP.storage().total)} of links over {SNIP.years:g} years must outlive any "
            "restart",
        ),
        _item(
            "architecture",
            "cache",
            "a cache of hot links (read-heavy: 200 redirects per link)",
            a["cache"] == "hot",
            f"the hottest {SNIP_CACHE_SHARE:.0%} of a month's links answer {_SNIP_HIT:.0%} of redirects "
            "(shortener.cache_hit_ratio)",
        ),
        _item(
            "architecture",
            "redirect",
            "302, so every click reaches us and is counted",
            a["redirect"] == "302",
            f"a 301 leaves {clicks.uncounted_share:.0%} of clicks uncounted (shortener.redirect_clicks)"
            if a["redirect"] == "301"
            else "every click is a request we can count",
        ),
        _item(
            "architecture",
            "store_nodes",
            "enough shards for the redirects the cache misses, at 5,000 reads/s per node (cheat sheet)",
            nodes >= need.shards,
            need.say().replace("writes/s", "reads/s"),
        ),
    ]
    probes = []
    if a["redirect"] == "301" and "clicks" in feats:
        probes.append(
            Probe(
                "architecture",
                "301-vs-clicks",
                "pushback",
                "You kept daily click counts as a feature, and chose 301. How many clicks do you count?",
                f"In the course's simulation (5,000 visitors, 4 clicks each) a 301 leaves "
                f"{clicks.uncounted_share:.0%} of clicks uncounted: browsers remember it. A 302 "
                "brings every click back; the hot-link cache absorbs the load.",
                ("features",),
            )
        )
    own = _snip_shards(a["peak_redirects"], a["cache"])
    if nodes < own.shards:
        probes.append(
            Probe(
                "architecture",
                "nodes-vs-estimate",
                "pushback",
                f"Your own estimate says {format_count(a['peak_redirects'])} redirects/s at peak"
                + (", and nothing caches them" if a["cache"] == "none" else "")
                + f". How do {nodes} shard{'s' if nodes != 1 else ''} at 5,000-10,000 reads/s each "
                "keep up?",
                own.say().replace("writes/s", "reads/s"),
                ("peak_redirects",),
            )
        )
    if a["cache"] == "none":
        probes.append(
            Probe(
                "architecture",
                "no-cache",
                "probe",
                "Each link is opened 200 times, mostly in its first days. What serves those reads?",
                f"A cache of the hottest links: {SNIP_CACHE_SHARE:.0%} of a month's links answer "
                f"{_SNIP_HIT:.0%} of redirects from memory.",
            )
        )
    else:
        plan = shortener.hot_link_cache(SNIP_CACHE_SHARE, scenario=SNIP)
        probes.append(
            Probe(
                "architecture",
                "cache-size",
                "probe",
                f"How much memory does the cache of the hottest {SNIP_CACHE_SHARE:.0%} of links take, "
                "and what happens when it restarts empty at the evening peak?",
                f"{format_count(plan.cached_links)} links x ({format_size(SNIP.record_bytes)} + "
                f"{format_size(shortener.CACHE_ENTRY_OVERHEAD_BYTES)}) = {format_size(plan.memory_bytes)}. "
                "An empty cache sends every redirect to the database: size the shards for that "
                "(or replicate the cache).",
            )
        )
    return items, probes


def _snip_deep_dive(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    codes, length, kept = a["codes"], a["code_length"], a["qualities"]
    p = shortener.insert_collision_probability(SNIP.total_links(), length)
    random_codes = codes in ("hash", "key_service")
    items = [
        _item(
            "deep_dive",
            "codes",
            "codes that look random (hash, or a key service of random codes)",
            random_codes,
            f"{shortener.STRATEGY_NAMES[codes]}: "
            + (
                "codes cannot be enumerated"
                if random_codes
                else "consecutive codes: anyone can walk through them"
            ),
        ),
        _item(
            "deep_dive",
            "code_length",
            f"the shortest base62 length whose insert collides with p <= {SNIP_MAX_COLLISION:g}, or one "
            "more: "
            f"{_SNIP_CODE} or {_SNIP_CODE + 1}",
            _SNIP_CODE <= length <= _SNIP_CODE + 1,
            f"{length} characters: one insert among {format_count(SNIP.total_links())} taken codes "
            "collides with "
            f"p = {p:.2g} (shortener.insert_collision_probability)",
        ),
    ]
    probes = []
    if not random_codes:
        text = f"With {shortener.STRATEGY_NAMES[codes]}, what comes after code 'b7Qw2Lm'?"
        model = (
            "'b7Qw2Ln': consecutive numbers in base62, so a script lists every link. Random codes (a key "
            "service, or a hash) claimed with a conditional insert cannot be walked."
        )
        if "unguessable" in kept:
            probes.append(
                Probe(
                    "deep_dive",
                    "counter-vs-unguessable",
                    "pushback",
                    "You promised that nobody can list other writers' links. " + text,
                    model,
                    ("qualities",),
                )
            )
        else:
            probes.append(Probe("deep_dive", "counter", "probe", text, model))
    elif codes == "hash":
        probes.append(
            Probe(
                "deep_dive",
                "hash-collisions",
                "probe",
                "Two writers shorten the same long URL, and two different URLs hash to the same "
                "code. What happens in each case?",
                "The same URL gives the same code (fine, or salt it with the writer). A different "
                "URL on a taken code fails its conditional insert and retries with a salted hash.",
            )
        )
    else:
        probes.append(
            Probe(
                "deep_dive",
                "key-service-down",
                "probe",
                "The key service stops answering. Can writers still shorten links?",
                "Yes for a while: each app server holds a local batch of unused codes, and the "
                "service runs as a pair.",
            )
        )
    if length < _SNIP_CODE:
        probes.append(
            Probe(
                "deep_dive",
                "short-code",
                "probe",
                f"After 5 years, how often does an insert of a new {length}-character code collide?",
                f"p = {p:.2g} per insert: too many retries. {_SNIP_CODE} characters bring it to "
                f"{shortener.insert_collision_probability(SNIP.total_links(), _SNIP_CODE):.2g}.",
            )
        )
    elif length > _SNIP_CODE + 1:
        probes.append(
            Probe(
                "deep_dive",
                "long-code",
                "probe",
                f"Why {length} characters? A shortener's codes should be short.",
                f"{_SNIP_CODE} characters already keep a collision at p <= {SNIP_MAX_COLLISION:g} "
                "with a conditional insert.",
            )
        )
    q_items, q_probes = _quorum_rules(a, "link", "durable", dict(_SNIP_QUALITIES)["durable"])
    return items + q_items, probes + q_probes


def _snip_wrap_up(a: Mapping[str, Any]) -> tuple[list[Item], list[Probe]]:
    return _wrap_up_rules(
        a, (SNIP.links_per_month, _SNIP_R.peak_qps, SNIP.total_links(), _SNIP_R.per_day), _SNIP_SUMMARY
    )


_SNIP_SUMMARY = (
    f"To recap: Snip shortens about {format_count(SNIP.links_per_month)} links a month and serves "
    f"{say_roughly(_SNIP_R.peak_qps)} redirects a second at peak. Stateless app servers answer redirects "
    f"with a 302 from a cache of the hottest links, backed by a key-value store sharded by code; a key "
    "service hands out random 7-character codes, and click events go through a queue to workers that count "
    "them per day. The key guarantee: a link keeps working for five years and nobody can guess another "
    "writer's codes."
)

_SNIP_PROMPTS = {
    "requirements": (
        '"Design a URL shortener for a newsletter platform." Your questions get these answers: writers '
        "paste a "
        "long URL and get a short one, may pick a custom alias, and want their clicks counted day by day; "
        "readers who click land on the long URL. Link previews and QR codes are out for today. Redirects "
        "must "
        "feel instant and always work, and links must not be guessable. Keep the features and targets you "
        "will design for."
    ),
    "estimation": (
        f'"Size it." {format_count(SNIP.links_per_month)} new links a month (30-day months); each is opened '
        f"{SNIP.reads_per_write:g} times on average; the busiest hour runs at {SNIP.peak_factor:g}x the "
        "average; "
        f"a link record is {format_size(SNIP.record_bytes)}; links are kept {SNIP.years:g} years. Give "
        "the peak "
        "redirects per second, the storage and the number of links after 5 years."
    ),
    "api": _CHAT_PROMPTS["api"].replace("; a WEBSOCKET line lists the events the server pushes", "")
    + (" Writers create, inspect and delete links; the redirect is a plain GET on the short path."),
    "architecture": (
        '"Trace a redirect." Choose the link store and its shards, whether a cache sits in front of it, and '
        "which redirect status you answer with."
    ),
    "deep_dive": (
        f'"Let\'s go deeper on codes and storage." How are codes made, and how long are they (base62)? Each '
        f"link is kept on N = {REPLICAS} replicas: how many confirm a write (W), how many does a read "
        "ask (R)?"
    ),
    "wrap_up": _CHAT_PROMPTS["wrap_up"],
}

_SNIP_MODEL: dict[str, Any] = {
    "features": _SNIP_AGREED,
    "qualities": _SNIP_TARGETS,
    "peak_redirects": _SNIP_R.peak_qps,
    "storage": SNIP.storage().total,
    "total_links": SNIP.total_links(),
    "endpoints": shortener.SHORTENER_API.lines().splitlines(),
    "store": "key_value",
    "store_nodes": _snip_shards(_SNIP_R.peak_qps, "none").shards,  # sized for a cold cache
    "cache": "hot",
    "redirect": "302",
    "codes": "key_service",
    "code_length": _SNIP_CODE,
    "write_quorum": 2,
    "read_quorum": 2,
    "summary": _SNIP_SUMMARY,
    "extensions": _SNIP_EXTENSIONS[:3],
}

SNIP_SYSTEM = System(
    "snip",
    "URL shortener (practice problem ps05/p01)",
    _SNIP_PROMPTS,
    _SNIP_DECISIONS,
    _SNIP_MODEL,
    {
        "requirements": _snip_requirements,
        "estimation": _snip_estimation,
        "api": _snip_api,
        "architecture": _snip_architecture,
        "deep_dive": _snip_deep_dive,
        "wrap_up": _snip_wrap_up,
    },
    (SNIP.links_per_month, _SNIP_R.peak_qps, SNIP.total_links(), _SNIP_R.per_day),
)

SYSTEMS: dict[str, System] = {"chat": CHAT, "snip": SNIP_SYSTEM}
"""The systems an interview can run, by key."""


def system(key: str | System) -> System:
    """A system by key (``"chat"`` or ``"snip"``), or the :class:`System` itself.

    >>> system("snip").name
    'URL shortener (practice problem ps05/p01)'
    """
    if isinstance(key, System):
        return key
    if not isinstance(key, str) or key not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(repr(k) for k in SYSTEMS)}; got {key!r}")
    return SYSTEMS[key]


def model_answers(key: str | System) -> dict[str, dict[str, Any]]:
    """The model answers of a system, phase by phase (decision key -> answer), ready for :func:`run`.

    >>> model_answers("chat")["deep_dive"]
    {'shard_key': 'chat_id', 'write_quorum': 2, 'read_quorum': 2}
    """
    s = system(key)
    return {p: {d.key: s.model[d.key] for d in s.decisions if d.phase == p} for p in framework.PHASE_KEYS}


# --------------------------------------------------------------------------------------------
# The interview and its score
# --------------------------------------------------------------------------------------------


def suggest_level(overall: float, depth: float, pushbacks: int) -> str:
    """The level a score suggests, by :data:`LEVEL_RULES` (shares 0-1, pushbacks a count >= 0).

    >>> suggest_level(0.9, 0.9, 0), suggest_level(0.9, 0.9, 1), suggest_level(0.75, 0.5, 0)
    ('staff', 'senior', 'mid')
    >>> suggest_level(0.4, 1.0, 0)
    'below mid'
    """
    for name, value, low in (("overall", overall, 0.0), ("depth", depth, 0.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= 1:
            raise ValueError(f"{name} must be a share in [0, 1], got {value!r}")
    if isinstance(pushbacks, bool) or not isinstance(pushbacks, int) or pushbacks < 0:
        raise ValueError(f"pushbacks must be a whole number >= 0, got {pushbacks!r}")
    for level, least, least_depth, most in LEVEL_RULES:
        if overall >= least and depth >= least_depth and (most is None or pushbacks <= most):
            return level
    return LEVELS[0]


@dataclass(frozen=True)
class Scorecard:
    """The rubric's verdict: every :class:`Item`, the minutes-weighted ``overall`` and ``depth``
    shares (0-1), the number of ``pushbacks``, and the suggested ``level`` with the rule behind it."""

    system: str
    items: tuple[Item, ...]
    overall: float
    depth: float
    pushbacks: int
    level: str

    def table(self) -> pd.DataFrame:
        """One row per phase: phase, minutes, earned, possible, share (0-1)."""
        rows = []
        for p in framework.PHASES:
            mine = [i for i in self.items if i.phase == p.key]
            earned, possible = sum(i.earned for i in mine), sum(i.possible for i in mine)
            rows.append((p.name, p.minutes, earned, possible, earned / possible if possible else 0.0))
        return pd.DataFrame(rows, columns=["phase", "minutes", "earned", "possible", "share"])

    def items_table(self) -> pd.DataFrame:
        """Every rubric item: phase, item, earned, possible, what earns it, and the reason."""
        return pd.DataFrame(
            [
                (framework.phase(i.phase).name, i.key, i.earned, i.possible, i.rule, i.reason)
                for i in self.items
            ],
            columns=["phase", "item", "earned", "possible", "earns it", "reason"],
        )

    def why(self) -> str:
        """The level and the rule that decided it, as a sentence."""
        rule = next((r for r in LEVEL_RULES if r[0] == self.level), None)
        facts = (
            f"overall {self.overall:.0%}, depth (architecture and deep dive) {self.depth:.0%}, "
            f"{self.pushbacks} pushback{'s' if self.pushbacks != 1 else ''}"
        )
        if rule is None:
            return f"Suggested level: {self.level} ({facts}); mid needs an overall share of at least 50%."
        _, least, least_depth, most = rule
        limit = "" if most is None else f", at most {most} pushback{'s' if most != 1 else ''}"
        return (
            f"Suggested level: {self.level} ({facts}); {self.level} needs overall >= {least:.0%}, "
            f"depth >= {least_depth:.0%}{limit}."
        )


class Interview:
    """One mock interview of a system: submit each phase's decisions in order, read the probes, get a score.

    ``submit(phase, answers)`` takes a mapping of every decision of the phase to its answer; a phase
    may be submitted again, which drops the phases after it (their probes depended on it).

    >>> iv = Interview("snip")
    >>> iv.next_phase
    'requirements'
    >>> iv.submit("estimation", {})
    Traceback (most recent call last):
    ...
    ValueError: phase: submit the phases in order; the next one is 'requirements', got 'estimation'
    """

    def __init__(self, system_key: str | System = "chat") -> None:
        self.system = system(system_key)
        self.results: dict[str, PhaseResult] = {}

    @property
    def next_phase(self) -> str | None:
        """The phase to submit next, or None when all six are in."""
        done = len(self.results)
        return framework.PHASE_KEYS[done] if done < len(framework.PHASE_KEYS) else None

    @property
    def finished(self) -> bool:
        """True when all six phases are submitted."""
        return self.next_phase is None

    def prompt(self, phase: str) -> str:
        """The interviewer's prompt for ``phase``."""
        return self.system.prompts[framework.phase(phase).key]

    def decisions(self, phase: str) -> tuple[Decision, ...]:
        """The decisions the learner makes in ``phase``."""
        key = framework.phase(phase).key
        return tuple(d for d in self.system.decisions if d.phase == key)

    def answers(self) -> dict[str, Any]:
        """Every parsed answer so far, by decision key."""
        return {k: v for r in self.results.values() for k, v in r.answers}

    def submit(self, phase: str, answers: Mapping[str, object]) -> PhaseResult:
        """Check ``answers`` for ``phase`` and return its probes and rubric items.

        Raises ``ValueError`` for a phase out of order, a missing or unknown decision, or an answer
        the decision does not accept (the message names the decision and what it accepts).
        """
        key = framework.phase(phase).key
        index = framework.PHASE_KEYS.index(key)
        if index > len(self.results):
            raise ValueError(
                f"phase: submit the phases in order; the next one is {self.next_phase!r}, got {phase!r}"
            )
        if not isinstance(answers, Mapping):
            raise TypeError(f"answers must map each decision of {key!r} to its answer, got {answers!r}")
        wanted = self.decisions(key)
        names = [d.key for d in wanted]
        unknown = [k for k in answers if k not in names]
        missing = [k for k in names if k not in answers]
        if unknown or missing:
            raise ValueError(
                f"answers for {key!r} must give exactly the decisions {', '.join(names)}; "
                + (
                    f"unknown: {', '.join(map(str, unknown))}"
                    if unknown
                    else f"missing: {', '.join(missing)}"
                )
            )
        parsed = tuple((d.key, d.parse(answers[d.key])) for d in wanted)
        for later in framework.PHASE_KEYS[index:]:
            self.results.pop(later, None)
        context = {**self.answers(), **dict(parsed)}
        items, probes = self.system.rules[key](context)
        result = PhaseResult(key, parsed, tuple(probes), tuple(items))
        self.results[key] = result
        return result

    def scorecard(self) -> Scorecard:
        """The score of a finished interview (``ValueError`` until all six phases are submitted)."""
        if not self.finished:
            raise ValueError(f"scorecard: submit all six phases first; the next one is {self.next_phase!r}")
        items = tuple(i for r in self.results.values() for i in r.items)
        shares = {}
        for p in framework.PHASES:
            mine = self.results[p.key].items
            shares[p.key] = sum(i.earned for i in mine) / sum(i.possible for i in mine)
        total = framework.total_minutes()
        overall = sum(shares[p.key] * p.minutes for p in framework.PHASES) / total
        deep = [p for p in framework.PHASES if p.key in DEPTH_PHASES]
        depth = sum(shares[p.key] * p.minutes for p in deep) / sum(p.minutes for p in deep)
        pushbacks = sum(len(r.pushbacks) for r in self.results.values())
        return Scorecard(
            self.system.key, items, overall, depth, pushbacks, suggest_level(overall, depth, pushbacks)
        )

    def comparison(self) -> pd.DataFrame:
        """The learner's answers beside the model answers: phase, decision, yours, model."""
        mine = self.answers()
        rows = []
        for d in self.system.decisions:
            model = d.show(d.parse(self.system.model[d.key]))
            rows.append(
                (framework.phase(d.phase).name, d.label, d.show(mine[d.key]) if d.key in mine else "", model)
            )
        return pd.DataFrame(rows, columns=["phase", "decision", "yours", "model"])

    def transcript(self) -> str:
        """The whole conversation so far as text: prompts, answers, probes and points, phase by phase."""
        lines = [f"Mock interview: {self.system.name}"]
        for key, result in self.results.items():
            p = framework.phase(key)
            lines.append(f"== Phase {p.number}: {p.name} ({p.minutes} min) ==")
            lines.append(f"Interviewer: {self.prompt(key)}")
            decisions = {d.key: d for d in self.decisions(key)}
            lines += [f"You ({decisions[k].label}): {decisions[k].show(v)}" for k, v in result.answers]
            lines += [f"Interviewer [{q.kind}]: {q.text}" for q in result.probes]
            lines += [f"  {i.earned}/{i.possible} {i.key}: {i.reason}" for i in result.items]
        return "\n".join(lines)


def run(system_key: str | System, answers: Mapping[str, Mapping[str, object]]) -> Interview:
    """An interview with every phase of ``answers`` (phase -> decision -> answer) submitted in order.

    >>> iv = run("snip", model_answers("snip"))
    >>> iv.finished, iv.scorecard().overall
    (True, 1.0)
    """
    interview = Interview(system_key)
    for phase in framework.PHASE_KEYS:
        if phase in answers:
            interview.submit(phase, answers[phase])
    return interview
