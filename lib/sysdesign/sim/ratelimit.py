"""Rate-limiting algorithms run on the same request timestamps, their memory per user, and a real race.

Every algorithm takes sorted arrival times (seconds) and returns a boolean array: ``True`` where the
request is allowed. Rejected requests never change the limiter's state (they are not counted).
Fixed windows are ``[k*W, (k+1)*W)``; the sliding log counts allowed requests in ``(t-W, t]``.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sysdesign import _check

from .._lazy import pd

ALGORITHMS = ("token bucket", "leaky bucket", "fixed window", "sliding log", "sliding counter")


# --------------------------------------------------------------------------------------------
# Traffic
# --------------------------------------------------------------------------------------------


def bursty_arrivals(
    duration_s: float = 30.0,
    base_rate: float = 4.0,
    burst_size: int = 40,
    burst_every_s: float = 10.0,
    burst_spread_s: float = 0.2,
    seed: int = 0,
) -> np.ndarray:
    """Sorted arrival times (s): Poisson background at ``base_rate`` req/s plus bursts.

    A burst of ``burst_size`` requests is spread uniformly over ``burst_spread_s`` seconds
    centred on every multiple of ``burst_every_s`` inside the run, so half of each burst lands
    just before a whole second (a fixed window's boundary) and half just after.

    >>> t = bursty_arrivals(duration_s=30, base_rate=0, burst_size=10, seed=1)
    >>> len(t), bool(np.all(np.diff(t) >= 0))
    (20, True)
    """
    duration_s = _check.number("duration_s", duration_s, low=0, low_open=True, high=3600)
    base_rate = _check.number("base_rate", base_rate, low=0, high=1000)
    burst_size = int(_check.number("burst_size", burst_size, low=0, high=10_000))
    burst_every_s = _check.number("burst_every_s", burst_every_s, low=0, low_open=True)
    burst_spread_s = _check.number("burst_spread_s", burst_spread_s, low=0, low_open=True, high=burst_every_s)
    rng = np.random.default_rng(seed)
    background = rng.uniform(0, duration_s, rng.poisson(base_rate * duration_s))
    centres = np.arange(burst_every_s, duration_s, burst_every_s)
    bursts = (
        centres[:, None] + rng.uniform(-burst_spread_s / 2, burst_spread_s / 2, (len(centres), burst_size))
    ).ravel()
    times = np.concatenate([background, bursts])
    return np.sort(times[(times >= 0) & (times < duration_s)])


def boundary_burst(limit: int, window_s: float, gap_s: float = 0.001) -> np.ndarray:
    """``limit`` requests just before the boundary at ``window_s`` and ``limit`` just after.

    All 2 x ``limit`` requests fall within ``2 * gap_s`` seconds of the boundary.

    >>> boundary_burst(2, 1.0, gap_s=0.01).round(3).tolist()
    [0.99, 0.995, 1.0, 1.005]
    """
    limit = int(_check.number("limit", limit, low=1, high=100_000))
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    gap_s = _check.number("gap_s", gap_s, low=0, low_open=True, high=window_s / 2)
    before = window_s - gap_s + np.arange(limit) * gap_s / limit
    after = window_s + np.arange(limit) * gap_s / limit
    return np.concatenate([before, after])


def poisson_arrivals(rate: float, duration_s: float, seed: int = 0) -> np.ndarray:
    """Sorted arrival times (s) of a Poisson stream at ``rate`` req/s over ``[0, duration_s)``.

    >>> t = poisson_arrivals(100, 10, seed=1)
    >>> 900 < len(t) < 1100, bool(np.all(np.diff(t) >= 0))
    (True, True)
    """
    rate = _check.number("rate", rate, low=0, high=1e6)
    duration_s = _check.number("duration_s", duration_s, low=0, low_open=True, high=86_400)
    if rate * duration_s > 5e6:
        raise ValueError(f"rate * duration_s must be at most 5,000,000 requests, got {rate * duration_s:g}")
    rng = np.random.default_rng(seed)
    return np.sort(rng.uniform(0, duration_s, rng.poisson(rate * duration_s)))


OVERLOAD_MULTIPLES = (2.0, 5.0, 20.0)
"""Sustained overloads in :func:`contract_traffic` (times the limit), ``OVERLOAD_WINDOWS`` windows each."""
OVERLOAD_WINDOWS = 10
FLOOD_MULTIPLE = 500.0
"""A dense flood (times the limit) for 2 windows: it takes almost every token the moment it appears."""


def contract_traffic(limit: int, window_s: float, seed: int = 0) -> dict[str, np.ndarray]:
    """Traffic that tests the contract "at most ``limit`` allowed in any interval of ``window_s``".

    Named arrival traces (s): a boundary burst, bursty traffic at half the limit with bursts of
    3 x ``limit``, Poisson overload at each of :data:`OVERLOAD_MULTIPLES` times the limit for
    :data:`OVERLOAD_WINDOWS` windows, and a Poisson flood at :data:`FLOOD_MULTIPLE` times the limit
    for 2 windows. Each trace starts idle, so a bucket starts full. A limiter keeps the contract
    on all of them when ``max_in_window(times, allowed, window_s) <= limit`` for each. A token
    bucket keeps it (whatever the traffic) exactly when ``capacity + rate * window_s <= limit + 1``;
    the flood finds a breach of that bound by half a token or more.

    >>> sorted(contract_traffic(10, 1.0))[:3]
    ['boundary burst', 'bursty', 'flood 500x']
    """
    limit = int(_check.number("limit", limit, low=1, high=10_000))
    window_s = _check.number("window_s", window_s, low=0, low_open=True, high=3600)
    rate = limit / window_s
    traffic = {
        "boundary burst": boundary_burst(limit, window_s),
        "bursty": bursty_arrivals(
            duration_s=20 * window_s,
            base_rate=0.5 * rate,
            burst_size=3 * limit,
            burst_every_s=2.5 * window_s,
            burst_spread_s=0.2 * window_s,
            seed=seed,
        ),
    }
    for i, multiple in enumerate(OVERLOAD_MULTIPLES):
        traffic[f"overload {multiple:g}x"] = poisson_arrivals(
            multiple * rate, OVERLOAD_WINDOWS * window_s, seed=seed + 1 + i
        )
    traffic[f"flood {FLOOD_MULTIPLE:g}x"] = poisson_arrivals(
        FLOOD_MULTIPLE * rate, 2 * window_s, seed=seed + 9
    )
    return traffic


def steady_client(limit: int, window_s: float, share: float = 0.8, windows: int = 4) -> np.ndarray:
    """A client sending evenly at ``share`` of the limit for ``windows`` windows (arrival times, s).

    >>> steady_client(5, 1.0, share=0.8, windows=1).tolist()
    [0.0, 0.25, 0.5, 0.75]
    """
    limit = int(_check.number("limit", limit, low=1, high=10_000))
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    share = _check.number("share", share, low=0, low_open=True, high=1)
    windows = int(_check.number("windows", windows, low=1, high=1000))
    n = int(round(share * limit * windows))
    return np.arange(n) * window_s / (share * limit)


def _times(times: object) -> np.ndarray:
    arr = np.asarray(times, dtype=float)
    if arr.ndim != 1 or not np.all(np.isfinite(arr)) or np.any(np.diff(arr) < 0):
        raise ValueError("times must be a 1-D array of finite arrival times in seconds, sorted ascending")
    return arr


# --------------------------------------------------------------------------------------------
# The five algorithms
# --------------------------------------------------------------------------------------------


def token_bucket(times: object, rate: float, capacity: float) -> np.ndarray:
    """Bucket of ``capacity`` tokens refilled at ``rate`` tokens/s, starting full; a request takes one.

    >>> token_bucket([0, 0, 0, 0.5], rate=2, capacity=2).tolist()
    [True, True, False, True]
    """
    t = _times(times)
    rate = _check.number("rate", rate, low=0, low_open=True)
    capacity = _check.number("capacity", capacity, low=1)
    allowed = np.zeros(len(t), dtype=bool)
    tokens, last = capacity, t[0] if len(t) else 0.0
    for i, now in enumerate(t.tolist()):
        tokens = min(capacity, tokens + (now - last) * rate)
        last = now
        if tokens >= 1 - 1e-9:  # a token that is due now counts, whatever the float rounding
            tokens -= 1
            allowed[i] = True
    return allowed


def leaky_bucket(times: object, rate: float, capacity: int) -> np.ndarray:
    """A FIFO queue of at most ``capacity`` waiting requests, served at ``rate`` req/s.

    A request is allowed if it finds room in the queue; it then leaves at an even pace, see
    :func:`leaky_bucket_departures`. (Used as a meter, the same state gives the same answers.)

    >>> leaky_bucket([0, 0, 0, 1.0], rate=1, capacity=2).tolist()
    [True, True, False, True]
    """
    t = _times(times)
    rate = _check.number("rate", rate, low=0, low_open=True)
    capacity = int(_check.number("capacity", capacity, low=1))
    allowed = np.zeros(len(t), dtype=bool)
    queue: deque[float] = deque()  # departure times of admitted requests still in the system
    next_free = -np.inf
    for i, now in enumerate(t.tolist()):
        while queue and queue[0] <= now:
            queue.popleft()
        if len(queue) < capacity:
            next_free = max(now, next_free) + 1.0 / rate
            queue.append(next_free)
            allowed[i] = True
    return allowed


def leaky_bucket_departures(times: object, rate: float, capacity: int) -> np.ndarray:
    """When each allowed request leaves the leaky bucket (s): never closer than ``1/rate`` apart.

    >>> leaky_bucket_departures([0, 0, 0], rate=2, capacity=3).tolist()
    [0.5, 1.0, 1.5]
    """
    t = _times(times)
    ok = leaky_bucket(t, rate, capacity)
    out, next_free = [], -np.inf
    for now in t[ok].tolist():
        next_free = max(now, next_free) + 1.0 / float(rate)
        out.append(next_free)
    return np.array(out)


def fixed_window(times: object, limit: int, window_s: float) -> np.ndarray:
    """At most ``limit`` allowed per window ``[k*W, (k+1)*W)``; the counter resets at each boundary.

    >>> fixed_window([0.1, 0.2, 0.9, 1.0, 1.1], limit=2, window_s=1).tolist()
    [True, True, False, True, True]
    """
    t = _times(times)
    limit = int(_check.number("limit", limit, low=1))
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    ids = np.floor(t / window_s).astype(np.int64)
    if len(ids) == 0:
        return np.zeros(0, dtype=bool)
    starts = np.r_[0, np.flatnonzero(np.diff(ids)) + 1]
    rank = np.arange(len(t)) - np.repeat(starts, np.diff(np.r_[starts, len(t)]))
    return rank < limit


def sliding_log(times: object, limit: int, window_s: float) -> np.ndarray:
    """Keep the timestamps of allowed requests; allow if fewer than ``limit`` lie in ``(t-W, t]``.

    >>> sliding_log([0.9, 0.95, 1.0, 1.05, 1.95], limit=2, window_s=1).tolist()
    [True, True, False, False, True]
    """
    t = _times(times)
    limit = int(_check.number("limit", limit, low=1))
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    allowed = np.zeros(len(t), dtype=bool)
    log: deque[float] = deque()
    for i, now in enumerate(t.tolist()):
        while log and log[0] <= now - window_s:
            log.popleft()
        if len(log) < limit:
            log.append(now)
            allowed[i] = True
    return allowed


def sliding_counter(times: object, limit: int, window_s: float) -> np.ndarray:
    """Two fixed-window counters blended: ``previous * (1 - elapsed/W) + current``; allow if below ``limit``.

    It assumes the previous window's requests were spread evenly, so it is an approximation.

    >>> sliding_counter([0.1, 0.2, 1.1, 1.5], limit=2, window_s=1).tolist()
    [True, True, True, False]
    """
    t = _times(times)
    limit = int(_check.number("limit", limit, low=1))
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    allowed = np.zeros(len(t), dtype=bool)
    current_id, current, previous = None, 0, 0
    for i, now in enumerate(t.tolist()):
        wid = int(now // window_s)
        if wid != current_id:
            previous = current if current_id is not None and wid == current_id + 1 else 0
            current, current_id = 0, wid
        elapsed = now - wid * window_s
        if previous * (1 - elapsed / window_s) + current < limit:
            current += 1
            allowed[i] = True
    return allowed


# --------------------------------------------------------------------------------------------
# Comparing them
# --------------------------------------------------------------------------------------------


def max_in_window(times: object, allowed: object, window_s: float) -> int:
    """The most allowed requests inside any half-open interval ``[s, s + window_s)``.

    >>> max_in_window([0.0, 0.5, 1.0, 1.2], [True, True, True, True], 1.0)
    3
    """
    t = _times(times)
    ok = np.asarray(allowed, dtype=bool)
    if ok.shape != t.shape:
        raise ValueError("allowed must have one entry per request in times")
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    a = t[ok]
    if len(a) == 0:
        return 0
    return int(np.max(np.searchsorted(a, a + window_s, side="left") - np.arange(len(a))))


@dataclass(frozen=True)
class Comparison:
    """All five algorithms on the same ``times``: ``allowed[name]`` is a boolean array per request."""

    times: np.ndarray
    allowed: dict[str, np.ndarray]
    rate: float
    limit: int
    window_s: float

    def table(self) -> pd.DataFrame:
        """Allowed, rejected, and the most allowed in any window of length ``window_s``, per algorithm."""
        rows = []
        for name in ALGORITHMS:
            ok = self.allowed[name]
            rows.append(
                {
                    "algorithm": name,
                    "allowed": int(ok.sum()),
                    "rejected": int((~ok).sum()),
                    f"max allowed in any {self.window_s:g} s": max_in_window(self.times, ok, self.window_s),
                }
            )
        return pd.DataFrame(rows)

    def timeline(self, bin_s: float = 1.0) -> pd.DataFrame:
        """Allowed and rejected per time bin per algorithm (columns: algorithm, t, allowed, rejected)."""
        bin_s = _check.number("bin_s", bin_s, low=0, low_open=True)
        end = float(self.times[-1]) if len(self.times) else 0.0
        edges = np.arange(0.0, end + bin_s, bin_s)
        if len(edges) < 2:
            edges = np.array([0.0, bin_s])
        frames = []
        for name in ALGORITHMS:
            ok = self.allowed[name]
            yes, _ = np.histogram(self.times[ok], edges)
            no, _ = np.histogram(self.times[~ok], edges)
            frames.append(pd.DataFrame({"algorithm": name, "t": edges[:-1], "allowed": yes, "rejected": no}))
        return pd.concat(frames, ignore_index=True)


def compare(times: object, rate: float, limit: int, window_s: float) -> Comparison:
    """Run the five algorithms on ``times``: buckets hold ``limit`` and refill/drain at ``rate``
    req/s; windows allow ``limit`` per ``window_s`` seconds.

    >>> c = compare(boundary_burst(5, 1.0), rate=5, limit=5, window_s=1.0)
    >>> c.table()["allowed"].tolist()  # the fixed window lets both halves through
    [5, 5, 10, 5, 6]
    """
    t = _times(times)
    rate = _check.number("rate", rate, low=0, low_open=True)
    limit = int(_check.number("limit", limit, low=1))
    window_s = _check.number("window_s", window_s, low=0, low_open=True)
    allowed = {
        "token bucket": token_bucket(t, rate, limit),
        "leaky bucket": leaky_bucket(t, rate, limit),
        "fixed window": fixed_window(t, limit, window_s),
        "sliding log": sliding_log(t, limit, window_s),
        "sliding counter": sliding_counter(t, limit, window_s),
    }
    return Comparison(t, allowed, rate, limit, window_s)


def simulate(
    rate: float = 5.0,
    limit: int = 10,
    window_s: float = 1.0,
    burst_size: int = 40,
    duration_s: float = 30.0,
    base_rate: float = 4.0,
    seed: int = 0,
) -> Comparison:
    """:func:`compare` on :func:`bursty_arrivals` traffic (the explorer's one call).

    >>> simulate(burst_size=0, base_rate=1, duration_s=5, seed=0).table()["rejected"].tolist()
    [0, 0, 0, 0, 0]
    """
    times = bursty_arrivals(duration_s=duration_s, base_rate=base_rate, burst_size=burst_size, seed=seed)
    return compare(times, rate, limit, window_s)


# --------------------------------------------------------------------------------------------
# Memory per user
# --------------------------------------------------------------------------------------------

COUNTER_BYTES = 4
"""A request counter: a 32-bit integer."""
NUMBER_BYTES = 8
"""A token count or a timestamp: a 64-bit float or integer (epoch milliseconds)."""


def memory_per_user(limit: int, key_bytes: int = 16) -> pd.DataFrame:
    """Bytes of limiter state per key, worst case, with the assumption behind each row.

    Assumes ``key_bytes`` for the key (a user id or IPv6 address) in every row, 8-byte timestamps
    and token counts, 4-byte counters, and no per-entry overhead of the store (Redis adds tens of
    bytes per key and per sorted-set member, so treat these as lower bounds).

    >>> memory_per_user(100, key_bytes=0).set_index("algorithm")["bytes"].to_dict()["sliding log"]
    800
    """
    limit = int(_check.number("limit", limit, low=1, high=10**9))
    key_bytes = int(_check.number("key_bytes", key_bytes, low=0, high=4096))
    rows = [
        ("token bucket", 2 * NUMBER_BYTES, "tokens left + time of last refill"),
        (
            "leaky bucket",
            2 * NUMBER_BYTES,
            "level (as a meter) + time of last leak; a real queue also holds the requests",
        ),
        ("fixed window", COUNTER_BYTES + NUMBER_BYTES, "one counter + the window's start"),
        ("sliding log", limit * NUMBER_BYTES, f"one timestamp per allowed request, up to {limit}"),
        (
            "sliding counter",
            2 * COUNTER_BYTES + NUMBER_BYTES,
            "counters for this and the previous window + start",
        ),
    ]
    return pd.DataFrame([{"algorithm": a, "bytes": b + key_bytes, "state": s} for a, b, s in rows])


# --------------------------------------------------------------------------------------------
# Distributed counting: a real race and the atomic fix
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceResult:
    """``threads`` clients each try to take one of the ``limit - start`` free slots."""

    store: str
    atomic: bool
    threads: int
    start: int
    limit: int
    admitted: int
    final: int

    @property
    def lost_updates(self) -> int:
        """Admissions the counter never recorded."""
        return self.admitted - (self.final - self.start)

    @property
    def over_admitted(self) -> int:
        """Requests let in beyond the limit."""
        return max(0, self.admitted - max(0, self.limit - self.start))

    def row(self) -> dict[str, object]:
        return {
            "store": self.store,
            "method": "atomic" if self.atomic else "read, then write",
            "admitted": self.admitted,
            "free slots": max(0, self.limit - self.start),
            "counter after": self.final,
            "lost updates": self.lost_updates,
            "over-admitted": self.over_admitted,
        }


def race(
    store: str = "sqlite", atomic: bool = False, threads: int = 8, start: int = 8, limit: int = 10
) -> RaceResult:
    """Run ``threads`` real threads against one shared counter that starts at ``start``.

    Racy (``atomic=False``): each thread reads the counter, checks ``n < limit``, then writes
    ``n + 1``. A barrier between the read and the write makes every thread read before any
    writes, which is the worst interleaving a network round trip between GET and SET allows.
    Atomic: ``store="sqlite"`` runs ``UPDATE ... SET n = n + 1 WHERE n < limit`` and counts the
    row as taken only when one row changed; ``store="python"`` holds a lock around read-check-write.

    >>> r = race("python", atomic=False, threads=4, start=9, limit=10)
    >>> r.admitted, r.final, r.over_admitted
    (4, 10, 3)
    >>> race("sqlite", atomic=True, threads=4, start=9, limit=10).admitted
    1
    """
    store = _check.choice("store", store, ("python", "sqlite"))
    threads = int(_check.number("threads", threads, low=1, high=64))
    limit = int(_check.number("limit", limit, low=1, high=10**9))
    start = int(_check.number("start", start, low=0, high=limit))
    barrier = threading.Barrier(threads, timeout=10)
    admitted = [0] * threads
    errors: list[BaseException] = []

    if store == "python":
        box = {"n": start}
        lock = threading.Lock()

        def client(i: int) -> None:
            if atomic:
                barrier.wait()
                with lock:
                    if box["n"] < limit:
                        box["n"] += 1
                        admitted[i] = 1
                return
            seen = box["n"]
            barrier.wait()
            if seen < limit:
                box["n"] = seen + 1
                admitted[i] = 1

        _run(client, threads, errors)
        final = box["n"]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "counters.db"
            with sqlite3.connect(path) as db:
                db.execute("CREATE TABLE counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL)")
                db.execute("INSERT INTO counters VALUES ('user:42', ?)", (start,))

            def client(i: int) -> None:
                db = sqlite3.connect(path, timeout=10, isolation_level=None)
                try:
                    if atomic:
                        barrier.wait()
                        cur = db.execute(
                            "UPDATE counters SET n = n + 1 WHERE key = 'user:42' AND n < ?", (limit,)
                        )
                        admitted[i] = cur.rowcount
                        return
                    (seen,) = db.execute("SELECT n FROM counters WHERE key = 'user:42'").fetchone()
                    barrier.wait()
                    if seen < limit:
                        db.execute("UPDATE counters SET n = ? WHERE key = 'user:42'", (seen + 1,))
                        admitted[i] = 1
                finally:
                    db.close()

            _run(client, threads, errors)
            with sqlite3.connect(path) as db:
                (final,) = db.execute("SELECT n FROM counters").fetchone()
            db.close()
    if errors:
        raise RuntimeError(f"a race client failed: {errors[0]!r}")
    return RaceResult(store, atomic, threads, start, limit, sum(admitted), int(final))


def _run(target, threads: int, errors: list[BaseException]) -> None:  # type: ignore[no-untyped-def]
    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            errors.append(exc)

    pool = [threading.Thread(target=wrapped, args=(i,)) for i in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()


def race_table(threads: int = 8, start: int = 8, limit: int = 10) -> pd.DataFrame:
    """The race for both stores, racy and atomic, as one table.

    >>> race_table(threads=3, start=9, limit=10)["over-admitted"].tolist()
    [2, 0, 2, 0]
    """
    return pd.DataFrame(
        [race(s, a, threads, start, limit).row() for s in ("python", "sqlite") for a in (False, True)]
    )
