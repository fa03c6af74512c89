"""Building blocks of a design, the component checklist, and an ``Architecture`` graph to reason with.

An ``Architecture`` is a directed graph (networkx) of components joined by data-flow arrows. It
traces a request hop by hop against a latency budget, lists single points of failure, and checks
that a message is stored durably before the sender is told it was sent. Every method is
deterministic (insertion order breaks ties) and raises ``ValueError`` naming the problem, so the
problem sets can grade a learner's graph with the same calls the lessons use.

Latency model, in seconds. A hop ``a -> b`` costs one network round trip plus the processing time
of ``b``. We charge a whole round trip, not half, because most hops wait for an answer or an
acknowledgement (a Kafka produce, a database commit); for one-way pushes this errs on the slow side.

* Both ends in the datacenter: 500 µs, the reference "Round trip within a datacenter".
* A device or edge site talking to the datacenter, or anything talking to a third-party service:
  70 ms, the reference "Round trip US coast to coast" (the user may be a continent away). That is
  a measured figure (city-to-city pings of 60-80 ms); the 41 ms that light in fibre needs over
  the 4,130 km great circle is a floor no real route reaches (``WAN_RTT_FLOOR_S``).
* A device talking to an edge site (a CDN or DNS point of presence): 10 ms, our assumption for a
  site in the user's metro area.

Processing times per kind are stated in ``kinds()`` with the reason for each. An arrow may carry
its own ``latency_s`` instead, which replaces the model for that hop.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from ._lazy import pd

if TYPE_CHECKING:
    import plotly.graph_objects as go

from . import _check, reference
from .estimate import CHAT_APP


def _reference_seconds(operation: str) -> float:
    return float(reference.latency_seconds(operation))


DATACENTER_RTT_S = _reference_seconds("Round trip within a datacenter")
"""Round trip between two machines in one datacenter, seconds (reference table: 500 µs)."""
WAN_RTT_S = _reference_seconds("Round trip US coast to coast")
"""Round trip across a continent, seconds (reference table: 70 ms, measured; its ``source`` column
cites the pings); used for device and third-party legs."""
WAN_RTT_FLOOR_S = reference.fibre_round_trip_s(reference.US_COAST_TO_COAST_KM)
"""The physical floor of that round trip: light in fibre over the New York-San Francisco great circle
(4,130 km), about 41 ms. Real routes are longer and switched, so no measurement reaches it."""
METRO_RTT_S = 0.010
"""Round trip from a device to an edge site in its own metro area, seconds (our assumption: 10 ms)."""
CHAT_BUDGET_S = 0.5
"""The chat's delivery target from its non-functional requirements: under 500 ms."""

LOCATIONS = ("device", "edge", "datacenter", "external")
"""Where a kind of component runs: the user's device, an edge site, our datacenter, a third party."""


@dataclass(frozen=True)
class Kind:
    """One kind of building block.

    ``processing_s`` is the time it adds when a request reaches it (seconds), ``reason`` why;
    ``durable`` means it keeps what it accepted through a crash; ``ours`` means we run it (clients
    and third-party services do not count as our single points of failure); ``origin`` means it
    starts data flows by itself (clients, schedulers); ``layer`` is its default row in diagrams.
    """

    kind: str
    label: str
    group: str
    location: str
    processing_s: float
    reason: str
    durable: bool = False
    ours: bool = True
    origin: bool = False
    layer: int = 4


_MS = 1e-3
KINDS: dict[str, Kind] = {
    k.kind: k
    for k in (
        Kind(
            "client",
            "Clients",
            "clients",
            "device",
            0.0,
            "the clock stops when the data reaches the device",
            ours=False,
            origin=True,
            layer=0,
        ),
        Kind("dns", "DNS", "networking", "edge", 1 * _MS, "a resolver answers from its cache", layer=1),
        Kind(
            "cdn",
            "CDN",
            "networking",
            "edge",
            1 * _MS,
            "an edge server returns a cached copy (a hit)",
            layer=1,
        ),
        Kind(
            "load_balancer",
            "Load balancer",
            "networking",
            "datacenter",
            0.1 * _MS,
            "picks a backend and forwards bytes without reading the body",
            layer=2,
        ),
        Kind(
            "api_gateway",
            "API gateway",
            "networking",
            "datacenter",
            1 * _MS,
            "checks the token, applies limits and routes to a service",
            layer=3,
        ),
        Kind(
            "rate_limiter",
            "Rate limiter",
            "networking",
            "datacenter",
            0.5 * _MS,
            "increments one counter held in memory",
            layer=3,
        ),
        Kind(
            "app_server",
            "App servers",
            "compute",
            "datacenter",
            5 * _MS,
            "runs business logic and serialises the answer",
            layer=4,
        ),
        Kind(
            "websocket_server",
            "WebSocket servers",
            "compute",
            "datacenter",
            1 * _MS,
            "decodes one frame and hands it on",
            layer=4,
        ),
        Kind("cache", "Cache", "data", "datacenter", 0.1 * _MS, "looks a key up in memory", layer=5),
        Kind(
            "pubsub",
            "Pub/sub channel",
            "data",
            "datacenter",
            0.1 * _MS,
            "copies a message to the subscribers it holds in memory",
            layer=5,
        ),
        Kind(
            "message_queue",
            "Message queue",
            "data",
            "datacenter",
            5 * _MS,
            "appends to a replicated log and waits for the replicas to confirm",
            durable=True,
            layer=5,
        ),
        Kind(
            "search",
            "Search engine",
            "data",
            "datacenter",
            10 * _MS,
            "queries an inverted index and scores the matches",
            layer=7,
        ),
        Kind(
            "worker",
            "Workers / consumers",
            "compute",
            "datacenter",
            2 * _MS,
            "takes the next item from a queue and processes it",
            layer=6,
        ),
        Kind(
            "scheduler",
            "Scheduler (cron)",
            "compute",
            "datacenter",
            1 * _MS,
            "decides which job is due and starts it",
            origin=True,
            layer=4,
        ),
        Kind(
            "database",
            "Database",
            "data",
            "datacenter",
            5 * _MS,
            "commits to SSD on a quorum of replicas",
            durable=True,
            layer=7,
        ),
        Kind(
            "object_storage",
            "Object storage",
            "data",
            "datacenter",
            20 * _MS,
            "time to first byte of a blob store",
            durable=True,
            layer=7,
        ),
        Kind(
            "push_service",
            "Push notifications (APNs/FCM)",
            "external",
            "external",
            10 * _MS,
            "the provider accepts the notification; delivery to the phone is best effort",
            ours=False,
            layer=7,
        ),
    )
}
"""Every kind of building block by name."""

