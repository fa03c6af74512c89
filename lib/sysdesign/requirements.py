"""Phase 1 of the interview: turn a vague prompt into a written contract, and read what it implies.

A *functional* requirement says what the system does (send a photo, show read receipts); a
*non-functional* one says how well it must do it (how many users, how fast, how often up, how
safe the data, in which order). The non-functional numbers shape the architecture, so
:class:`Contract` turns each of them into a concrete consequence: a downtime budget, a count of
round trips that fit in the latency target, requests per second, and design rules for
durability and ordering.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import _check, availability, estimate, reference
from ._lazy import pd
from .units import format_count, format_duration, round_for_speech

KINDS: tuple[str, ...] = ("functional", "non-functional")
"""The two kinds of requirement."""


@dataclass(frozen=True)
class Requirement:
    """One agreed requirement: its ``text``, its ``kind`` (see :data:`KINDS`) and a short ``topic``."""

    text: str
    kind: str
    topic: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError(f"text must be a non-empty string, got {self.text!r}")
        _check.choice("kind", self.kind, KINDS)


@dataclass(frozen=True)
class Clarification:
    """A question to ask the interviewer, the answer we got, and the requirement topics it settles."""

    question: str
    answer: str
    settles: tuple[str, ...] = ()


CHAT_CLARIFICATIONS: tuple[Clarification, ...] = (
    Clarification(
        "Are we building one-to-one conversations, groups, or both?",
        "Both; a group holds at most 500 people.",
        ("one-to-one", "groups"),
    ),
    Clarification(
        "Can people send media (pictures, files, voice notes) or only text?",
        "Text and pictures; files and voice can wait.",
        ("text", "images"),
    ),
    Clarification(
        "Do conversations stay around, or do messages vanish after reading?",
        "They stay: a user can scroll back through everything.",
        ("history",),
    ),
    Clarification(
        "Which extras matter: read receipts, typing indicators, online status?",
        "Read receipts are in; typing and presence would be nice but are optional.",
        ("read receipts", "typing", "presence"),
    ),
    Clarification(
        "What happens when the recipient is not connected?",
        "Their phone gets a push notification.",
        ("push",),
    ),
    Clarification(
        "How many people use it, and how much do they send?",
        "Think 50 million daily users sending about 10 messages each.",
        ("scale",),
    ),
    Clarification(
        "How quickly must a message show up on the other side?",
        "Within half a second for someone who is online.",
        ("latency",),
    ),
    Clarification(
        "How much downtime and data loss can we tolerate?",
        "Four nines of uptime, and a message we accepted must never disappear.",
        ("availability", "durability"),
    ),
    Clarification(
        "Must everyone see a conversation's messages in the same order?",
        "Yes, inside each conversation; there is no order across conversations.",
        ("ordering",),
    ),
)
"""The chat example: what to ask and what the interviewer agreed to (our wording)."""


def clarifications(items: Iterable[Clarification] = CHAT_CLARIFICATIONS) -> pd.DataFrame:
    """The clarifying questions as a table: question, answer, and what each one settles.

    >>> clarifications().shape
    (9, 3)
    """
    return pd.DataFrame(
        [(c.question, c.answer, ", ".join(c.settles)) for c in items],
        columns=["question", "answer", "settles"],
    )


# Features a chat product may include: key -> (how the contract states it, what building it implies).
FEATURES: dict[str, tuple[str, str]] = {
    "one_to_one": (
        "One-to-one conversations",
        "Each message has one recipient: the simplest delivery path, the baseline for everything else.",
    ),
    "groups": (
        "Group conversations of up to {max_group} members",
        "A message to a full group reaches {fanout} other members: delivery fans out, and large groups "
        "need batched or asynchronous fan-out.",
    ),
    "text": ("Text messages", "Small payloads (hundreds of bytes) that fit in a database row."),
    "images": (
        "Pictures in messages",
        "Media goes to object storage and is served through a CDN; the message itself only carries a link.",
    ),
    "history": (
        "Full message history, kept on the server",
        "Storage only grows: plan capacity by year, and choose a store that scales writes horizontally.",
    ),
    "read_receipts": (
        "Read receipts",
        "Every read sends a small event back to the sender: one more write per message and per reader.",
    ),
    "push": (
        "Push notifications when the recipient is offline",
        "Track who is connected, and hand offline deliveries to the phone platforms' push services.",
    ),
    "typing": (
        "Typing indicators",
        "Frequent throw-away events over the open connection: never stored, fine to drop.",
    ),
    "presence": (
        "Online status",
        "Heartbeats every few seconds from every connected user: "
        "a high-rate, short-lived key-value workload.",
    ),
}
"""Chat features by key: the contract's wording, and what each implies for the design."""

