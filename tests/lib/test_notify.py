"""Notification deep dives: retries with and without a dedup key; a campaign drained beside urgent traffic.

Expected numbers are the arithmetic written next to them: the doubling retry schedule
k * timeout + d * (2**k - 1) and its horizon with redeliveries, the chance that every attempt
fails, a burst of B messages drained at
workers x per_worker messages a second.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import notify


@pytest.mark.parametrize(
    ("delay", "retries", "expected"),
    [
        (1, 0, [0.0]),  # no retry: only the first attempt
        (1, 3, [0.0, 1.0, 3.0, 7.0]),  # waits 1, 2, 4
        (2, 5, [0.0, 2.0, 6.0, 14.0, 30.0, 62.0]),  # waits 2, 4, 8, 16, 32
        (0.5, 2, [0.0, 0.5, 1.5]),
    ],
)
def test_retry_schedule_doubles_the_wait(delay, retries, expected):
    assert notify.retry_times(delay, retries).tolist() == pytest.approx(expected)
    assert notify.last_retry_s(delay, retries) == pytest.approx(expected[-1])


@pytest.mark.parametrize(
    ("delay", "retries", "timeout", "expected"),
    [
        (2, 5, 10, [0.0, 12.0, 26.0, 44.0, 70.0, 112.0]),  # k * 10 + 2 * (2**k - 1); issue 16's 112 s
        (1, 2, 0.5, [0.0, 1.5, 4.0]),  # 0.5 + 1, then 1.0 + 3
        (3, 0, 30, [0.0]),
    ],
)
def test_each_timeout_delays_the_next_attempt(delay, retries, timeout, expected):
    assert notify.retry_times(delay, retries, timeout).tolist() == pytest.approx(expected)
    assert notify.last_retry_s(delay, retries, timeout) == pytest.approx(expected[-1])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((2, 5, 10, 300, 3), 2 * 300 + 112),  # Beacon (p06): two redeliveries, then the whole schedule
        ((1, 3, 5, 60, 1), 3 * 5 + 7),  # one receive: only the schedule
        ((0.5, 6, 2, 120, 4), 3 * 120 + 6 * 2 + 0.5 * 63),
    ],
)
def test_retry_horizon_adds_the_redeliveries_to_the_schedule(args, expected):
    assert notify.retry_horizon_s(*args) == pytest.approx(expected)


CRASHY = dict(
    timeout_rate=0.6,
    max_retries=4,
    first_delay_s=1.0,
    timeout_s=5.0,
    crash_rate=0.5,
    visibility_s=100.0,
    max_receives=3,
    seed=8,
)


def test_a_window_covering_the_horizon_stops_every_copy_and_a_shorter_one_does_not():
    horizon = notify.retry_horizon_s(1.0, 4, 5.0, 100.0, 3)  # 200 + 20 + 15 = 235 s
    assert notify.retries(30_000, window_s=horizon, **CRASHY).duplicates == 0
    assert notify.retries(30_000, window_s=0.95 * horizon, **CRASHY).duplicates > 0
    # Forgetting the timeouts, or the redeliveries, lets copies through.
    assert (
        notify.retries(30_000, window_s=notify.retry_horizon_s(1.0, 4, 0, 100.0, 3), **CRASHY).duplicates > 0
    )
    assert notify.retries(30_000, window_s=notify.last_retry_s(1.0, 4, 5.0), **CRASHY).duplicates > 0


def test_redeliveries_follow_the_crash_rate():
    # The visibility timeout (1,000 s) outlasts every run, so only crashes bring a message back:
    # with two receives, n * crash_rate of them.
    out = notify.retries(
        100_000, timeout_rate=0.1, max_retries=2, crash_rate=0.2, visibility_s=1_000, max_receives=2, seed=3
    )
    assert out.redelivered / out.notifications == pytest.approx(0.2, rel=0.03)
    calm = notify.retries(10_000, timeout_rate=0.1, max_retries=2, visibility_s=1_000, max_receives=3, seed=3)
    assert calm.redelivered == 0


def test_a_visibility_timeout_shorter_than_a_run_redelivers_without_any_crash():
    # Every call times out: a run lasts 2 * 1 + 3 + 1 = 6 s (two retries, then the last timeout),
    # longer than the 5 s after which the queue hands the message out again.
    out = notify.retries(1_000, timeout_rate=1.0, max_retries=2, timeout_s=1, visibility_s=5, max_receives=2)
    assert out.redelivered == 1_000
    assert out.attempts == 1_000 * 3 * 2


@pytest.mark.parametrize(
    ("p", "r", "hidden", "expected"),
    [
        (0.1, 0, 0.0, 0.1),  # one attempt, fails 10% of the time
        (0.1, 2, 0.0, 0.001),  # 0.1 ** 3
        (0.2, 1, 0.5, 0.01),  # (0.2 * 0.5) ** 2
        (0.0, 5, 0.5, 0.0),  # nothing ever times out
    ],
)
def test_loss_probability(p, r, hidden, expected):
    assert notify.loss_probability(p, r, hidden) == pytest.approx(expected)


def test_without_a_key_retries_deliver_copies_and_a_long_enough_window_stops_them():
    kwargs = dict(timeout_rate=0.3, max_retries=4, first_delay_s=1.0, seed=5)
    no_key = notify.retries(50_000, **kwargs)
    keyed = notify.retries(50_000, window_s=notify.last_retry_s(1.0, 4), **kwargs)
    short = notify.retries(50_000, window_s=4.0, **kwargs)  # covers attempts at 1 and 3 s only
    assert no_key.duplicates > 0
    assert keyed.duplicates == 0
    assert 0 < short.duplicates < no_key.duplicates
    # The key changes what the phone shows, never what is sent or lost.
    assert no_key.attempts == keyed.attempts == short.attempts
    assert no_key.lost == keyed.lost == short.lost


def test_duplicates_without_a_key_match_the_expected_count():
    # One retry: a copy is duplicated when attempt 0 times out but was delivered (p * h) and
    # attempt 1 is delivered too (1 - p + p * h). Expected copies: n * p * h * (1 - p + p * h).
    p, h, n = 0.4, 0.5, 200_000
    out = notify.retries(n, timeout_rate=p, max_retries=1, delivered_on_timeout=h, seed=2)
    assert out.duplicates / n == pytest.approx(p * h * (1 - p + p * h), rel=0.03)


def test_simulated_loss_matches_the_formula():
    out = notify.retries(200_000, timeout_rate=0.5, max_retries=2, delivered_on_timeout=0.2, seed=4)
    assert out.lost / out.notifications == pytest.approx(notify.loss_probability(0.5, 2, 0.2), rel=0.05)


@settings(max_examples=25, deadline=None)
@given(
    p=st.floats(0, 1),
    r=st.integers(0, 6),
    d=st.floats(0.1, 10),
    h=st.floats(0, 1),
    seed=st.integers(0, 1_000),
)
def test_retry_counts_add_up_and_the_full_window_never_duplicates(p, r, d, h, seed):
    out = notify.retries(
        2_000,
        timeout_rate=p,
        max_retries=r,
        first_delay_s=d,
        window_s=d * (2**r - 1),
        delivered_on_timeout=h,
        seed=seed,
    )
    assert out.delivered + out.lost == out.notifications
    assert out.deliveries == out.delivered + out.duplicates
    assert out.notifications <= out.attempts <= out.notifications * (r + 1)
    if r > 0:
        assert out.duplicates == 0


def test_same_seed_same_result():
    a = notify.retries(10_000, timeout_rate=0.3, max_retries=3, seed=9)
    b = notify.retries(10_000, timeout_rate=0.3, max_retries=3, seed=9)
    assert a == b


def test_shared_queue_puts_urgent_messages_behind_the_whole_burst():
    # 1e6 messages at 10 workers x 1,000/s = 10,000/s take 100 s; an urgent message arriving at
    # the start waits all of that.
    run = notify.drain(1e6, 50, 10, 1_000, "shared", duration_s=300, seed=1)
    assert run.capacity == 10_000
    assert run.burst_cleared_s == pytest.approx(100.0)
    assert run.urgent_max_wait_s == pytest.approx(100.0, rel=0.01)


def test_priority_queue_keeps_urgent_waits_short_and_still_clears_the_burst():
    # 2e6 + 200/s over T at 4,000/s: T = 2e6 / (4,000 - 200) = 526.3 s.
    run = notify.drain(2e6, 200, 8, 500, "priority", duration_s=600, seed=3)
    assert run.urgent_p99_wait_s < 0.01
    assert run.burst_cleared_s == pytest.approx(2e6 / (4_000 - 200), rel=0.01)
    shared = notify.drain(2e6, 200, 8, 500, "shared", duration_s=600, seed=3)
    assert shared.urgent_p99_wait_s > 100 * run.urgent_p99_wait_s


def test_no_urgent_traffic():
    run = notify.drain(1_000, 0, 1, 100, "priority")
    assert run.urgent_messages == 0 and run.burst_cleared_s == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("burst", "urgent", "per_worker", "deadline", "expected"),
    [
        (2e6, 200, 500, 600, 8),  # 2.12e6 / 300,000 = 7.07 -> 8
        (5e5, 50, 1_000, 60, 9),  # 503,000 / 60,000 = 8.38 -> 9
        (1e7, 1_000, 2_000, 1_800, 4),  # 1.18e7 / 3.6e6 = 3.28 -> 4
        (1_000, 0, 100, 10, 1),  # exactly one worker's worth
    ],
)
def test_min_workers(burst, urgent, per_worker, deadline, expected):
    assert notify.min_workers(burst, urgent, per_worker, deadline) == expected
    run = notify.drain(burst, urgent, expected, per_worker, "priority", duration_s=deadline, seed=0)
    assert run.burst_cleared_s <= deadline


# The speed of drain and retries (about 20 ms) is measured by benchmarks/bench_budgets.py.


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: notify.retries(0, timeout_rate=0.1, max_retries=1), "notifications"),
        (lambda: notify.retries(10, timeout_rate=1.5, max_retries=1), "timeout_rate"),
        (lambda: notify.retries(10, timeout_rate=0.1, max_retries=2.5), "max_retries"),
        (lambda: notify.retries(10, timeout_rate=0.1, max_retries=1, window_s=-1), "window_s"),
        (lambda: notify.retry_times(0, 3), "first_delay_s"),
        (lambda: notify.retry_times(1, 3, timeout_s=-1), "timeout_s"),
        (lambda: notify.retries(10, timeout_rate=0.1, max_retries=1, max_receives=2), "visibility_s"),
        (lambda: notify.retries(10, timeout_rate=0.1, max_retries=1, crash_rate=2), "crash_rate"),
        (lambda: notify.retry_horizon_s(1, 3, 1, 10, 0), "max_receives"),
        (lambda: notify.drain(100, 1, 0, 10), "workers"),
        (lambda: notify.drain(100, 1, 1, 10, "fifo"), "layout"),
        (lambda: notify.drain(100, 1, 1, 0), "per_worker"),
        (lambda: notify.min_workers(100, 1, 10, 0), "deadline_s"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_layouts_are_listed():
    assert notify.LAYOUTS == ("shared", "priority")
    assert math.isclose(notify.last_retry_s(1, 10), 1_023)
