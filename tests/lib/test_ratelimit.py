"""Rate limiter case study: the five algorithms, their guarantees, memory per user, and the race.

Sources of the expected values: hand-traced request sequences (the state after each request is
written in the comment), the guarantees the lesson states (token bucket <= capacity + rate x T;
a fixed window can pass 2 x limit across a boundary; a sliding log never more than limit in any
window), and the arithmetic of the memory assumptions (8-byte timestamps, 4-byte counters).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import ratelimit as rl
from sysdesign.widgets.ratelimit import rate_limit_explorer

# --------------------------------------------------------------------------- hand-traced cases


@pytest.mark.parametrize(
    ("func", "times", "kwargs", "expected"),
    [
        # bucket starts with 3 tokens: 3 taken at t=0; at t=0.25 refill 0.25*4 = 1 token -> allowed
        (rl.token_bucket, [0, 0, 0, 0, 0.25], dict(rate=4, capacity=3), [1, 1, 1, 0, 1]),
        # queue of 2 drained at 1/s: t=0 two enter (leave at 1, 2); t=0.5 full; t=1 one left -> room
        (rl.leaky_bucket, [0, 0, 0.5, 1.0], dict(rate=1, capacity=2), [1, 1, 0, 1]),
        # windows [0,1) and [1,2): 2 per window, the third in [0,1) is rejected
        (rl.fixed_window, [0.0, 0.5, 0.9, 1.0, 1.5], dict(limit=2, window_s=1), [1, 1, 0, 1, 1]),
        # log of allowed times, window (t-1, t]: at t=1.0 the log holds 0.1, 0.5 -> reject;
        # at t=1.1 0.1 has dropped out (0.1 <= 0.1) -> allow
        (rl.sliding_log, [0.1, 0.5, 1.0, 1.1], dict(limit=2, window_s=1), [1, 1, 0, 1]),
        # previous window counted 2; at t=1.5 estimate 2*0.5 + 0 = 1 < 2 allow; at 1.6: 2*0.4 + 1 = 1.8 allow;
        # at 1.7: 2*0.3 + 2 = 2.6 reject
        (rl.sliding_counter, [0.2, 0.4, 1.5, 1.6, 1.7], dict(limit=2, window_s=1), [1, 1, 1, 1, 0]),
    ],
)
def test_hand_traced(func, times, kwargs, expected):
    assert func(times, **kwargs).astype(int).tolist() == expected


def test_leaky_bucket_departures_are_evenly_spaced():
    # three at t=0 into a queue draining at 2/s leave at 0.5, 1.0, 1.5
    assert rl.leaky_bucket_departures([0, 0, 0], rate=2, capacity=5).tolist() == [0.5, 1.0, 1.5]


# --------------------------------------------------------------------------- guarantees

arrivals = st.lists(st.floats(0, 20, allow_nan=False), min_size=1, max_size=150).map(sorted)


@settings(max_examples=150, deadline=None)
@given(times=arrivals, rate=st.floats(0.1, 20), capacity=st.integers(1, 20), span=st.floats(0.01, 10))
def test_token_bucket_never_beats_capacity_plus_rate_times_t(times, rate, capacity, span):
    t = np.array(times)
    a = t[rl.token_bucket(t, rate, capacity)]
    # every closed interval [a_i, a_i + span] starting at an allowed request
    counts = np.searchsorted(a, a + span, side="right") - np.arange(len(a))
    assert counts.max() <= capacity + rate * span + 1e-9


@settings(max_examples=150, deadline=None)
@given(times=arrivals, limit=st.integers(1, 20), window=st.floats(0.05, 5))
def test_sliding_log_never_beats_its_limit(times, limit, window):
    t = np.array(times)
    assert rl.max_in_window(t, rl.sliding_log(t, limit, window), window) <= limit


@settings(max_examples=100, deadline=None)
@given(times=arrivals, limit=st.integers(1, 20), window=st.floats(0.05, 5))
def test_fixed_window_never_beats_twice_its_limit(times, limit, window):
    t = np.array(times)
    assert rl.max_in_window(t, rl.fixed_window(t, limit, window), window) <= 2 * limit


@pytest.mark.parametrize("limit", [1, 5, 100])
def test_boundary_burst_doubles_the_fixed_window_but_not_the_log(limit):
    t = rl.boundary_burst(limit, 1.0)
    fixed = rl.fixed_window(t, limit, 1.0)
    assert fixed.sum() == 2 * limit  # limit before the boundary, limit after
    assert rl.max_in_window(t, fixed, 1.0) == 2 * limit  # all inside 2 ms
    assert rl.max_in_window(t, rl.sliding_log(t, limit, 1.0), 1.0) == limit


def test_compare_table_counts_add_up():
    c = rl.simulate(seed=3)
    table = c.table()
    assert list(table["algorithm"]) == list(rl.ALGORITHMS)
    assert ((table["allowed"] + table["rejected"]) == len(c.times)).all()
    timeline = c.timeline(1.0)
    sums = timeline.groupby("algorithm")[["allowed", "rejected"]].sum().loc[list(rl.ALGORITHMS)]
    assert sums["allowed"].tolist() == table["allowed"].tolist()


def test_arrivals_are_seeded():
    assert np.array_equal(rl.bursty_arrivals(seed=7), rl.bursty_arrivals(seed=7))
    assert not np.array_equal(rl.bursty_arrivals(seed=7), rl.bursty_arrivals(seed=8))
    # no background: 2 bursts (at 10 s and 20 s) of 25 inside a 30 s run
    assert len(rl.bursty_arrivals(base_rate=0, burst_size=25)) == 50


# --------------------------------------------------------------------------- memory


def test_memory_per_user():
    # key 0 B: token bucket 8 + 8; fixed window 4 + 8; sliding log 8 x 50; sliding counter 4 + 4 + 8
    m = rl.memory_per_user(50, key_bytes=0).set_index("algorithm")["bytes"]
    assert m.to_dict() == {
        "token bucket": 16,
        "leaky bucket": 16,
        "fixed window": 12,
        "sliding log": 400,
        "sliding counter": 16,
    }
    assert rl.memory_per_user(50, key_bytes=16).set_index("algorithm")["bytes"]["sliding log"] == 416


# --------------------------------------------------------------------------- the race


@pytest.mark.parametrize("store", ["python", "sqlite"])
def test_race_loses_updates_without_the_fix(store):
    # 8 clients, 2 free slots (8 of 10 used): all read 8, all pass the check, all write 9
    r = rl.race(store, atomic=False, threads=8, start=8, limit=10)
    assert (r.admitted, r.final) == (8, 9)
    assert r.lost_updates == 7 and r.over_admitted == 6


@pytest.mark.parametrize("store", ["python", "sqlite"])
@pytest.mark.parametrize(("threads", "start", "limit"), [(8, 8, 10), (6, 0, 10), (5, 10, 10), (12, 3, 7)])
def test_atomic_fix_never_over_admits(store, threads, start, limit):
    r = rl.race(store, atomic=True, threads=threads, start=start, limit=limit)
    assert r.admitted == min(threads, limit - start)
    assert r.final == start + r.admitted
    assert r.lost_updates == 0 and r.over_admitted == 0


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: rl.token_bucket([0, 1], rate=0, capacity=5), "rate"),
        (lambda: rl.token_bucket([0, 1], rate=1, capacity=0), "capacity"),
        (lambda: rl.fixed_window([0, 1], limit=0, window_s=1), "limit"),
        (lambda: rl.sliding_log([0, 1], limit=3, window_s=-1), "window_s"),
        (lambda: rl.sliding_counter([1, 0], limit=3, window_s=1), "times"),
        (lambda: rl.bursty_arrivals(burst_size=-5), "burst_size"),
        (lambda: rl.memory_per_user(0), "limit"),
        (lambda: rl.race("redis"), "store"),
        (lambda: rl.race("python", start=11, limit=10), "start"),
        (lambda: rl.max_in_window([0, 1], [True], 1.0), "allowed"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# --------------------------------------------------------------------------- explorer


def test_explorer_table_follows_the_sliders():
    ex = rate_limit_explorer()
    ex.controls["limit"].value = 20
    expected = rl.simulate(rate=5.0, limit=20, window_s=1.0, burst_size=40).table()
    fixed = int(expected.set_index("algorithm").loc["fixed window", "allowed"])
    assert f"<td>{fixed}</td>" in ex.views["table"].value
    assert ex.status.value == ""
    # The chart: requests arriving each second, then one line per algorithm of what it let through.
    arriving, *lines = ex.views["chart"].figure.data
    assert [t.name for t in lines] == [f"{name}: allowed" for name in rl.ALGORITHMS]
    assert sum(arriving.y) == int(expected["allowed"].iloc[0] + expected["rejected"].iloc[0])
    assert sum(lines[rl.ALGORITHMS.index("fixed window")].y) == fixed


@pytest.mark.parametrize(("limit", "window"), [(20, 1.0), (100, 60.0), (5, 1.0)])
def test_contract_traffic_catches_exactly_the_token_buckets_over_their_bound(limit, window):
    # In any window of length W a bucket grants at most its capacity b plus the r * t tokens that
    # refill in t < W seconds, a whole number, so at most limit when b + r * W <= limit + 1; past
    # that a flood taking each token as it appears gets limit + 1 through (a bucket starts full).
    for capacity in (1, 2, 0.2 * limit, limit):
        for excess in (-2, -0.5, 0, 0.5, 1, 3):
            rate = (limit + 1 + excess - capacity) / window
            if rate <= 0:
                continue
            worst = max(
                rl.max_in_window(t, rl.token_bucket(t, rate, capacity), window)
                for t in rl.contract_traffic(limit, window, seed=7).values()
            )
            assert (worst <= limit) == (excess <= 0), (capacity, excess, worst)


def test_steady_client_is_evenly_spaced_at_its_share_of_the_limit():
    t = rl.steady_client(20, 1.0, share=0.8, windows=4)
    assert len(t) == 64  # 0.8 x 20 per second for 4 s
    assert np.allclose(np.diff(t), 1 / 16)
    # A bucket refilling at exactly the client's rate never refuses it, however the floats round.
    assert rl.token_bucket(t, 16, 1).all()


def test_poisson_arrivals_have_the_asked_rate():
    t = rl.poisson_arrivals(200, 50, seed=3)
    assert len(t) == pytest.approx(10_000, rel=0.05)  # 200/s for 50 s; sd of a Poisson count is 100
    assert t.min() >= 0 and t.max() < 50