CHAT_FEATURES: tuple[str, ...] = (
    "one_to_one",
    "groups",
    "text",
    "images",
    "history",
    "read_receipts",
    "push",
)
"""The features the chat example agreed on."""

DURABILITY: dict[str, tuple[str, str]] = {
    "zero-loss": (
        "An accepted message is never lost",
        "Persist each message to replicated storage (or a replicated log) before acknowledging the sender; "
        "the client retries until it gets the acknowledgement, "
        "with a message id so retries are not duplicated.",
    ),
    "best-effort": (
        "Messages may be lost in rare crashes",
        "Acknowledge as soon as a server has the message and write it out afterwards: faster and cheaper, "
        "but a crash can drop the last moments of traffic.",
    ),
}
"""Durability choices: the contract's wording and the design rule it forces."""

ORDERING: dict[str, tuple[str, str]] = {
    "per-chat": (
        "Within a conversation, everyone sees messages in the order they were sent",
        "Give each message a sequence number per conversation, assigned by the one owner "
        "of that conversation (for example a log partitioned by chat id); "
        "conversations stay independent and scale out.",
    ),
    "global": (
        "Every message in the system has one total order",
        "One sequencer for all traffic: a throughput ceiling and a single point of failure, rarely worth it.",
    ),
    "none": (
        "No ordering promise",
        "Clients sort by timestamp; clock skew between devices can show replies before the question.",
    ),
}
"""Ordering choices: the contract's wording and the design rule it forces."""

_NINES_ADVICE = (
    (0.999, "One server with backups and a tested restore can meet it."),
    (0.9999, "Replicas with automatic failover; planned maintenance must fit in the budget."),
    (
        0.99999,
        "No single point of failure: redundancy in every tier, and deploys that never take the service down.",
    ),
    (1.0, "Several regions serving at once (active-active); failover cannot wait for a human."),
)


@functools.cache
def _round_trip_table() -> tuple[tuple[str, float, str], ...]:
    """(operation, seconds, readable) of each network round trip in :func:`reference.latency`."""
    table = reference.latency()
    trips = table[table["operation"].str.startswith("Round trip")]
    return tuple(
        (str(op), float(s), format_duration(float(s)))
        for op, s in zip(trips["operation"], trips["seconds"], strict=True)
    )


@functools.cache
def _db_writes_per_s() -> float:
    """The high figure for one database server with simple queries, from :func:`reference.throughput`."""
    return float(reference.throughput().set_index("component").loc["MySQL server (simple queries)", "high"])


def _fits(budget_s: float) -> list[tuple[str, float, str, int]]:
    # 0.5 / 500e-6 is 999.9999999999999 in floating point: nudge before rounding down.
    return [(op, s, text, int(math.floor(budget_s / s * (1 + 1e-12)))) for op, s, text in _round_trip_table()]


def round_trips(budget_ms: float) -> pd.DataFrame:
    """How many of each network round trip in :func:`reference.latency` fit in ``budget_ms`` (> 0).

    >>> round_trips(500)["fits"].tolist()  # datacenter, US coast to coast, US to Europe
    [1000, 7, 6]
    """
    budget = _check.number("budget_ms", budget_ms, low_open=True) / 1e3
    frame = pd.DataFrame(_fits(budget), columns=["operation", "round_trip_s", "round_trip", "fits"])
    frame["share_of_budget"] = frame["round_trip_s"] / budget
    return frame