_TYPICAL_UPSTREAM = {
    "device": "datacenter",
    "edge": "device",
    "datacenter": "datacenter",
    "external": "datacenter",
}


def network_rtt(source_location: str, target_location: str) -> float:
    """Round trip (seconds) charged for one hop between two locations (see the module docstring).

    >>> network_rtt("datacenter", "datacenter")
    0.0005
    >>> network_rtt("device", "datacenter")
    0.07
    """
    a = _check.choice("source_location", source_location, LOCATIONS)
    b = _check.choice("target_location", target_location, LOCATIONS)
    if a == b == "datacenter":
        return DATACENTER_RTT_S
    if {a, b} == {"device", "edge"}:
        return METRO_RTT_S
    return WAN_RTT_S


def _link(source_location: str, target_location: str) -> str:
    rtt = network_rtt(source_location, target_location)
    return {DATACENTER_RTT_S: "datacenter", METRO_RTT_S: "metro"}.get(rtt, "internet")


def kinds() -> pd.DataFrame:
    """The building blocks: kind, label, group, location, processing and typical hop latency (seconds).

    ``hop_latency_s`` is the round trip from the place a request usually comes from (a device for
    edge sites, the datacenter otherwise) plus the processing time.

    >>> table = kinds().set_index("kind")
    >>> round(float(table.loc["database", "hop_latency_s"]) * 1e3, 3)  # 0.5 ms round trip + 5 ms commit
    5.5
    """
    rows = []
    for k in KINDS.values():
        network = network_rtt(_TYPICAL_UPSTREAM[k.location], k.location)
        rows.append(
            (
                k.kind,
                k.label,
                k.group,
                k.location,
                network,
                k.processing_s,
                network + k.processing_s,
                k.durable,
                k.ours,
                k.reason,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "kind",
            "label",
            "group",
            "location",
            "network_s",
            "processing_s",
            "hop_latency_s",
            "durable",
            "ours",
            "processing_assumption",
        ],
    )


# --------------------------------------------------------------------------------------------
# Checklist and patterns
# --------------------------------------------------------------------------------------------

CHECKLIST_GROUPS = ("networking", "compute", "data", "cross-cutting")

_CHECKLIST = [
    (
        "networking",
        "DNS",
        "dns",
        "In every design; a sentence is enough",
        "Plain round-robin answers, or send users to the nearest region (geo routing)",
    ),
    (
        "networking",
        "CDN",
        "cdn",
        "Many users download the same static files, images or video",
        "Pull copies on first request or push them ahead; how long edges keep them (TTL)",
    ),
    (
        "networking",
        "Load balancer",
        "load_balancer",
        "Whenever more than one server answers",
        "Layer 4 or layer 7; round-robin, fewest connections, or consistent hashing",
    ),
    (
        "networking",
        "API gateway",
        "api_gateway",
        "Requests need authentication, throttling or routing to services",
        "Fold it into the load balancer or run it as its own tier",
    ),
    (
        "networking",
        "Rate limiter",
        "rate_limiter",
        "Abuse is likely, or traffic arrives in bursts",
        "Token bucket or sliding window; limit per user or per IP address",
    ),
    (
        "compute",
        "App servers",
        "app_server",
        "In every design",
        "Keep them stateless so capacity grows by adding machines",
    ),
    (
        "compute",
        "WebSocket servers",
        "websocket_server",
        "Anything live: chat, presence, live updates",
        "How connections are tracked, and which server owns each user (affinity)",
    ),
    (
        "compute",
        "Workers / consumers",
        "worker",
        "Work that can finish after the user got an answer",
        "Feed them from a queue; add workers as the backlog grows",
    ),
    (
        "compute",
        "Scheduler (cron)",
        "scheduler",
        "Jobs that run on a timetable",
        "Jobs must be safe to repeat (idempotent); a distributed lock so one copy runs",
    ),
    (
        "data",
        "SQL database",
        "database",
        "Structured records, relations, transactions (ACID)",
        "MySQL or Postgres; how to shard when one server is no longer enough",
    ),
    (
        "data",
        "NoSQL database",
        "database",
        "Very high write rates or a schema that keeps changing",
        "Cassandra, DynamoDB or MongoDB, chosen by the access pattern",
    ),
    (
        "data",
        "Cache (Redis)",
        "cache",
        "Reads dominate and answers must be fast",
        "Cache-aside or write-through; expiry (TTL); what to evict when full",
    ),
    (
        "data",
        "Search engine",
        "search",
        "Full-text queries with ranked results",
        "Elasticsearch; how and how soon the index follows the data",
    ),
    (
        "data",
        "Object storage (S3)",
        "object_storage",
        "Files, photos, video and backups",
        "How buckets are laid out; lifecycle rules that archive or delete",
    ),
    (
        "data",
        "Message queue",
        "message_queue",
        "Decouple senders from receivers, absorb bursts, defer work",
        "Kafka or RabbitMQ; the partition key; consumer groups",
    ),
    (
        "data",
        "Pub/sub channel",
        "pubsub",
        "Servers must relay live events to each other",
        "Redis Pub/Sub keeps nothing, so pair it with a durable log",
    ),
    (
        "data",
        "Push notifications",
        "push_service",
        "Users must hear about events while the app is closed",
        "APNs for iOS and FCM for Android; collapse duplicates; honour user settings",
    ),
    (
        "cross-cutting",
        "Monitoring",
        "",
        "Metrics, logs and alerts",
        "Prometheus with Grafana, or an ELK stack",
    ),
    (
        "cross-cutting",
        "Security",
        "",
        "Who may call what, encryption, checking inputs",
        "OAuth2 and JWT tokens; TLS on every connection",
    ),
    (
        "cross-cutting",
        "Data privacy",
        "",
        "GDPR requests and deleting a user's data",
        "Soft deletes; anonymise what must be kept",
    ),
    (
        "cross-cutting",
        "Disaster recovery",
        "",
        "Backups and a second region",
        "Replicate across regions; agree on RTO and RPO targets",
    ),
]


def component_checklist(group: str = "all", contains: str = "") -> pd.DataFrame:
    """The component checklist: group, component, kind, when to include, key decisions.

    ``group`` is "all" or one of ``CHECKLIST_GROUPS``; ``contains`` keeps rows where any column
    contains that text (case does not matter). Cross-cutting rows have no graph ``kind``.

    >>> list(component_checklist("networking")["component"])
    ['DNS', 'CDN', 'Load balancer', 'API gateway', 'Rate limiter']
    >>> len(component_checklist(contains="kafka"))
    1
    """
    _check.choice("group", group, ("all", *CHECKLIST_GROUPS))
    if not isinstance(contains, str):
        raise TypeError(f"contains must be a string, got {contains!r}")
    table = pd.DataFrame(
        _CHECKLIST, columns=["group", "component", "kind", "when_to_include", "key_decisions"]
    )
    if group != "all":
        table = table[table["group"] == group]
    needle = contains.strip().lower()
    if needle:
        text = table.apply(lambda row: " ".join(row.astype(str)).lower(), axis=1)
        table = table[text.str.contains(needle, regex=False)]
    return table.reset_index(drop=True)


