"""The news-feed case study: scenario, API, architecture, ranking, feed caching, real-time hints.

Fan-out itself (push, pull, the hybrid with a celebrity threshold) lives in
:mod:`sysdesign.sim.fanout`; this module adds what the lesson needs around it:

* :class:`FeedScenario`: posts and feed reads per day, QPS, post storage, precomputed-feed memory;
* :func:`rank_scores` / :func:`rank`: a recency x engagement score with an exponential decay;
* :func:`feed_cache`: memory and hit ratio when only the hottest feeds are kept in Redis;
* :func:`hint_rate` / :func:`update_costs`: a "new posts" hint pushed over WebSocket/SSE against polling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _check, api, components, estimate
from ._lazy import pd
from .requirements import Requirement
from .sim import caching
from .tradeoffs import Tradeoff
from .units import format_count, format_size

# --------------------------------------------------------------------------------------------
# Phase 1-2: requirements and estimation
# --------------------------------------------------------------------------------------------

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("A user publishes a post (text, optionally a photo)", "functional", "post"),
    Requirement("A user follows or unfollows another account", "functional", "follow"),
    Requirement(
        "A user opens a feed of posts from the accounts they follow, newest and best first",
        "functional",
        "feed",
    ),
    Requirement("The feed pages further back with a cursor", "functional", "feed"),
    Requirement("Open feeds learn that new posts exist without reloading", "functional", "real-time"),
    Requirement("A feed opens in under 200 ms at p99", "non-functional", "latency"),
    Requirement(
        "A new post may take a few seconds to reach followers (eventual consistency)",
        "non-functional",
        "consistency",
    ),
    Requirement("Posting and reading stay up when a single machine fails", "non-functional", "availability"),
)
"""What we agreed on for the news feed."""

FEED_BUDGET_S = 0.2
"""A feed read must render within 200 ms (our requirement)."""


@dataclass(frozen=True)
class FeedScenario:
    """The feed's assumptions: ``dau`` users, each posting ``posts_per_user`` times and opening
    the feed ``reads_per_user`` times a day; a post is ``post_bytes`` (text and metadata, media
    kept apart in object storage); a precomputed feed keeps ``feed_entries`` entries of
    ``entry_bytes`` (post id and author id); ``years`` of posts kept.
    """

    dau: float = 300e6
    posts_per_user: float = 1.0
    reads_per_user: float = 10.0
    post_bytes: float = 1_000.0
    feed_entries: int = 500
    entry_bytes: float = 16.0
    years: float = 5.0
    peak_factor: float = 3.0

    def __post_init__(self) -> None:
        for name in ("dau", "posts_per_user", "reads_per_user", "post_bytes", "entry_bytes", "years"):
            _check.number(name, getattr(self, name))
        _check.number("feed_entries", self.feed_entries, low=1)
        _check.number("peak_factor", self.peak_factor, low=1.0)

    def posts(self) -> estimate.Traffic:
        """New posts per day and per second."""
        return estimate.traffic(
            dau=self.dau, per_user_per_day=self.posts_per_user, peak_factor=self.peak_factor
        )

    def reads(self) -> estimate.Traffic:
        """Feed reads per day and per second."""
        return estimate.traffic(
            dau=self.dau, per_user_per_day=self.reads_per_user, peak_factor=self.peak_factor
        )

    def post_storage(self) -> estimate.Storage:
        """Post rows: bytes per day and over ``years``."""
        return estimate.storage(self.posts().per_day, self.post_bytes, years=self.years)

    def feed_bytes(self) -> float:
        """Memory to hold a precomputed feed for every daily user (bytes).

        >>> FeedScenario(dau=1e6, feed_entries=100, entry_bytes=10).feed_bytes()
        1000000000.0
        """
        return self.dau * self.feed_entries * self.entry_bytes

    def table(self) -> pd.DataFrame:
        """The estimate as a table: quantity, value, readable form."""
        p, r, s = self.posts(), self.reads(), self.post_storage()
        rows = [
            ("posts per day", p.per_day, format_count(p.per_day)),
            ("post QPS (average)", p.avg_qps, format_count(p.avg_qps)),
            (f"post QPS (peak, {self.peak_factor:g}x)", p.peak_qps, format_count(p.peak_qps)),
            ("feed reads per day", r.per_day, format_count(r.per_day)),
            ("feed read QPS (average)", r.avg_qps, format_count(r.avg_qps)),
            (f"feed read QPS (peak, {self.peak_factor:g}x)", r.peak_qps, format_count(r.peak_qps)),
            ("post storage per day", s.per_day, format_size(s.per_day)),
            (f"post storage, {self.years:g} years", s.total, format_size(s.total)),
            ("precomputed feeds, all daily users", self.feed_bytes(), format_size(self.feed_bytes())),
        ]
        return pd.DataFrame(rows, columns=["quantity", "value", "readable"])


FEED = FeedScenario()
"""The lesson's scenario: 300 M daily users, 1 post and 10 feed reads each a day."""