@dataclass(frozen=True)
class Contract:
    """The written agreement at the end of phase 1.

    ``features`` are keys of :data:`FEATURES`; ``max_group`` members per group (>= 2); ``dau`` daily
    active users and ``per_user_per_day`` messages each; ``latency_ms`` the delivery target in
    milliseconds; ``availability`` a fraction in (0, 1); ``durability`` a key of :data:`DURABILITY`;
    ``ordering`` a key of :data:`ORDERING`; ``peak_factor`` peak over average traffic (>= 1).
    """

    features: tuple[str, ...] = CHAT_FEATURES
    max_group: int = 500
    dau: float = 50e6
    per_user_per_day: float = 10.0
    latency_ms: float = 500.0
    availability: float = 0.9999
    durability: str = "zero-loss"
    ordering: str = "per-chat"
    peak_factor: float = 3.0
    name: str = field(default="Chat service", compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.features, str):
            raise TypeError(f"features must be a list of feature keys, got the string {self.features!r}")
        feats = tuple(self.features)
        for i, key in enumerate(feats):
            _check.choice(f"features[{i}]", key, tuple(FEATURES))
        object.__setattr__(self, "features", feats)
        if isinstance(self.max_group, bool) or not isinstance(self.max_group, int):
            raise TypeError(f"max_group must be a whole number >= 2, got {self.max_group!r}")
        _check.number("max_group", self.max_group, low=2)
        _check.number("dau", self.dau)
        _check.number("per_user_per_day", self.per_user_per_day)
        _check.number("latency_ms", self.latency_ms, low_open=True)
        _check.number("availability", self.availability, low=0, high=1, low_open=True, high_open=True)
        _check.choice("durability", self.durability, tuple(DURABILITY))
        _check.choice("ordering", self.ordering, tuple(ORDERING))
        _check.number("peak_factor", self.peak_factor, low=1)

    # --- the numbers behind the words ---

    def traffic(self, quick: bool = False) -> estimate.Traffic:
        """Messages per day and their average and peak rate (:func:`sysdesign.estimate.traffic`)."""
        return estimate.traffic(
            dau=self.dau, per_user_per_day=self.per_user_per_day, peak_factor=self.peak_factor, quick=quick
        )

    def downtime(self, period: str = "year") -> float:
        """Seconds of downtime the availability target allows per ``period``."""
        return availability.downtime(self.availability, period)

    def round_trips(self) -> pd.DataFrame:
        """Round trips that fit in the latency target (see :func:`round_trips`)."""
        return round_trips(self.latency_ms)

    # --- the written contract ---

    def _feature_text(self, key: str) -> str:
        return FEATURES[key][0].format(max_group=f"{self.max_group:,}")

    def functional(self) -> tuple[Requirement, ...]:
        """The functional requirements, in the order of :data:`FEATURES`."""
        keys = [k for k in FEATURES if k in self.features]
        return tuple(Requirement(self._feature_text(k), "functional", k) for k in keys)

    def non_functional(self) -> tuple[Requirement, ...]:
        """Scale, latency, availability, durability and ordering as requirements."""
        t = self.traffic()
        return (
            Requirement(
                f"Scale: {format_count(self.dau)} daily active users x {self.per_user_per_day:g} messages "
                f"= {format_count(t.per_day)} messages a day",
                "non-functional",
                "scale",
            ),
            Requirement(
                f"Latency: an online recipient sees a message within {self.latency_ms:g} ms",
                "non-functional",
                "latency",
            ),
            Requirement(
                f"Availability: {_percent(self.availability)} uptime", "non-functional", "availability"
            ),
            Requirement(
                f"Durability: {DURABILITY[self.durability][0].lower()}", "non-functional", "durability"
            ),
            Requirement(f"Ordering: {ORDERING[self.ordering][0].lower()}", "non-functional", "ordering"),
        )

    def requirements(self) -> tuple[Requirement, ...]:
        """Functional then non-functional requirements."""
        return self.functional() + self.non_functional()

    def render(self) -> str:
        """The contract as markdown text, ready to paste into the shared doc.

        >>> print(Contract(features=("text",)).render().splitlines()[0])
        ## Agreed requirements: Chat service
        """
        lines = [f"## Agreed requirements: {self.name}", "", "**Functional** (what it does)", ""]
        functional = self.functional()
        lines += [f"- {r.text}" for r in functional] or ["- (no features chosen yet)"]
        lines += ["", "**Non-functional** (how well it does it)", ""]
        lines += [f"- {r.text}" for r in self.non_functional()]
        return "\n".join(lines) + "\n"

    # --- what each choice implies ---

    def implications(self) -> pd.DataFrame:
        """One row per requirement: the choice made and what it implies for the design.

        >>> row = Contract().implications().set_index("requirement").loc["Availability"]
        >>> row["implies"].split(". ")[0]
        'Downtime budget: 52.6 minutes a year, 4.32 minutes a month'
        """
        t = self.traffic()
        db_high = _db_writes_per_s()
        servers = max(1, math.ceil(t.peak_qps / db_high))
        scale = (
            f"About {format_count(t.avg_qps)} messages/s on average and {format_count(t.peak_qps)} at peak "
            f"({self.peak_factor:g}x); at {format_count(db_high)} simple writes/s per database server "
            f"that is {servers} server{'s' if servers != 1 else ''} for writes alone"
            + (": shard the message store." if servers > 1 else ".")
        )
        fits = "; ".join(
            f"{n:,} x {op[len('Round trip ') :]} ({rt})" for op, _, rt, n in _fits(self.latency_ms / 1e3)
        )
        latency = (
            f"Round trips that fit in {self.latency_ms:g} ms: {fits}. "
            "Keep the hot path to a few hops in one region, "
            "with connections already open."
        )
        advice = next(text for limit, text in _NINES_ADVICE if self.availability < limit)
        avail = (
            f"Downtime budget: {format_duration(self.downtime('year'))} a year, "
            f"{format_duration(self.downtime('month'))} a month. {advice}"
        )
        rows = [
            ("Scale", f"{format_count(self.dau)} DAU x {self.per_user_per_day:g}/day", scale),
            ("Latency", f"< {self.latency_ms:g} ms", latency),
            ("Availability", _percent(self.availability), avail),
            ("Durability", DURABILITY[self.durability][0], DURABILITY[self.durability][1]),
            ("Ordering", ORDERING[self.ordering][0], ORDERING[self.ordering][1]),
        ]
        for req in self.functional():
            implied = FEATURES[req.topic][1].format(fanout=f"{self.max_group - 1:,}")
            rows.append((f"Feature: {req.topic.replace('_', ' ')}", req.text, implied))
        return pd.DataFrame(rows, columns=["requirement", "choice", "implies"])

    def alternatives(self, choice: str) -> pd.DataFrame:
        """What the contract would imply under each option of ``choice``.

        ``choice`` is "durability", "ordering" or "availability" (four levels, 99 % to 99.999 %).

        >>> Contract().alternatives("ordering")["option"].tolist()
        ['per-chat', 'global', 'none']
        """
        _check.choice("choice", choice, ("durability", "ordering", "availability"))
        options: Iterable[float | str]
        if choice == "availability":
            options = (0.99, 0.999, 0.9999, 0.99999)
        else:
            options = tuple(DURABILITY if choice == "durability" else ORDERING)
        rows = []
        for option in options:
            other = _replace(self, **{choice: option})
            row = other.implications().set_index("requirement").loc[choice.capitalize()]
            rows.append(
                (
                    option if choice != "availability" else _percent(float(option)),
                    row["choice"],
                    row["implies"],
                )
            )  # type: ignore[arg-type]
        return pd.DataFrame(rows, columns=["option", "choice", "implies"])