PROBLEM_TYPES = ("read-heavy", "write-heavy", "real-time", "storage-heavy", "search-heavy")

_PATTERNS = [
    (
        "read-heavy",
        "news feed, timeline",
        "Build each reader's feed when a post arrives (fan-out on write)",
        "cache",
        "a read becomes one lookup of a ready-made list",
    ),
    (
        "read-heavy",
        "news feed, timeline",
        "Cache hot items in Redis and static files at a CDN",
        "cache, cdn",
        "most reads never reach the database",
    ),
    (
        "read-heavy",
        "news feed, timeline",
        "Send reads to database replicas",
        "database",
        "read capacity grows with each replica",
    ),
    (
        "write-heavy",
        "logging, analytics, IoT",
        "Append every event to a log such as Kafka or Kinesis",
        "message_queue",
        "sequential appends are the cheapest write there is",
    ),
    (
        "write-heavy",
        "logging, analytics, IoT",
        "Store in LSM-tree engines (Cassandra, RocksDB)",
        "database",
        "writes land in memory and flush to disk in sorted runs",
    ),
    (
        "write-heavy",
        "logging, analytics, IoT",
        "Process in batches or streams (Spark, Flink)",
        "worker",
        "work on many records at once instead of one request at a time",
    ),
    (
        "real-time",
        "chat, notifications, live updates",
        "Hold connections open with WebSocket or server-sent events",
        "websocket_server",
        "the server can push without waiting to be asked",
    ),
    (
        "real-time",
        "chat, notifications, live updates",
        "Relay between servers through in-memory pub/sub (Redis)",
        "pubsub",
        "whichever server holds the recipient gets the event within a millisecond",
    ),
    (
        "real-time",
        "chat, notifications, live updates",
        "Put slow work behind a message queue",
        "message_queue, worker",
        "the live path stays short; retries happen off to the side",
    ),
    (
        "storage-heavy",
        "file storage, media",
        "Keep blobs in object storage (S3, GCS)",
        "object_storage",
        "cheap, durable bytes that scale without planning",
    ),
    (
        "storage-heavy",
        "file storage, media",
        "Split files into chunks and store each distinct chunk once",
        "object_storage",
        "edits upload only what changed; duplicates cost nothing",
    ),
    (
        "storage-heavy",
        "file storage, media",
        "Serve downloads from a CDN",
        "cdn",
        "bytes travel from a nearby edge, not from the origin",
    ),
    (
        "search-heavy",
        "search engine, product catalog",
        "Build an inverted index (Elasticsearch, Solr)",
        "search",
        "find every document holding a word without scanning them all",
    ),
    (
        "search-heavy",
        "search engine, product catalog",
        "Score results for relevance and rank them",
        "search",
        "the best matches come first",
    ),
    (
        "search-heavy",
        "search engine, product catalog",
        "Autocomplete from tries or prefix indexes",
        "search, cache",
        "suggestions for a prefix come back in one lookup",
    ),
]


def patterns(problem_type: str = "all") -> pd.DataFrame:
    """Architecture patterns by problem type: problem_type, examples, pattern, building_blocks, why.

    ``problem_type`` is "all" or one of ``PROBLEM_TYPES``; ``building_blocks`` names kinds.

    >>> patterns("real-time")["building_blocks"].tolist()
    ['websocket_server', 'pubsub', 'message_queue, worker']
    """
    _check.choice("problem_type", problem_type, ("all", *PROBLEM_TYPES))
    table = pd.DataFrame(_PATTERNS, columns=["problem_type", "examples", "pattern", "building_blocks", "why"])
    if problem_type != "all":
        table = table[table["problem_type"] == problem_type]
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# The architecture graph
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """A node of an ``Architecture``: a named fleet of ``replicas`` identical instances of a ``kind``."""

    name: str
    kind: str
    replicas: int = 1
    label: str = ""
    layer: int | None = None

    @property
    def spec(self) -> Kind:
        """The ``Kind`` this component is an instance of."""
        return KINDS[self.kind]


def _name(value: object, what: str = "name") -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {value!r}")
    if not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


def _replicas(value: object) -> int:
    n = _check.number("replicas", value, low=1, high=1e9)
    if not n.is_integer():
        raise ValueError(f"replicas must be a whole number >= 1, got {value!r}")
    return int(n)


def _ms(seconds: float) -> str:
    """Milliseconds with one decimal, trailing zeros dropped: 0.0401 -> '40.1 ms', 0.5 -> '500 ms'."""
    text = f"{seconds * 1e3:,.1f}"
    return (text[:-2] if text.endswith(".0") else text) + " ms"


@dataclass(frozen=True, eq=False)
class Trace:
    """A request followed hop by hop.

    ``hops`` has one row per step: step (from 1), source, target, action, link ("datacenter",
    "metro", "internet", "manual" for a hand-set latency, "reply" for a step back along the hop
    just taken), network_s, processing_s, latency_s and cumulative_s (seconds).
    """

    architecture: str
    path: tuple[str, ...]
    hops: pd.DataFrame
    budget_s: float

    @property
    def steps(self) -> int:
        """Number of hops."""
        return len(self.hops)

    @property
    def total_s(self) -> float:
        """End-to-end latency, seconds (the last cumulative value; 0 before the first hop)."""
        return float(self.hops["cumulative_s"].iloc[-1]) if self.steps else 0.0

    @property
    def within_budget(self) -> bool:
        """True when the total does not exceed the budget."""
        return self.total_s <= self.budget_s

    @property
    def headroom_s(self) -> float:
        """Budget left over, seconds (negative when over budget)."""
        return self.budget_s - self.total_s

    def first(self, steps: int) -> Trace:
        """The trace after its first ``steps`` hops (0 to ``self.steps``)."""
        n = int(_check.number("steps", steps, low=0, high=self.steps))
        return Trace(self.architecture, self.path[: n + 1], self.hops.iloc[:n].copy(), self.budget_s)

    def breakdown(self) -> pd.DataFrame:
        """Where the time goes: network by link type, then processing; seconds and share of the total."""
        rows = []
        for link in ("internet", "metro", "datacenter", "manual"):
            seconds = float(self.hops.loc[self.hops["link"] == link, "network_s"].sum())
            if seconds:
                rows.append((f"{link} round trips" if link != "manual" else "hand-set hops", seconds))
        rows.append(("processing", float(self.hops["processing_s"].sum())))
        table = pd.DataFrame(rows, columns=["part", "seconds"])
        table["share"] = table["seconds"] / self.total_s if self.total_s else 0.0
        return table

    def table(self) -> pd.DataFrame:
        """The hops formatted for reading: step, hop, what happens, link, hop latency, running total."""
        h = self.hops
        return pd.DataFrame(
            {
                "step": h["step"],
                "hop": h["source"] + " → " + h["target"],
                "what happens": h["action"],
                "link": h["link"],
                "hop latency": [_ms(x) for x in h["latency_s"]],
                "running total": [_ms(x) for x in h["cumulative_s"]],
            }
        )

    def last_hop(self) -> str:
        """The most recent hop in words, with its latency ("" before the first hop)."""
        if not self.steps:
            return ""
        h = self.hops.iloc[-1]
        return (
            f"Step {h['step']}: {h['source']} → {h['target']}: {h['action']} "
            f"(+{_ms(float(h['latency_s']))}, {h['link']})"
        )

    def describe(self) -> str:
        """One sentence: the running total against the budget."""
        share = self.total_s / self.budget_s
        verdict = (
            f"{_ms(self.headroom_s)} to spare"
            if self.within_budget
            else f"over budget by {_ms(-self.headroom_s)}"
        )
        return (
            f"After {self.steps} hop{'s' if self.steps != 1 else ''}: {_ms(self.total_s)} of the "
            f"{_ms(self.budget_s)} budget ({share:.1%}), {verdict}."
        )


