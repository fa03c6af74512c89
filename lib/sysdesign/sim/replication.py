"""Leader-follower replication: what the client waits for, what a failover loses, what a replica shows.

One primary takes every write and ships it, in order, to ``replicas`` followers (Kleppmann,
*Designing Data-Intensive Applications*, ch. 5, "Leaders and Followers"). When does the primary tell
the client "committed"?

* ``"async"``: as soon as its own commit is done (``local_ms``). Fast, but a write acknowledged and
  not yet shipped exists only on the primary: if the primary dies then and a follower is promoted,
  that acknowledged write is gone.
* ``"semi-sync"``: once one follower confirms it has received the write (MySQL semisynchronous
  replication with ``rpl_semi_sync_source_wait_for_replica_count = 1``, its default; PostgreSQL
  ``synchronous_commit = on`` with one synchronous standby). The client waits for the *fastest*
  follower.
* ``"sync"``: once every follower confirmed. The client waits for the *slowest* follower, and one
  follower down stops every write.

Model (all times in seconds inside, milliseconds at the edges):

* writes arrive as a Poisson stream of ``write_rate`` per second for ``duration_s`` seconds;
* shipping a write to follower ``i`` and hearing its confirmation takes ``lag_ms * ((1 - jitter)
  + jitter * E)`` with ``E`` exponential of mean 1, so the mean lag is ``lag_ms`` whatever the jitter;
  ``E`` is drawn per follower every ``SLOT_S`` seconds (a follower's lag drifts with its load and
  its network, it does not jump from one write to the next);
* a follower applies the log in order: write ``j`` arrives no earlier than write ``j - 1``
  (a running maximum), so one slow write holds up those behind it;
* a received write is visible to reads on that follower at once (like PostgreSQL's
  ``remote_apply``; with ``on`` it is flushed to disk but can still be invisible for a moment);
* failover promotes the most up-to-date follower. Followers hold prefixes of the same log, so that
  one holds every write any follower received: a write is lost when it was acknowledged before the
  crash and no follower had received it.

Everything is seeded (``np.random.default_rng(seed)``) and vectorised over writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _check
from .._lazy import pd

MODES = ("async", "semi-sync", "sync")
MAX_REPLICAS = 9
MAX_WRITES = 200_000
SLOT_S = 0.5
"""How long (s) a follower keeps one lag before it drifts to a new one."""


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def confirmations(mode: str, replicas: int) -> int:
    """How many followers must confirm a write before the client hears "committed".

    >>> [confirmations(m, 3) for m in MODES]
    [0, 1, 3]
    """
    _check.choice("mode", mode, MODES)
    n = _whole("replicas", replicas, 1, MAX_REPLICAS)
    return {"async": 0, "semi-sync": 1, "sync": n}[mode]


@dataclass(frozen=True)
class Replication:
    """One run of :func:`replicate` (times in seconds from the start of the run).

    ``arrive``: when each write reached the primary; ``received``: when each follower (column) had
    it; ``ack``: when the client was told "committed"; ``crash_s``: when the primary crashes.
    Equality compares the parameters only.
    """

    mode: str
    replicas: int
    lag_ms: float
    write_rate: float
    crash_s: float
    arrive: np.ndarray = field(compare=False, repr=False)
    received: np.ndarray = field(compare=False, repr=False)
    ack: np.ndarray = field(compare=False, repr=False)

    @property
    def latency_ms(self) -> np.ndarray:
        """Write latency seen by each client (ms): from arrival to acknowledgement."""
        return (self.ack - self.arrive) * 1e3

    @property
    def on_some_replica(self) -> np.ndarray:
        """When each write first reached a follower (s): after that, a failover keeps it."""
        return self.received.min(axis=1)

    def at_risk(self, at_s: np.ndarray | float) -> np.ndarray:
        """Writes acknowledged but on no follower at each instant (a crash then loses them all).

        >>> r = replicate("async", lag_ms=100, write_rate=50, jitter=0, seed=1)
        >>> round(float(r.at_risk(np.linspace(1, 9, 801)).mean()))   # 50 writes/s x 0.099 s exposed
        5
        >>> int(replicate("sync", lag_ms=100, write_rate=50, seed=1).at_risk(5.0))
        0
        """
        times = np.atleast_1d(np.asarray(at_s, dtype=float))
        acked = np.sort(self.ack)
        safe = np.sort(np.maximum(self.ack, self.on_some_replica))
        count = np.searchsorted(acked, times, side="right") - np.searchsorted(safe, times, side="right")
        return count if np.ndim(at_s) else count[0]

    @property
    def lost(self) -> int:
        """Acknowledged writes a failover at ``crash_s`` loses."""
        return int(self.at_risk(self.crash_s))

    @property
    def unacknowledged(self) -> int:
        """Writes the primary had taken but not yet acknowledged at the crash: their clients get an
        error (or a time-out) and must retry; they were never promised."""
        return int(((self.arrive <= self.crash_s) & (self.ack > self.crash_s)).sum())

    def stale_share(self, read_after_ms: float, seed: int = 0) -> float:
        """Share of clients that read their own write back from a random follower ``read_after_ms``
        after the acknowledgement and do not see it yet (read-your-writes violations).

        >>> r = replicate("async", lag_ms=100, write_rate=50, jitter=0, seed=1)
        >>> r.stale_share(50), r.stale_share(150)
        (1.0, 0.0)
        """
        wait = _check.number("read_after_ms", read_after_ms, low=0, high=1e7) / 1e3
        pick = np.random.default_rng(seed).integers(0, self.replicas, self.arrive.size)
        seen = self.received[np.arange(self.arrive.size), pick]
        return float((seen > self.ack + wait).mean()) if self.arrive.size else 0.0


def replicate(
    mode: str,
    lag_ms: float,
    write_rate: float,
    *,
    replicas: int = 2,
    duration_s: float = 10.0,
    crash_s: float | None = None,
    local_ms: float = 1.0,
    jitter: float = 0.5,
    seed: int = 0,
) -> Replication:
    """Simulate ``duration_s`` seconds of writes under one replication ``mode`` (see the module docstring).

    ``lag_ms``: mean time to ship a write to a follower and hear back (ms); ``write_rate``: writes
    per second; ``crash_s``: when the primary crashes (default: at the end of the run);
    ``local_ms``: the primary's own commit (ms); ``jitter``: 0 for a fixed lag, 1 for an
    exponential one.

    >>> runs = {m: replicate(m, lag_ms=50, write_rate=200, seed=3) for m in MODES}
    >>> [runs[m].lost > 0 for m in MODES]
    [True, False, False]
    >>> p50 = [float(np.median(runs[m].latency_ms)) for m in MODES]
    >>> p50[0] < p50[1] < p50[2]
    True
    """
    k = confirmations(mode, replicas)
    lag = _check.number("lag_ms", lag_ms, low=0, high=60_000) / 1e3
    rate = _check.number("write_rate", write_rate, low=0, low_open=True, high=20_000)
    span = _check.number("duration_s", duration_s, low=0, low_open=True, high=3_600)
    crash = span if crash_s is None else _check.number("crash_s", crash_s, low=0, high=span)
    local = _check.number("local_ms", local_ms, low=0, high=10_000) / 1e3
    spread = _check.number("jitter", jitter, low=0, high=1)
    if rate * span > MAX_WRITES:
        raise ValueError(
            f"write_rate x duration_s must be at most {MAX_WRITES:,} writes, got {rate * span:,.0f}"
        )
    rng = np.random.default_rng(seed)
    arrive = np.sort(rng.uniform(0.0, span, rng.poisson(rate * span)))  # a Poisson stream on [0, span)
    slot = (arrive // SLOT_S).astype(int)  # each follower's lag drifts: redrawn every SLOT_S seconds
    drift = rng.exponential(1.0, (int(span // SLOT_S) + 1, int(replicas)))
    delay = lag * ((1 - spread) + spread * drift[slot])
    received = np.maximum.accumulate(arrive[:, None] + delay, axis=0)  # in order, per follower
    committed = arrive + local
    if k == 0:
        ack = committed
    else:
        ack = np.maximum(committed, np.sort(received, axis=1)[:, k - 1])
    return Replication(mode, int(replicas), lag * 1e3, rate, crash, arrive, received, ack)


def compare(
    lag_ms: float,
    write_rate: float,
    *,
    read_after_ms: float = 20.0,
    replicas: int = 2,
    duration_s: float = 10.0,
    jitter: float = 0.5,
    seed: int = 0,
) -> pd.DataFrame:
    """The three modes on the same writes: one row each.

    Columns: ``mode``, ``waits for`` (followers), ``lost acknowledged writes`` (crash at the end),
    ``at risk (mean)`` (acknowledged writes on no follower, averaged over the run),
    ``latency p50 (ms)``, ``latency p99 (ms)``, ``stale reads`` (share of read-your-writes reads
    from a random follower ``read_after_ms`` after the acknowledgement that miss the write).

    >>> t = compare(lag_ms=50, write_rate=200, seed=3)
    >>> t["mode"].tolist(), t["waits for"].tolist()
    (['async', 'semi-sync', 'sync'], [0, 1, 2])
    >>> t["lost acknowledged writes"].tolist()[1:]
    [0, 0]
    """
    rows = []
    for mode in MODES:
        run = replicate(
            mode, lag_ms, write_rate, replicas=replicas, duration_s=duration_s, jitter=jitter, seed=seed
        )
        grid = np.linspace(0, run.crash_s, 201)[1:]
        lat = run.latency_ms
        rows.append(
            (
                mode,
                confirmations(mode, replicas),
                run.lost,
                float(run.at_risk(grid).mean()),
                float(np.percentile(lat, 50)) if lat.size else 0.0,
                float(np.percentile(lat, 99)) if lat.size else 0.0,
                run.stale_share(read_after_ms, seed=seed),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "mode",
            "waits for",
            "lost acknowledged writes",
            "at risk (mean)",
            "latency p50 (ms)",
            "latency p99 (ms)",
            "stale reads",
        ],
    )


def read_your_writes(
    run: Replication, read_after_ms: float, *, primary_window_ms: float = 1_000.0, seed: int = 0
) -> pd.DataFrame:
    """Three ways to serve a client's read of its own write, ``read_after_ms`` after the acknowledgement.

    * ``any follower``: a random follower; the read is stale if that follower is behind.
    * ``primary for a while``: reads within ``primary_window_ms`` of the client's last write go to
      the primary (always fresh, but the primary takes those reads).
    * ``version token``: the client sends the log position of its write; a follower that has not
      reached it waits (or hands the read to the primary). Never stale; the cost is the wait.

    Columns: ``strategy``, ``stale reads`` (share), ``reads on primary`` (share), ``mean wait (ms)``.

    >>> r = replicate("async", lag_ms=100, write_rate=50, jitter=0, seed=1)
    >>> read_your_writes(r, 50)[["strategy", "stale reads", "reads on primary"]].values.tolist()
    [['any follower', 1.0, 0.0], ['primary for a while', 0.0, 1.0], ['version token', 0.0, 0.0]]
    """
    wait = _check.number("read_after_ms", read_after_ms, low=0, high=1e7)
    window = _check.number("primary_window_ms", primary_window_ms, low=0, high=1e7)
    stale = run.stale_share(wait, seed=seed)
    pick = np.random.default_rng(seed).integers(0, run.replicas, run.arrive.size)
    seen = run.received[np.arange(run.arrive.size), pick]
    waited = np.maximum(0.0, seen - (run.ack + wait / 1e3)) * 1e3
    on_primary = 1.0 if wait < window else 0.0
    rows = [
        ("any follower", stale, 0.0, 0.0),
        ("primary for a while", 0.0 if on_primary else stale, on_primary, 0.0),
        ("version token", 0.0, 0.0, float(waited.mean()) if waited.size else 0.0),
    ]
    return pd.DataFrame(rows, columns=["strategy", "stale reads", "reads on primary", "mean wait (ms)"])


def timeline(run: Replication, points: int = 400) -> pd.DataFrame:
    """The run over time, for a chart: ``t`` (s), ``at risk`` (acknowledged writes on no follower)
    and ``lag_ms`` of each follower (how long the newest write that arrived by ``t`` took to reach
    it, ms; columns ``lag 1 (ms)``, ``lag 2 (ms)``, ...).

    >>> r = replicate("async", lag_ms=100, write_rate=50, jitter=0, seed=1)
    >>> tl = timeline(r, 5)
    >>> tl.columns.tolist(), tl["lag 1 (ms)"].round(3).tolist()[1:]
    (['t', 'at risk', 'lag 1 (ms)', 'lag 2 (ms)'], [100.0, 100.0, 100.0, 100.0])
    """
    n = _whole("points", points, 2, 10_000)
    t = np.linspace(0, run.crash_s, n)
    frame = {"t": t, "at risk": run.at_risk(t)}
    last = np.searchsorted(run.arrive, t, side="right") - 1  # newest write that arrived by t
    for i in range(run.replicas):
        lag = np.where(last >= 0, run.received[last.clip(0), i] - run.arrive[last.clip(0)], 0.0)
        frame[f"lag {i + 1} (ms)"] = lag * 1e3
    return pd.DataFrame(frame)