def _replace(contract: Contract, **changes: object) -> Contract:
    from dataclasses import replace

    return replace(contract, **changes)  # type: ignore[arg-type]


def _percent(fraction: float) -> str:
    return reference.format_percent(fraction)


CHAT_CONTRACT = Contract()
"""The chat example's contract: 7 features, 50 M DAU x 10 messages, 500 ms, 99.99 %, no loss, chat order."""


def requirements_table(requirements: Iterable[Requirement] | None = None) -> pd.DataFrame:
    """Requirements as a table (kind, topic, text); defaults to the chat contract's.

    >>> requirements_table()["kind"].value_counts().to_dict()
    {'functional': 7, 'non-functional': 5}
    """
    items = CHAT_CONTRACT.requirements() if requirements is None else tuple(requirements)
    for i, item in enumerate(items):
        if not isinstance(item, Requirement):
            raise TypeError(f"requirements[{i}] must be a Requirement, got {item!r}")
    return pd.DataFrame([(r.kind, r.topic, r.text) for r in items], columns=["kind", "topic", "text"])


def split(requirements: Iterable[Requirement]) -> tuple[tuple[Requirement, ...], tuple[Requirement, ...]]:
    """Separate requirements into (functional, non-functional), keeping their order."""
    items = tuple(requirements)
    for i, item in enumerate(items):
        if not isinstance(item, Requirement):
            raise TypeError(f"requirements[{i}] must be a Requirement, got {item!r}")
    return tuple(r for r in items if r.kind == "functional"), tuple(
        r for r in items if r.kind == "non-functional"
    )