class Architecture:
    """Components joined by directed data-flow arrows.

    Build it with ``add_component`` and ``connect`` (both return the architecture, so calls chain),
    or from plain lists with ``from_spec``. ``budget_s`` is the end-to-end latency budget used by
    ``trace`` (the chat's 500 ms unless given).

    >>> a = Architecture("tiny").add_component("web", "client").add_component("api", "app_server", replicas=2)
    >>> a = a.add_component("db", "database").connect("web", "api", "request").connect("api", "db", "query")
    >>> a.single_points_of_failure()
    ['db']
    >>> round(a.trace(["web", "api", "db"]).total_s * 1e3, 1)  # (70 + 5) + (0.5 + 5) ms
    80.5
    """

    def __init__(self, name: str = "architecture", budget_s: float = CHAT_BUDGET_S) -> None:
        self.name = _name(name)
        self.budget_s = _check.number("budget_s", budget_s, low_open=True)
        self._g: nx.DiGraph = nx.DiGraph()

    # -- building -------------------------------------------------------------------------
    def add_component(
        self, name: str, kind: str, replicas: int = 1, label: str = "", layer: int | None = None
    ) -> Architecture:
        """Add a component: a unique ``name``, a ``kind`` from ``KINDS``, a ``replicas`` count >= 1.

        ``label`` is the text shown in diagrams (the kind's label if empty); ``layer`` overrides
        the kind's default row in diagrams (0 at the top).
        """
        _name(name)
        if name in self._g:
            raise ValueError(f"component {name!r} already exists in {self.name!r}; use another name")
        _check.choice("kind", kind, tuple(KINDS))
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {label!r}")
        if layer is not None:
            layer = int(_check.number("layer", layer, low=0, high=100))
        component = Component(name, kind, _replicas(replicas), label or KINDS[kind].label, layer)
        self._g.add_node(name, component=component)
        return self

    def connect(
        self, source: str, target: str, label: str = "", latency_s: float | None = None
    ) -> Architecture:
        """Add an arrow: data flows from ``source`` to ``target`` (both already added).

        ``label`` says what travels ("publish to chat-messages"); ``latency_s`` (seconds, >= 0)
        replaces the latency model for this hop.
        """
        for end, value in (("source", source), ("target", target)):
            _name(value, end)
            if value not in self._g:
                raise ValueError(
                    f"connect: unknown {end} component {value!r} in {self.name!r}; "
                    f"add it with add_component first (known: {self._known()})"
                )
        if source == target:
            raise ValueError(f"connect: a component cannot send to itself ({source!r} -> {target!r})")
        if self._g.has_edge(source, target):
            raise ValueError(f"connect: {source!r} -> {target!r} already exists in {self.name!r}")
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {label!r}")
        latency = None if latency_s is None else _check.number("latency_s", latency_s)
        self._g.add_edge(source, target, label=label, latency_s=latency)
        return self

    @classmethod
    def from_spec(
        cls,
        components: Mapping[str, Any],
        edges: Iterable[Sequence[Any]],
        name: str = "architecture",
        budget_s: float = CHAT_BUDGET_S,
    ) -> Architecture:
        """Build from plain data, e.g. a learner's answer.

        ``components`` maps a name to a kind, to ``(kind, replicas)``, or to a dict of
        ``add_component`` arguments; ``edges`` holds ``(source, target)`` or ``(source, target, label)``.

        >>> a = Architecture.from_spec({"app": "client", "api": ("app_server", 3)}, [("app", "api")])
        >>> a.component("api").replicas
        3
        """
        if not isinstance(components, Mapping):
            raise TypeError(f"components must be a mapping of name -> kind, got {type(components).__name__}")
        arch = cls(name, budget_s)
        for key, value in components.items():
            if isinstance(value, str):
                arch.add_component(key, value)
            elif isinstance(value, Mapping):
                arch.add_component(key, **value)
            elif isinstance(value, Sequence) and len(value) == 2:
                arch.add_component(key, value[0], replicas=value[1])
            else:
                raise ValueError(f"component {key!r}: give a kind, (kind, replicas) or a dict; got {value!r}")
        for i, edge in enumerate(edges):
            if isinstance(edge, str) or not isinstance(edge, Sequence) or len(edge) not in (2, 3):
                raise ValueError(
                    f"edges[{i}] must be (source, target) or (source, target, label); got {edge!r}"
                )
            arch.connect(*edge)
        return arch

    def to_spec(self) -> dict[str, Any]:
        """Plain data that ``from_spec`` turns back into an equal architecture."""
        return {
            "name": self.name,
            "budget_s": self.budget_s,
            "components": {
                c.name: {"kind": c.kind, "replicas": c.replicas, "label": c.label, "layer": c.layer}
                for c in self._components()
            },
            "edges": [(u, v, d["label"]) for u, v, d in self._g.edges(data=True)],
        }

    def copy(self) -> Architecture:
        """An independent copy."""
        other = Architecture(self.name, self.budget_s)
        other._g = self._g.copy()
        return other

    def with_replicas(self, name: str, replicas: int) -> Architecture:
        """A copy with ``name`` running ``replicas`` instances; this architecture is unchanged.

        >>> draft = chat_architecture(draft=True)
        >>> draft.with_replicas("db", 3).component("db").replicas, draft.component("db").replicas
        (3, 1)
        """
        old = self.component(name)
        other = self.copy()
        other._g.nodes[name]["component"] = Component(
            old.name, old.kind, _replicas(replicas), old.label, old.layer
        )
        return other

    # -- reading --------------------------------------------------------------------------
    def _known(self) -> str:
        return ", ".join(repr(n) for n in self._g) or "none yet"

    def _components(self) -> list[Component]:
        return [d["component"] for _, d in self._g.nodes(data=True)]

    def component(self, name: str) -> Component:
        """The component called ``name``."""
        _name(name)
        if name not in self._g:
            raise ValueError(f"unknown component {name!r} in {self.name!r} (known: {self._known()})")
        return self._g.nodes[name]["component"]

    @property
    def graph(self) -> nx.DiGraph:
        """A copy of the underlying networkx graph (node attribute ``component``, edge attributes
        ``label`` and ``latency_s``)."""
        return self._g.copy()

    def __contains__(self, name: object) -> bool:
        return name in self._g

    def __len__(self) -> int:
        return self._g.number_of_nodes()

    def __repr__(self) -> str:
        return (
            f"Architecture({self.name!r}, {self._g.number_of_nodes()} components, "
            f"{self._g.number_of_edges()} connections)"
        )

    def components(self) -> pd.DataFrame:
        """One row per component: name, label, kind, group, replicas, durable, ours, spof."""
        spofs = set(self.single_points_of_failure())
        return pd.DataFrame(
            [
                (
                    c.name,
                    c.label,
                    c.kind,
                    c.spec.group,
                    c.replicas,
                    c.spec.durable,
                    c.spec.ours,
                    c.name in spofs,
                )
                for c in self._components()
            ],
            columns=["name", "label", "kind", "group", "replicas", "durable", "ours", "spof"],
        )

    def edges(self) -> pd.DataFrame:
        """One row per arrow: source, target, label, latency_s (the hop's latency) and how it was set."""
        rows = []
        for u, v, d in self._g.edges(data=True):
            hop = self._hop(u, v)
            rows.append(
                (u, v, d["label"], hop["latency_s"], "by hand" if d["latency_s"] is not None else "model")
            )
        return pd.DataFrame(rows, columns=["source", "target", "label", "latency_s", "latency_from"])

    # -- checking -------------------------------------------------------------------------
    def problems(self, acyclic: bool = False) -> list[str]:
        """Everything wrong with the graph, as sentences (an empty list when it is sound).

        Checks: at least one component; every component has an arrow; every component can be
        reached from an origin (a client or a scheduler); no cycle when ``acyclic`` is True.

        >>> Architecture.from_spec({"u": "client", "a": "app_server", "b": "worker"},
        ...                        [("u", "a"), ("a", "b"), ("b", "a")]).problems(acyclic=True)
        ['cycle: a -> b -> a']
        """
        if not len(self):
            return [f"{self.name!r} has no components"]
        found = []
        for name in self._g:
            if self._g.degree(name) == 0:
                found.append(f"component {name!r} has no connections")
        origins = [c.name for c in self._components() if c.spec.origin]
        if not origins:
            found.append("no origin: add a 'client' (or 'scheduler') component where requests start")
        else:
            reached = set(origins)
            for origin in origins:
                reached |= nx.descendants(self._g, origin)
            for name in self._g:
                if name not in reached and self._g.degree(name) > 0:
                    found.append(f"component {name!r} cannot be reached from any client or scheduler")
        if acyclic:
            try:
                cycle = nx.find_cycle(self._g)
            except nx.NetworkXNoCycle:
                pass
            else:
                loop = " -> ".join([u for u, _ in cycle] + [cycle[0][0]])
                found.append(f"cycle: {loop}")
        return found

    def validate(self, acyclic: bool = False) -> Architecture:
        """Return the architecture if ``problems(acyclic)`` is empty, else raise ``ValueError`` with them."""
        found = self.problems(acyclic)
        if found:
            raise ValueError(
                f"architecture {self.name!r} has {len(found)} problem{'s' if len(found) > 1 else ''}: "
                + "; ".join(found)
            )
        return self

    def single_points_of_failure(self) -> list[str]:
        """Components we run with fewer than 2 instances, in the order they were added.

        Clients and third-party services (``Kind.ours`` False) are not counted.

        >>> chat_architecture(draft=True).with_replicas("db", 2).single_points_of_failure()
        ['lb', 'redis', 'pubsub']
        """
        return [c.name for c in self._components() if c.spec.ours and c.replicas < 2]

    def choke_points(self) -> list[str]:
        """Components we run that every route between some parts must cross (cut vertices of the
        undirected graph), in insertion order. Harmless when replicated, fatal when single.

        >>> chat_architecture().choke_points()
        ['ws', 'notifier']
        """
        cut = set(nx.articulation_points(self._g.to_undirected(as_view=True)))
        return [c.name for c in self._components() if c.name in cut and c.spec.ours]

    def describe_spofs(self) -> str:
        """A sentence naming the single points of failure, or saying there are none."""
        names = self.single_points_of_failure()
        if not names:
            return "No single point of failure: every component we run has at least 2 instances."
        parts = [f"{self.component(n).label} ({n})" for n in names]
        return (
            f"{len(names)} single point{'s' if len(names) > 1 else ''} of failure: " + ", ".join(parts) + "."
        )

    # -- tracing --------------------------------------------------------------------------
    def _hop(self, u: str, v: str) -> dict[str, Any]:
        data = self._g.edges[u, v]
        cu, cv = self.component(u), self.component(v)
        if data["latency_s"] is not None:
            return {
                "link": "manual",
                "network_s": data["latency_s"],
                "processing_s": 0.0,
                "latency_s": data["latency_s"],
            }
        network = network_rtt(cu.spec.location, cv.spec.location)
        return {
            "link": _link(cu.spec.location, cv.spec.location),
            "network_s": network,
            "processing_s": cv.spec.processing_s,
            "latency_s": network + cv.spec.processing_s,
        }

    def _path(self, path: object) -> tuple[str, ...]:
        if isinstance(path, str) or not isinstance(path, Sequence):
            raise TypeError(f"path must be a list of component names, got {path!r}")
        names = tuple(path)
        if len(names) < 2:
            raise ValueError(f"path must name at least 2 components, got {list(names)!r}")
        for i, name in enumerate(names):
            _name(name, f"path[{i}]")
            if name not in self._g:
                raise ValueError(
                    f"path[{i}]: unknown component {name!r} in {self.name!r} (known: {self._known()})"
                )
        return names

    def _route(self, source: str, target: str, via: Sequence[str]) -> tuple[str, ...]:
        stops = [source, *via, target]
        for i, name in enumerate(stops):
            _name(name, "source" if i == 0 else "target" if i == len(stops) - 1 else f"via[{i - 1}]")
            if name not in self._g:
                raise ValueError(f"unknown component {name!r} in {self.name!r} (known: {self._known()})")
        route: list[str] = [source]
        for a, b in zip(stops, stops[1:], strict=False):
            if a == b:
                raise ValueError(f"trace: {a!r} appears twice in a row; give distinct stops")
            try:
                leg = nx.dijkstra_path(self._g, a, b, weight=lambda u, v, _d: self._hop(u, v)["latency_s"])
            except nx.NetworkXNoPath:
                raise ValueError(
                    f"trace: no path from {a!r} to {b!r} following the arrows in {self.name!r}"
                ) from None
            route.extend(leg[1:])
        return tuple(route)

    def trace(
        self,
        path: Sequence[str] | str,
        target: str | None = None,
        *,
        via: Sequence[str] = (),
        budget_s: float | None = None,
    ) -> Trace:
        """Follow a request hop by hop and add up the latency (seconds).

        Give a whole ``path`` (a list of names), or a source name and a ``target`` to take the
        fastest route (through ``via`` stops, in order). In a path, each step must follow an
        arrow, except a step straight back along the most recent forward hop not yet answered:
        ``[..., "consumer", "db", "consumer", ...]`` means the consumer calls the database and
        carries on when it answers. Such a reply costs nothing extra, since every hop is charged
        a full round trip. ``budget_s`` defaults to the architecture's budget.

        >>> chat = chat_architecture()
        >>> chat.trace(CHAT_OFFLINE_PATH).describe()
        'After 7 hops: 160.2 ms of the 500 ms budget (32.0%), 339.8 ms to spare.'
        >>> chat.trace("sender", "push").path
        ('sender', 'lb', 'ws', 'kafka', 'notifier', 'push')
        """
        if target is not None:
            _name(path, "source")
            names = self._route(path, target, tuple(via))  # type: ignore[arg-type]
        else:
            if via:
                raise ValueError("via only applies with a source and a target, not a whole path")
            names = self._path(path)
        budget = self.budget_s if budget_s is None else _check.number("budget_s", budget_s, low_open=True)
        rows, open_calls, total = [], [], 0.0
        for i, (u, v) in enumerate(zip(names, names[1:], strict=False), start=1):
            if self._g.has_edge(u, v):
                hop = self._hop(u, v)
                action = self._g.edges[u, v]["label"] or f"{u} sends to {v}"
                open_calls.append((u, v))
            elif open_calls and open_calls[-1] == (v, u):
                open_calls.pop()
                hop = {"link": "reply", "network_s": 0.0, "processing_s": 0.0, "latency_s": 0.0}
                action = f"{u} answers {v} (inside the round trip above)"
            else:
                raise ValueError(
                    f"path step {i}: no arrow {u!r} -> {v!r} in {self.name!r}; connect them, "
                    "or step back only along the most recent hop"
                )
            total += hop["latency_s"]
            rows.append({"step": i, "source": u, "target": v, "action": action, **hop, "cumulative_s": total})
        columns = [
            "step",
            "source",
            "target",
            "action",
            "link",
            "network_s",
            "processing_s",
            "latency_s",
            "cumulative_s",
        ]
        return Trace(self.name, names, pd.DataFrame(rows, columns=columns), budget)

    def durable_before_ack(self, path: Sequence[str], ack_at: str) -> bool:
        """True if a durable component (database, message queue, object storage) holds the message
        by the time the sender is acknowledged.

        ``path`` is checked as in ``trace``; ``ack_at`` is the component whose acceptance triggers
        the acknowledgement (its first appearance in the path counts, and it counts itself: a
        queue that confirmed the write may be the reason for the ack).

        >>> chat, path = chat_architecture(), CHAT_ONLINE_PATH
        >>> chat.durable_before_ack(path, "kafka"), chat.durable_before_ack(path, "ws")
        (True, False)
        """
        names = self._path(path)
        self.trace(list(names))  # raises on a broken path
        _name(ack_at, "ack_at")
        if ack_at not in names:
            raise ValueError(f"ack_at {ack_at!r} is not on the path {list(names)!r}")
        upto = names[: names.index(ack_at) + 1]
        return any(self.component(n).spec.durable for n in upto)


