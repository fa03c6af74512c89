"""Cache-aside vs write-through on the same request stream: hit ratio, latency, wasted cache fills.

A stream of ``n_requests`` reads and writes, ``reads_per_write`` reads for each write, touches
``n_keys`` keys. Read keys follow a Zipf popularity law with ``skew``; write keys follow their
own law with ``write_skew`` (0 = writes spread evenly, as when every user edits their own
record while readers crowd onto popular items). Both policies see the very same stream.

* **cache-aside**: a read checks the cache; on a miss it reads the database and fills the cache.
  A write goes to the database and deletes the cached copy (the delete is sent without waiting
  unless ``sync_invalidate``), so the next read of that key misses.
* **write-through**: a write updates the database *and* the cache before it returns, so the
  cache is never stale and a read misses only on a key it has never seen.

The cache is large enough to hold every key (no eviction); memory sizing and LRU are a separate
topic. A cache *fill* is "never read" when the entry leaves the cache (overwritten, deleted, or
the run ends) without serving a single cache hit. Deterministic for a given ``seed`` and
vectorised with numpy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache, lru_cache

import numpy as np

from .. import _check, reference
from .._lazy import pd
from .workload import zipf_keys

POLICIES = ("cache_aside", "write_through")
DB_READ_S = 0.005
"""Assumed database read: 5 ms (an indexed query including the network)."""
DB_WRITE_S = 0.010
"""Assumed database write: 10 ms (a durable commit including the network)."""


@cache
def cache_round_trip() -> float:
    """One cache operation: a same-datacenter round trip from :func:`reference.latency`, seconds.

    >>> cache_round_trip()
    0.0005
    """
    table = reference.latency()
    return float(table.loc[table["operation"] == "Round trip within a datacenter", "seconds"].iloc[0])


@dataclass(frozen=True)
class PolicyResult:
    """One policy on one stream: counts, ``hit_ratio`` (hits / reads), mean latencies (seconds),
    cache ``fills`` and the share of them never read (``never_read_share``)."""

    policy: str
    reads_per_write: float
    reads: int
    writes: int
    hit_ratio: float
    mean_read_latency_s: float
    mean_write_latency_s: float
    fills: int
    never_read_share: float

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


@dataclass(frozen=True, eq=False)
class _Stream:
    keys: np.ndarray
    is_read: np.ndarray


@lru_cache(maxsize=8)
def _draws(n_keys: int, n_requests: int, skew: float, write_skew: float, seed: int) -> tuple[np.ndarray, ...]:
    """The random draws of a stream, which do not depend on the read:write ratio: a read key, a
    write key and a uniform number per request. Cached (read-only) so a ratio sweep draws once."""
    rng = np.random.default_rng(seed)
    read_seed, write_seed = (int(x) for x in rng.integers(0, 2**31 - 1, size=2))
    draws = (
        rng.random(n_requests),
        zipf_keys(n_keys, n_requests, skew, seed=read_seed),
        zipf_keys(n_keys, n_requests, write_skew, seed=write_seed),
    )
    for array in draws:
        array.flags.writeable = False
    return draws


def _stream(
    reads_per_write: float, n_keys: int, n_requests: int, skew: float, write_skew: float, seed: int
) -> _Stream:
    """Request ``i`` is a read when its uniform draw is under ``reads_per_write / (reads_per_write + 1)``."""
    uniform, read_keys, write_keys = _draws(n_keys, n_requests, skew, write_skew, int(seed))
    is_read = uniform < reads_per_write / (reads_per_write + 1.0)
    return _Stream(keys=np.where(is_read, read_keys, write_keys), is_read=is_read)


def _neighbours(stream: _Stream) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """In time order per key: is there a previous op on the same key, is it a read; same for the next op."""
    keys = stream.keys
    if keys.size and keys.max() < 2**16:
        keys = keys.astype(np.uint16)  # a stable sort of 16-bit keys is a radix sort: ~20x faster
    order = np.argsort(keys, kind="stable")
    k, r = stream.keys[order], stream.is_read[order]
    same = k[1:] == k[:-1]
    has_prev = np.concatenate(([False], same))
    has_next = np.concatenate((same, [False]))
    prev_read = has_prev & np.concatenate(([False], r[:-1]))
    next_read = has_next & np.concatenate((r[1:], [False]))
    return r, has_prev, prev_read, next_read


def _run(
    stream: _Stream,
    reads_per_write: float,
    cache_s: float,
    db_read_s: float,
    db_write_s: float,
    sync_invalidate: bool,
) -> dict[str, PolicyResult]:
    r, has_prev, prev_read, next_read = _neighbours(stream)
    w = ~r
    reads, writes = int(r.sum()), int(w.sum())
    out = {}
    for policy in POLICIES:
        if policy == "cache_aside":
            hit = r & prev_read  # a write in between deleted the entry
            fill = r & ~hit
            write_latency = db_write_s + (cache_s if sync_invalidate else 0.0)
        else:
            hit = r & has_prev  # any earlier op on the key left a fresh copy
            fill = w | (r & ~has_prev)
            write_latency = db_write_s + cache_s
        hits, fills = int(hit.sum()), int(fill.sum())
        misses = reads - hits
        read_time = reads * cache_s + misses * db_read_s
        out[policy] = PolicyResult(
            policy=policy,
            reads_per_write=reads_per_write,
            reads=reads,
            writes=writes,
            hit_ratio=hits / reads if reads else 0.0,
            mean_read_latency_s=read_time / reads if reads else 0.0,
            mean_write_latency_s=write_latency if writes else 0.0,
            fills=fills,
            never_read_share=float((fill & ~next_read).sum()) / fills if fills else 0.0,
        )
    return out


def _validated(
    reads_per_write: object,
    n_keys: object,
    n_requests: object,
    skew: object,
    write_skew: object,
    cache_s: object,
    db_read_s: object,
    db_write_s: object,
) -> tuple[float, int, int, float, float, float, float, float]:
    ratio = _check.number("reads_per_write", reads_per_write, low=0.0, high=1e6, low_open=True)
    keys = _check.number("n_keys", n_keys, low=1, high=1_000_000)
    requests = _check.number("n_requests", n_requests, low=1, high=5_000_000)
    if keys != int(keys) or requests != int(requests):
        raise ValueError(f"n_keys and n_requests must be whole numbers, got {n_keys!r} and {n_requests!r}")
    s = _check.number("skew", skew, low=0.0, high=5.0)
    ws = s if write_skew is None else _check.number("write_skew", write_skew, low=0.0, high=5.0)
    c = cache_round_trip() if cache_s is None else _check.number("cache_s", cache_s)
    dr = _check.number("db_read_s", db_read_s)
    dw = _check.number("db_write_s", db_write_s)
    return ratio, int(keys), int(requests), s, ws, c, dr, dw


def simulate(
    policy: str,
    reads_per_write: float = 100.0,
    *,
    n_keys: int = 10_000,
    n_requests: int = 50_000,
    skew: float = 1.0,
    write_skew: float | None = 0.0,
    cache_s: float | None = None,
    db_read_s: float = DB_READ_S,
    db_write_s: float = DB_WRITE_S,
    sync_invalidate: bool = False,
    seed: int = 0,
) -> PolicyResult:
    """Run ``policy`` ("cache_aside" or "write_through") on a seeded stream.

    ``reads_per_write`` > 0 (100 means 100:1). ``write_skew`` None uses ``skew`` for writes too.
    Latencies in seconds; ``cache_s`` defaults to :func:`cache_round_trip`.

    >>> ca = simulate("cache_aside", 1.0, seed=1)
    >>> wt = simulate("write_through", 1.0, seed=1)
    >>> wt.mean_write_latency_s > ca.mean_write_latency_s, wt.hit_ratio > ca.hit_ratio
    (True, True)
    """
    _check.choice("policy", policy, POLICIES)
    return compare_results(
        reads_per_write,
        n_keys=n_keys,
        n_requests=n_requests,
        skew=skew,
        write_skew=write_skew,
        cache_s=cache_s,
        db_read_s=db_read_s,
        db_write_s=db_write_s,
        sync_invalidate=sync_invalidate,
        seed=seed,
    )[policy]


def compare_results(
    reads_per_write: float = 100.0,
    *,
    n_keys: int = 10_000,
    n_requests: int = 50_000,
    skew: float = 1.0,
    write_skew: float | None = 0.0,
    cache_s: float | None = None,
    db_read_s: float = DB_READ_S,
    db_write_s: float = DB_WRITE_S,
    sync_invalidate: bool = False,
    seed: int = 0,
) -> dict[str, PolicyResult]:
    """Both policies on one stream, :class:`PolicyResult` by policy name (arguments as :func:`simulate`)."""
    ratio, keys, requests, s, ws, c, dr, dw = _validated(
        reads_per_write, n_keys, n_requests, skew, write_skew, cache_s, db_read_s, db_write_s
    )
    stream = _stream(ratio, keys, requests, s, ws, seed)
    return _run(stream, ratio, c, dr, dw, bool(sync_invalidate))


def run_stream(
    keys: np.ndarray | list[int],
    is_read: np.ndarray | list[bool],
    *,
    cache_s: float | None = None,
    db_read_s: float = DB_READ_S,
    db_write_s: float = DB_WRITE_S,
    sync_invalidate: bool = False,
) -> dict[str, PolicyResult]:
    """Both policies on a request stream you supply: ``keys[i]`` (whole numbers >= 0) is read when
    ``is_read[i]`` is true, written otherwise. Handy for checking a hand-made trace.

    >>> out = run_stream([0, 0, 0], [True, True, False])
    >>> out["cache_aside"].hit_ratio, out["write_through"].fills
    (0.5, 2)
    """
    k = np.asarray(keys)
    r = np.asarray(is_read)
    if k.ndim != 1 or r.shape != k.shape or k.size == 0:
        raise ValueError(
            f"keys and is_read must be 1-D and of the same non-zero length, got {k.shape} and {r.shape}"
        )
    if not np.issubdtype(k.dtype, np.integer) or k.min() < 0:
        raise ValueError("keys must be whole numbers >= 0")
    if r.dtype != bool:
        raise TypeError(f"is_read must hold True/False values, got dtype {r.dtype}")
    c = cache_round_trip() if cache_s is None else _check.number("cache_s", cache_s)
    dr = _check.number("db_read_s", db_read_s)
    dw = _check.number("db_write_s", db_write_s)
    reads, writes = int(r.sum()), int((~r).sum())
    ratio = reads / writes if writes else float("inf")
    return _run(_Stream(keys=k.astype(np.int64), is_read=r), ratio, c, dr, dw, bool(sync_invalidate))


def compare(reads_per_write: float = 100.0, **kwargs: object) -> pd.DataFrame:
    """Both policies on one stream, one row each (arguments as :func:`simulate`).

    >>> compare(100)["policy"].tolist()
    ['cache_aside', 'write_through']
    """
    results = compare_results(reads_per_write, **kwargs)  # type: ignore[arg-type]
    return pd.DataFrame([results[p].as_dict() for p in POLICIES])


def sweep(ratios: list[float] | np.ndarray | None = None, **kwargs: object) -> pd.DataFrame:
    """:func:`compare` at each read:write ratio (default 0.1 to 1,000, log-spaced): two rows per ratio."""
    grid = np.geomspace(0.1, 1000.0, 13) if ratios is None else ratios
    rows = []
    for x in grid:
        results = compare_results(float(x), **kwargs)  # type: ignore[arg-type]
        rows += [results[p].as_dict() for p in POLICIES]
    return pd.DataFrame(rows)
