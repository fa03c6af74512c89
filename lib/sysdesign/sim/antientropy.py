"""Anti-entropy: how replicas that drifted apart find and repair their differences.

Two mechanisms of Dynamo-style stores (DeCandia et al., SOSP 2007, §4.6 and §4.7):

* **Hinted handoff with a sloppy quorum.** While some of a key's ``n`` home replicas are
  unreachable, a sloppy quorum writes to the next healthy nodes on the ring instead; each of those
  stand-ins keeps the write with a *hint* naming the home replica it belongs to and hands it back
  once that replica is reachable again. Writes keep succeeding during the partition, but until the
  hints are handed back a read of ``r`` home replicas can miss them even when ``r + w > n``
  (Kleppmann, DDIA ch. 5, "Sloppy Quorums and Hinted Handoff"). :func:`hinted_handoff`.
* **Merkle trees.** Each replica hashes its rows into the leaves of a binary hash tree over the key
  range (leaf ``i`` covers the ``i``-th of ``2**depth`` equal slices of the token ring; a parent
  hashes its two children). Two replicas compare roots, descend only into subtrees whose hashes
  differ, and stream just the rows of the leaves that differ. Cassandra 3.x's repair builds such
  trees with 2**15 leaves (DataStax, "Anti-entropy repair"): with a million partitions and one damaged,
  about 30 partitions are streamed. :func:`merkle_repair` against :func:`full_scan`.

Hashes here are a 64-bit mixing function (splitmix64's finaliser), not a cryptographic digest: a
stand-in that changes whenever a row does. Leaf hashes combine their rows' hashes by XOR, as
Cassandra's trees do, so they do not depend on row order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .. import _check
from .._lazy import pd
from . import quorum

MAX_ROWS = 2_000_000
MAX_DEPTH = 20
MAX_TRIALS = 1_000_000
PHASES = ("during the partition", "healed, hints pending", "hints handed back")
MODES = ("strict", "sloppy")

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on unsigned 64-bit integers: a fast hash that spreads every input bit.

    >>> mix64(np.array([0, 1], dtype=np.uint64)).tolist()
    [0, 6238072747940578789]
    """
    z = np.asarray(x, dtype=np.uint64)
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@lru_cache(maxsize=4)
def _tokens(rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys 0..rows-1 ordered by their token (position on the ring), and those tokens."""
    token = mix64(np.arange(rows, dtype=np.uint64) + _GOLDEN)
    order = np.argsort(token, kind="stable")
    return order, token[order]


def leaf_of(rows: int, depth: int) -> np.ndarray:
    """The leaf (0 .. 2**depth - 1) that holds each key 0..rows-1: the top ``depth`` bits of its token.

    >>> leaf_of(8, 0).tolist()
    [0, 0, 0, 0, 0, 0, 0, 0]
    >>> bool((leaf_of(100_000, 3) < 8).all())
    True
    """
    n = _whole("rows", rows, 1, MAX_ROWS)
    d = _whole("depth", depth, 0, MAX_DEPTH)
    token = mix64(np.arange(n, dtype=np.uint64) + _GOLDEN)
    return (token >> np.uint64(64 - d)).astype(np.int64) if d else np.zeros(n, dtype=np.int64)


@dataclass(frozen=True)
class Replicas:
    """Two replicas of ``rows`` keys: ``a`` and ``b`` hold each key's value (as a 64-bit number);
    they differ exactly at the keys in ``diverged`` (``b`` missed their latest write)."""

    rows: int
    a: np.ndarray = field(repr=False, compare=False)
    b: np.ndarray = field(repr=False, compare=False)
    diverged: np.ndarray = field(repr=False, compare=False)


def diverge(rows: int = 100_000, diverged: int = 10, seed: int = 0) -> Replicas:
    """Seeded replicas that agree on every key but ``diverged`` random ones.

    >>> r = diverge(1_000, 5, seed=1)
    >>> int((r.a != r.b).sum()), sorted(np.flatnonzero(r.a != r.b)) == sorted(r.diverged)
    (5, True)
    """
    n = _whole("rows", rows, 1, MAX_ROWS)
    d = _whole("diverged", diverged, 0, n)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**63, size=n, dtype=np.uint64)  # drawn first: the same for every ``diverged``
    keys = rng.choice(n, size=d, replace=False)
    b = a.copy()
    b[keys] = ~a[keys]  # a different value
    return Replicas(n, a, b, np.sort(keys))


def merkle_tree(values: np.ndarray, depth: int) -> list[np.ndarray]:
    """The Merkle tree of one replica: ``levels[0]`` the root (1 hash) ... ``levels[depth]`` the leaves.

    A row hashes its key and value; a leaf is the XOR of its rows' hashes (0 when empty); a parent
    mixes its two children.

    >>> tree = merkle_tree(diverge(1_000, 0).a, 3)
    >>> [level.size for level in tree]
    [1, 2, 4, 8]
    """
    v = np.asarray(values)
    if v.ndim != 1 or v.dtype != np.uint64:
        raise TypeError("values must be a 1-d numpy array of uint64 (one value per key)")
    n = _whole("rows (len(values))", v.size, 1, MAX_ROWS)
    d = _whole("depth", depth, 0, MAX_DEPTH)
    order, token = _tokens(n)
    row_hash = mix64(token ^ v[order])
    leaves = np.zeros(2**d, dtype=np.uint64)
    leaf = (token >> np.uint64(64 - d)).astype(np.int64) if d else np.zeros(n, dtype=np.int64)
    first = np.flatnonzero(np.r_[True, leaf[1:] != leaf[:-1]])  # tokens are sorted: a leaf is a run
    leaves[leaf[first]] = np.bitwise_xor.reduceat(row_hash, first)
    levels = [leaves]
    while levels[0].size > 1:
        child = levels[0]
        levels.insert(0, mix64(child[0::2] ^ mix64(child[1::2] + _GOLDEN)))
    return levels


@dataclass(frozen=True)
class Repair:
    """One repair of replica ``b`` from ``a``: ``hashes_compared`` (pairs of tree nodes compared),
    ``leaves_differing`` (key ranges found different), ``rows_exchanged`` (rows one replica streams
    to the other: every row of those ranges) and ``consistent`` (the replicas agree afterwards)."""

    method: str
    depth: int | None
    hashes_compared: int
    leaves_differing: int
    rows_exchanged: int
    consistent: bool


def merkle_repair(replicas: Replicas, depth: int) -> Repair:
    """Compare the two replicas' Merkle trees from the root down and stream the differing leaves.

    At each level only the children of nodes that differed are compared, so the work grows with
    the number of differing keys times the depth, not with the number of rows.

    >>> rep = merkle_repair(diverge(100_000, 1, seed=0), 10)
    >>> rep.hashes_compared, rep.leaves_differing, rep.consistent
    (21, 1, True)
    """
    if not isinstance(replicas, Replicas):
        raise TypeError(f"replicas must be a Replicas (from diverge()), got {type(replicas).__name__}")
    d = _whole("depth", depth, 0, MAX_DEPTH)
    return _repair(replicas, d, merkle_tree(replicas.a, d))


def _repair(replicas: Replicas, d: int, tree_a: list[np.ndarray]) -> Repair:
    """:func:`merkle_repair` given replica ``a``'s tree (a sweep builds it once)."""
    tree_b = merkle_tree(replicas.b, d)
    compared, differing = 1, np.flatnonzero(tree_a[0] != tree_b[0])
    for level in range(1, d + 1):
        children = np.concatenate([2 * differing, 2 * differing + 1])
        compared += children.size
        differing = np.sort(children[tree_a[level][children] != tree_b[level][children]])
    order, token = _tokens(replicas.rows)
    leaf_differs = np.zeros(2**d, dtype=bool)
    leaf_differs[differing] = True
    streamed = np.zeros(replicas.rows, dtype=bool)
    streamed[order] = leaf_differs[(token >> np.uint64(64 - d)).astype(np.int64) if d else 0]
    repaired = np.where(streamed, replicas.a, replicas.b)
    return Repair(
        method=f"Merkle tree, depth {d}",
        depth=d,
        hashes_compared=int(compared),
        leaves_differing=int(differing.size),
        rows_exchanged=int(streamed.sum()),
        consistent=bool((repaired == replicas.a).all()),
    )


def full_scan(replicas: Replicas) -> Repair:
    """Repair without a tree: one replica streams every row and the other compares them one by one.

    >>> full_scan(diverge(1_000, 3)).rows_exchanged
    1000
    """
    if not isinstance(replicas, Replicas):
        raise TypeError(f"replicas must be a Replicas (from diverge()), got {type(replicas).__name__}")
    return Repair("full comparison", None, 0, int((replicas.a != replicas.b).sum()), replicas.rows, True)


def expected_rows(rows: int, diverged: int, depth: int) -> float:
    """Rows a Merkle repair streams on average, keys spread uniformly over ``2**depth`` leaves: the
    ``diverged`` rows themselves, plus each other row whose leaf also holds a diverged key, which
    happens with chance ``1 - (1 - 2**-depth) ** diverged``.

    >>> round(expected_rows(1_000_000, 1, 15), 1)    # DataStax: "about 30 partitions are streamed"
    31.5
    """
    n = _whole("rows", rows, 1, MAX_ROWS)
    k = _whole("diverged", diverged, 0, n)
    leaves = 2 ** _whole("depth", depth, 0, MAX_DEPTH)
    return k + (n - k) * (1.0 - (1.0 - 1.0 / leaves) ** k)


def repair_table(rows: int = 100_000, diverged: int = 10, depth: int = 10, seed: int = 0) -> pd.DataFrame:
    """Full comparison against a Merkle repair of the same replicas: one row each (the depth is in
    the method's name).

    >>> repair_table(10_000, 1, 8)["rows_exchanged"].tolist()[0]
    10000
    """
    rep = diverge(rows, diverged, seed)
    frame = pd.DataFrame([vars(full_scan(rep)), vars(merkle_repair(rep, depth))]).drop(columns="depth")
    frame["share_of_rows"] = frame["rows_exchanged"] / rep.rows
    return frame


def sweep(
    rows: int = 100_000, depth: int = 10, diverged: tuple[int, ...] = (1, 10, 100, 1_000), seed: int = 0
) -> pd.DataFrame:
    """Rows exchanged and hashes compared as the number of differing keys grows (one row per count).

    Columns: ``diverged``, ``merkle_rows``, ``merkle_hashes``, ``full_rows``, ``expected_rows``.

    >>> sweep(10_000, 4, (0, 10_000))["merkle_rows"].tolist()
    [0, 10000]
    """
    if not isinstance(diverged, tuple) or not diverged:
        raise TypeError(f"diverged must be a non-empty tuple of key counts, got {diverged!r}")
    d = _whole("depth", depth, 0, MAX_DEPTH)
    tree_a = merkle_tree(diverge(rows, 0, seed).a, d)  # replica a is the same for every count
    out = []
    for k in diverged:
        rep = _repair(diverge(rows, k, seed), d, tree_a)
        out.append((k, rep.rows_exchanged, rep.hashes_compared, rows, expected_rows(rows, k, depth)))
    return pd.DataFrame(
        out, columns=["diverged", "merkle_rows", "merkle_hashes", "full_rows", "expected_rows"]
    )


# --------------------------------------------------------------------------------------------
# Sloppy quorums and hinted handoff
# --------------------------------------------------------------------------------------------


def hinted_handoff(
    n: int = 3, r: int = 2, w: int = 2, down: int = 1, *, trials: int = 10_000, seed: int = 0
) -> pd.DataFrame:
    """One write while ``down`` of a key's ``n`` home replicas are cut off from the client, then reads
    at three moments (:data:`PHASES`), under strict and sloppy quorums. One row per (mode, phase).

    * strict: the write needs ``w`` reachable home replicas (else it fails) and lands on ``w`` of them.
    * sloppy: the write lands on ``w`` random nodes among the reachable home replicas and ``down``
      stand-ins (the next nodes on the ring), so it succeeds while any node answers; a stand-in keeps
      a hint for a home replica that was cut off.

    Reads ask ``r`` random nodes: during the partition, from the client's side (strict: reachable home
    replicas only; sloppy: the same healthy nodes the write used); after it heals, ``r`` of the ``n``
    home replicas. Handing the hints back copies each stand-in's write to its home replica. Columns:
    ``mode``, ``phase``, ``write_ok``, ``home_copies`` (mean home replicas holding the write),
    ``fresh`` and ``error`` (shares of reads; the rest are stale).

    >>> t = hinted_handoff(3, 2, 2, down=2)
    >>> t[t["mode"] == "strict"]["write_ok"].tolist()
    [False, False, False]
    >>> t[t["mode"] == "sloppy"][["phase", "fresh"]].values.tolist()[1:]
    [['healed, hints pending', 0.4436], ['hints handed back', 1.0]]
    """
    nn, rr, ww = quorum._quorums(n, r, w)
    k = _whole("down", down, 0, nn - 1)
    t = _whole("trials", trials, 1, MAX_TRIALS)
    rng = np.random.default_rng(seed)
    reachable = nn - k  # home replicas 0 .. reachable-1 answer; the others are cut off

    def pick(size: int, count: int) -> np.ndarray:
        """A (trials, size) mask with ``count`` random True per row."""
        rank = np.argsort(rng.random((t, size)), axis=1)
        return rank < count

    rows = []
    for mode in MODES:
        ok = mode == "sloppy" or reachable >= ww
        if mode == "strict":  # the write lands on ww of the reachable home replicas
            written = np.zeros((t, nn), dtype=bool)
            if ok:
                written[:, :reachable] = pick(reachable, ww)
            hinted = np.zeros((t, nn), dtype=bool)
            pool = written[:, :reachable]  # a read during the partition asks reachable homes only
            can_read = reachable >= rr
        else:  # healthy list: reachable homes, then one stand-in per home replica cut off
            healthy = pick(nn, ww)
            written = np.zeros((t, nn), dtype=bool)
            written[:, :reachable] = healthy[:, :reachable]
            hinted = np.zeros((t, nn), dtype=bool)
            hinted[:, reachable:] = healthy[:, reachable:]  # stand-in j holds the hint for home j
            pool, can_read = healthy, True
        for phase, holders in zip(PHASES, (pool, written, written | hinted), strict=True):
            if phase == PHASES[0] and not can_read:
                fresh, error = 0.0, 1.0
            elif not ok:  # nothing newer exists: a read that succeeds is fresh
                fresh, error = 1.0, 0.0
            else:
                read = pick(holders.shape[1], rr)
                fresh, error = float((read & holders).any(axis=1).mean()), 0.0
            homes = written | hinted if phase == PHASES[2] else written
            rows.append((mode, phase, ok, float(homes.sum(axis=1).mean()), round(fresh, 4), error))
    return pd.DataFrame(rows, columns=["mode", "phase", "write_ok", "home_copies", "fresh", "error"])