# --------------------------------------------------------------------------------------------
# Ready-made architectures
# --------------------------------------------------------------------------------------------


def building_blocks() -> Architecture:
    """Every kind of building block once, wired the way most web systems are.

    >>> len(building_blocks()) == len(KINDS)
    True
    """
    a = Architecture("building blocks")
    for name, kind in [
        ("clients", "client"),
        ("dns", "dns"),
        ("cdn", "cdn"),
        ("lb", "load_balancer"),
        ("gateway", "api_gateway"),
        ("limiter", "rate_limiter"),
        ("app", "app_server"),
        ("ws", "websocket_server"),
        ("cache", "cache"),
        ("search", "search"),
        ("pubsub", "pubsub"),
        ("queue", "message_queue"),
        ("scheduler", "scheduler"),
        ("workers", "worker"),
        ("db", "database"),
        ("blobs", "object_storage"),
        ("push", "push_service"),
    ]:
        a.add_component(name, kind, replicas=2 if KINDS[kind].ours else 1)
    for u, v, label in [
        ("clients", "dns", "look up the address"),
        ("clients", "cdn", "static files and media"),
        ("cdn", "lb", "misses and dynamic requests"),
        ("lb", "gateway", "spread across gateways"),
        ("gateway", "limiter", "is this caller over its limit?"),
        ("gateway", "app", "REST calls"),
        ("gateway", "ws", "upgrade to a WebSocket"),
        ("app", "cache", "read hot data"),
        ("app", "db", "read and write records"),
        ("app", "search", "full-text queries"),
        ("app", "queue", "hand off slow work"),
        ("ws", "pubsub", "relay live events"),
        ("ws", "queue", "publish events"),
        ("scheduler", "queue", "enqueue periodic jobs"),
        ("queue", "workers", "consume"),
        ("workers", "db", "persist results"),
        ("workers", "search", "update the index"),
        ("workers", "blobs", "store files"),
        ("workers", "push", "notify offline users"),
        ("cdn", "blobs", "fetch originals on a miss"),
    ]:
        a.connect(u, v, label)
    return a


