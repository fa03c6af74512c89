"""Concurrent writes to the replicas of a leaderless or multi-leader store, and three ways to settle them.

Every key receives a few writes, each accepted by one of ``nodes`` replicas at a random moment and
sent on to the others ``delay_ms`` later. A write is read-modify-write: the client reads the
replica's current value and adds one item to it, as Dynamo's shopping cart adds an item (DeCandia
et al., SOSP 2007, §4.4). Two writes are *concurrent* when neither replica had received the other
before writing (Kleppmann, DDIA ch. 5, "Detecting Concurrent Writes"). Three policies:

* ``"last write wins"``: each write carries its replica's wall-clock time plus that replica's
  clock offset; every replica keeps the version with the largest timestamp. Replicas converge,
  but a concurrent write's item is silently dropped, and with clock skew a write can lose to one
  issued *earlier* in real time (Kingsbury, "The trouble with timestamps", aphyr.com, 2013).
* ``"vector clocks"``: each version carries a vector clock (:mod:`sysdesign.vclock`); a replica
  drops a version only when another comes after it, and keeps concurrent versions side by side
  (siblings). The next writer reads the siblings and merges them (here: the union of items).
* ``"G-counter"``: a grow-only counter CRDT (Shapiro et al., "Conflict-free Replicated Data Types",
  SSS 2011; specified in their report INRIA RR-7506): one count per replica, merged by taking each
  replica's larger count. It has the same shape as a vector clock, so :func:`vclock.increment`
  and :func:`vclock.merge` implement it.

Clock offsets are spread evenly: replica ``i`` runs ``skew_ms * i / (nodes - 1)`` ahead of true time.
Only last-write-wins reads the clocks: vector clocks and the G-counter give the same outcome
whatever the skew (their logical counters order writes, not wall-clock time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _check, vclock
from .._lazy import pd

POLICIES = ("last write wins", "vector clocks", "G-counter")
MAX_NODES = 10
MAX_KEYS = 10_000
MAX_WRITES_PER_KEY = 50
MAX_MS = 1e7


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


# --------------------------------------------------------------------------------------------
# The G-counter: a vector clock read as a count
# --------------------------------------------------------------------------------------------


def gcounter_increment(counter: Mapping[str, int], node: str) -> dict[str, int]:
    """A new G-counter: ``counter`` after ``node`` counts one more (its own entry + 1).

    >>> gcounter_increment({"a": 2}, "b")
    {'a': 2, 'b': 1}
    """
    return vclock.increment(counter, node)


def gcounter_merge(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    """Merge two replicas' G-counters: each node's larger entry (commutative, associative, idempotent).

    >>> gcounter_merge({"a": 2, "b": 1}, {"a": 1, "b": 3})
    {'a': 2, 'b': 3}
    """
    return vclock.merge(a, b)


def gcounter_value(counter: Mapping[str, int]) -> int:
    """The counter's value: the sum of every node's entry (increments counted anywhere).

    >>> gcounter_value({"a": 2, "b": 3})
    5
    """
    return sum(vclock.merge(counter, {}).values())


# --------------------------------------------------------------------------------------------
# The workload
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """Writes to ``keys`` keys. Write ``i`` goes to key ``key[i]`` on replica ``node[i]`` at true time
    ``time_ms[i]``; replica ``j``'s clock reads true time plus ``offset_ms[j]``; every write reaches
    the other replicas ``delay_ms`` after it was made."""

    keys: int
    nodes: int
    delay_ms: float
    skew_ms: float
    key: np.ndarray = field(repr=False, compare=False)
    node: np.ndarray = field(repr=False, compare=False)
    time_ms: np.ndarray = field(repr=False, compare=False)
    offset_ms: np.ndarray = field(repr=False, compare=False)

    @property
    def writes(self) -> int:
        """How many writes in all."""
        return int(self.key.size)


def workload(
    keys: int = 200,
    writes_per_key: int = 6,
    nodes: int = 3,
    *,
    span_ms: float = 1_000.0,
    delay_ms: float = 50.0,
    skew_ms: float = 0.0,
    seed: int = 0,
) -> Workload:
    """Seeded writes: ``writes_per_key`` per key at uniform random times in ``[0, span_ms)``, each on
    a random replica of ``nodes``.

    >>> w = workload(keys=2, writes_per_key=3, seed=1)
    >>> w.writes, w.offset_ms.tolist()
    (6, [0.0, 0.0, 0.0])
    >>> workload(nodes=3, skew_ms=100).offset_ms.tolist()
    [0.0, 50.0, 100.0]
    """
    k = _whole("keys", keys, 1, MAX_KEYS)
    per = _whole("writes_per_key", writes_per_key, 1, MAX_WRITES_PER_KEY)
    m = _whole("nodes", nodes, 2, MAX_NODES)
    span = _check.number("span_ms", span_ms, low=0, high=MAX_MS, low_open=True)
    delay = _check.number("delay_ms", delay_ms, low=0, high=MAX_MS)
    skew = _check.number("skew_ms", skew_ms, low=0, high=MAX_MS)
    rng = np.random.default_rng(seed)
    key = np.repeat(np.arange(k), per)
    time_ms = np.sort(rng.random((k, per)) * span, axis=1).ravel()
    node = rng.integers(0, m, size=k * per)
    offset = skew * np.arange(m) / (m - 1)
    return Workload(k, m, delay, skew, key, node, time_ms, offset)


def _replay(
    wl: Workload,
    new_state: Callable[[], Any],
    write: Callable[[Any, int, int, float], tuple[Any, Any]],
    deliver: Callable[[Any, Any], Any],
) -> list[tuple[np.ndarray, list[Any], dict[int, Any]]]:
    """Replay each key's writes and deliveries in time order; per key: (write ids, final states, sent).

    ``write(state, p, node, t)`` returns (new state, message sent), ``p`` being the write's position
    among its key's writes (``ids[p]`` is its id); ``deliver(state, message)`` returns the new state.
    A write's own deliveries come after it at equal times.
    """
    out = []
    for k in range(wl.keys):
        ids = np.flatnonzero(wl.key == k)
        times, nodes = wl.time_ms[ids].tolist(), wl.node[ids].tolist()
        events = [(t, 0, p, n) for p, (t, n) in enumerate(zip(times, nodes, strict=True))]
        events += [
            (t + wl.delay_ms, 1, p, j)
            for p, (t, n) in enumerate(zip(times, nodes, strict=True))
            for j in range(wl.nodes)
            if j != n
        ]
        states = [new_state() for _ in range(wl.nodes)]
        sent: dict[int, Any] = {}
        for t, kind, i, j in sorted(events):
            if kind == 0:
                states[j], sent[i] = write(states[j], i, j, t)
            else:
                states[j] = deliver(states[j], sent[i])
        out.append((ids, states, sent))
    return out


@dataclass(frozen=True)
class Outcome:
    """What one policy kept of ``writes`` writes: ``kept`` + ``lost`` = ``writes``.

    ``lost_to_earlier`` counts lost writes stamped below a write made *before* them in true time (a
    later write losing to an earlier one: clock skew at work); ``conflicts`` counts the pairs of
    writes the policy detected as concurrent; ``converged``: all replicas ended equal."""

    policy: str
    writes: int
    kept: int
    lost: int
    lost_to_earlier: int
    conflicts: int
    converged: bool


def last_write_wins(wl: Workload) -> Outcome:
    """Settle by timestamp (clock time + the replica's offset; ties by replica number).

    >>> o = last_write_wins(workload(keys=100, delay_ms=100, seed=0))
    >>> o.kept + o.lost == o.writes, o.lost > 0, o.lost_to_earlier, o.conflicts
    (True, True, 0, 0)
    """
    if not isinstance(wl, Workload):
        raise TypeError(f"wl must be a Workload (from workload()), got {type(wl).__name__}")
    # A version is (timestamp, replica, write id, items as a bit mask); the largest timestamp wins.
    empty = (-np.inf, -1, -1, 0)

    def write(state: tuple, i: int, node: int, t: float) -> tuple[tuple, tuple]:
        version = (t + float(wl.offset_ms[node]), node, i, state[3] | (1 << i))
        return max(state, version, key=lambda v: v[:2]), version

    def deliver(state: tuple, version: tuple) -> tuple:
        return max(state, version, key=lambda v: v[:2])

    kept = lost_to_earlier = 0
    converged = True
    stamps = wl.time_ms + wl.offset_ms[wl.node]
    for ids, states, _ in _replay(wl, lambda: empty, write, deliver):
        converged &= all(s == states[0] for s in states)
        lost = np.array([not states[0][3] >> p & 1 for p in range(ids.size)])
        kept += int(ids.size - lost.sum())
        # Writes are in true-time order within a key: an earlier write stamped higher beat this one.
        stamped_above = stamps[ids] < np.maximum.accumulate(np.concatenate(([-np.inf], stamps[ids][:-1])))
        lost_to_earlier += int((lost & stamped_above).sum())
    return Outcome(POLICIES[0], wl.writes, kept, wl.writes - kept, lost_to_earlier, 0, converged)


def vector_clocks(wl: Workload) -> Outcome:
    """Keep concurrent versions as siblings (by :func:`vclock.compare`); a writer merges what it reads.

    >>> o = vector_clocks(workload(keys=100, delay_ms=100, seed=0))
    >>> o.lost, o.conflicts > 0, o.converged
    (0, True, True)
    """
    if not isinstance(wl, Workload):
        raise TypeError(f"wl must be a Workload (from workload()), got {type(wl).__name__}")
    # A replica's state is a tuple of siblings, each (vector clock, items as a bit mask).

    def write(state: tuple, i: int, node: int, t: float) -> tuple[tuple, tuple]:
        clock: dict[str, int] = {}
        items = 1 << i
        for sibling_clock, sibling_items in state:
            clock, items = vclock.merge(clock, sibling_clock), items | sibling_items
        version = (vclock.increment(clock, f"n{node}"), items)
        return (version,), version

    def deliver(state: tuple, version: tuple) -> tuple:
        orders = [vclock.compare(version[0], s[0]) for s in state]
        if any(o in ("before", "equal") for o in orders):
            return state
        return tuple(s for s, o in zip(state, orders, strict=True) if o != "after") + (version,)

    kept = conflicts = 0
    converged = True
    for ids, states, sent in _replay(wl, tuple, write, deliver):
        converged &= all(sorted(map(repr, s)) == sorted(map(repr, states[0])) for s in states)
        items = 0
        for _, sibling_items in states[0]:
            items |= sibling_items
        kept += sum(items >> p & 1 for p in range(ids.size))
        clocks = [sent[p][0] for p in range(ids.size)]
        conflicts += sum(
            vclock.compare(a, b) == "concurrent" for x, a in enumerate(clocks) for b in clocks[x + 1 :]
        )
    return Outcome(POLICIES[1], wl.writes, kept, wl.writes - kept, 0, conflicts, converged)


def g_counter(wl: Workload) -> Outcome:
    """Count the writes as increments of a G-counter; replicas ship their whole counter and merge.

    >>> o = g_counter(workload(keys=100, delay_ms=100, seed=0))
    >>> o.kept == o.writes, o.lost
    (True, 0)
    """
    if not isinstance(wl, Workload):
        raise TypeError(f"wl must be a Workload (from workload()), got {type(wl).__name__}")

    def write(state: dict, i: int, node: int, t: float) -> tuple[dict, dict]:
        counter = gcounter_increment(state, f"n{node}")
        return counter, counter

    kept = 0
    converged = True
    for _, states, _ in _replay(wl, dict, write, gcounter_merge):
        converged &= all(s == states[0] for s in states)
        kept += gcounter_value(states[0])
    return Outcome(POLICIES[2], wl.writes, kept, wl.writes - kept, 0, 0, converged)


def compare(wl: Workload) -> pd.DataFrame:
    """One row per policy on the same writes: writes, kept, lost, lost_to_earlier, conflicts, converged.

    >>> compare(workload(keys=20, seed=0))["policy"].tolist()
    ['last write wins', 'vector clocks', 'G-counter']
    """
    rows = [last_write_wins(wl), vector_clocks(wl), g_counter(wl)]
    return pd.DataFrame([vars(o) for o in rows])
