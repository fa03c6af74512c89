"""Workers claiming tasks with a lease (visibility timeout): duplicates, crashes and recovery time.

A worker that takes a task from the queue holds a lease of ``lease_s`` seconds. If the task is
not acknowledged (finished) before the lease runs out, the queue hands it to another worker.
That is how a crashed worker's task gets done, and also how a *slow* task ends up running twice:
the first worker is still busy when the lease expires, a second one starts, and both finish.

Model (at-least-once delivery, no lease renewal):

* Task durations are log-normal: ``median_s * exp(sigma * Z)``. A task is slow because of its
  input, so every run of the same task takes the same time.
* Each run crashes with probability ``crash_prob``, at a uniform point of its duration; a crashed
  run never finishes.
* Run ``j`` starts at ``j * lease_s`` if the task is not finished by then. Runs are not cancelled:
  every run that started and did not crash finishes and performs the task's side effect.
* ``idempotent=True``: the side effect is keyed by task id, so extra finished runs change nothing.
* ``pause_prob``/``pause_s``: a run's worker freezes (a long GC pause) for ``pause_s`` seconds,
  with probability ``pause_prob``, just before it writes the effect; it does not notice that its
  lease ran out meanwhile.
* ``fencing=True``: each run carries its start order as a fencing token, and the resource that
  takes the effect refuses a write whose token is lower than one it has already accepted
  (Kleppmann, "How to do distributed locking", 2016). That stops a stale write only when a newer
  run wrote first; a slow run, whose write lands before the newer run's, still makes the effect
  happen twice, and an effect that checks no token (an email) is not protected at all.
* Recovery time of a crash: how long the task then waits with no live run, until the next run
  starts (zero if another run is already going, or the task is already done).

``delivery="at-most-once"`` acknowledges a task when a worker takes it: one run only, and a crash
loses the task. Everything is seeded (``np.random.default_rng(seed)``) and vectorised over tasks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _check

DELIVERIES = ("at-least-once", "at-most-once")
MAX_TASKS = 500_000
MAX_RUNS = 64
"""Runs simulated per task at most; a lease far shorter than the tasks makes more, which are not counted."""


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


@dataclass(frozen=True)
class LeaseResult:
    """Outcome of :func:`simulate`.

    ``runs``: runs started; ``extra_runs``: runs beyond one per task (wasted work);
    ``duplicate_tasks``: tasks whose side effect happened more than once; ``duplicate_rate``:
    their share of all tasks; ``crashes``: runs that crashed; ``lost``: tasks never finished;
    ``recovery_max_s``/``recovery_mean_s``: worst and mean recovery time over crashes (seconds,
    0 when nothing crashed).
    """

    tasks: int
    runs: int
    extra_runs: int
    duplicate_tasks: int
    duplicate_rate: float
    crashes: int
    lost: int
    recovery_max_s: float
    recovery_mean_s: float


def durations(tasks: int, median_s: float, sigma: float, seed: int = 0) -> np.ndarray:
    """Seeded log-normal task durations (seconds): ``median_s * exp(sigma * Z)``.

    >>> d = durations(100_000, 20, 0.5, seed=1)
    >>> 19.5 < float(np.median(d)) < 20.5, d.shape
    (True, (100000,))
    """
    n = _whole("tasks", tasks, 1, MAX_TASKS)
    m = _check.number("median_s", median_s, low=0, low_open=True)
    s = _check.number("sigma", sigma, low=0, high=3)
    return m * np.exp(s * np.random.default_rng(seed).standard_normal(n))


def duration_quantile(q: float, median_s: float, sigma: float) -> float:
    """The ``q`` quantile of the log-normal task duration (seconds): ``median * exp(sigma * z_q)``.

    >>> round(duration_quantile(0.5, 20, 0.5), 6)
    20.0
    >>> round(duration_quantile(0.999, 20, 0.5), 1)   # z = 3.09
    93.8
    """
    p = _check.number("q", q, low=0, high=1, low_open=True, high_open=True)
    m = _check.number("median_s", median_s, low=0, low_open=True)
    s = _check.number("sigma", sigma, low=0, high=3)
    from statistics import NormalDist

    return m * math.exp(s * NormalDist().inv_cdf(p))


def simulate(
    lease_s: float,
    *,
    tasks: int = 20_000,
    median_s: float = 20.0,
    sigma: float = 0.5,
    crash_prob: float = 0.02,
    idempotent: bool = False,
    delivery: str = "at-least-once",
    fencing: bool = False,
    pause_prob: float = 0.0,
    pause_s: float = 0.0,
    seed: int = 0,
) -> LeaseResult:
    """Run ``tasks`` tasks through workers holding leases of ``lease_s`` seconds (see the module docstring).

    >>> short = simulate(30, seed=1)                 # 30 s lease, tasks of median 20 s
    >>> short.duplicate_rate > 0.1
    True
    >>> long = simulate(120, seed=1)
    >>> long.duplicate_rate < 0.001, long.recovery_max_s <= 120, long.lost
    (True, True, 0)
    >>> simulate(30, idempotent=True, seed=1).duplicate_tasks
    0
    >>> simulate(30, delivery="at-most-once", seed=1).lost > 0
    True
    >>> simulate(30, fencing=True, seed=1) == short      # stale writes land first: nothing refused
    True
    >>> paused = dict(pause_prob=0.05, pause_s=300, seed=1)
    >>> 0 < simulate(120, fencing=True, **paused).duplicate_tasks < simulate(120, **paused).duplicate_tasks
    True
    """
    lease = _check.number("lease_s", lease_s, low=0, low_open=True, high=1e7)
    n = _whole("tasks", tasks, 1, MAX_TASKS)
    p_crash = _check.number("crash_prob", crash_prob, low=0, high=1)
    mode = _check.choice("delivery", delivery, DELIVERIES)
    for flag, value in (("idempotent", idempotent), ("fencing", fencing)):
        if not isinstance(value, bool):
            raise TypeError(f"{flag} must be True or False, got {value!r}")
    p_pause = _check.number("pause_prob", pause_prob, low=0, high=1)
    pause = _check.number("pause_s", pause_s, low=0, high=1e7)
    d = durations(n, median_s, sigma, seed)
    rng = np.random.default_rng(seed + 1)
    if mode == "at-most-once":
        crashed = rng.random(n) < p_crash
        k = int(crashed.sum())
        return LeaseResult(n, n, 0, 0, 0.0, k, k, 0.0, 0.0)
    runs_needed = np.minimum(np.ceil(d / lease), MAX_RUNS)  # no crash: runs start until the first finishes
    width = int(min(MAX_RUNS, max(2.0, float(runs_needed.max()) + 6)))
    j = np.arange(width)[None, :]
    start = j * lease
    crashed = rng.random((n, width)) < p_crash
    crash_at = start + rng.random((n, width)) * d[:, None]
    finish = np.where(crashed, np.inf, start + d[:, None])
    if p_pause > 0 and pause > 0:  # its own stream, so runs without pauses keep their numbers
        frozen = np.random.default_rng(seed + 2).random((n, width)) < p_pause
        finish = finish + np.where(frozen, pause, 0.0)
    done_at = finish.min(axis=1)  # the first run to finish acknowledges the task
    started = start < done_at[:, None]
    completed = started & ~crashed
    finished_runs = completed.sum(axis=1)
    lost = int((~np.isfinite(done_at)).sum())
    crash_runs = started & crashed
    next_starts = np.zeros_like(started)
    next_starts[:, :-1] = started[:, 1:]
    gap = np.where(crash_runs & next_starts, np.maximum(0.0, start + lease - crash_at), 0.0)
    gaps = gap[crash_runs]
    effects = finished_runs
    if fencing:  # a write is refused when a run with a higher token wrote before it
        f = np.where(completed, finish, np.inf)
        newer_first = (f[:, None, :] < f[:, :, None]) & (j[:, None, :] > j[:, :, None])
        effects = (completed & ~newer_first.any(axis=2)).sum(axis=1)
    dup = 0 if idempotent else int((effects > 1).sum())
    runs = int(started.sum())
    return LeaseResult(
        tasks=n,
        runs=runs,
        extra_runs=runs - n,
        duplicate_tasks=dup,
        duplicate_rate=dup / n,
        crashes=int(crash_runs.sum()),
        lost=lost,
        recovery_max_s=float(gaps.max()) if gaps.size else 0.0,
        recovery_mean_s=float(gaps.mean()) if gaps.size else 0.0,
    )


def workers_needed(
    tasks_per_s: float, mean_duration_s: float, slots_per_worker: int, max_utilisation: float
) -> int:
    """Worker machines to keep up (Little's law): tasks running at once = rate x mean duration,
    divided by the slots a machine runs at the allowed utilisation, rounded up.

    >>> workers_needed(1_000, 20, 32, 0.8)   # 20,000 running tasks / 25.6 per machine
    782
    """
    rate = _check.number("tasks_per_s", tasks_per_s)
    mean = _check.number("mean_duration_s", mean_duration_s)
    slots = _whole("slots_per_worker", slots_per_worker, 1, 100_000)
    util = _check.number("max_utilisation", max_utilisation, low=0, high=1, low_open=True)
    return math.ceil(rate * mean / (slots * util))