CHAT_ONLINE_PATH: tuple[str, ...] = (
    "sender",
    "lb",
    "ws",
    "kafka",
    "consumer",
    "db",
    "consumer",
    "redis",
    "consumer",
    "pubsub",
    "ws",
    "recipient",
)
"""User A's message to User B while B is connected: the syllabus's trace, steps 1 to 5."""

CHAT_OFFLINE_PATH: tuple[str, ...] = ("sender", "lb", "ws", "kafka", "notifier", "redis", "notifier", "push")
"""The same message when B is offline: a second consumer group sends a push notification (step 6)."""

CHAT_ACK_AT = "kafka"
"""The WebSocket server acknowledges the sender once Kafka has confirmed the write."""

DRAFT_SINGLES = ("lb", "redis", "pubsub", "db")
"""Components a first whiteboard draft of the chat often leaves with one instance."""


def chat_replicas() -> dict[str, int]:
    """Instances per chat component, each derived from the chat estimate or a stated rule.

    WebSocket servers: the estimate's servers for 15 M connections at 10 K each. Kafka: enough
    brokers for the peak rate at 200 K messages/s each, at least 3 (replication factor 3).
    Consumers and app servers: peak rate at the low end of an app server (1 K requests/s).
    Database: 3 replicas (replication factor 3). Redis: peak rate at 100 K operations/s per node,
    at least 2 (primary and replica). Everything else we run: a pair.

    >>> chat_replicas()["ws"]
    1500
    """
    peak = CHAT_APP.traffic().peak_qps
    rates = reference.throughput().set_index("component")

    def fleet(per_node: float, minimum: int) -> int:
        return max(minimum, math.ceil(peak / per_node))

    app_low = float(rates.loc["Application server (API)", "low"])
    return {
        "dns": 2,
        "cdn": 2,
        "lb": 2,
        "gateway": 2,
        "app": fleet(app_low, 2),
        "ws": CHAT_APP.connections().servers,
        "kafka": fleet(float(rates.loc["Kafka broker", "low"]), 3),
        "consumer": fleet(app_low, 2),
        "notifier": fleet(app_low, 2),
        "redis": fleet(float(rates.loc["Redis node", "low"]), 2),
        "pubsub": fleet(float(rates.loc["Redis node", "low"]), 2),
        "db": 3,
        "media": 3,
    }


