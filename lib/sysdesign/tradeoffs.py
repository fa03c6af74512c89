"""Tradeoffs: the three-part sentence, a light checker for free-text answers, and the five classics.

A tradeoff answer has three parts: the choice with its reason, the cost of that choice, and how
to soften the cost. :class:`Tradeoff` holds them and renders the sentence; :func:`check_template`
says which parts a learner's free text contains (feedback only; a person grades the reasoning).

Two of the classics come with numbers: SQL vs NoSQL sizing (how many nodes the write rate needs,
from the cheat sheet's per-node throughput) and monolith vs microservices (network hops added to
a request, and servers needed when one part of the system grows).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from . import _check, reference
from ._lazy import pd
from .units import format_duration

# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tradeoff:
    """One decision in the three-part form: ``choice`` over ``over`` because ``because``;
    its ``cost``; and the ``mitigation`` that softens it. ``topic`` is a short label.

    >>> print(Tradeoff("Redis", "Memcached", "we need sorted sets", "RAM", "short TTLs").say())
    I'd pick Redis over Memcached because we need sorted sets. The price: RAM. To soften it: short TTLs.
    """

    choice: str
    over: str
    because: str
    cost: str
    mitigation: str
    topic: str = ""

    def __post_init__(self) -> None:
        for name in ("choice", "over", "because", "cost", "mitigation"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")

    def say(self) -> str:
        """The decision as three sentences you can say aloud."""
        return (
            f"I'd pick {_strip(self.choice)} over {_strip(self.over)} because {_strip(self.because)}. "
            f"The price: {_strip(self.cost)}. To soften it: {_strip(self.mitigation)}."
        )

    def parts(self) -> dict[str, str]:
        """The three parts a complete answer needs, by name (as :func:`check_template` names them)."""
        return {
            "choice_and_reason": f"{self.choice} over {self.over} because {self.because}",
            "cost": self.cost,
            "mitigation": self.mitigation,
        }


def _strip(text: str) -> str:
    return text.strip().rstrip(".")


# Phrases that signal each part. Deliberately loose: this gives feedback, it does not grade.
_CHOICE = re.compile(
    r"\b(choos(e|es|ing)|chose|chosen|pick(s|ed|ing)?|prefer(s|red|ring)?|go(ing)? with|went with|"
    r"opt(s|ed|ing)? for|decid(e|ed|ing) on|settle[ds]? on|favou?r(s|ed|ing)?|"
    r"(i|we)('d| would| will|'ll)? use|over|instead of|rather than)\b",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(because|since|as (it|they|we|the)|given (that|our|the)|due to|so that|the reason|which means|"
    r"thanks to)\b",
    re.IGNORECASE,
)
_COST = re.compile(
    r"\b(trade-?offs?|costs?|downsides?|drawbacks?|price|penalty|at the expense of|expense|"
    r"(we|you) (lose|give up)|gives? up|giving up|sacrific\w*|disadvantages?|weakness(es)?|"
    r"the catch|but it|but we|worse|slower|harder)\b",
    re.IGNORECASE,
)
_MITIGATION = re.compile(
    r"\b(mitigat\w*|offset\w*|compensat\w*|soften\w*|work(s|ed)? around|workarounds?|"
    r"alleviat\w*|reduc(e|es|ing) (that|this|it|the)|limit(s|ing)? (that|this|it|the)|"
    r"address(es|ing)? (that|this|it)|to counter|counteract\w*|fall ?back|we (could|can) (add|use|keep|cap)|"
    r"by (adding|using|keeping|capping|caching|batching|sharding|replicating))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TemplateCheck:
    """Which of the three parts a free-text tradeoff answer contains, with the phrase that showed it."""

    choice_and_reason: bool
    cost: bool
    mitigation: bool
    evidence: tuple[tuple[str, str], ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the parts not found, in template order."""
        return tuple(name for name in ("choice_and_reason", "cost", "mitigation") if not getattr(self, name))

    @property
    def complete(self) -> bool:
        """True when all three parts were found."""
        return not self.missing

    def feedback(self) -> str:
        """One or two sentences for the learner."""
        if self.complete:
            return "All three parts are there: the choice with a reason, its cost, and a mitigation."
        hints = {
            "choice_and_reason": 'say what you picked over what, and why ("X over Y because ...")',
            "cost": 'name what the choice costs you ("the price is ...")',
            "mitigation": 'say how you would soften that cost ("to mitigate it, ...")',
        }
        return "Missing: " + "; ".join(hints[name] for name in self.missing) + "."