# --------------------------------------------------------------------------------------------
# Phase 3-4: API and architecture
# --------------------------------------------------------------------------------------------

FEED_API = api.Api(
    (
        api.Endpoint(
            "POST",
            "/api/v1/posts",
            purpose="publish a post; fan-out happens asynchronously",
            request=("text", "media_ids?"),
            response=("post_id", "created_at"),
        ),
        api.Endpoint(
            "GET",
            "/api/v1/feed",
            query=("cursor", "limit"),
            limit=50,
            purpose="one page of the caller's feed; the cursor is the last entry seen",
            response=("posts", "next_cursor"),
        ),
        api.Endpoint(
            "POST",
            "/api/v1/users/{user_id}/followers",
            purpose="follow an account",
            response=("status",),
        ),
        api.Endpoint(
            "DELETE",
            "/api/v1/users/{user_id}/followers/{follower_id}",
            purpose="unfollow an account",
            response=("status",),
        ),
        api.Endpoint(
            "WS",
            "/api/v1/feed/updates",
            purpose="open feeds hear that new posts exist (no post bodies)",
            events=("feed.new_posts",),
        ),
    ),
    name="news feed",
)
"""The core API: post, read the feed page by page, follow and unfollow."""

FEED_OPERATIONS: tuple[str, ...] = (
    "create post",
    "create follower",
    "delete follower",
    "receive feed.new_posts",
)

READ_PATH: tuple[str, ...] = ("reader", "lb", "feed", "feedcache", "feed", "timelines", "feed", "posts")
"""Opening the feed: the precomputed entries, then the followed celebrities' timelines, then post bodies."""

WRITE_PATH: tuple[str, ...] = ("author", "lb", "postsvc", "postdb", "postsvc", "queue", "fanout", "feedcache")
"""Publishing: store the post, enqueue it, workers copy it into followers' feeds."""

DRAFT_SINGLES: tuple[str, ...] = ("queue", "feedcache")


def feed_architecture(*, draft: bool = False) -> components.Architecture:
    """The feed as a graph: post service and feed service behind a load balancer, a queue and
    fan-out workers, Redis for precomputed feeds, post cache and timelines, a post database and
    a WebSocket tier for "new posts" hints.

    >>> feed_architecture().single_points_of_failure()
    []
    >>> sorted(feed_architecture(draft=True).single_points_of_failure())
    ['feedcache', 'queue']
    """
    a = components.Architecture("news feed", FEED_BUDGET_S)
    for name, kind, label, n in [
        ("author", "client", "Someone posting", 1),
        ("reader", "client", "Someone reading", 1),
        ("lb", "load_balancer", "Load balancer", 2),
        ("postsvc", "app_server", "Post service", 4),
        ("feed", "app_server", "Feed service", 8),
        ("postdb", "database", "Post DB (sharded by post id)", 3),
        ("queue", "message_queue", "Fan-out queue", 3),
        ("fanout", "worker", "Fan-out workers", 8),
        ("feedcache", "cache", "Redis: precomputed feeds", 3),
        ("timelines", "cache", "Redis: celebrity timelines", 3),
        ("posts", "cache", "Redis: post bodies", 3),
        ("ws", "websocket_server", "WebSocket/SSE hints", 4),
    ]:
        count = 1 if draft and name in DRAFT_SINGLES else n
        a.add_component(name, kind, replicas=count, label=label)
    for u, v, label in [
        ("author", "lb", "POST /api/v1/posts"),
        ("reader", "lb", "GET /api/v1/feed?cursor="),
        ("lb", "postsvc", "writes"),
        ("lb", "feed", "reads"),
        ("postsvc", "postdb", "store the post"),
        ("postsvc", "queue", "post id, author id"),
        ("postsvc", "timelines", "celebrity posts go to the author's timeline"),
        ("queue", "fanout", "deliver"),
        ("fanout", "feedcache", "prepend to each follower's feed"),
        ("fanout", "ws", "hint: new posts"),
        ("ws", "reader", "'3 new posts'"),
        ("feed", "feedcache", "precomputed entries"),
        ("feed", "timelines", "merge followed celebrities"),
        ("feed", "posts", "hydrate post bodies"),
        ("posts", "postdb", "misses"),
    ]:
        a.connect(u, v, label)
    return a


# --------------------------------------------------------------------------------------------
# Deep dive: ranking
# --------------------------------------------------------------------------------------------