def chat_architecture(draft: bool = False, budget_s: float = CHAT_BUDGET_S) -> Architecture:
    """The chat system of the syllabus as a graph.

    A sends over a WebSocket (through the load balancer) to a WebSocket server, which publishes to
    Kafka partitioned by chat_id. A consumer persists the message, asks Redis which server holds B,
    and publishes on Redis Pub/Sub to that server, which pushes to B. A second consumer group sends
    a push notification through APNs/FCM when B is offline. REST calls (history, uploads) go through
    the API gateway to app servers. ``draft=True`` leaves ``DRAFT_SINGLES`` with one instance each.

    >>> chat_architecture().single_points_of_failure()
    []
    >>> chat_architecture(draft=True).single_points_of_failure()
    ['lb', 'redis', 'pubsub', 'db']
    """
    counts = chat_replicas()
    if draft:
        counts.update(dict.fromkeys(DRAFT_SINGLES, 1))
    a = Architecture("chat", budget_s)
    for name, kind, label in [
        ("sender", "client", "User A's app"),
        ("recipient", "client", "User B's app"),
        ("dns", "dns", "DNS"),
        ("cdn", "cdn", "CDN (images)"),
        ("lb", "load_balancer", "Load balancer"),
        ("gateway", "api_gateway", "API gateway"),
        ("app", "app_server", "App servers (REST)"),
        ("ws", "websocket_server", "WebSocket servers"),
        ("redis", "cache", "Redis (presence, recent messages)"),
        ("pubsub", "pubsub", "Redis Pub/Sub"),
        ("kafka", "message_queue", "Kafka: chat-messages"),
        ("consumer", "worker", "Message consumers"),
        ("notifier", "worker", "Notification consumers"),
        ("db", "database", "Message DB (Cassandra)"),
        ("media", "object_storage", "Object storage (S3)"),
        ("push", "push_service", "APNs / FCM"),
    ]:
        a.add_component(name, kind, replicas=counts.get(name, 1), label=label)
    for u, v, label in [
        ("sender", "dns", "resolve the chat host"),
        ("sender", "lb", "message frame over A's WebSocket"),
        ("sender", "cdn", "download image attachments"),
        ("lb", "ws", "forward to the server holding A's connection"),
        ("lb", "gateway", "REST: history, uploads"),
        ("gateway", "app", "authenticated REST call"),
        ("app", "redis", "recent messages (cache-aside)"),
        ("app", "db", "older history"),
        ("app", "media", "signed upload URLs"),
        ("cdn", "media", "fetch originals on a miss"),
        ("ws", "redis", "heartbeat: user -> server, TTL 60 s"),
        ("ws", "kafka", "publish to chat-messages, key = chat_id"),
        ("kafka", "consumer", "read the partition in order"),
        ("consumer", "db", "persist the message"),
        ("consumer", "redis", "which server holds B?"),
        ("consumer", "pubsub", "publish on B's server channel"),
        ("pubsub", "ws", "deliver to the subscribed server"),
        ("ws", "recipient", "push over B's open WebSocket"),
        ("kafka", "notifier", "second consumer group"),
        ("notifier", "redis", "is B online?"),
        ("notifier", "push", "B offline: send a notification"),
    ]:
        a.connect(u, v, label)
    return a


# --------------------------------------------------------------------------------------------
# Diagram
# --------------------------------------------------------------------------------------------

_GROUP_COLOURS = {
    "clients": "#607d8b",
    "networking": "#1f77b4",
    "compute": "#2ca02c",
    "data": "#ff7f0e",
    "external": "#9467bd",
}
_HIGHLIGHT = "#d62728"


def positions(arch: Architecture) -> dict[str, tuple[float, float]]:
    """Layered layout: each component's (x, y), one row per layer from the top (y = 0, -1, ...).

    The first row is centred in insertion order. Each later row wants every component under the
    mean x of its neighbours in the rows above (insertion order breaks ties); components keep at
    least 1 apart, and the row is shifted so its mean matches the wanted mean. Deterministic.
    """
    rows: dict[int, list[str]] = {}
    for c in arch._components():
        rows.setdefault(c.layer if c.layer is not None else c.spec.layer, []).append(c.name)
    undirected = arch._g.to_undirected(as_view=True)
    placed: dict[str, tuple[float, float]] = {}
    for rank, layer in enumerate(sorted(rows)):
        names = rows[layer]
        wanted = {}
        for i, name in enumerate(names):
            xs = [placed[m][0] for m in undirected.neighbors(name) if m in placed]
            wanted[name] = sum(xs) / len(xs) if xs and rank else i - (len(names) - 1) / 2
        order = sorted(names, key=lambda n: (wanted[n], names.index(n)))
        xs_row: list[float] = []
        for name in order:
            xs_row.append(wanted[name] if not xs_row else max(wanted[name], xs_row[-1] + 1.0))
        shift = (sum(wanted.values()) - sum(xs_row)) / len(xs_row)
        for name, x in zip(order, xs_row, strict=True):
            placed[name] = (round(x + shift, 9), float(-rank))
    return placed