# --- proposing numbers when the interviewer gives none ---


@dataclass(frozen=True)
class ScaleAssumption:
    """Numbers proposed by analogy with a known ``product``.

    ``reference_users`` and ``reference_per_day`` are the product's monthly users and daily items
    (from :func:`reference.scale`); ``share`` is the fraction of its users we design for; ``dau``
    and ``per_user_per_day`` are rounded for speech; ``per_day`` is their product.
    """

    product: str
    item: str
    reference_users: float
    reference_per_day: float
    share: float
    dau: float
    per_user_per_day: float
    per_day: float

    def sentence(self) -> str:
        """What to say to the interviewer."""
        return (
            f"I'll assume a product like {self.product} at {_percent(self.share)} of its reach: about "
            f"{format_count(self.dau)} daily active users, each sending about {self.per_user_per_day:g} "
            f"{self.item} a day, so about {format_count(self.per_day)} a day. Does that sound reasonable?"
        )

    def contract(self, base: Contract = CHAT_CONTRACT) -> Contract:
        """``base`` with this scale in place of its own."""
        return _replace(base, dau=self.dau, per_user_per_day=self.per_user_per_day)


def _scale_products() -> dict[str, tuple[str, float, float]]:
    """Products in the reference table with both a user count and a daily item volume."""
    table = reference.scale()
    found: dict[str, tuple[str, float, float]] = {}
    for product, rows in table.groupby("product", sort=False):
        users = rows[rows["unit"] == "users"]
        items = rows[rows["unit"] == "items/day"]
        if len(users) and len(items):
            item = str(items["metric"].iloc[0]).replace(" per day", "")
            found[str(product)] = (item, float(users["value"].iloc[0]), float(items["value"].iloc[0]))
    return found


def suggest_scale(product: str = "WhatsApp", share: float = 0.025) -> ScaleAssumption:
    """Propose DAU and activity by taking ``share`` (in (0, 1]) of a known product's users.

    The per-user rate is the product's daily items over its monthly users (a floor for daily users,
    who are fewer). Figures come from :func:`reference.scale`; results are rounded for speech.

    >>> s = suggest_scale("WhatsApp", share=0.025)
    >>> s.dau, s.per_user_per_day, s.per_day
    (50000000.0, 50.0, 2500000000.0)
    """
    products = _scale_products()
    _check.choice("product", product, tuple(products))
    part = _check.number("share", share, low=0, high=1, low_open=True)
    item, users, per_day = products[product]
    dau = round_for_speech(users * part)
    rate = round_for_speech(per_day / users)
    return ScaleAssumption(product, item, users, per_day, part, dau, rate, dau * rate)


def scale_products() -> tuple[str, ...]:
    """Products :func:`suggest_scale` can anchor on.

    >>> scale_products()
    ('Twitter', 'WhatsApp')
    """
    return tuple(_scale_products())
