"""A WebSocket server crashes: do messages survive, and how hard do the clients hit the other servers?

``crash`` simulates one server holding ``connections`` clients that crashes at t = 0. Messages keep
arriving for those clients; each spends a short time on the server while it is pushed (and acked).
Two orders of work:

* ``persist_first``: the message is stored (Kafka, then the database) before the server pushes it.
  The crash loses only the server's sockets; on reconnect each client sends its last message id and
  the new server replays everything newer from the database. Nothing is lost.
* ``push_first``: the server pushes first and writes afterwards. Messages in flight at the crash
  existed only in its memory: they are lost for good.

``reconnect_storm`` models the clients coming back: exponential backoff, with or without full jitter,
against the surviving servers' limited rate of accepting new connections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import _check

ORDERS = ("persist_first", "push_first")
MAX_CONNECTIONS = 200_000


@dataclass(frozen=True)
class Storm:
    """Reconnection attempts over time after the crash.

    ``bucket_s``: width of each time bucket; ``times``: start of each bucket (s after the crash);
    ``attempts`` / ``accepted``: connection attempts / successes in each bucket; ``reconnect_at``:
    when each client got back in (s); ``peak``: most attempts in one bucket; ``all_back_s``: when the
    last client reconnected; ``total_attempts``: attempts including the rejected ones;
    ``capacity``: attempts the surviving servers accept per bucket. Equality compares the summary
    figures, not the arrays.
    """

    jitter: bool
    bucket_s: float
    times: np.ndarray = field(repr=False, compare=False)
    attempts: np.ndarray = field(repr=False, compare=False)
    accepted: np.ndarray = field(repr=False, compare=False)
    reconnect_at: np.ndarray = field(repr=False, compare=False)
    peak: int
    all_back_s: float
    total_attempts: int
    capacity: int


def backoff_delays(
    attempt: np.ndarray, base_s: float, cap_s: float, jitter: bool, rng: np.random.Generator
) -> np.ndarray:
    """Delay before try ``attempt`` (0 = first): ``min(cap, base * 2**attempt)``; with jitter, uniform below.

    >>> backoff_delays(np.arange(6), 1.0, 8.0, False, np.random.default_rng(0)).tolist()
    [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    >>> bool((backoff_delays(np.full(100, 3), 1.0, 8.0, True, np.random.default_rng(0)) <= 8.0).all())
    True
    """
    ceiling = np.minimum(cap_s, base_s * np.exp2(np.minimum(attempt, 60)))
    if jitter:
        ceiling *= rng.random(len(ceiling))
    return ceiling


def reconnect_storm(
    connections: int = 10_000,
    jitter: bool = True,
    base_s: float = 1.0,
    cap_s: float = 32.0,
    accept_per_s: float = 9_000.0,
    detect_s: float = 0.0,
    bucket_s: float = 0.1,
    seed: int = 0,
) -> Storm:
    """Clients of a crashed server reconnect to the others with exponential backoff (optionally full jitter).

    Each client notices the drop at a time uniform in ``[0, detect_s]`` (0: the crash closes every
    socket at once), waits ``backoff_delays(0)`` and tries. The surviving servers accept at most
    ``accept_per_s`` new connections per second, earliest first within each ``bucket_s`` bucket; a
    rejected client backs off again (never sooner than the next bucket).

    >>> calm, storm = reconnect_storm(jitter=True), reconnect_storm(jitter=False)
    >>> storm.peak                              # without jitter every client retries in the same 100 ms
    10000
    >>> calm.peak < storm.peak / 5, calm.all_back_s < storm.all_back_s
    (True, True)
    """
    n = int(_check.number("connections", connections, low=1, high=MAX_CONNECTIONS))
    if not isinstance(jitter, bool):
        raise TypeError(f"jitter must be True or False, got {jitter!r}")
    base = _check.number("base_s", base_s, low=0.0, low_open=True, high=3_600.0)
    cap = _check.number("cap_s", cap_s, low=base, high=3_600.0)
    rate = _check.number("accept_per_s", accept_per_s, low=0.0, low_open=True)
    detect = _check.number("detect_s", detect_s, low=0.0, high=3_600.0)
    bucket = _check.number("bucket_s", bucket_s, low=1e-3, high=60.0)
    per_bucket = max(1, int(round(rate * bucket)))
    rng = np.random.default_rng(seed)
    t = rng.random(n) * detect + backoff_delays(np.zeros(n), base, cap, jitter, rng)
    tries = np.zeros(n, dtype=np.int64)
    done_at = np.full(n, np.nan)
    attempts: dict[int, int] = {}
    accepted: dict[int, int] = {}
    idx = np.arange(n)  # clients still trying
    while len(idx):
        when = t[idx]
        b = int(np.floor(when.min() / bucket))
        end = (b + 1) * bucket
        due = when < end
        now = idx[due]
        if len(now) > per_bucket:  # the earliest attempts in the bucket get in
            first = np.argpartition(t[now], per_bucket - 1)[:per_bucket]
            keep = np.zeros(len(now), dtype=bool)
            keep[first] = True
            ok, rejected = now[keep], now[~keep]
        else:
            ok, rejected = now, now[:0]
        attempts[b] = attempts.get(b, 0) + len(now)
        accepted[b] = accepted.get(b, 0) + len(ok)
        done_at[ok] = t[ok]
        if len(rejected):
            tries[rejected] += 1
            t[rejected] = np.maximum(
                t[rejected] + backoff_delays(tries[rejected], base, cap, jitter, rng), end
            )
            idx = np.concatenate((idx[~due], rejected))
        else:
            idx = idx[~due]
    last = max(attempts) if attempts else 0
    att = np.zeros(last + 1, dtype=np.int64)
    acc = np.zeros(last + 1, dtype=np.int64)
    for b, v in attempts.items():
        att[b] = v
        acc[b] = accepted[b]
    return Storm(
        jitter=jitter,
        bucket_s=bucket,
        times=np.arange(last + 1) * bucket,
        attempts=att,
        accepted=acc,
        reconnect_at=done_at,
        peak=int(att.max()) if len(att) else 0,
        all_back_s=float(np.nanmax(done_at)),
        total_attempts=int(att.sum()),
        capacity=per_bucket,
    )


@dataclass(frozen=True)
class CrashResult:
    """Fate of every message addressed to the crashed server's clients.

    ``messages``: messages for those clients from ``window_s`` before the crash until each client is
    back (later ones flow normally through the new server); ``delivered_before_crash``; ``in_flight``:
    on the server, not yet delivered, at the crash; ``replayed``: sent from the database after
    reconnecting (ids after the client's last id); ``lost``: never reached the client;
    ``missing_from_history``: delivered but never stored (push-first only).
    """

    order: str
    connections: int
    messages: int
    delivered_before_crash: int
    in_flight: int
    replayed: int
    lost: int
    missing_from_history: int
    storm: Storm


def crash(
    connections: int = 10_000,
    order: str = "persist_first",
    jitter: bool = True,
    messages_per_conn_s: float = 0.006,
    push_ms: float = 100.0,
    write_ms: float = 20.0,
    window_s: float = 5.0,
    seed: int = 0,
    storm: Storm | None = None,
    **storm_options: float,
) -> CrashResult:
    """Crash a WebSocket server at t = 0 and follow every message of its clients until all are back.

    Messages reach the server for a random client at ``messages_per_conn_s`` per connection (Poisson);
    each takes an exponential time (mean ``push_ms``) to be pushed and acked, in order per client.
    With ``push_first`` the write to the database follows the ack after ``write_ms``. Clients reconnect
    as in ``reconnect_storm`` (``storm_options`` are passed on; or pass a ``storm`` already computed
    for the same ``connections``) and replay from their last message id.

    >>> crash(order="persist_first").lost
    0
    >>> r = crash(order="push_first")
    >>> r.lost == r.in_flight > 0
    True
    """
    n = int(_check.number("connections", connections, low=1, high=MAX_CONNECTIONS))
    _check.choice("order", order, ORDERS)
    rate = _check.number("messages_per_conn_s", messages_per_conn_s, low=0.0, high=100.0)
    push = _check.number("push_ms", push_ms, low=0.0, high=60_000.0) / 1e3
    write = _check.number("write_ms", write_ms, low=0.0, high=60_000.0) / 1e3
    window = _check.number("window_s", window_s, low=0.0, high=3_600.0)
    if storm is None:
        storm = reconnect_storm(n, jitter, seed=seed, **storm_options)
    elif len(storm.reconnect_at) != n:
        raise ValueError(f"storm must be computed for connections={n}, got one for {len(storm.reconnect_at)}")
    rng = np.random.default_rng([seed, 1])
    back = storm.reconnect_at
    counts = rng.poisson(rate * (window + back))
    m = int(counts.sum())
    if m > 5_000_000:
        raise ValueError(
            f"messages_per_conn_s x connections is too large ({m:,} messages in the run; at most 5,000,000)"
        )
    client = np.repeat(np.arange(n), counts)
    arrive = -window + rng.random(m) * (window + back[client])
    hold = rng.exponential(push, m) if push > 0 else np.zeros(m)
    # message ids follow arrival order (one global sequence, as a Kafka partition's offsets would)
    ids = np.empty(m, dtype=np.int64)
    ids[np.argsort(arrive, kind="stable")] = np.arange(m)
    # pushes to one client complete in order: delivery time = running max within each client
    order_idx = np.lexsort((arrive, client))
    done = arrive + hold
    low = float(done.min()) if m else 0.0
    span = (float(done.max()) - low + 1.0) if m else 1.0
    c = client[order_idx]
    delivered = np.empty(m)
    delivered[order_idx] = np.maximum.accumulate(done[order_idx] - low + c * span) - c * span + low

    before = (arrive <= 0) & (delivered <= 0)
    in_flight = (arrive <= 0) & (delivered > 0)
    last_id = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_id, client[before], ids[before])
    if order == "persist_first":
        stored = np.ones(m, dtype=bool)
        missing = np.zeros(m, dtype=bool)
    else:  # the server writes after the ack; after the crash nobody holds the socket, so arrivals are stored
        stored = (arrive > 0) | (delivered + write <= 0)
        missing = (delivered <= 0) & (delivered + write > 0)
    # on reconnect the client sends last_id; the new server replays every stored message after it
    replayed = (ids > last_id[client]) & stored & ~before
    received = before | replayed
    return CrashResult(
        order=order,
        connections=n,
        messages=m,
        delivered_before_crash=int(before.sum()),
        in_flight=int(in_flight.sum()),
        replayed=int(replayed.sum()),
        lost=int((~received).sum()),
        missing_from_history=int(missing.sum()),
        storm=storm,
    )