def check_template(text: str) -> TemplateCheck:
    """Look for the three parts of the tradeoff template in a free-text answer.

    The choice counts only with a reason next to it. Matching is by signal phrases, so it is a
    hint for feedback, never a grade.

    >>> check_template("I'd use Cassandra over Postgres because writes dominate.").missing
    ('cost', 'mitigation')
    >>> check_template("We pick push because reads dominate; the cost is write amplification, "
    ...                "which we mitigate by pulling celebrity posts.").complete
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string (the learner's answer), got {type(text).__name__}")
    evidence: list[tuple[str, str]] = []

    def find(part: str, *patterns: re.Pattern[str]) -> bool:
        matches = [p.search(text) for p in patterns]
        if all(matches):
            evidence.append((part, " … ".join(m.group(0) for m in matches if m)))
            return True
        return False

    return TemplateCheck(
        choice_and_reason=find("choice_and_reason", _CHOICE, _REASON),
        cost=find("cost", _COST),
        mitigation=find("mitigation", _MITIGATION),
        evidence=tuple(evidence),
    )


# --------------------------------------------------------------------------------------------
# The five classics
# --------------------------------------------------------------------------------------------

CLASSICS: dict[str, Tradeoff] = {
    "consistency_vs_availability": Tradeoff(
        topic="Consistency vs availability (chat)",
        choice="staying available with eventual consistency",
        over="strong consistency",
        because="a message that lands half a second late bothers nobody, "
        "while a chat that refuses to send drives people away",
        cost="for a moment two members may see different histories, "
        "and concurrent updates need a rule to settle them",
        mitigation="order messages by a per-chat sequence number "
        "and let clients fetch what they missed on reconnect",
    ),
    "sql_vs_nosql": Tradeoff(
        topic="SQL vs NoSQL (message store)",
        choice="a wide-column store such as Cassandra for messages",
        over="a single relational database",
        because="the peak write rate is beyond one node and every query reads one chat by time range",
        cost="no multi-row transactions, no joins or ad-hoc queries, and a cluster that is harder to operate",
        mitigation="keep users and chat membership in PostgreSQL, where relations and transactions matter, "
        "and model each table on the query it serves",
    ),
    "push_vs_pull": Tradeoff(
        topic="Push vs pull (news feed)",
        choice="fan-out on write",
        over="fan-out on read",
        because="feeds are opened far more often than posts are written, "
        "so a precomputed feed makes each read one lookup",
        cost="a post by an account with millions of followers becomes millions of feed writes",
        mitigation="above a follower threshold, skip the copies "
        "and merge those accounts' posts in when the feed is read",
    ),
    "cache_aside_vs_write_through": Tradeoff(
        topic="Cache-aside vs write-through",
        choice="cache-aside (load on a miss, delete on a write)",
        over="write-through",
        because="with around a hundred reads per write, filling on demand keeps only what readers ask for",
        cost="the first read after each write misses and waits for the database",
        mitigation="a TTL to bound staleness, and re-warming the few hottest keys right after they change",
    ),
    "monolith_vs_microservices": Tradeoff(
        topic="Monolith vs microservices",
        choice="separate services for the hot paths (messages, presence, notifications)",
        over="one monolith",
        because="those parts grow at different rates and can then be scaled and deployed on their own",
        cost="each extra service on a request path adds a network round trip, "
        "and failures and transactions now cross process boundaries",
        mitigation="split only where load or team ownership demands it, "
        "and keep cross-cutting concerns such as authentication and rate limits in the gateway",
    ),
}
"""The five tradeoffs every design discussion meets, each in the three-part form."""

_FLIPS: dict[str, Tradeoff] = {
    "chat": CLASSICS["consistency_vs_availability"],
    "banking": Tradeoff(
        topic="Consistency vs availability (banking)",
        choice="strong consistency",
        over="availability",
        because="a balance that is wrong even briefly lets the same money be spent twice",
        cost="during a network split some payments fail or wait, "
        "and every write pays for a quorum round trip",
        mitigation="keep the strongly consistent core small (the ledger) "
        "and serve statements and history from replicas",
    ),
}


def consistency_for(domain: str) -> Tradeoff:
    """The consistency-vs-availability decision for ``domain`` ("chat" or "banking"): the same
    question flips with what a wrong answer costs.

    >>> consistency_for("banking").choice
    'strong consistency'
    """
    return _FLIPS[_check.choice("domain", domain, tuple(_FLIPS))]


def classics() -> pd.DataFrame:
    """The five classic tradeoffs as a table: topic, choice, over, because, cost, mitigation."""
    rows = [(t.topic, t.choice, t.over, t.because, t.cost, t.mitigation) for t in CLASSICS.values()]
    return pd.DataFrame(rows, columns=["topic", "choice", "over", "because", "cost", "mitigation"])


# --------------------------------------------------------------------------------------------
# SQL vs NoSQL: sizing and the access-pattern checklist
# --------------------------------------------------------------------------------------------

DEFAULT_NODE = "MySQL server (simple queries)"


def node_write_limit(component: str = DEFAULT_NODE, figure: str = "low") -> float:
    """Requests per second one node sustains, from :func:`reference.throughput`.

    ``figure`` is "low" (the cautious end, the default) or "high". Writes cost more than simple
    reads, so the low figure is the one to size writes with.

    >>> node_write_limit()
    5000.0
    """
    _check.choice("figure", figure, ("low", "high"))
    limits = _throughputs()
    _check.choice("component", component, tuple(limits))
    low, high = limits[component]
    if figure == "high" and not math.isnan(high):
        return high
    return low  # a NaN high figure means "or more": the low one is all the sheet promises


@cache
def _throughputs() -> dict[str, tuple[float, float]]:
    table = reference.throughput()
    return {row.component: (float(row.low), float(row.high)) for row in table.itertuples()}


@dataclass(frozen=True)
class ShardSizing:
    """``write_qps`` spread over ``shards`` nodes of ``per_node_limit`` writes/s each, each run at
    most at ``utilisation`` of its limit; ``load_per_shard`` is writes/s per node."""

    write_qps: float
    per_node_limit: float
    utilisation: float
    shards: int
    load_per_shard: float

    @property
    def one_node_enough(self) -> bool:
        """True when a single node takes the whole write rate."""
        return self.shards == 1

    @property
    def nodes_exact(self) -> float:
        """The unrounded quotient ``write_qps / (per_node_limit x utilisation)``."""
        return self.write_qps / (self.per_node_limit * self.utilisation)

    def say(self) -> str:
        """The arithmetic as a sentence.

        >>> shards_needed(17_361).say()
        '17,361 writes/s / 5,000 per node = 3.47; round up: 4 shards, about 4,340 writes/s each.'
        """
        per_node = f"{self.per_node_limit:,.0f}"
        if self.utilisation < 1:
            per_node += f" x {self.utilisation:.0%} headroom"
        plural = "shard" if self.shards == 1 else "shards"
        return (
            f"{self.write_qps:,.0f} writes/s / {per_node} per node = {self.nodes_exact:.3g}; "
            f"round up: {self.shards} {plural}, about {self.load_per_shard:,.0f} writes/s each."
        )


def shards_needed(
    write_qps: float, per_node_limit: float | None = None, *, utilisation: float = 1.0
) -> ShardSizing:
    """Nodes needed to absorb ``write_qps`` writes per second: ``ceil(write_qps / (limit x utilisation))``,
    at least 1.

    ``per_node_limit`` defaults to :func:`node_write_limit` (a relational node, cautious figure).
    ``utilisation`` in (0, 1] leaves headroom (0.7 keeps every node at or under 70 %).

    >>> shards_needed(17_361).shards
    4
    >>> shards_needed(17_361, 5_000, utilisation=0.5).shards
    7
    """
    rate = _check.number("write_qps", write_qps)
    limit = (
        node_write_limit()
        if per_node_limit is None
        else _check.number("per_node_limit", per_node_limit, low_open=True)
    )
    use = _check.number("utilisation", utilisation, low=0.0, high=1.0, low_open=True)
    shards = max(1, math.ceil(rate / (limit * use)))
    return ShardSizing(
        write_qps=rate, per_node_limit=limit, utilisation=use, shards=shards, load_per_shard=rate / shards
    )


CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("transactions", "Must several rows change together, all or nothing?", "SQL"),
    ("joins", "Do you need joins or ad-hoc queries across entities?", "SQL"),
    ("relations", "Are there relations and constraints to enforce (users, members, orders)?", "SQL"),
    ("single_key", "Is every query by one key, perhaps with a time range?", "NoSQL"),
    ("write_scale", "Is the peak write rate above what one node takes?", "NoSQL"),
    ("flexible_schema", "Does the shape of a record change often or vary by item?", "NoSQL"),
)
"""The access-pattern checklist: (key, question, which store a "yes" points to)."""


def checklist(
    answers: Mapping[str, bool],
    *,
    write_qps: float | None = None,
    per_node_limit: float | None = None,
) -> pd.DataFrame:
    """The checklist with ``answers`` filled in: question, answer, and the store a "yes" points to.

    Missing keys count as "no". If ``write_qps`` is given, the "write_scale" answer is computed
    with :func:`shards_needed` instead of taken from ``answers``.

    >>> checklist({"single_key": True}, write_qps=20_000)["answer"].tolist()
    [False, False, False, True, True, False]
    """
    if not isinstance(answers, Mapping):
        raise TypeError(
            f"answers must be a mapping of checklist keys to True/False, got {type(answers).__name__}"
        )
    keys = tuple(key for key, _, _ in CHECKLIST)
    for key in answers:
        _check.choice("answers key", key, keys)
    filled = {key: bool(answers.get(key, False)) for key in keys}
    if write_qps is not None:
        filled["write_scale"] = not shards_needed(write_qps, per_node_limit).one_node_enough
    rows = [(key, question, filled[key], leans) for key, question, leans in CHECKLIST]
    return pd.DataFrame(rows, columns=["key", "question", "answer", "yes_points_to"])


def lean(
    answers: Mapping[str, bool],
    *,
    write_qps: float | None = None,
    per_node_limit: float | None = None,
) -> str:
    """Which store the checklist leans to: "SQL", "NoSQL", or "both" (a split design: relational
    data in SQL, the high-volume key-access data in NoSQL); "SQL" when nothing is ticked.

    >>> lean({"single_key": True}, write_qps=20_000)
    'NoSQL'
    >>> lean({"transactions": True, "single_key": True}, write_qps=20_000)
    'both'
    """
    table = checklist(answers, write_qps=write_qps, per_node_limit=per_node_limit)
    yes = table.loc[table["answer"], "yes_points_to"]
    sql, nosql = int((yes == "SQL").sum()), int((yes == "NoSQL").sum())
    if sql and nosql:
        return "both"
    return "NoSQL" if nosql else "SQL"


# --------------------------------------------------------------------------------------------
# Monolith vs microservices: latency added by hops, servers needed when one part grows
# --------------------------------------------------------------------------------------------


@cache
def same_dc_round_trip() -> float:
    """One network round trip inside a datacenter, seconds, from :func:`reference.latency`.

    >>> same_dc_round_trip()
    0.0005
    """
    table = reference.latency()
    return float(table.loc[table["operation"] == "Round trip within a datacenter", "seconds"].iloc[0])


@dataclass(frozen=True)
class PathLatency:
    """A request that passes through ``services`` services: ``hops`` extra network calls compared
    with one process, each ``round_trip_s`` long, adding ``added_s`` seconds."""

    services: int
    hops: int
    round_trip_s: float
    added_s: float

    def say(self) -> str:
        """The arithmetic as a sentence.

        >>> network_hops(4).say()
        '4 services on the path: 3 extra hops x 500 µs = 1.5 ms added to every request.'
        """
        hops = "hop" if self.hops == 1 else "hops"
        services = "service" if self.services == 1 else "services"
        added = format_duration(self.added_s) if self.added_s else "nothing"
        return (
            f"{self.services} {services} on the path: {self.hops} extra {hops} x "
            f"{format_duration(self.round_trip_s)} = {added} added to every request."
        )


def network_hops(services_on_path: int, round_trip_s: float | None = None) -> PathLatency:
    """Latency that splitting adds to one request: ``(services_on_path - 1)`` sequential calls
    between services, each one same-datacenter round trip (the monolith makes function calls).

    >>> p = network_hops(4)
    >>> p.hops, round(p.added_s * 1e3, 3)
    (3, 1.5)
    """
    n = _whole("services_on_path", services_on_path, low=1, high=1000)
    rtt = same_dc_round_trip() if round_trip_s is None else _check.number("round_trip_s", round_trip_s)
    return PathLatency(services=n, hops=n - 1, round_trip_s=rtt, added_s=(n - 1) * rtt)


def app_server_qps() -> float:
    """Requests per second one application server handles: the cautious figure of the cheat sheet.

    >>> app_server_qps()
    1000.0
    """
    return node_write_limit("Application server (API)", "low")


@dataclass(frozen=True)
class ScalingComparison:
    """Servers needed for ``services`` services when the first one's load grows ``growth`` times.

    ``per_service`` lists microservice servers per service (the growing one first);
    ``microservices`` is their sum; ``monolith`` is the servers of the single deployable.
    """

    services: int
    growth: float
    loads: tuple[float, ...]
    per_service: tuple[int, ...]
    microservices: int
    monolith: int

    def say(self) -> str:
        """The comparison as a sentence.

        >>> scaling_servers(6, growth=10).say()
        'One service at 10x load: 21 servers as microservices, 22 as a monolith.'
        """
        return (
            f"One service at {self.growth:g}x load: {self.microservices} servers as microservices, "
            f"{self.monolith} as a monolith."
        )

    def table(self) -> pd.DataFrame:
        """Per-service loads and servers, then the two totals."""
        names = ["service 1 (growing)"] + [f"service {i + 1}" for i in range(1, self.services)]
        rows = [
            (name, load, servers)
            for name, load, servers in zip(names, self.loads, self.per_service, strict=True)
        ]
        rows.append(("all, as microservices", sum(self.loads), self.microservices))
        rows.append(("all, as one monolith", sum(self.loads), self.monolith))
        return pd.DataFrame(rows, columns=["deployment", "requests_per_s", "servers"])


def scaling_servers(
    services: int,
    growth: float = 1.0,
    *,
    base_qps: float = 1_000.0,
    server_qps: float | None = None,
    footprint: float = 0.05,
    min_replicas: int = 2,
) -> ScalingComparison:
    """Servers for ``services`` services of ``base_qps`` requests/s each, the first grown ``growth`` times.

    The model, kept simple on purpose:

    * a server handles ``server_qps`` requests/s (default :func:`app_server_qps`), minus a fixed
      ``footprint`` share for every module it has loaded (runtime, caches, connection pools);
    * as microservices, each service runs on its own servers (one module loaded each) and keeps
      at least ``min_replicas`` of them for redundancy;
    * as a monolith, every replica loads all ``services`` modules and serves the combined load,
      so growth in one module is met by adding copies of everything.

    At low load the monolith wins (no per-service minimum); as one service grows, the monolith
    pays the footprint of every module on every extra copy.

    >>> s = scaling_servers(6, growth=10)
    >>> s.per_service, s.microservices, s.monolith
    ((11, 2, 2, 2, 2, 2), 21, 22)
    """
    n = _whole("services", services, low=1, high=1000)
    g = _check.number("growth", growth, low=1.0)
    base = _check.number("base_qps", base_qps, low_open=True)
    capacity = (
        app_server_qps() if server_qps is None else _check.number("server_qps", server_qps, low_open=True)
    )
    share = _check.number("footprint", footprint, low=0.0, high=1.0, high_open=True)
    if n * share >= 1.0:
        raise ValueError(
            f"footprint must leave room on a monolith server: services x footprint must be < 1, "
            f"got {n} x {share:g} = {n * share:g}"
        )
    replicas = _whole("min_replicas", min_replicas, low=1, high=1000)
    loads = (base * g,) + (base,) * (n - 1)
    micro_capacity = capacity * (1.0 - share)
    per_service = tuple(max(replicas, math.ceil(_tidy(load / micro_capacity))) for load in loads)
    monolith = max(replicas, math.ceil(_tidy(sum(loads) / (capacity * (1.0 - n * share)))))
    return ScalingComparison(
        services=n,
        growth=g,
        loads=loads,
        per_service=per_service,
        microservices=sum(per_service),
        monolith=monolith,
    )


def _tidy(x: float) -> float:
    """Drop float noise before ``ceil`` (10.000000000000002 must count as 10 servers)."""
    return round(x, 9)


def _whole(name: str, value: object, *, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)
