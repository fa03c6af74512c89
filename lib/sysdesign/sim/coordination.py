"""One leader at a time: majority quorums, randomized elections, leases, and fencing tokens.

Three small models:

* **Majorities** (Raft, ZooKeeper, etcd): a cluster of ``n`` nodes acts only with a majority,
  ``n // 2 + 1``, so ``2f + 1`` nodes survive ``f`` failures, and any two majorities share a node,
  so two leaders cannot both win the same term (Ongaro & Ousterhout, "In Search of an
  Understandable Consensus Algorithm", 2014). The overlap is the quorum arithmetic of
  :mod:`sysdesign.sim.quorum` with ``r = w = majority``.
* **Randomized elections** (Raft, section 5.2): when the leader is gone, each follower waits a
  random election timeout (e.g. 150-300 ms) before it stands. If a second follower's timer fires
  before the first candidate's vote request reaches it, the vote may split; this model counts every
  such round as split (pessimistic) and starts a new one.
* **A paused leader** (Kleppmann, "How to do distributed locking", 2016; *Designing Data-Intensive
  Applications*, ch. 8, "The leader and the lock"): node A holds a lease from the lock service and
  renews it every third of its length. It checks its lease, then freezes (a garbage-collection
  pause, a stalled VM) just before a write. If the pause outlives the lease, the service grants
  the lease to B, which starts writing at once; when A wakes it still believes it is the leader and
  sends its write. Without fencing the storage accepts both writers. With fencing, every grant
  carries a token one higher than the last and the storage refuses a token lower than the highest
  it has seen, so A's late write is refused.

Everything random is seeded (``np.random.default_rng(seed)``) and vectorised over trials.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _check
from .._lazy import pd
from . import quorum

MAX_NODES = 99
MAX_TRIALS = 1_000_000
MAX_ROUNDS = 50
"""Election rounds simulated at most per trial; a trial still split after them counts as unfinished."""


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def majority(n: int) -> int:
    """Nodes that make a majority of ``n``: ``n // 2 + 1``.

    >>> [majority(n) for n in (1, 2, 3, 4, 5)]
    [1, 2, 2, 3, 3]
    """
    return _whole("n", n, 1, MAX_NODES) // 2 + 1


def tolerated_failures(n: int) -> int:
    """Nodes that can fail while a majority of ``n`` remains: ``(n - 1) // 2``.

    >>> [tolerated_failures(n) for n in (3, 4, 5, 7)]
    [1, 1, 2, 3]
    """
    return _whole("n", n, 1, MAX_NODES) - majority(n)


def cluster_table(sizes: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)) -> pd.DataFrame:
    """One row per cluster size: ``nodes``, ``majority``, ``failures tolerated`` and ``overlap``
    (the fewest nodes two majorities share, from :func:`sysdesign.sim.quorum.min_overlap`).

    >>> cluster_table((3, 4, 5)).values.tolist()
    [[3, 2, 1, 1], [4, 3, 1, 2], [5, 3, 2, 1]]
    """
    rows = [
        (n, majority(n), tolerated_failures(n), quorum.min_overlap(n, majority(n), majority(n)))
        for n in sizes
    ]
    return pd.DataFrame(rows, columns=["nodes", "majority", "failures tolerated", "overlap"])


def partition(n: int, isolated: int) -> pd.DataFrame:
    """Which side of a partition can elect a leader and commit writes (it holds a majority)?

    Built on :func:`sysdesign.sim.quorum.can_serve` with read and write quorums of a majority.

    >>> partition(5, 2).values.tolist()
    [['connected', 3, True], ['isolated', 2, False]]
    """
    m = majority(n)
    sides = quorum.can_serve(n, m, m, isolated)
    return pd.DataFrame(
        {"side": sides["side"], "nodes": sides["replicas"], "can elect a leader": sides["writes"]}
    )


def split_vote_chance(candidates: int, timeout_ms: tuple[float, float], delay_ms: float) -> float:
    """Chance that a round is contested: the first two of ``candidates`` uniform timeouts on
    ``timeout_ms`` fire within ``delay_ms`` of each other. The gap between the two smallest of
    ``k`` uniform draws on a width ``w`` exceeds ``d`` with probability ``(1 - d / w) ** k``.

    >>> round(split_vote_chance(4, (150, 300), 10), 3)   # 1 - (1 - 10/150)^4
    0.241
    """
    k = _whole("candidates", candidates, 1, MAX_NODES)
    lo, hi = _timeouts(timeout_ms)
    d = _check.number("delay_ms", delay_ms, low=0, high=10_000)
    if k == 1:
        return 0.0
    return 1.0 - max(0.0, 1.0 - d / (hi - lo)) ** k


def _timeouts(timeout_ms: tuple[float, float]) -> tuple[float, float]:
    if not isinstance(timeout_ms, tuple) or len(timeout_ms) != 2:
        raise TypeError(f"timeout_ms must be a (low, high) pair in ms, got {timeout_ms!r}")
    lo = _check.number("timeout_ms low", timeout_ms[0], low=0, high=60_000)
    hi = _check.number("timeout_ms high", timeout_ms[1], low=lo, low_open=True, high=60_000)
    return lo, hi


@dataclass(frozen=True)
class Election:
    """Outcome of :func:`elect` over ``trials`` leader crashes.

    ``elected``: whether a leader can be elected at all (a majority is alive); ``mean_ms``/``p99_ms``:
    time from the crash until a new leader is known (ms, counted from the last heartbeat; over the
    trials that elected one, ``inf`` if none did); ``split_share``: share of rounds that were
    contested; ``rounds_mean``: rounds per trial; ``unfinished``: share of trials still without a
    leader after ``MAX_ROUNDS`` rounds.
    """

    nodes: int
    alive: int
    elected: bool
    mean_ms: float
    p99_ms: float
    split_share: float
    rounds_mean: float
    unfinished: float
    times_ms: np.ndarray = field(compare=False, repr=False)


def elect(
    nodes: int,
    alive: int | None = None,
    *,
    timeout_ms: tuple[float, float] = (150.0, 300.0),
    delay_ms: float = 5.0,
    trials: int = 10_000,
    seed: int = 0,
) -> Election:
    """Simulate ``trials`` elections after the leader of ``nodes`` crashed, ``alive`` of them still up
    (default: all but the old leader). One-way message delay ``delay_ms``; a candidate that is not
    contested wins after a vote request and its replies (``2 * delay_ms``).

    >>> e = elect(5)
    >>> e.elected, 150 < e.mean_ms < 300 + 10
    (True, True)
    >>> elect(5, alive=2).elected                 # 2 of 5 is no majority: no leader, ever
    False
    """
    n = _whole("nodes", nodes, 1, MAX_NODES)
    up = n - 1 if alive is None else _whole("alive", alive, 0, n)
    lo, hi = _timeouts(timeout_ms)
    d = _check.number("delay_ms", delay_ms, low=0, high=10_000)
    t = _whole("trials", trials, 1, MAX_TRIALS)
    if up < majority(n):
        empty = np.full(t, np.inf)
        return Election(n, up, False, float("inf"), float("inf"), 0.0, 0.0, 1.0, empty)
    rng = np.random.default_rng(seed)
    elapsed = np.zeros(t)
    done = np.zeros(t, dtype=bool)
    rounds = np.zeros(t)
    contested_total = 0
    for _ in range(MAX_ROUNDS):
        live = ~done
        k = int(live.sum())
        if k == 0:
            break
        timers = np.sort(rng.uniform(lo, hi, (k, up)), axis=1)
        first = timers[:, 0]
        contested = (timers[:, 1] < first + d) if up > 1 else np.zeros(k, dtype=bool)
        contested_total += int(contested.sum())
        rounds[live] += 1
        elapsed[live] += first + np.where(contested, 0.0, 2 * d)
        idx = np.flatnonzero(live)
        done[idx[~contested]] = True
    times = np.where(done, elapsed, np.inf)
    finite = times[np.isfinite(times)]
    return Election(
        nodes=n,
        alive=up,
        elected=True,
        mean_ms=float(finite.mean()) if finite.size else float("inf"),
        p99_ms=float(np.percentile(finite, 99)) if finite.size else float("inf"),
        split_share=contested_total / float(rounds.sum()),
        rounds_mean=float(rounds.mean()),
        unfinished=1.0 - finite.size / t,
        times_ms=times,
    )


@dataclass(frozen=True)
class PausedLeader:
    """Outcome of :func:`paused_leader`.

    ``events``: one row per event (``t`` in s, ``node``, ``token``, ``event``); ``expired``: A's lease
    ran out during the pause; ``stale_accepted``/``stale_refused``: writes sent by a node whose lease
    had expired that the storage accepted/refused; ``two_writers``: the storage accepted writes from
    both nodes after the second grant (the corruption fencing prevents); ``lease_expires_s``:
    when A's lease runs out unless A renews it (s); ``wakes_s``: when A woke (s).
    """

    lease_s: float
    pause_s: float
    fencing: bool
    duration_s: float
    expired: bool
    stale_accepted: int
    stale_refused: int
    two_writers: bool
    lease_expires_s: float
    wakes_s: float
    events: pd.DataFrame = field(compare=False, repr=False)

    def table(self) -> pd.DataFrame:
        """Writes per node: ``node``, ``token``, ``accepted``, ``refused``, ``stale accepted``,
        ``stale refused``."""
        ev = self.events[self.events["event"].str.startswith("write")]
        rows = []
        for node in ("A", "B"):
            mine = ev[ev["node"] == node]
            tokens = sorted(set(self.events.loc[self.events["node"] == node, "token"]))
            rows.append(
                (
                    node,
                    ", ".join(str(x) for x in tokens) or "-",
                    int((mine["event"] == "write accepted").sum()),
                    int((mine["event"] == "write refused").sum()),
                    int(((mine["event"] == "write accepted") & mine["stale"]).sum()),
                    int(((mine["event"] == "write refused") & mine["stale"]).sum()),
                )
            )
        return pd.DataFrame(
            rows, columns=["node", "token", "accepted", "refused", "stale accepted", "stale refused"]
        )


def paused_leader(
    lease_s: float,
    pause_s: float,
    *,
    fencing: bool,
    pause_at_s: float = 2.0,
    write_every_s: float = 1.0,
    duration_s: float = 30.0,
) -> PausedLeader:
    """Replay the paused-leader story (module docstring) for ``duration_s`` seconds, deterministically.

    A gets the lease (token 1) at t = 0, renews it every ``lease_s / 3`` s and writes every
    ``write_every_s`` s. At ``pause_at_s`` it has just checked its lease and freezes for ``pause_s``
    seconds; on waking it sends that write, then renews (or learns it lost the lease and stops).
    If the lease ran out meanwhile, B gets it (token 2) at the expiry and writes at once, then every
    ``write_every_s`` s.

    >>> unsafe = paused_leader(lease_s=10, pause_s=15, fencing=False)
    >>> unsafe.expired, unsafe.stale_accepted, unsafe.two_writers
    (True, 1, True)
    >>> safe = paused_leader(lease_s=10, pause_s=15, fencing=True)
    >>> safe.stale_accepted, safe.stale_refused, safe.two_writers
    (0, 1, False)
    >>> paused_leader(lease_s=10, pause_s=5, fencing=False).expired   # woke before its lease ran out
    False
    """
    lease = _check.number("lease_s", lease_s, low=0, low_open=True, high=3_600)
    pause = _check.number("pause_s", pause_s, low=0, high=3_600)
    if not isinstance(fencing, bool):
        raise TypeError(f"fencing must be True or False, got {fencing!r}")
    span = _check.number("duration_s", duration_s, low=0, low_open=True, high=36_000)
    at = _check.number("pause_at_s", pause_at_s, low=0, high=span)
    every = _check.number("write_every_s", write_every_s, low=0.01, high=span)
    renew = lease / 3
    last_renewal = np.floor(at / renew) * renew  # A's last renewal before it froze
    expires = float(last_renewal + lease)
    wakes = at + pause
    expired = wakes > expires  # waking exactly at the expiry, A renews in time
    events: list[tuple[float, str, int, str, bool]] = [(0.0, "A", 1, "lease granted", False)]
    events += [(float(x), "A", 1, "write", False) for x in np.arange(every, at, every)]
    events.append((at, "A", 1, "pause starts", False))
    events.append((min(wakes, span), "A", 1, "pause ends", False))
    if wakes <= span:
        events.append((wakes, "A", 1, "write", bool(expired)))
    if expired:
        events.append((expires, "A", 1, "lease expired", False))
        events.append((expires, "B", 2, "lease granted", False))
        events += [(float(x), "B", 2, "write", False) for x in np.arange(expires, span, every)]
        if wakes <= span:
            events.append((wakes, "A", 1, "learns it lost the lease", False))
    else:
        first = float(np.floor(wakes / every) + 1) * every
        events += [(float(x), "A", 1, "write", False) for x in np.arange(first, span, every)]
    ev = pd.DataFrame(events, columns=["t", "node", "token", "event", "stale"])
    ev = ev.sort_values(["t", "node"], kind="stable").reset_index(drop=True)
    highest = 0
    outcome = []
    for token, event in zip(ev["token"], ev["event"], strict=True):
        if event != "write":
            outcome.append(event)
            continue
        ok = not fencing or token >= highest
        highest = max(highest, token) if ok else highest
        outcome.append("write accepted" if ok else "write refused")
    ev["event"] = outcome
    writes = ev[ev["event"].str.startswith("write")]
    accepted_after = (
        writes[(writes["event"] == "write accepted") & (writes["t"] >= expires)] if expired else writes[:0]
    )
    return PausedLeader(
        lease_s=lease,
        pause_s=pause,
        fencing=fencing,
        duration_s=span,
        expired=bool(expired),
        stale_accepted=int(((writes["event"] == "write accepted") & writes["stale"]).sum()),
        stale_refused=int(((writes["event"] == "write refused") & writes["stale"]).sum()),
        two_writers=bool(accepted_after["node"].nunique() > 1),
        lease_expires_s=expires,
        wakes_s=float(wakes),
        events=ev,
    )
