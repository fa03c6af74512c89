"""The chat system's two Redis caches: recent messages per chat, and user presence.

* Recent messages: how often a chat open is served from an LRU cache of ``cache_size`` chats under a
  Zipf workload (``lru_hit_ratio`` simulates it exactly; ``che_curve`` gives the whole curve from
  Che's approximation), and whether the cache fits in memory (``recent_messages_memory``).
* Presence: a key ``presence:{user_id}`` with a TTL, refreshed by each heartbeat. ``presence``
  simulates heartbeats with network jitter and loss and reports how often an online user flickers
  to "offline" (TTL too short) and how long a gone user still shows "online" (TTL too long).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .. import _check
from .workload import zipf_keys, zipf_weights

# Stated assumptions for sizing (change them by argument):
MESSAGE_BYTES = 200.0  # average text message (the syllabus's estimate)
ENTRY_OVERHEAD_BYTES = 100.0  # ids, timestamp, type and encoding stored with each cached message
KEY_OVERHEAD_BYTES = 100.0  # the key "chat:{chat_id}:recent", its list header, expiry entry
REDIS_NODE_BYTES = (
    64e9  # usable memory of one Redis node (a 64 GB machine with headroom left aside: assumption)
)
MAX_REQUESTS = 2_000_000


def lru_hit_ratio(
    cache_size: int,
    n_keys: int = 10_000,
    n_requests: int = 50_000,
    skew: float = 1.0,
    seed: int = 0,
    warmup: float = 0.2,
) -> float:
    """Share of requests served from an LRU cache holding ``cache_size`` keys (exact simulation).

    Requests follow ``workload.zipf_keys(n_keys, n_requests, skew, seed)``; the first ``warmup``
    fraction of requests fills the cache and is not counted.

    >>> lru_hit_ratio(0)
    0.0
    >>> lru_hit_ratio(5, n_keys=5, n_requests=1_000)   # every key fits and was seen during warm-up
    1.0
    >>> 0.5 < lru_hit_ratio(1_000, skew=1.0) < 0.8
    True
    """
    size = int(_check.number("cache_size", cache_size, low=0, high=10_000_000))
    n = int(_check.number("n_requests", n_requests, low=1, high=MAX_REQUESTS))
    w = _check.number("warmup", warmup, low=0.0, high=1.0, high_open=True)
    keys = zipf_keys(n_keys, n, skew, seed).tolist()
    start = int(w * n)
    counted = n - start  # requests after warm-up; every ratio is hits / counted, one division
    if size == 0:
        return 0.0
    if size >= n_keys:  # nothing is ever evicted: a miss is a key's first request
        seen = np.zeros(int(n_keys), dtype=bool)
        arr = np.asarray(keys)
        seen[arr[:start]] = True
        tail = arr[start:]
        first = ~seen[tail]
        _, idx = np.unique(tail, return_index=True)
        misses = int(np.count_nonzero(first[idx]))
        return (counted - misses) / counted
    cache: OrderedDict[int, None] = OrderedDict()
    move, pop = cache.move_to_end, cache.popitem
    for k in keys[:start]:  # warm-up: same policy, hits not counted
        if k in cache:
            move(k)
        else:
            cache[k] = None
            if len(cache) > size:
                pop(last=False)
    hits = 0
    for k in keys[start:]:
        if k in cache:
            move(k)
            hits += 1
        else:
            cache[k] = None
            if len(cache) > size:
                pop(last=False)
    return hits / counted


def che_curve(n_keys: int = 10_000, skew: float = 1.0, points: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """LRU hit ratio against cache size for a Zipf workload, from Che's approximation (no simulation).

    Returns ``(cache_sizes, hit_ratios)``, sizes from about 1 key to all keys. Che et al. (2002): a key
    stays cached for a characteristic time T; the cache holds ``sum(1 - exp(-p_i T))`` keys and serves
    ``sum(p_i (1 - exp(-p_i T)))`` of requests. It tracks the exact LRU within a few percent.

    >>> sizes, hits = che_curve(1_000, 1.0, points=20)
    >>> bool(np.all(np.diff(sizes) > 0) and np.all(np.diff(hits) >= 0))
    True
    """
    p = zipf_weights(n_keys, skew)
    m = int(_check.number("points", points, low=2, high=10_000))
    t = np.geomspace(0.5 / p.max(), 50.0 / p.min(), m)
    inside = -np.expm1(-np.outer(t, p))
    return inside.sum(axis=1), inside @ p


def che_hit_ratio(cache_size: float, n_keys: int = 10_000, skew: float = 1.0) -> float:
    """Che's approximation of the LRU hit ratio at one cache size (keys), interpolated on ``che_curve``.

    >>> abs(che_hit_ratio(1_000, 10_000, 1.0) - lru_hit_ratio(1_000, 10_000, 50_000, 1.0)) < 0.03
    True
    """
    c = _check.number("cache_size", cache_size, low=0.0)
    sizes, hits = che_curve(n_keys, skew, points=400)
    if c >= n_keys:
        return 1.0
    return float(np.interp(c, np.concatenate(([0.0], sizes)), np.concatenate(([0.0], hits))))


@dataclass(frozen=True)
class CacheMemory:
    """Memory of the recent-messages cache: bytes per chat, total bytes, and Redis nodes to hold it."""

    active_chats: float
    per_chat_bytes: float
    total_bytes: float
    node_bytes: float
    nodes: int

    @property
    def fits_one_node(self) -> bool:
        return self.nodes <= 1


def recent_messages_memory(
    active_chats: float,
    messages_per_chat: int = 50,
    message_bytes: float = MESSAGE_BYTES,
    entry_overhead_bytes: float = ENTRY_OVERHEAD_BYTES,
    key_overhead_bytes: float = KEY_OVERHEAD_BYTES,
    node_bytes: float = REDIS_NODE_BYTES,
) -> CacheMemory:
    """Bytes to keep the last ``messages_per_chat`` messages of every active chat, and Redis nodes needed.

    per chat = messages_per_chat x (message_bytes + entry_overhead_bytes) + key_overhead_bytes.

    >>> m = recent_messages_memory(1e6)      # 1 M chats x (50 x 300 B + 100 B) = 15.1 GB
    >>> m.per_chat_bytes, m.total_bytes, m.nodes
    (15100.0, 15100000000.0, 1)
    """
    chats = _check.number("active_chats", active_chats, low=0.0)
    per = int(_check.number("messages_per_chat", messages_per_chat, low=0, high=1_000_000))
    size = _check.number("message_bytes", message_bytes, low=0.0)
    entry = _check.number("entry_overhead_bytes", entry_overhead_bytes, low=0.0)
    key = _check.number("key_overhead_bytes", key_overhead_bytes, low=0.0)
    node = _check.number("node_bytes", node_bytes, low=0.0, low_open=True)
    per_chat = per * (size + entry) + key
    total = chats * per_chat
    return CacheMemory(chats, per_chat, total, node, max(1, math.ceil(total / node - 1e-9)))


def active_chats(dau: float, chats_per_user: float, members_per_chat: float) -> float:
    """Chats with activity in a day: ``dau`` users, each in ``chats_per_user`` chats of ``members_per_chat``.

    >>> active_chats(50e6, 4, 2)
    100000000.0
    """
    users = _check.number("dau", dau, low=0.0)
    per = _check.number("chats_per_user", chats_per_user, low=0.0)
    members = _check.number("members_per_chat", members_per_chat, low=1.0)
    return users * per / members


# --------------------------------------------------------------------------- presence


@dataclass(frozen=True)
class Presence:
    """Outcome of the presence simulation.

    ``false_offline_share``: share of heartbeat gaps longer than the TTL (each one makes an online user
    show offline for a moment); ``users_flickering``: share of users who showed offline at least once
    while online; ``offline_time_share``: share of online time shown as offline; ``stale_mean_s`` and
    ``stale_max_s``: how long a user who silently disconnects still shows online (seconds);
    ``writes_per_user_s``: presence writes per online user per second (one per heartbeat).
    """

    ttl_s: float
    heartbeat_s: float
    jitter_s: float
    loss: float
    false_offline_share: float
    users_flickering: float
    offline_time_share: float
    stale_mean_s: float
    stale_max_s: float
    writes_per_user_s: float


def presence(
    ttl_s: float = 60.0,
    heartbeat_s: float = 30.0,
    jitter_s: float = 5.0,
    loss: float = 0.0,
    n_users: int = 2_000,
    duration_s: float = 3_600.0,
    seed: int = 0,
) -> Presence:
    """Simulate presence keys refreshed by heartbeats: false offline flickers versus stale "online".

    Each user sends a heartbeat every ``heartbeat_s`` seconds (random phase); each arrives after a
    delay uniform in ``[0, jitter_s]`` and is lost with probability ``loss``. Each arrival sets the key's
    TTL to ``ttl_s``. A gap between arrivals longer than the TTL shows the user offline. With no loss,
    a TTL of at least ``heartbeat_s + jitter_s`` never flickers.

    >>> presence(ttl_s=60, heartbeat_s=30, jitter_s=5).false_offline_share
    0.0
    >>> presence(ttl_s=25, heartbeat_s=30, jitter_s=0).false_offline_share
    1.0
    """
    ttl = _check.number("ttl_s", ttl_s, low=0.0, low_open=True)
    beat = _check.number("heartbeat_s", heartbeat_s, low=0.0, low_open=True)
    jitter = _check.number("jitter_s", jitter_s, low=0.0)
    drop = _check.number("loss", loss, low=0.0, high=1.0, high_open=True)
    users = int(_check.number("n_users", n_users, low=1, high=1_000_000))
    duration = _check.number("duration_s", duration_s, low=0.0, low_open=True)
    beats = int(math.ceil(duration / beat)) + 1
    if users * beats > 20_000_000:
        raise ValueError(
            f"duration_s / heartbeat_s x n_users is too large ({users * beats:,} heartbeats; "
            "at most 20,000,000)"
        )
    rng = np.random.default_rng(seed)
    phase = rng.random((users, 1)) * beat
    sent = phase + beat * np.arange(beats)[None, :]
    arrive = sent + rng.random((users, beats)) * jitter
    arrive[:, 1:] = np.where(
        rng.random((users, beats - 1)) < drop, np.nan, arrive[:, 1:]
    )  # the first one arrives
    arrive = np.sort(arrive, axis=1)  # NaN (lost) sort last; jitter may reorder arrivals
    kept = np.isfinite(arrive)
    last = arrive[np.arange(users), kept.sum(axis=1) - 1]
    gaps = np.diff(arrive, axis=1)
    gaps = gaps[np.isfinite(gaps)]
    # a user still online at the end also has an open gap from the last arrival to the end of the run
    end = phase[:, 0] + beat * (beats - 1) + jitter
    tail = np.maximum(end - last, 0.0)
    all_gaps = np.concatenate((gaps, tail))
    over = np.maximum(all_gaps - ttl, 0.0)
    flicker_users = (np.nan_to_num(np.diff(arrive, axis=1), nan=0.0) > ttl).any(axis=1) | (tail > ttl)
    # a user disconnects at a random moment: the key lives on until (last arrival before it) + TTL
    leave = phase[:, 0] + rng.random(users) * beat * (beats - 1)
    before = np.where(arrive <= leave[:, None], arrive, -np.inf).max(axis=1)
    stale = np.maximum(before + ttl - leave, 0.0)
    total_time = float(all_gaps.sum())
    return Presence(
        ttl_s=ttl,
        heartbeat_s=beat,
        jitter_s=jitter,
        loss=drop,
        false_offline_share=float(np.count_nonzero(gaps > ttl) / max(1, len(gaps))),
        users_flickering=float(flicker_users.mean()),
        offline_time_share=float(over.sum() / total_time) if total_time > 0 else 0.0,
        stale_mean_s=float(stale.mean()),
        stale_max_s=float(stale.max()),
        writes_per_user_s=1.0 / beat,
    )


def presence_write_qps(online_users: float, heartbeat_s: float) -> float:
    """Presence writes per second: every online user refreshes its key once per heartbeat.

    >>> presence_write_qps(15e6, 30)          # 15 M connections, heartbeat every 30 s
    500000.0
    """
    users = _check.number("online_users", online_users, low=0.0)
    beat = _check.number("heartbeat_s", heartbeat_s, low=0.0, low_open=True)
    return users / beat


def presence_table(
    ttls_s: tuple[float, ...] | list[float],
    heartbeat_s: float = 30.0,
    jitter_s: float = 5.0,
    loss: float = 0.0,
    seed: int = 0,
) -> list[Presence]:
    """``presence`` for each TTL in ``ttls_s`` (same heartbeats, same seed): the TTL trade-off in one call.

    >>> [p.false_offline_share > 0 for p in presence_table([20, 30, 60], 30, 5)]
    [True, True, False]
    """
    return [presence(t, heartbeat_s, jitter_s, loss, seed=seed) for t in ttls_s]
