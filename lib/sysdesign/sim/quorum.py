"""Quorum replication under a network partition: which requests succeed, and whether reads are fresh.

``n`` replicas hold each key. A write is acknowledged once ``w`` replicas store it; a read asks
``r`` replicas and returns the newest value among them. When ``r + w > n`` every read set shares
at least one replica with every write set, so a read reaches a replica holding the latest
acknowledged write. When ``r + w <= n`` a read can land only on replicas the write has not reached
yet (stale).

The overlap argument holds only under its conditions, and this model assumes all of them: strict
quorums over the key's own ``n`` home replicas, one write at a time, and writes that either reach
``w`` replicas or are not acknowledged. Real Dynamo-style stores break each one now and then
(Kleppmann, *Designing Data-Intensive Applications*, ch. 5, "Limitations of Quorum Consistency"):

* a sloppy quorum accepts writes on stand-in nodes outside the home replicas (hinted handoff), so
  a later read quorum of home replicas need not overlap them;
* two concurrent writes need a conflict rule; last-write-wins on clocks can silently drop one;
* a write that reached fewer than ``w`` replicas is reported failed but is not rolled back where
  it landed, so later reads may or may not return it;
* a write still in flight can be seen by one read and missed by the next, and a replica restored
  from one holding old data can bring the count of new copies below ``w``.

So ``r + w > n`` makes fresh reads likely, not guaranteed: Dynamo-style quorums are not
linearizable (a single-key compare-and-set or a consensus protocol such as Raft is needed for that).

A partition cuts ``isolated`` replicas off from the rest. The writing client sits on the
*connected* side (the other ``n - isolated`` replicas). Two behaviours:

* ``"cp"`` (strict quorums, consistency first): a request that cannot reach its quorum on its
  side fails with an error. Reads that succeed are never stale when ``r + w > n``.
* ``"ap"`` (sloppy quorums, availability first): a request uses whatever replicas its side has
  (up to its quorum size), so it succeeds, but reads on the cut-off side return old data and
  writes there diverge until the partition heals.

Everything is seeded (``np.random.default_rng(seed)``) and vectorised over trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _check
from .._lazy import pd

MAX_REPLICAS = 100
MAX_TRIALS = 1_000_000
MODES = ("cp", "ap")
SIDES = ("connected", "isolated")


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def _quorums(n: object, r: object, w: object) -> tuple[int, int, int]:
    nn = _whole("n", n, 1, MAX_REPLICAS)
    return nn, _whole("r", r, 1, nn), _whole("w", w, 1, nn)


def quorum_overlap(n: int, r: int, w: int) -> bool:
    """True when every read quorum shares a replica with every write quorum (``r + w > n``).

    Overlap is necessary for fresh reads, not sufficient: see the caveats in the module docstring.

    >>> quorum_overlap(3, 2, 2), quorum_overlap(3, 1, 2)
    (True, False)
    """
    nn, rr, ww = _quorums(n, r, w)
    return rr + ww > nn


def min_overlap(n: int, r: int, w: int) -> int:
    """The fewest replicas a read set and a write set can have in common: ``max(0, r + w - n)``.

    >>> min_overlap(5, 3, 3)
    1
    """
    nn, rr, ww = _quorums(n, r, w)
    return max(0, rr + ww - nn)


def p_fresh(n: int, r: int, w: int) -> float:
    """Chance that a read of ``r`` random replicas includes one of the ``w`` holding the latest write
    (no partition, replicas picked uniformly): ``1 - C(n - w, r) / C(n, r)``.

    >>> p_fresh(3, 1, 1)    # one replica of three has it; the read asks one
    0.3333333333333333
    >>> p_fresh(3, 2, 2)
    1.0
    """
    nn, rr, ww = _quorums(n, r, w)
    total = math.comb(nn, rr)
    return (total - math.comb(nn - ww, rr)) / total


@dataclass(frozen=True)
class ReadOutcomes:
    """Shares of ``trials`` reads that were ``fresh``, ``stale`` or an ``error`` (they sum to 1),
    and whether the latest write was accepted (``write_ok``) on the connected side."""

    trials: int
    fresh: float
    stale: float
    error: float
    write_ok: bool


def read_outcomes(
    n: int,
    r: int,
    w: int,
    *,
    isolated: int = 0,
    side: str = "connected",
    mode: str = "cp",
    trials: int = 10_000,
    seed: int = 0,
) -> ReadOutcomes:
    """Simulate ``trials`` reads after one write, with ``isolated`` replicas cut off.

    The write comes from the connected side and lands on ``w`` random replicas there (``"ap"``:
    on as many as it can reach, up to ``w``); replicas it missed still hold the previous value.
    The read comes from ``side`` ("connected" or "isolated") and asks ``r`` random replicas of
    that side (``"ap"``: up to ``r``). If the write failed, nothing newer exists, so a read that
    succeeds counts as fresh.

    >>> read_outcomes(3, 2, 2).stale
    0.0
    >>> o = read_outcomes(3, 1, 1, trials=30_000, seed=1)
    >>> round(o.stale, 2)
    0.67
    >>> read_outcomes(3, 2, 2, isolated=1, side="isolated", mode="cp").error
    1.0
    >>> read_outcomes(3, 2, 2, isolated=1, side="isolated", mode="ap").stale
    1.0
    """
    nn, rr, ww = _quorums(n, r, w)
    k = _whole("isolated", isolated, 0, nn)
    _check.choice("side", side, SIDES)
    _check.choice("mode", mode, MODES)
    t = _whole("trials", trials, 1, MAX_TRIALS)
    rng = np.random.default_rng(seed)

    connected = nn - k
    # Replicas 0..k-1 are cut off; k..n-1 are on the writer's side.
    writes_reached = connected if mode == "ap" else (ww if connected >= ww else 0)
    write_ok = writes_reached > 0 if mode == "ap" else connected >= ww
    writes_reached = min(writes_reached, ww)

    size = connected if side == "connected" else k
    asked = min(rr, size) if mode == "ap" else (rr if size >= rr else 0)
    if asked == 0:
        return ReadOutcomes(trials=t, fresh=0.0, stale=0.0, error=1.0, write_ok=bool(write_ok))
    if not write_ok:
        return ReadOutcomes(trials=t, fresh=1.0, stale=0.0, error=0.0, write_ok=False)
    if side == "isolated":  # the write never crossed the partition
        return ReadOutcomes(trials=t, fresh=0.0, stale=1.0, error=0.0, write_ok=True)

    # Both sets live on the connected side: rank its replicas at random per trial, twice.
    write_rank = np.argsort(rng.random((t, size)), axis=1)
    has_latest = np.zeros((t, size), dtype=bool)
    np.put_along_axis(has_latest, write_rank[:, :writes_reached], True, axis=1)
    read_rank = np.argsort(rng.random((t, size)), axis=1)[:, :asked]
    fresh = np.take_along_axis(has_latest, read_rank, axis=1).any(axis=1)
    share = float(fresh.mean())
    return ReadOutcomes(trials=t, fresh=share, stale=1.0 - share, error=0.0, write_ok=True)


def can_serve(n: int, r: int, w: int, isolated: int) -> pd.DataFrame:
    """Under strict quorums, can each side of the partition still read (``size >= r``) and write
    (``size >= w``)? One row per non-empty side.

    >>> can_serve(5, 3, 3, 2)[["side", "replicas", "reads", "writes"]].values.tolist()
    [['connected', 3, True, True], ['isolated', 2, False, False]]
    """
    nn, rr, ww = _quorums(n, r, w)
    k = _whole("isolated", isolated, 0, nn)
    rows = [
        (name, size, size >= rr, size >= ww)
        for name, size in (("connected", nn - k), ("isolated", k))
        if size
    ]
    return pd.DataFrame(rows, columns=["side", "replicas", "reads", "writes"])


_MODE_LABEL = {"cp": "CP: strict quorum", "ap": "AP: sloppy quorum"}


def partition_table(
    n: int, r: int, w: int, isolated: int = 0, *, trials: int = 10_000, seed: int = 0
) -> pd.DataFrame:
    """What each side of the partition sees, under both behaviours: one row per (side, mode).

    Columns: ``side``, ``replicas``, ``mode``, ``writes`` ("ok", "ok, diverges" for an AP write
    cut off from the rest, or "error"), and the shares of reads that are ``fresh``, ``stale``
    and ``error``.

    >>> t = partition_table(3, 2, 2, isolated=1)
    >>> t[["side", "mode", "writes", "error"]].values.tolist()[2:]
    [['isolated', 'CP: strict quorum', 'error', 1.0], ['isolated', 'AP: sloppy quorum', 'ok, diverges', 0.0]]
    """
    nn, rr, ww = _quorums(n, r, w)
    k = _whole("isolated", isolated, 0, nn)
    rows = []
    for side, size in (("connected", nn - k), ("isolated", k)):
        if size == 0:
            continue
        for mode in MODES:
            if mode == "cp":
                writes = "ok" if size >= ww else "error"
            else:
                writes = "ok" if side == "connected" or k == nn else "ok, diverges"
            o = read_outcomes(nn, rr, ww, isolated=k, side=side, mode=mode, trials=trials, seed=seed)
            rows.append((side, size, _MODE_LABEL[mode], writes, o.fresh, o.stale, o.error))
    return pd.DataFrame(rows, columns=["side", "replicas", "mode", "writes", "fresh", "stale", "error"])


def summary(n: int, r: int, w: int) -> str:
    """One sentence on the quorum arithmetic.

    >>> print(summary(3, 2, 2))  # doctest: +ELLIPSIS
    R + W = 4 > N = 3: every read set overlaps every write set (at least 1 replica), so a read reaches ...
    >>> print(summary(3, 1, 1))  # doctest: +ELLIPSIS
    R + W = 2 <= N = 3: a read can miss every replica the write reached; with no partition 33% ...
    """
    nn, rr, ww = _quorums(n, r, w)
    if rr + ww > nn:
        return (
            f"R + W = {rr + ww} > N = {nn}: every read set overlaps every write set "
            f"(at least {min_overlap(nn, rr, ww)} replica{'s' if min_overlap(nn, rr, ww) > 1 else ''}), "
            "so a read reaches the latest acknowledged write, under strict quorums and without concurrent "
            "or partly failed writes (still not linearizable)."
        )
    return (
        f"R + W = {rr + ww} <= N = {nn}: a read can miss every replica the write reached; "
        f"with no partition {p_fresh(nn, rr, ww):.0%} of reads are fresh."
    )