def rank_scores(age_hours: object, engagement: object, half_life_hours: float = 6.0) -> np.ndarray:
    """Score posts by ``(1 + engagement) * 0.5 ** (age_hours / half_life_hours)``.

    ``engagement`` counts likes, comments and shares (>= 0); ``age_hours`` (>= 0) is time since
    posting. Every ``half_life_hours`` a post's score halves, so a fresh post with little
    engagement can beat an old popular one. Higher is better.

    >>> rank_scores([0, 6, 12], [0, 0, 0]).tolist()
    [1.0, 0.5, 0.25]
    >>> float(rank_scores(6, 99))
    50.0
    """
    half = _check.number("half_life_hours", half_life_hours, low=0.0, low_open=True)
    age = _array("age_hours", age_hours)
    eng = _array("engagement", engagement)
    if age.shape != eng.shape and age.size != 1 and eng.size != 1:
        raise ValueError(f"age_hours and engagement must have the same length, got {age.size} and {eng.size}")
    return (1.0 + eng) * np.exp2(-age / half)


def rank(posts: pd.DataFrame, half_life_hours: float = 6.0) -> pd.DataFrame:
    """``posts`` (columns ``age_hours`` and ``engagement``) with a ``score`` column, best first.

    >>> df = pd.DataFrame({"post": ["old hit", "fresh"], "age_hours": [24, 1], "engagement": [500, 20]})
    >>> rank(df)["post"].tolist()
    ['old hit', 'fresh']
    >>> rank(df, half_life_hours=2)["post"].tolist()
    ['fresh', 'old hit']
    """
    if not isinstance(posts, pd.DataFrame) or not {"age_hours", "engagement"} <= set(posts.columns):
        raise ValueError("posts must be a DataFrame with columns age_hours and engagement")
    out = posts.copy()
    out["score"] = rank_scores(out["age_hours"].to_numpy(), out["engagement"].to_numpy(), half_life_hours)
    return out.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def _array(name: str, value: object) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or a sequence of numbers, got {value!r}") from None
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite numbers >= 0, got {value!r}")
    return arr


# --------------------------------------------------------------------------------------------
# Deep dive: feed caching
# --------------------------------------------------------------------------------------------

CACHE_SAMPLE = 10_000
"""Feeds in the sample on which the hit ratio is computed (the share cached is what matters)."""


@dataclass(frozen=True)
class FeedCache:
    """Keep the hottest ``cached_share`` of feeds in memory: ``feeds`` cached, ``memory_bytes``
    they take, Redis ``nodes`` to hold them, and ``hit_ratio`` of feed reads they serve."""

    cached_share: float
    feeds: float
    memory_bytes: float
    nodes: int
    hit_ratio: float


def feed_cache(cached_share: float, scenario: FeedScenario = FEED, skew: float = 1.0) -> FeedCache:
    """Memory and hit ratio of an LRU cache of precomputed feeds holding ``cached_share`` (0-1)
    of the daily users' feeds, when feed opens follow a Zipf law of exponent ``skew``
    (Che's approximation on a sample of :data:`CACHE_SAMPLE` feeds).

    >>> c = feed_cache(1.0, FeedScenario(dau=1e6, feed_entries=100, entry_bytes=10))
    >>> c.hit_ratio, c.memory_bytes, c.nodes
    (1.0, 1000000000.0, 1)
    >>> feed_cache(0.0).hit_ratio
    0.0
    """
    share = _check.number("cached_share", cached_share, high=1.0)
    s = _check.number("skew", skew, low=0.0, high=3.0)
    if not isinstance(scenario, FeedScenario):
        raise TypeError(f"scenario must be a FeedScenario, got {type(scenario).__name__}")
    memory = share * scenario.feed_bytes()
    hit = _hit_ratio(share * CACHE_SAMPLE, s)
    return FeedCache(
        cached_share=share,
        feeds=share * scenario.dau,
        memory_bytes=memory,
        nodes=max(1, math.ceil(memory / caching.REDIS_NODE_BYTES)) if memory > 0 else 0,
        hit_ratio=hit,
    )


@lru_cache(maxsize=16)
def _che(skew: float) -> tuple[np.ndarray, np.ndarray]:
    sizes, hits = caching.che_curve(CACHE_SAMPLE, skew, points=400)
    return np.concatenate(([0.0], sizes)), np.concatenate(([0.0], hits))


def _hit_ratio(cache_size: float, skew: float) -> float:
    """As ``caching.che_hit_ratio`` on the sample, with the curve computed once per skew."""
    if cache_size >= CACHE_SAMPLE:
        return 1.0
    sizes, hits = _che(skew)
    return float(np.interp(cache_size, sizes, hits))


