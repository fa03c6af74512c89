"""Concurrent writes under last-write-wins, vector clocks and a G-counter (sysdesign.sim.conflicts).

Expected numbers are worked out by hand next to each case, or follow from definitions:
a G-counter's value is the sum of its entries and its merge is the entrywise maximum (Shapiro et
al., "A comprehensive study of Convergent and Commutative Replicated Data Types", INRIA RR-7506,
2011, the G-Counter specification), so merging is
commutative, associative and idempotent and no increment is ever lost. Two writes are concurrent
when neither replica had received the other before writing (Kleppmann, DDIA ch. 5); in this model
a write reaches the other replicas exactly ``delay_ms`` later, so writes on different replicas are
concurrent exactly when they are less than ``delay_ms`` apart.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import conflicts
from sysdesign.sim.conflicts import (
    Workload,
    g_counter,
    gcounter_increment,
    gcounter_merge,
    gcounter_value,
    last_write_wins,
    vector_clocks,
    workload,
)


def by_hand(nodes, times, offsets, delay):
    """A one-key workload written out in full."""
    return Workload(
        keys=1,
        nodes=len(offsets),
        delay_ms=delay,
        skew_ms=max(offsets) - min(offsets),
        key=np.zeros(len(times), dtype=int),
        node=np.array(nodes),
        time_ms=np.array(times, dtype=float),
        offset_ms=np.array(offsets, dtype=float),
    )


# --- G-counter -------------------------------------------------------------------------------

counters = st.dictionaries(st.sampled_from("abcd"), st.integers(0, 50), max_size=4)


def test_value_is_the_sum_of_the_entries():
    assert gcounter_value({"a": 2, "b": 3}) == 5
    assert gcounter_value({}) == 0
    assert gcounter_increment(gcounter_increment({}, "a"), "b") == {"a": 1, "b": 1}


@settings(max_examples=50)
@given(counters, counters, counters)
def test_merge_is_commutative_associative_and_idempotent(a, b, c):
    assert gcounter_merge(a, b) == gcounter_merge(b, a)
    assert gcounter_merge(gcounter_merge(a, b), c) == gcounter_merge(a, gcounter_merge(b, c))
    assert gcounter_merge(a, a) == {k: v for k, v in sorted(a.items())}
    assert gcounter_value(gcounter_merge(a, b)) >= max(gcounter_value(a), gcounter_value(b))


@settings(max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans()), max_size=60))
def test_value_equals_the_true_number_of_increments_after_any_gossip(steps):
    """Three replicas; each step increments replica i, or ships i's state to j. After a final
    exchange every replica's value is the number of increments made."""
    replicas: list[dict[str, int]] = [{}, {}, {}]
    increments = 0
    for i, j, ship in steps:
        if ship:
            replicas[j] = gcounter_merge(replicas[j], replicas[i])
        else:
            replicas[i] = gcounter_increment(replicas[i], f"r{i}")
            increments += 1
    merged = gcounter_merge(gcounter_merge(replicas[0], replicas[1]), replicas[2])
    assert gcounter_value(merged) == increments


# --- worked cases ------------------------------------------------------------------------------


def test_two_concurrent_writes_lww_keeps_one_vector_clocks_keep_both():
    # Replicas 0 and 1 write 10 ms apart; each write needs 100 ms to arrive: neither saw the other.
    # LWW keeps the later stamp (write 1, holding only its own item): 1 kept, 1 lost.
    wl = by_hand(nodes=[0, 1], times=[0, 10], offsets=[0, 0], delay=100)
    lww, vc = last_write_wins(wl), vector_clocks(wl)
    assert (lww.kept, lww.lost, lww.lost_to_earlier) == (1, 1, 0)
    assert (vc.kept, vc.lost, vc.conflicts) == (2, 0, 1)


def test_skew_makes_a_later_write_lose_to_an_earlier_one():
    # No concurrency (delay 0): write 1 on replica 1 at t = 10 has seen write 0. But replica 0's
    # clock is 100 ms ahead, so write 0 is stamped 100 and write 1 only 10: write 1 loses.
    wl = by_hand(nodes=[0, 1], times=[0, 10], offsets=[100, 0], delay=0)
    lww, vc = last_write_wins(wl), vector_clocks(wl)
    assert (lww.kept, lww.lost, lww.lost_to_earlier) == (1, 1, 1)
    assert (vc.kept, vc.conflicts) == (2, 0)