def _arrows(
    arch: Architecture, pos: Mapping[str, tuple[float, float]]
) -> dict[tuple[str, str], tuple[float, ...]]:
    """Start and end (x0, y0, x1, y1) of every arrow; the two arrows of a two-way pair are pulled apart."""
    found: dict[tuple[str, str], tuple[float, ...]] = {}
    for u, v in arch._g.edges():
        (x0, y0), (x1, y1) = pos[u], pos[v]
        if arch._g.has_edge(v, u):
            dx, dy = y1 - y0, x0 - x1
            norm = math.hypot(dx, dy) or 1.0
            ox, oy = 0.06 * dx / norm, 0.06 * dy / norm
            x0, y0, x1, y1 = x0 + ox, y0 + oy, x1 + ox, y1 + oy
        found[(u, v)] = (x0, y0, x1, y1)
    return found


def diagram_style(
    arch: Architecture, highlight: Sequence[str] = (), mark_spofs: bool = True
) -> dict[str, list]:
    """The parts of ``diagram`` that change with the highlighted path and the replica counts.

    Keys: ``path_x``/``path_y`` (the highlighted hops as line segments, ``None`` between them),
    ``node_size``, ``node_line_color``, ``node_line_width``, ``node_text``, ``node_hover`` (one
    entry per component in insertion order). Explorers copy these into a live figure, which is
    much faster than drawing a new one.

    >>> diagram_style(chat_architecture(), ["sender", "lb"])["path_y"]  # top row to the third row
    [0.0, -2.0, None]
    """
    if isinstance(highlight, str) or not isinstance(highlight, Sequence):
        raise TypeError(f"highlight must be a list of component names, got {highlight!r}")
    names = tuple(highlight)
    for i, name in enumerate(names):
        _name(name, f"highlight[{i}]")
        if name not in arch:
            raise ValueError(f"highlight[{i}]: unknown component {name!r} in {arch.name!r}")
    arrows = _arrows(arch, positions(arch))
    path_x: list[float | None] = []
    path_y: list[float | None] = []
    for u, v in zip(names, names[1:], strict=False):
        if (u, v) in arrows:
            x0, y0, x1, y1 = arrows[(u, v)]
            path_x += [x0, x1, None]
            path_y += [y0, y1, None]
    spofs = set(arch.single_points_of_failure()) if mark_spofs else set()
    comps, on_path = arch._components(), set(names)
    return {
        "path_x": path_x,
        "path_y": path_y,
        "node_size": [26 if c.name in on_path else 18 for c in comps],
        "node_line_color": [_HIGHLIGHT if c.name in spofs else "white" for c in comps],
        "node_line_width": [4 if c.name in spofs else 1 for c in comps],
        "node_text": [c.label + (f" ×{c.replicas:,}" if c.replicas > 1 else "") for c in comps],
        "node_hover": [
            f"<b>{c.name}</b> ({c.kind})<br>{c.replicas:,} instance{'s' if c.replicas > 1 else ''}"
            + ("<br>single point of failure" if c.name in spofs else "")
            for c in comps
        ],
    }


def diagram(
    arch: Architecture, highlight: Sequence[str] = (), title: str | None = None, mark_spofs: bool = True
) -> go.Figure:
    """The architecture as a layered plotly diagram.

    Arrows show data flow; hovering a node or an arrow's midpoint shows details. ``highlight``
    (a path, as in ``Architecture.trace``) lays a red band under its hops and enlarges its nodes;
    ``mark_spofs`` rings single points of failure in red. Figure traces: 0 the highlighted hops,
    1 the components, 2 the arrow midpoints (see ``diagram_style`` for live updates).

    >>> [t.name for t in diagram(chat_architecture(), highlight=CHAT_ONLINE_PATH).data]
    ['highlighted hops', 'components', 'arrows']
    """
    import plotly.graph_objects as go  # only diagrams need plotly (grading kernels never do)

    style = diagram_style(arch, highlight, mark_spofs)
    pos = positions(arch)
    comps = arch._components()
    annotations = []
    mid_x, mid_y, mid_text = [], [], []
    for (u, v), (x0, y0, x1, y1) in _arrows(arch, pos).items():
        annotations.append(
            dict(
                x=x1,
                y=y1,
                ax=x0,
                ay=y0,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                text="",
                showarrow=True,
                arrowhead=3,
                arrowsize=1.2,
                arrowwidth=1.3,
                arrowcolor="#757575",
                standoff=30 if y1 > y0 else 16,  # clear the label under a node hit from below
                startstandoff=16,
            )
        )
        hop = arch._hop(u, v)
        mid_x.append((x0 + x1) / 2)
        mid_y.append((y0 + y1) / 2)
        label = arch._g.edges[u, v]["label"] or "data flow"
        mid_text.append(f"{u} → {v}<br>{label}<br>{_ms(hop['latency_s'])} ({hop['link']})")
    band = go.Scatter(
        x=style["path_x"],
        y=style["path_y"],
        mode="lines",
        line=dict(color="rgba(214,39,40,0.55)", width=8),
        hoverinfo="skip",
        name="highlighted hops",
    )
    nodes = go.Scatter(
        x=[pos[c.name][0] for c in comps],
        y=[pos[c.name][1] for c in comps],
        mode="markers+text",
        text=style["node_text"],
        textposition="bottom center",
        hovertext=style["node_hover"],
        hoverinfo="text",
        name="components",
        marker=dict(
            size=style["node_size"],
            color=[_GROUP_COLOURS[c.spec.group] for c in comps],
            line=dict(color=style["node_line_color"], width=style["node_line_width"]),
        ),
    )
    mids = go.Scatter(
        x=mid_x,
        y=mid_y,
        mode="markers",
        marker=dict(size=6, color="rgba(0,0,0,0.08)"),
        hovertext=mid_text,
        hoverinfo="text",
        name="arrows",
    )
    layers = len({y for _, y in pos.values()}) or 1
    xs = [x for x, _ in pos.values()] or [0.0]
    return go.Figure(
        [band, nodes, mids],
        layout=dict(
            title=title or f"{arch.name}: {len(comps)} components, {arch._g.number_of_edges()} arrows",
            annotations=annotations,
            showlegend=False,
            height=110 * layers + 90,
            margin=dict(l=20, r=20, t=50, b=20),
            xaxis=dict(visible=False, range=[min(xs) - 0.8, max(xs) + 0.8]),
            yaxis=dict(visible=False, range=[-(layers - 1) - 0.6, 0.4]),
            plot_bgcolor="white",
            hovermode="closest",
        ),
    )
