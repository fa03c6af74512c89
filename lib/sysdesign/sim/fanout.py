"""News-feed fan-out: push (fan-out on write), pull (fan-out on read), and the hybrid in between.

An :class:`Audience` is a seeded sample of a social graph: a heavy-tailed follower count for
each author (Pareto: most accounts have a few dozen followers, a handful have hundreds of
thousands), and, for a sample of readers, the accounts each one follows (picked in proportion
to follower count, as a real follow graph's edges are).

The hybrid sets a **celebrity threshold**: authors with at least ``threshold`` followers are
*pulled* (their posts are merged in when a feed is read); everyone else is *pushed* (each post
is copied into every follower's precomputed feed). ``threshold = 0`` is pure pull and
``threshold = inf`` pure push. Costs counted:

* **writes per post**: a pushed post is written into each follower's feed (``followers``
  writes); a pulled post is written once, to its author's timeline (1 write). The post body is
  stored once in every strategy and not counted.
* **sources per feed read**: the precomputed feed (1, if the reader follows anyone pushed) plus
  one timeline per followed celebrity, fetched ``parallel`` at a time, each round one lookup.
* **feed storage**: bytes of feed entries written per day (``entry_bytes`` each).

Reused by the news-feed case study; everything is vectorised with numpy and seeded.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cache, cached_property
from typing import Any

import numpy as np

from .. import _check, reference
from .._lazy import pd

MAX_USERS = 5_000_000
MAX_READERS = 100_000


def _whole(name: str, value: object, low: float, high: float) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low:g}, {high:g}], got {value!r}")
    return int(x)


@dataclass(frozen=True, eq=False)
class Audience:
    """A sampled social graph.

    ``followers[i]``: follower count of author ``i``. For a sample of ``n_readers`` readers,
    the follow edges as two aligned arrays: ``edge_reader`` (reader index) and
    ``edge_followers`` (follower count of the account followed).
    """

    followers: np.ndarray
    edge_reader: np.ndarray
    edge_followers: np.ndarray
    n_readers: int
    seed: int = 0

    @property
    def n_authors(self) -> int:
        return int(self.followers.size)

    @cached_property
    def _sorted(self) -> np.ndarray:
        return np.sort(self.followers)

    @cached_property
    def _prefix(self) -> np.ndarray:
        """``_prefix[i]`` = total followers of the ``i`` smallest authors."""
        return np.concatenate(([0], np.cumsum(self._sorted, dtype=np.int64)))

    @cached_property
    def _edge_span(self) -> int:
        return int(self.followers.max()) + 2

    @cached_property
    def _edge_keys(self) -> np.ndarray:
        """Edges sorted by (reader, follower count of the account followed), packed in one int64."""
        return np.sort(self.edge_reader * self._edge_span + self.edge_followers)

    def celebrities_followed(self, threshold: float) -> np.ndarray:
        """For each sampled reader, how many accounts with at least ``threshold`` followers they follow."""
        t = self._edge_span - 1 if threshold >= self._edge_span else max(0, math.ceil(threshold))
        starts = np.arange(self.n_readers, dtype=np.int64) * self._edge_span
        first_celebrity = np.searchsorted(self._edge_keys, starts + t, side="left")
        ends = np.searchsorted(self._edge_keys, starts + self._edge_span, side="left")
        return ends - first_celebrity

    @cached_property
    def following(self) -> np.ndarray:
        """Number of accounts each sampled reader follows."""
        return np.bincount(self.edge_reader, minlength=self.n_readers)

    def describe(self) -> pd.DataFrame:
        """Follower and following counts at a glance: median, mean, 99th percentile and max."""
        rows = []
        for name, values in (
            ("followers per author", self.followers),
            ("accounts followed per reader", self.following),
        ):
            rows.append(
                (
                    name,
                    float(np.median(values)),
                    float(values.mean()),
                    float(np.percentile(values, 99)),
                    float(values.max()),
                )
            )
        return pd.DataFrame(rows, columns=["quantity", "median", "mean", "p99", "max"])


def audience(
    n_authors: int = 100_000,
    *,
    alpha: float = 1.1,
    min_followers: int = 10,
    max_followers: int = 100_000_000,
    n_readers: int = 2_000,
    mean_following: float = 200.0,
    max_following: int = 5_000,
    seed: int = 0,
) -> Audience:
    """Draw an :class:`Audience`, deterministic for ``seed``.

    Follower counts are Pareto with tail index ``alpha`` (smaller means a heavier tail) and
    minimum ``min_followers`` (>= 1), capped at ``max_followers``. Each of ``n_readers``
    readers follows a geometric number of accounts (mean ``mean_following``, capped at
    ``max_following``), picked among the authors in proportion to their follower counts, without
    repeats.

    >>> a = audience(10_000, seed=1)
    >>> a.n_authors, int(a.followers.min()) >= 10, a.n_readers
    (10000, True, 2000)
    >>> bool((audience(5_000, seed=3).followers == audience(5_000, seed=3).followers).all())
    True
    """
    n = _whole("n_authors", n_authors, 1, MAX_USERS)
    a = _check.number("alpha", alpha, low=0.5, high=5.0)
    lo = _whole("min_followers", min_followers, 1, 1e9)
    hi = _whole("max_followers", max_followers, lo, 1e10)
    readers = _whole("n_readers", n_readers, 1, MAX_READERS)
    mean_f = _check.number("mean_following", mean_following, low=1.0, high=10_000.0)
    cap_f = _whole("max_following", max_following, 1, 100_000)
    rng = np.random.default_rng(seed)

    followers = np.minimum(np.floor(lo * (1.0 + rng.pareto(a, n))), hi).astype(np.int64)

    following = np.minimum(rng.geometric(1.0 / mean_f, readers), min(cap_f, n)).astype(np.int64)
    reader = np.repeat(np.arange(readers, dtype=np.int64), following)
    cdf = np.cumsum(followers, dtype=np.float64)
    cdf /= cdf[-1]
    # Sorted queries make searchsorted cache-friendly; a permutation then deals them out to readers.
    picks = np.searchsorted(cdf, np.sort(rng.random(reader.size)), side="right")
    author = np.minimum(picks, n - 1)[rng.permutation(reader.size)]
    edge = np.sort(reader * n + author)
    edge = edge[np.concatenate(([True], edge[1:] != edge[:-1]))]  # a reader follows an account once
    reader, author = edge // n, edge % n
    return Audience(
        followers=followers,
        edge_reader=reader,
        edge_followers=followers[author],
        n_readers=readers,
        seed=int(seed),
    )


@dataclass(frozen=True)
class FanoutResult:
    """Costs of one fan-out strategy on one :class:`Audience`.

    ``threshold``: authors with at least this many followers are pulled (0 = pull, inf = push).
    Writes count feed or timeline entries per post; ``sources_*`` count what a feed read merges;
    latencies are seconds; ``feed_storage_per_day`` is bytes of precomputed feed entries per day.
    """

    strategy: str
    threshold: float
    authors: int
    celebrities: int
    writes_per_post_mean: float
    writes_per_post_max: int
    feed_writes_per_day: float
    sources_mean: float
    sources_p99: float
    sources_max: int
    read_latency_mean_s: float
    read_latency_p99_s: float
    feed_storage_per_day: float

    @property
    def celebrity_share(self) -> float:
        """Share of authors whose posts are pulled."""
        return self.celebrities / self.authors

    def as_dict(self) -> dict[str, float | int | str]:
        """Every field by name, plus ``celebrity_share``."""
        return {**asdict(self), "celebrity_share": self.celebrity_share}


def _strategy(threshold: float) -> str:
    if threshold == 0:
        return "pull"
    return "push" if math.isinf(threshold) else "hybrid"


def fanout(
    aud: Audience,
    threshold: float,
    *,
    posts_per_author_per_day: float = 1.0,
    entry_bytes: float = 16.0,
    lookup_s: float | None = None,
    parallel: int = 20,
) -> FanoutResult:
    """Costs of the hybrid with celebrity ``threshold`` (>= 0; ``0`` pulls everyone, ``math.inf``
    pushes everyone).

    ``posts_per_author_per_day`` sets the daily totals; ``entry_bytes`` is one feed entry (post id
    and author id); a read fetches its sources ``parallel`` at a time, each round costing
    ``lookup_s`` (default: one same-datacenter round trip from :func:`reference.latency`).

    >>> a = audience(10_000, seed=1)
    >>> fanout(a, 0).writes_per_post_mean, fanout(a, math.inf).sources_max
    (1.0, 1)
    >>> bool(fanout(a, math.inf).writes_per_post_mean == a.followers.mean())
    True
    """
    if not isinstance(aud, Audience):
        raise TypeError(f"aud must be an Audience (see fanout.audience()), got {type(aud).__name__}")
    t = _check.number("threshold", threshold, low=0.0)
    posts = _check.number("posts_per_author_per_day", posts_per_author_per_day)
    entry = _check.number("entry_bytes", entry_bytes)
    lookup = _round_trip() if lookup_s is None else _check.number("lookup_s", lookup_s)
    lanes = _whole("parallel", parallel, 1, 10_000)

    # Writes: authors below the threshold are pushed (followers writes each), the rest pulled (1).
    n = aud.n_authors
    pushed = int(np.searchsorted(aud._sorted, t, side="left"))
    pushed_followers = int(aud._prefix[pushed])
    total_writes = pushed_followers + (n - pushed)
    worst = max(int(aud._sorted[pushed - 1]) if pushed else 0, 1 if pushed < n else 0)

    sources = sources_per_read(aud, t)
    latency = lookup * np.ceil(sources / lanes)

    return FanoutResult(
        strategy=_strategy(t),
        threshold=t,
        authors=n,
        celebrities=n - pushed,
        writes_per_post_mean=total_writes / n,
        writes_per_post_max=worst,
        feed_writes_per_day=posts * total_writes,
        sources_mean=float(sources.mean()),
        sources_p99=float(np.percentile(sources, 99)),
        sources_max=int(sources.max()),
        read_latency_mean_s=float(latency.mean()),
        read_latency_p99_s=float(np.percentile(latency, 99)),
        feed_storage_per_day=posts * pushed_followers * entry,
    )


def sources_per_read(aud: Audience, threshold: float) -> np.ndarray:
    """Sources each sampled reader's feed read merges: one timeline per followed account with at least
    ``threshold`` followers, plus the precomputed feed if anyone followed is pushed.

    >>> a = audience(10_000, seed=1)
    >>> int(sources_per_read(a, math.inf).max()), bool((sources_per_read(a, 0) == a.following).all())
    (1, True)
    """
    if not isinstance(aud, Audience):
        raise TypeError(f"aud must be an Audience (see fanout.audience()), got {type(aud).__name__}")
    t = _check.number("threshold", threshold, low=0.0)
    pulled = aud.celebrities_followed(t)
    return pulled + (aud.following > pulled)


def sources_tail_mean(aud: Audience, threshold: float, share: float = 0.01) -> float:
    """Mean sources merged by the ``share`` of feed reads that merge the most (the top 1% by default).

    Unlike the 99th percentile, which is one reader's count, this averages the whole tail, so a
    threshold that pulls one more account moves it a little instead of by a whole source.

    >>> a = audience(10_000, seed=1)
    >>> sources_tail_mean(a, math.inf), sources_tail_mean(a, 0) >= fanout(a, 0).sources_p99
    (1.0, True)
    """
    q = _check.number("share", share, low=0, low_open=True, high=1)
    values = np.sort(sources_per_read(aud, threshold))
    top = max(1, int(round(q * values.size)))
    return float(values[-top:].mean())


def push(aud: Audience, **kwargs: Any) -> FanoutResult:
    """Pure fan-out on write: every post copied into every follower's feed."""
    return fanout(aud, math.inf, **kwargs)