def test_same_replica_writes_are_never_concurrent():
    wl = by_hand(nodes=[0, 0, 0], times=[0, 1, 2], offsets=[0, 0], delay=1_000)
    assert last_write_wins(wl).lost == 0
    assert vector_clocks(wl).conflicts == 0


# --- properties of the simulation -------------------------------------------------------------

settings_small = settings(max_examples=25, deadline=None)


@settings_small
@given(
    st.integers(1, 8),
    st.integers(2, 4),
    st.sampled_from([0.0, 5.0, 50.0, 300.0]),
    st.sampled_from([0.0, 20.0, 200.0]),
    st.integers(0, 10),
)
def test_conservation_and_convergence(per_key, nodes, delay, skew, seed):
    wl = workload(keys=6, writes_per_key=per_key, nodes=nodes, delay_ms=delay, skew_ms=skew, seed=seed)
    lww, vc, gc = last_write_wins(wl), vector_clocks(wl), g_counter(wl)
    for o in (lww, vc, gc):
        assert o.kept + o.lost == o.writes == 6 * per_key
        assert o.converged
    assert vc.lost == 0 and gc.lost == 0 and gc.kept == wl.writes
    assert lww.lost_to_earlier <= lww.lost
    if skew == 0:
        assert lww.lost_to_earlier == 0  # stamps follow true time
    if delay == 0 and skew == 0:
        assert lww.lost == 0  # every write saw all earlier ones and is stamped after them


@settings_small
@given(st.integers(1, 6), st.sampled_from([0.0, 10.0, 100.0, 400.0]), st.integers(0, 10))
def test_vector_clocks_detect_exactly_the_concurrent_pairs(per_key, delay, seed):
    wl = workload(keys=5, writes_per_key=per_key, nodes=3, delay_ms=delay, seed=seed)
    expected = 0
    for k in range(wl.keys):
        ids = np.flatnonzero(wl.key == k)
        for i, j in itertools.combinations(ids, 2):
            apart = abs(wl.time_ms[j] - wl.time_ms[i])
            expected += bool(wl.node[i] != wl.node[j] and apart < delay)
    assert vector_clocks(wl).conflicts == expected


def test_skew_changes_only_last_write_wins():
    plain, skewed = workload(seed=3), workload(skew_ms=300, seed=3)
    assert vars(vector_clocks(plain)) == vars(vector_clocks(skewed))
    assert vars(g_counter(plain)) == vars(g_counter(skewed))
    assert last_write_wins(skewed).lost_to_earlier > 0


def test_more_delay_or_skew_loses_more_under_lww():
    lost = [last_write_wins(workload(delay_ms=d, seed=1)).lost for d in (0, 10, 50, 200)]
    assert lost[0] == 0 and lost == sorted(lost) and lost[-1] > lost[1]
    skewed = [last_write_wins(workload(delay_ms=0, skew_ms=s, seed=1)).lost for s in (0, 20, 100, 500)]
    assert skewed[0] == 0 and skewed == sorted(skewed) and skewed[-1] > skewed[1]


def test_compare_has_one_row_per_policy():
    frame = conflicts.compare(workload(keys=10, seed=0))
    assert frame["policy"].tolist() == list(conflicts.POLICIES)
    assert (frame["kept"] + frame["lost"] == frame["writes"]).all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"keys": 0}, "keys"),
        ({"writes_per_key": 0}, "writes_per_key"),
        ({"nodes": 1}, "nodes"),
        ({"delay_ms": -1}, "delay_ms"),
        ({"skew_ms": -5}, "skew_ms"),
        ({"span_ms": 0}, "span_ms"),
        ({"keys": 2.5}, "keys"),
    ],
)
def test_bad_workload_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        workload(**kwargs)


def test_policies_need_a_workload():
    for f in (last_write_wins, vector_clocks, g_counter):
        with pytest.raises(TypeError, match="wl"):
            f({"keys": 1})
