"""Sharding the chat system's messages: which shard key, which hashing scheme, and what each costs.

Three questions, each answered by a small seeded simulation on synthetic chats, users and messages:

* fan-out: how many shards one query must ask (``shards_touched``);
* hot spots: how unevenly the write load lands when a few chats are very busy (``shard_loads``,
  ``hot_shard_ratio``);
* resizing: how many keys change shard when the cluster grows from N to N+1 shards, with plain
  modulo hashing or a consistent-hash ring with virtual nodes (``keys_moved``, ``HashRing``).

Keys are hashed with SplitMix64 (a fast, well-mixed 64-bit integer hash), so shard placement is
uniform for any key ids and identical on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _check
from .workload import zipf_keys

SHARD_KEYS = ("chat_id", "user_id")
QUERIES = ("chat_history", "user_messages")
SCHEMES = ("modulo", "consistent")
MAX_SHARDS = 4096
MAX_VNODES = 2048

_U64 = np.uint64


def hash64(keys: object, salt: int = 0) -> np.ndarray:
    """SplitMix64 hash of integer keys (any shape) as ``uint64``; the same on every machine.

    >>> int(hash64([1])[0]) == int(hash64([1])[0]), int(hash64([1])[0]) != int(hash64([2])[0])
    (True, True)
    """
    x = np.asarray(keys).astype(np.uint64, copy=True)
    if salt:
        x ^= _mix(np.array([salt & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))[0]
    return _mix(x)


def _mix(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x + _U64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))


class HashRing:
    """A consistent-hash ring: each of ``n_nodes`` shards owns ``vnodes`` points on a 64-bit circle.

    A key belongs to the first point clockwise from its hash. A node's points depend only on its
    index (and ``salt``), so adding node N leaves the points of nodes 0..N-1 where they were and
    only the keys that land just before the new points move.

    >>> ring = HashRing(4, vnodes=64)
    >>> shards = ring.lookup(np.arange(10_000))
    >>> sorted(set(shards.tolist()))
    [0, 1, 2, 3]
    >>> round(float(ring.shares().sum()), 6)
    1.0
    """

    def __init__(self, n_nodes: int, vnodes: int = 256, salt: int = 0) -> None:
        self.n_nodes = int(_check.number("n_nodes", n_nodes, low=1, high=MAX_SHARDS))
        self.vnodes = int(_check.number("vnodes", vnodes, low=1, high=MAX_VNODES))
        self.salt = int(salt)
        node = np.repeat(np.arange(self.n_nodes, dtype=np.uint64), self.vnodes)
        replica = np.tile(np.arange(self.vnodes, dtype=np.uint64), self.n_nodes)
        points = hash64((node << _U64(32)) | replica, salt=self.salt ^ 0x5EED5EED)
        order = np.argsort(points, kind="stable")
        self.points = points[order]
        self.owner = node[order].astype(np.int64)
        self.points.flags.writeable = False
        self.owner.flags.writeable = False

    def __repr__(self) -> str:
        return f"HashRing(n_nodes={self.n_nodes}, vnodes={self.vnodes})"

    def lookup_hashes(self, hashes: np.ndarray) -> np.ndarray:
        """Node index for each already-hashed key (``uint64`` array)."""
        i = np.searchsorted(self.points, hashes, side="left")
        return self.owner[i % len(self.points)]

    def lookup(self, keys: object, salt: int = 0) -> np.ndarray:
        """Node index (0..n_nodes-1) of each integer key."""
        return self.lookup_hashes(hash64(keys, salt))

    def shares(self) -> np.ndarray:
        """Fraction of the hash circle each node owns (sums to 1); 1/n_nodes each on a perfect ring."""
        p = self.points.astype(np.float64) / 2.0**64
        arc = np.diff(np.concatenate(([p[-1] - 1.0], p)))
        return np.bincount(self.owner, weights=arc, minlength=self.n_nodes)


def shard_of(
    keys: object, n_shards: int, scheme: str = "modulo", vnodes: int = 256, salt: int = 0
) -> np.ndarray:
    """Shard index of each integer key: ``hash(key) % n_shards`` ("modulo") or a ``HashRing`` ("consistent").

    >>> shard_of([7, 7, 8], 4).tolist()[0] == shard_of([7], 4).tolist()[0]
    True
    >>> bool((shard_of(np.arange(1000), 5, "consistent") < 5).all())
    True
    """
    n = int(_check.number("n_shards", n_shards, low=1, high=MAX_SHARDS))
    _check.choice("scheme", scheme, SCHEMES)
    h = hash64(keys, salt)
    if scheme == "modulo":
        return (h % _U64(n)).astype(np.int64)
    return HashRing(n, vnodes, salt).lookup_hashes(h)


def keys_moved(
    scheme: str,
    n_before: int,
    n_after: int,
    n_keys: int = 100_000,
    seed: int = 0,
    vnodes: int = 256,
) -> int:
    """How many of ``n_keys`` random keys change shard when going from ``n_before`` to ``n_after`` shards.

    Modulo hashing moves about ``n_before/(n_before+1)`` of the keys when one shard is added (almost all);
    a consistent-hash ring moves about ``1/(n_before+1)`` (only the new shard's fair share).

    >>> keys_moved("modulo", 4, 5, n_keys=100_000) / 100_000 > 0.75        # ideal 4/5 = 0.8
    True
    >>> 0.15 < keys_moved("consistent", 4, 5, n_keys=100_000) / 100_000 < 0.25   # ideal 1/5 = 0.2
    True
    """
    _check.choice("scheme", scheme, SCHEMES)
    before = int(_check.number("n_before", n_before, low=1, high=MAX_SHARDS))
    after = int(_check.number("n_after", n_after, low=1, high=MAX_SHARDS))
    k = int(_check.number("n_keys", n_keys, low=1, high=10_000_000))
    v = int(_check.number("vnodes", vnodes, low=1, high=MAX_VNODES))
    keys = np.random.default_rng(seed).integers(0, 2**63 - 1, size=k, dtype=np.int64)
    h = hash64(keys)
    if scheme == "modulo":
        old, new = h % _U64(before), h % _U64(after)
    else:
        old, new = (
            HashRing(before, v, salt=seed).lookup_hashes(h),
            HashRing(after, v, salt=seed).lookup_hashes(h),
        )
    return int(np.count_nonzero(old != new))


def moved_fraction(
    scheme: str, n_before: int, n_after: int, n_keys: int = 100_000, seed: int = 0, vnodes: int = 256
) -> float:
    """``keys_moved(...) / n_keys``: the share of keys that must be copied to another shard (0..1).

    >>> moved_fraction("modulo", 1, 2, n_keys=20_000) > 0.45
    True
    """
    return keys_moved(scheme, n_before, n_after, n_keys, seed, vnodes) / int(
        _check.number("n_keys", n_keys, low=1)
    )


def ideal_moved_fraction(n_before: int, n_after: int) -> float:
    """The least any scheme can move on a resize: ``|after - before| / max(before, after)``.

    >>> ideal_moved_fraction(4, 5)
    0.2
    """
    a = _check.number("n_before", n_before, low=1, high=MAX_SHARDS)
    b = _check.number("n_after", n_after, low=1, high=MAX_SHARDS)
    return abs(b - a) / max(a, b)


# --------------------------------------------------------------------------- synthetic chat data


@dataclass(frozen=True, eq=False)
class ChatData:
    """Synthetic chats, their members and their messages.

    Chat ``c``'s members are ``members[offsets[c]:offsets[c+1]]`` (user ids). Message ``i`` was sent
    to chat ``msg_chat[i]`` by user ``msg_sender[i]`` (always a member). Chat activity follows a
    Zipf law: chat 0 is the busiest. Compared and hashed by identity (it holds arrays).
    """

    n_users: int
    n_chats: int
    offsets: np.ndarray
    members: np.ndarray
    msg_chat: np.ndarray
    msg_sender: np.ndarray

    @property
    def n_messages(self) -> int:
        return int(len(self.msg_chat))

    def chat_sizes(self) -> np.ndarray:
        """Members per chat."""
        return np.diff(self.offsets)


def chat_data(
    n_users: int = 20_000,
    n_chats: int = 5_000,
    n_messages: int = 100_000,
    members_per_chat: float = 5.0,
    skew: float = 1.0,
    seed: int = 0,
) -> ChatData:
    """Generate chats (2 or more members, ``members_per_chat`` on average), users, and Zipf-skewed messages.

    >>> d = chat_data(n_users=100, n_chats=20, n_messages=1_000, seed=1)
    >>> d.n_messages, int(d.chat_sizes().min()) >= 2
    (1000, True)
    """
    users = int(_check.number("n_users", n_users, low=2, high=10_000_000))
    chats = int(_check.number("n_chats", n_chats, low=1, high=1_000_000))
    msgs = int(_check.number("n_messages", n_messages, low=0, high=10_000_000))
    mean = _check.number("members_per_chat", members_per_chat, low=2.0, high=min(1000.0, users))
    rng = np.random.default_rng(seed)
    sizes = np.minimum(2 + rng.poisson(mean - 2.0, size=chats), users)
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    members = rng.integers(0, users, size=int(offsets[-1]), dtype=np.int64)
    msg_chat = zipf_keys(chats, msgs, skew, seed=int(rng.integers(2**31)))
    pick = np.floor(rng.random(msgs) * sizes[msg_chat]).astype(np.int64)
    msg_sender = members[offsets[msg_chat] + pick]
    return ChatData(users, chats, offsets, members, msg_chat, msg_sender)


def _message_shards(data: ChatData, shard_key: str, n_shards: int, scheme: str) -> np.ndarray:
    """Shard that stores each message: by its chat, or by its sender (each id hashed once, then looked up)."""
    if shard_key == "chat_id":
        return shard_of(np.arange(data.n_chats), n_shards, scheme)[data.msg_chat]
    return shard_of(np.arange(data.n_users), n_shards, scheme)[data.msg_sender]


@dataclass(frozen=True)
class Fanout:
    """Cost of one kind of query under one shard key.

    ``touched``: shards the router must ask per query (1 when the query names the shard key, every
    shard otherwise: scatter-gather). ``holding_data_mean``/``_max``: shards that actually hold rows
    for the query (what even a perfectly informed router could not avoid).
    """

    shard_key: str
    query: str
    n_shards: int
    touched: int
    scatter_gather: bool
    holding_data_mean: float
    holding_data_max: int


def shards_touched(
    shard_key: str,
    query: str = "chat_history",
    n_shards: int = 16,
    data: ChatData | None = None,
    scheme: str = "modulo",
    seed: int = 0,
) -> Fanout:
    """How many shards one query touches when messages are sharded by ``shard_key``.

    ``query`` is "chat_history" (one page of a chat) or "user_messages" (everything one user sent).
    A chat's history sharded by ``chat_id`` lives on one shard; sharded by ``user_id`` (the sender),
    the router only knows the chat id, so it must ask all ``n_shards`` and merge (scatter-gather).

    >>> shards_touched("chat_id", "chat_history", 16).touched
    1
    >>> f = shards_touched("user_id", "chat_history", 16)
    >>> f.touched, f.scatter_gather, f.holding_data_mean > 2
    (16, True, True)
    """
    _check.choice("shard_key", shard_key, SHARD_KEYS)
    _check.choice("query", query, QUERIES)
    n = int(_check.number("n_shards", n_shards, low=1, high=MAX_SHARDS))
    _check.choice("scheme", scheme, SCHEMES)
    data = chat_data(seed=seed) if data is None else data
    where = _message_shards(data, shard_key, n, scheme)
    group = data.msg_chat if query == "chat_history" else data.msg_sender
    size = data.n_chats if query == "chat_history" else data.n_users
    holds = np.zeros((size, n), dtype=bool)
    holds[group, where] = True
    per_group = holds.sum(axis=1)
    active = per_group[per_group > 0]
    aligned = (query == "chat_history") == (shard_key == "chat_id")
    return Fanout(
        shard_key=shard_key,
        query=query,
        n_shards=n,
        touched=1 if aligned else n,
        scatter_gather=not aligned and n > 1,
        holding_data_mean=float(active.mean()) if len(active) else 0.0,
        holding_data_max=int(active.max()) if len(active) else 0,
    )


def shard_loads(
    shard_key: str,
    n_shards: int = 16,
    data: ChatData | None = None,
    scheme: str = "modulo",
    seed: int = 0,
) -> np.ndarray:
    """Messages written to each shard (length ``n_shards``) for the synthetic workload.

    >>> int(shard_loads("chat_id", 4, chat_data(n_messages=1_000, seed=2)).sum())
    1000
    """
    _check.choice("shard_key", shard_key, SHARD_KEYS)
    n = int(_check.number("n_shards", n_shards, low=1, high=MAX_SHARDS))
    _check.choice("scheme", scheme, SCHEMES)
    data = chat_data(seed=seed) if data is None else data
    return np.bincount(_message_shards(data, shard_key, n, scheme), minlength=n)


def hot_shard_ratio(
    shard_key: str,
    n_shards: int = 16,
    data: ChatData | None = None,
    scheme: str = "modulo",
    seed: int = 0,
) -> float:
    """Busiest shard's load over the mean (1.0 = perfectly even; 2.0 = the hot shard does twice its share).

    >>> hot_shard_ratio("chat_id", 1)
    1.0
    """
    loads = shard_loads(shard_key, n_shards, data, scheme, seed)
    mean = loads.mean()
    return float(loads.max() / mean) if mean > 0 else 1.0