def pull(aud: Audience, **kwargs: Any) -> FanoutResult:
    """Pure fan-out on read: every feed assembled from the followed accounts' timelines."""
    return fanout(aud, 0.0, **kwargs)


def compare(aud: Audience, threshold: float = 10_000, **kwargs: Any) -> pd.DataFrame:
    """Push, the hybrid at ``threshold``, and pull side by side: one row each.

    >>> compare(audience(10_000, seed=1))["strategy"].tolist()
    ['push', 'hybrid', 'pull']
    """
    results = [push(aud, **kwargs), fanout(aud, threshold, **kwargs), pull(aud, **kwargs)]
    return pd.DataFrame([r.as_dict() for r in results])


def thresholds(aud: Audience, points: int = 25) -> np.ndarray:
    """Log-spaced thresholds from the smallest to just above the largest follower count.

    >>> ts = thresholds(audience(10_000, seed=1), 5)
    >>> len(ts), bool(ts[0] == 10)
    (5, True)
    """
    k = _whole("points", points, 2, 1_000)
    lo, hi = float(aud._sorted[0]), float(aud._sorted[-1]) + 1.0
    return np.unique(np.round(np.geomspace(max(lo, 1.0), hi, k)))


def sweep(aud: Audience, values: np.ndarray | list[float] | None = None, **kwargs: Any) -> pd.DataFrame:
    """:func:`fanout` at each threshold in ``values`` (default :func:`thresholds`): one row each."""
    grid = thresholds(aud) if values is None else values
    return pd.DataFrame([fanout(aud, float(v), **kwargs).as_dict() for v in grid])


@cache
def _round_trip() -> float:
    table = reference.latency()
    return float(table.loc[table["operation"] == "Round trip within a datacenter", "seconds"].iloc[0])
