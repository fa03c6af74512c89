"""Two deep dives of a notification service: retries that deliver twice, a campaign that blocks sign-in codes.

**Retries and dedup.** A worker takes a notification off the queue and hands it to a delivery
provider (APNs, FCM, an SMS or email vendor). Sometimes the call times out; the provider may have
delivered the message anyway (only the reply was lost), so after the timeout the worker waits and
retries, the wait doubling each time: attempt ``k`` leaves at ``k * timeout + d * (2**k - 1)``
seconds. A worker that crashes before it acknowledges the message leaves it on the queue, which
hands it to another worker, who starts the schedule again. Without a dedup key every copy of a
delivered message reaches the phone. With one, the receiving side remembers each notification id
for ``window_s`` seconds after its first delivery (a set-if-absent with an expiry, as Redis
``SET NX EX`` does) and drops a copy that arrives within that window; a copy arriving later gets
through, so the window must cover every retry of every redelivery (:func:`retry_horizon_s`).

**Priority queues.** A marketing campaign drops ``burst`` messages into the queue at time 0 while
urgent messages (sign-in codes) keep arriving at ``urgent_rate`` a second. Workers are pooled: the
queue drains at ``workers * per_worker`` messages a second. With one shared first-in-first-out
queue an urgent message waits behind the whole campaign; with one queue per priority the workers
always take urgent messages first, and the campaign uses what capacity is left.

Everything is seeded (``np.random.default_rng(seed)``) and vectorised with numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _check

LAYOUTS: tuple[str, ...] = ("shared", "priority")
"""Queue layouts: one FIFO queue for everything, or one queue per priority drained urgent-first."""

MAX_NOTIFICATIONS = 2_000_000
MAX_RETRIES = 20
MAX_RECEIVES = 10


def _whole(name: str, value: object, low: int, high: float) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high:g}], got {value!r}")
    return int(x)


# ----------------------------------------------------------------------------------------- retries
def retry_times(first_delay_s: float, max_retries: int, timeout_s: float = 0.0) -> np.ndarray:
    """When each attempt of one worker's run leaves, in seconds after the first.

    An attempt that times out is declared failed ``timeout_s`` after it left; the worker then waits
    ``d * 2**k`` before attempt ``k + 1``. Attempt ``k`` leaves at ``k * timeout_s + d * (2**k - 1)``.

    >>> retry_times(1, 4).tolist()
    [0.0, 1.0, 3.0, 7.0, 15.0]
    >>> retry_times(2, 3, timeout_s=10).tolist()
    [0.0, 12.0, 26.0, 44.0]
    """
    d = _check.number("first_delay_s", first_delay_s, low=0, low_open=True)
    r = _whole("max_retries", max_retries, 0, MAX_RETRIES)
    t = _check.number("timeout_s", timeout_s, low=0, high=3_600)
    k = np.arange(r + 1)
    return k * t + d * (2.0**k - 1.0)


def last_retry_s(first_delay_s: float, max_retries: int, timeout_s: float = 0.0) -> float:
    """Seconds from a run's first attempt to its last retry: ``r * timeout_s + d * (2**r - 1)``.

    >>> last_retry_s(2, 3), last_retry_s(2, 5, timeout_s=10)
    (14.0, 112.0)
    """
    return float(retry_times(first_delay_s, max_retries, timeout_s)[-1])


def retry_horizon_s(
    first_delay_s: float,
    max_retries: int,
    timeout_s: float = 0.0,
    visibility_s: float = 0.0,
    max_receives: int = 1,
) -> float:
    """The longest time (s) from the first copy of a notification to the last one any retry can send.

    The queue hands a message to a worker again ``visibility_s`` after a worker took it, unless that
    worker acknowledged it (a worker that crashed between sending and acknowledging never does), up
    to ``max_receives`` times in all; each worker runs the whole retry schedule from the start. The
    last receive begins ``(max_receives - 1) * visibility_s`` after the first, and its last retry
    leaves :func:`last_retry_s` later. A dedup window at least this long drops every copy.

    >>> retry_horizon_s(2, 5, timeout_s=10, visibility_s=300, max_receives=3)
    712.0
    """
    m = _whole("max_receives", max_receives, 1, MAX_RECEIVES)
    v = _check.number("visibility_s", visibility_s, low=0, high=86_400)
    return (m - 1) * v + last_retry_s(first_delay_s, max_retries, timeout_s)


@dataclass(frozen=True)
class RetryOutcome:
    """What ``notifications`` sends with retries produced (counts of messages).

    ``attempts``: calls made to the provider; ``deliveries``: copies that reached a phone;
    ``duplicates``: copies beyond the first (``deliveries - delivered``); ``delivered``:
    notifications that arrived at least once; ``lost``: notifications that never arrived;
    ``redelivered``: notifications the queue handed to a worker more than once.
    """

    notifications: int
    attempts: int
    deliveries: int
    duplicates: int
    delivered: int
    lost: int
    redelivered: int = 0

    @property
    def duplicate_rate(self) -> float:
        """Extra copies per notification sent."""
        return self.duplicates / self.notifications


def retries(
    notifications: int,
    *,
    timeout_rate: float,
    max_retries: int,
    first_delay_s: float = 1.0,
    timeout_s: float = 0.0,
    window_s: float = 0.0,
    delivered_on_timeout: float = 0.5,
    crash_rate: float = 0.0,
    visibility_s: float = 0.0,
    max_receives: int = 1,
    seed: int = 0,
) -> RetryOutcome:
    """Simulate ``notifications`` sends through a queue and workers that retry with doubling delays.

    **One worker's run.** Each attempt times out with probability ``timeout_rate``, which the
    worker learns ``timeout_s`` after sending it; it then waits ``first_delay_s * 2**k`` and tries
    again, up to ``max_retries`` retries (see :func:`retry_times`). A timed-out attempt was
    delivered anyway with probability ``delivered_on_timeout`` (only the reply was lost); an attempt
    that did not time out was delivered and ends the run. A copy reaches the phone when its attempt
    leaves.

    **The queue.** The worker acknowledges the message when its run ends (delivered, or given up
    after the last timeout). With probability ``crash_rate`` it crashes first, between sending and
    acknowledging. The queue hands an unacknowledged message to another worker ``visibility_s``
    after the previous one took it (also when a run is still going at that moment), at most
    ``max_receives`` times in all, and the new worker starts the schedule again.

    **The dedup key.** ``window_s`` (seconds) is how long the receiving side remembers a
    notification id after its first delivery; a copy arriving at most that long after it is
    dropped. ``0`` means no dedup key: every copy is shown. :func:`retry_horizon_s` is the window
    that drops them all.

    >>> no_key = retries(10_000, timeout_rate=0.2, max_retries=3, seed=1)
    >>> no_key.duplicates > 0
    True
    >>> with_key = retries(10_000, timeout_rate=0.2, max_retries=3, window_s=7, seed=1)
    >>> with_key.duplicates, with_key.lost == no_key.lost
    (0, True)
    >>> crashes = dict(timeout_rate=0.2, max_retries=3, timeout_s=5, crash_rate=0.3, visibility_s=60,
    ...                max_receives=3, seed=1)
    >>> retries(10_000, window_s=retry_horizon_s(1, 3, 5, 60, 3), **crashes).duplicates
    0
    >>> retries(10_000, window_s=last_retry_s(1, 3, 5), **crashes).duplicates > 0
    True
    """
    n = _whole("notifications", notifications, 1, MAX_NOTIFICATIONS)
    p_timeout = _check.number("timeout_rate", timeout_rate, low=0, high=1)
    offsets = retry_times(first_delay_s, max_retries, timeout_s)
    timeout = float(timeout_s)
    window = _check.number("window_s", window_s, low=0)
    p_hidden = _check.number("delivered_on_timeout", delivered_on_timeout, low=0, high=1)
    p_crash = _check.number("crash_rate", crash_rate, low=0, high=1)
    m = _whole("max_receives", max_receives, 1, MAX_RECEIVES)
    visibility = _check.number("visibility_s", visibility_s, low=0, low_open=m > 1, high=86_400)
    rng = np.random.default_rng(seed)
    tries = offsets.size
    received = np.ones(n, dtype=bool)  # the queue hands the message to a worker on this receive
    when: list[np.ndarray] = []
    arrivals: list[np.ndarray] = []
    attempts = redelivered = 0
    for j in range(m):
        timed_out = rng.random((n, tries)) < p_timeout
        hidden = rng.random((n, tries)) < p_hidden
        # A run stops after the first attempt that did not time out: count successes strictly before k.
        stopped_before: np.ndarray = np.cumsum(~timed_out, axis=1) - (~timed_out)
        made = (stopped_before == 0) & received[:, None]
        arrivals.append(made & (~timed_out | hidden))
        when.append(j * visibility + offsets)
        attempts += int(made.sum())
        if j == m - 1:
            break
        ok = ~timed_out
        acked_at = np.where(ok.any(axis=1), offsets[ok.argmax(axis=1)], offsets[-1] + timeout)
        crashed = rng.random(n) < p_crash
        received = received & (crashed | (acked_at >= visibility))
        redelivered += int(received.sum())
    arrived = np.concatenate(arrivals, axis=1)
    times = np.concatenate(when)
    at = np.where(arrived, times[None, :], np.inf)
    first = at.argmin(axis=1)
    delivered = arrived.any(axis=1)
    shown = arrived.copy()
    if window > 0:
        first_time = np.where(delivered, at[np.arange(n), first], 0.0)
        late = at - first_time[:, None] > window + 1e-9 * max(1.0, window)  # the key expired
        is_first = np.zeros_like(arrived)
        is_first[np.flatnonzero(delivered), first[delivered]] = True
        shown = arrived & (is_first | late)
    deliveries = int(shown.sum())
    n_delivered = int(delivered.sum())
    return RetryOutcome(
        notifications=n,
        attempts=attempts,
        deliveries=deliveries,
        duplicates=deliveries - n_delivered,
        delivered=n_delivered,
        lost=n - n_delivered,
        redelivered=redelivered,
    )


def loss_probability(timeout_rate: float, max_retries: int, delivered_on_timeout: float = 0.5) -> float:
    """Chance that a notification never arrives: every attempt timed out without delivering.

    ``(timeout_rate * (1 - delivered_on_timeout)) ** (max_retries + 1)``.

    >>> loss_probability(0.1, 2, 0.0)
    0.0010000000000000002
    """
    p = _check.number("timeout_rate", timeout_rate, low=0, high=1)
    r = _whole("max_retries", max_retries, 0, MAX_RETRIES)
    h = _check.number("delivered_on_timeout", delivered_on_timeout, low=0, high=1)
    return (p * (1 - h)) ** (r + 1)


# ------------------------------------------------------------------------------------ priority queue
@dataclass(frozen=True)
class Drain:
    """How a queue layout handled a campaign burst plus a stream of urgent messages.

    Waits are seconds from an urgent message's arrival to its hand-off to the provider.
    ``burst_cleared_s`` is when the last campaign message was handed off; ``capacity`` is the
    pooled drain rate (messages per second).
    """

    layout: str
    capacity: float
    urgent_messages: int
    urgent_mean_wait_s: float
    urgent_p99_wait_s: float
    urgent_max_wait_s: float
    burst_cleared_s: float


def drain(
    burst: float,
    urgent_rate: float,
    workers: int,
    per_worker: float,
    layout: str = "shared",
    *,
    duration_s: float = 600.0,
    seed: int = 0,
) -> Drain:
    """Simulate a campaign of ``burst`` messages queued at time 0 and urgent messages arriving at random
    (Poisson, ``urgent_rate`` per second) for ``duration_s`` seconds, drained by ``workers`` pooled
    workers handing ``per_worker`` messages a second each to the providers.

    ``layout="shared"``: one FIFO queue, the campaign first. ``"priority"``: urgent messages
    have their own queue and are always taken first. Each message occupies the pool for
    ``1 / capacity`` seconds.

    >>> shared = drain(1e6, 100, 10, 1_000, "shared", duration_s=600)
    >>> round(shared.urgent_max_wait_s)          # behind 1 M messages at 10,000/s
    100
    >>> fast = drain(1e6, 100, 10, 1_000, "priority", duration_s=600)
    >>> fast.urgent_p99_wait_s < 0.01, round(fast.burst_cleared_s)
    (True, 101)
    """
    b = _check.number("burst", burst, low=0, high=1e10)
    lam = _check.number("urgent_rate", urgent_rate, low=0, high=1e5)
    w = _whole("workers", workers, 1, 1e6)
    mu = _check.number("per_worker", per_worker, low=0, low_open=True, high=1e7)
    _check.choice("layout", layout, LAYOUTS)
    horizon = _check.number("duration_s", duration_s, low=0, low_open=True, high=86_400)
    capacity = w * mu
    service = 1.0 / capacity
    rng = np.random.default_rng(seed)
    expected = lam * horizon
    count = int(expected + 10 * math.sqrt(expected) + 10)
    arrivals = np.cumsum(rng.exponential(1.0 / lam, count)) if lam > 0 else np.empty(0)
    arrivals = arrivals[arrivals < horizon]
    idx = np.arange(arrivals.size)
    # Lindley recursion, vectorised: done_i = (i + 1) * s + max(start, max_{j <= i} (a_j - j * s)).
    backlog_until = b * service if layout == "shared" else 0.0
    done = (
        (idx + 1) * service + np.maximum(backlog_until, np.maximum.accumulate(arrivals - idx * service))
        if arrivals.size
        else arrivals
    )
    waits = done - arrivals
    if layout == "shared":
        cleared = b * service
    else:  # the campaign gets the pool whenever no urgent message waits: b + urgent done by T = capacity * T
        cleared = b * service
        for _ in range(100):
            served = int(np.searchsorted(done, cleared, side="right"))
            nxt = (b + served) * service
            if nxt <= cleared:
                break
            cleared = nxt
    if waits.size:
        mean, p99, worst = float(waits.mean()), float(np.quantile(waits, 0.99)), float(waits.max())
    else:
        mean = p99 = worst = 0.0
    return Drain(layout, capacity, int(arrivals.size), mean, p99, worst, float(cleared))


def min_workers(burst: float, urgent_rate: float, per_worker: float, deadline_s: float) -> int:
    """Fewest pooled workers that clear a ``burst`` within ``deadline_s`` seconds while urgent
    messages keep arriving: ``ceil((burst + urgent_rate * deadline_s) / (per_worker * deadline_s))``.

    >>> min_workers(2e6, 200, 500, 600)
    8
    """
    b = _check.number("burst", burst, low=0)
    lam = _check.number("urgent_rate", urgent_rate, low=0)
    mu = _check.number("per_worker", per_worker, low=0, low_open=True)
    t = _check.number("deadline_s", deadline_s, low=0, low_open=True)
    return max(1, math.ceil((b + lam * t) / (mu * t) - 1e-9))
