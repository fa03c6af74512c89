"""A WebSocket server crash: message loss by order of work, replay, and the reconnect storm.

Sources of the expected values:
* the syllabus (../shared/seed/system-design-interview-framework.txt, "Failure Scenarios"): 10K
  connections drop; clients reconnect with exponential backoff and replay from their last message
  id; nothing is lost because messages are persisted before they are pushed;
* Little's law for the messages in flight: mean number on the server = arrival rate x mean time held;
* the backoff definition: delay = min(cap, base x 2^attempt), full jitter draws uniformly below it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import failure
from sysdesign.sim.failure import crash, reconnect_storm


@given(
    seed=st.integers(0, 2**32 - 1),
    connections=st.integers(1, 3_000),
    jitter=st.booleans(),
    push_ms=st.floats(0.0, 2_000.0),
    rate=st.floats(0.0, 0.5),
)
@settings(max_examples=60, deadline=None)
def test_persist_before_push_never_loses_a_message(seed, connections, jitter, push_ms, rate):
    r = crash(connections, "persist_first", jitter, messages_per_conn_s=rate, push_ms=push_ms, seed=seed)
    assert r.lost == 0 and r.missing_from_history == 0
    assert r.delivered_before_crash + r.replayed == r.messages


@given(seed=st.integers(0, 2**32 - 1), connections=st.integers(1, 3_000), rate=st.floats(0.0, 0.5))
@settings(max_examples=60, deadline=None)
def test_push_first_loses_exactly_the_messages_in_flight(seed, connections, rate):
    r = crash(connections, "push_first", messages_per_conn_s=rate, seed=seed)
    assert r.lost == r.in_flight
    assert r.delivered_before_crash + r.replayed + r.lost == r.messages


def test_push_first_loses_messages_on_a_busy_server():
    lost = [crash(10_000, "push_first", seed=s).lost for s in range(5)]
    assert min(lost) > 0


def test_same_seed_same_messages_either_order():
    a, b = crash(5_000, "persist_first", seed=7), crash(5_000, "push_first", seed=7)
    assert (a.messages, a.in_flight, a.delivered_before_crash) == (
        b.messages,
        b.in_flight,
        b.delivered_before_crash,
    )
    assert b.lost == a.in_flight > 0 and a.lost == 0


def test_in_flight_follows_littles_law():
    # 10,000 connections x 0.05 messages/s = 500 messages/s held 0.1 s on average: 50 in flight
    runs = [crash(10_000, messages_per_conn_s=0.05, push_ms=100, seed=s).in_flight for s in range(20)]
    assert np.mean(runs) == pytest.approx(50, rel=0.15)


def test_push_first_also_leaves_holes_in_history():
    # delivered but not yet written when the server died: the client saw it, the database never will
    r = crash(10_000, "push_first", messages_per_conn_s=0.05, write_ms=200, seed=1)
    assert r.missing_from_history > 0


@pytest.mark.parametrize(
    ("attempts", "base", "cap", "expected"),
    [
        ([0, 1, 2, 3, 4, 5], 1.0, 8.0, [1, 2, 4, 8, 8, 8]),  # doubling up to the cap
        ([0, 1, 2], 0.5, 30.0, [0.5, 1, 2]),
        ([10], 1.0, 32.0, [32]),  # 1,024 s capped at 32 s
    ],
)
def test_backoff_without_jitter(attempts, base, cap, expected):
    got = failure.backoff_delays(np.array(attempts), base, cap, False, np.random.default_rng(0))
    assert got.tolist() == expected


def test_full_jitter_stays_below_the_ceiling_and_spreads():
    rng = np.random.default_rng(0)
    d = failure.backoff_delays(np.full(20_000, 2), 1.0, 32.0, True, rng)
    assert d.min() >= 0 and d.max() < 4.0
    assert d.mean() == pytest.approx(2.0, rel=0.03)  # uniform on [0, 4)


@pytest.mark.parametrize("n", [500, 2_000, 10_000, 30_000])
def test_jitter_lowers_the_reconnect_peak(n):
    storm, calm = reconnect_storm(n, jitter=False), reconnect_storm(n, jitter=True)
    assert storm.peak == n  # everyone notices the crash at once and retries after the same base delay
    assert calm.peak < storm.peak / 3


@pytest.mark.parametrize("n", [10_000, 30_000])
def test_jitter_also_gets_everyone_back_sooner_when_capacity_is_short(n):
    storm, calm = reconnect_storm(n, jitter=False), reconnect_storm(n, jitter=True)
    assert calm.all_back_s < storm.all_back_s and calm.total_attempts < storm.total_attempts


@given(n=st.integers(1, 20_000), jitter=st.booleans(), seed=st.integers(0, 1_000))
@settings(max_examples=25, deadline=None)
def test_every_client_gets_back_within_capacity(n, jitter, seed):
    s = reconnect_storm(n, jitter, seed=seed)
    assert s.accepted.sum() == n and not np.isnan(s.reconnect_at).any()
    assert s.accepted.max() <= s.capacity
    assert s.total_attempts == s.attempts.sum() >= n


def test_spread_out_detection_softens_the_storm_even_without_jitter():
    assert reconnect_storm(10_000, False, detect_s=2.0).peak < reconnect_storm(10_000, False).peak / 5


def test_deterministic_for_a_seed():
    a, b = reconnect_storm(3_000, True, seed=5), reconnect_storm(3_000, True, seed=5)
    assert np.array_equal(a.attempts, b.attempts)
    assert crash(3_000, "push_first", seed=5) == crash(3_000, "push_first", seed=5)


@pytest.mark.parametrize(
    ("call", "name", "error"),
    [
        (lambda: crash(order="write_first"), "order", ValueError),
        (lambda: crash(0), "connections", ValueError),
        (lambda: crash(messages_per_conn_s=-1), "messages_per_conn_s", ValueError),
        (lambda: crash(10, storm=reconnect_storm(20)), "storm", ValueError),
        (lambda: reconnect_storm(jitter="yes"), "jitter", TypeError),
        (lambda: reconnect_storm(base_s=0), "base_s", ValueError),
        (lambda: reconnect_storm(cap_s=0.5), "cap_s", ValueError),
        (lambda: reconnect_storm(accept_per_s=0), "accept_per_s", ValueError),
    ],
)
def test_bad_input_names_the_parameter(call, name, error):
    with pytest.raises(error, match=name):
        call()