def feed_cache_table(
    shares: tuple[float, ...] = (0.01, 0.05, 0.2, 1.0), scenario: FeedScenario = FEED, skew: float = 1.0
) -> pd.DataFrame:
    """:func:`feed_cache` at each share: one row each, with readable memory."""
    rows = []
    for share in shares:
        c = feed_cache(share, scenario, skew)
        rows.append(
            (
                f"{share:.0%}",
                format_count(c.feeds),
                format_size(c.memory_bytes),
                c.nodes,
                round(c.hit_ratio, 3),
            )
        )
    return pd.DataFrame(rows, columns=["feeds cached", "feeds", "memory", "Redis nodes", "hit ratio"])


# --------------------------------------------------------------------------------------------
# Deep dive: real-time updates
# --------------------------------------------------------------------------------------------


def hint_rate(posts_per_day: float, coalesce_s: float) -> float:
    """Hints per second one open feed receives when each new post triggers a "new posts" hint,
    but after a hint the server waits ``coalesce_s`` seconds before sending another (the posts
    arriving meanwhile ride on the next one).

    Posts arrive at random (Poisson) at ``posts_per_day``; a cycle is a wait for the next post
    (mean ``1/rate``) plus the quiet period, so the rate is ``rate / (1 + rate * coalesce_s)``.

    >>> hint_rate(86_400, 0)
    1.0
    >>> hint_rate(86_400, 1)
    0.5
    """
    per_day = _check.number("posts_per_day", posts_per_day)
    w = _check.number("coalesce_s", coalesce_s)
    rate = per_day / estimate.seconds_per_day()
    return rate / (1.0 + rate * w)


def update_costs(
    online: float,
    new_posts_per_user_per_day: float,
    poll_intervals_s: tuple[float, ...] = (10.0, 30.0, 60.0),
    coalesce_s: float = 30.0,
) -> pd.DataFrame:
    """Requests per second and mean delay for polling at each interval against a pushed hint.

    Polling: each of ``online`` open feeds asks every interval (see :func:`api.polling_cost`).
    Push: one hint per open feed at :func:`hint_rate`; the delay is at most ``coalesce_s``
    (about half of it on average, taken as the mean here), and one connection per open feed.

    >>> t = update_costs(1e6, 86.4, poll_intervals_s=(10,), coalesce_s=0)
    >>> t["requests_per_s"].tolist()
    [100000.0, 1000.0]
    """
    users = _check.number("online", online)
    per_day = _check.number("new_posts_per_user_per_day", new_posts_per_user_per_day)
    rows = []
    for interval in poll_intervals_s:
        cost = api.polling_cost(users, interval, per_day, users=users)  # the rate is per open feed
        rows.append(
            (f"poll every {interval:g} s", cost.requests_per_s, cost.useful_fraction, cost.mean_delay_s)
        )
    hints = users * hint_rate(per_day, coalesce_s)
    rows.append((f"push hint (coalesce {coalesce_s:g} s)", hints, 1.0, coalesce_s / 2))
    return pd.DataFrame(rows, columns=["method", "requests_per_s", "useful_fraction", "mean_delay_s"])


# --------------------------------------------------------------------------------------------
# Phase 6: wrap-up
# --------------------------------------------------------------------------------------------

TRADEOFFS: dict[str, Tradeoff] = {
    "fanout": Tradeoff(
        "a hybrid fan-out (push for most authors, pull for accounts above a follower threshold)",
        "pure push or pure pull",
        "push keeps reads to one lookup while the threshold caps the writes one post can cause",
        "two read paths to build and a merge step on every feed open",
        "a threshold that can be tuned and a merge bounded to the few celebrities a reader follows",
        "fan-out",
    ),
    "cache": Tradeoff(
        "caching only the feeds of recently active users",
        "keeping every user's feed in memory",
        "feed opens are skewed, so a small share of feeds serves most reads",
        "a slow first open for someone returning after a long absence",
        "rebuild a missing feed on read with the pull path and cache it",
        "caching",
    ),
    "realtime": Tradeoff(
        "pushing a small 'new posts' hint over WebSocket or SSE",
        "clients polling the feed",
        "almost every poll comes back empty while a hint is only sent when there is news",
        "long-lived connections to hold and route to",
        "coalesce hints and let the client fetch the posts through the normal feed API",
        "real-time",
    ),
}


def failure_scenarios() -> pd.DataFrame:
    """What breaks and what the user sees, for the main components."""
    rows = [
        (
            "a fan-out worker dies",
            "posts stay in the queue and are delivered late, none lost",
            "queue redelivers unacknowledged messages",
        ),
        (
            "a feed cache node is lost",
            "those users' feeds open slowly once",
            "rebuild from the pull path, replicas take over",
        ),
        (
            "the WebSocket tier restarts",
            "no hints for a moment",
            "clients reconnect with backoff and fall back to a poll",
        ),
        (
            "a celebrity posts",
            "no write storm: the post is written once",
            "pulled at read time by the hybrid",
        ),
    ]
    return pd.DataFrame(rows, columns=["failure", "what users see", "what contains it"])
