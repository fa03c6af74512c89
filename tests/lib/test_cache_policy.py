"""Cache-aside vs write-through: a hand-traced stream, the latency rule, and the claims of the lesson.

Expected numbers come from tracing the stream below by hand, or from the latency arithmetic
written next to them (cache op = 0.5 ms same-datacenter round trip, database read 5 ms, write 10 ms).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import cache_policy
from sysdesign.sim.cache_policy import compare, compare_results, run_stream, simulate

CACHE, DB_READ, DB_WRITE = 0.5e-3, 5e-3, 10e-3

# Time order: key 0 read, key 1 write, key 0 read, key 0 write, key 1 write, key 0 read.
KEYS = [0, 1, 0, 0, 1, 0]
READS = [True, False, True, False, False, True]


def test_hand_traced_cache_aside():
    ca = run_stream(KEYS, READS)["cache_aside"]
    # t0 miss -> fill A; t2 hit (A); t3 deletes A; t5 miss (after a write) -> fill B; run ends.
    assert (ca.reads, ca.writes) == (3, 3)
    assert ca.hit_ratio == pytest.approx(1 / 3)
    assert ca.fills == 2
    assert ca.never_read_share == pytest.approx(1 / 2)  # B never served a hit
    assert ca.mean_read_latency_s == pytest.approx((CACHE + 2 * (CACHE + DB_READ)) / 3)
    assert ca.mean_write_latency_s == pytest.approx(DB_WRITE)  # the delete is not waited for


def test_hand_traced_write_through():
    wt = run_stream(KEYS, READS)["write_through"]
    # t0 miss -> fill A (key 0); t1 fill B (key 1); t2 hit A; t3 fill C (key 0);
    # t4 fill D (key 1, B never read); t5 hit C; run ends with D unread.
    assert wt.hit_ratio == pytest.approx(2 / 3)
    assert wt.fills == 4
    assert wt.never_read_share == pytest.approx(2 / 4)  # B and D
    assert wt.mean_read_latency_s == pytest.approx((2 * CACHE + (CACHE + DB_READ)) / 3)
    assert wt.mean_write_latency_s == pytest.approx(DB_WRITE + CACHE)  # 10 ms + 0.5 ms


@pytest.mark.parametrize("ratio", [0.1, 1.0, 10.0, 100.0, 1000.0])
def test_write_through_writes_are_slower(ratio):
    result = compare_results(ratio, n_requests=5_000)
    # 10 ms database write + 0.5 ms cache write against 10 ms alone.
    assert result["write_through"].mean_write_latency_s == pytest.approx(10.5e-3)
    assert result["cache_aside"].mean_write_latency_s == pytest.approx(10e-3)
    assert result["write_through"].mean_write_latency_s > result["cache_aside"].mean_write_latency_s


def test_synchronous_invalidation_closes_the_gap():
    result = compare_results(1.0, n_requests=5_000, sync_invalidate=True)
    assert result["cache_aside"].mean_write_latency_s == pytest.approx(DB_WRITE + CACHE)


@pytest.mark.parametrize("ratio", [0.1, 0.3, 1.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_write_through_caches_more_unread_items_at_low_read_ratios(ratio, seed):
    # Writes spread over all keys (the default) while reads crowd onto popular ones.
    result = compare_results(ratio, seed=seed)
    assert result["write_through"].never_read_share > result["cache_aside"].never_read_share
    assert result["write_through"].fills > result["cache_aside"].fills


@settings(max_examples=40, deadline=None)
@given(
    ratio=st.floats(0.05, 500),
    skew=st.floats(0, 2),
    same=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_write_through_never_hits_less_without_eviction(ratio, skew, same, seed):
    # Without eviction a write-through miss is a first touch of a key, which misses in cache-aside too.
    result = compare_results(
        ratio, n_keys=500, n_requests=3_000, skew=skew, write_skew=None if same else 0.0, seed=seed
    )
    assert result["write_through"].hit_ratio >= result["cache_aside"].hit_ratio
    for r in result.values():
        assert 0.0 <= r.hit_ratio <= 1.0 and 0.0 <= r.never_read_share <= 1.0
        assert r.reads + r.writes == 3_000


def test_read_heavy_workloads_make_the_policies_alike():
    result = compare_results(1000.0)
    gap = result["write_through"].hit_ratio - result["cache_aside"].hit_ratio
    assert 0 <= gap < 0.01


def test_deterministic_and_shared_stream():
    a, b = compare(10.0, seed=4), compare(10.0, seed=4)
    assert a.equals(b)
    # Both policies saw the very same requests.
    assert a.loc[0, "reads"] == a.loc[1, "reads"] and a.loc[0, "writes"] == a.loc[1, "writes"]


def test_simulate_picks_one_policy():
    assert simulate("write_through", 5.0, n_requests=2_000).policy == "write_through"


def test_sweep_has_two_rows_per_ratio():
    table = cache_policy.sweep([0.5, 5.0], n_requests=2_000)
    assert table["policy"].tolist() == ["cache_aside", "write_through"] * 2


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: simulate("lazy"), "policy"),
        (lambda: compare_results(0), "reads_per_write"),
        (lambda: compare_results(1, skew=6), "skew"),
        (lambda: compare_results(1, write_skew=-1), "write_skew"),
        (lambda: compare_results(1, db_write_s=-1), "db_write_s"),
        (lambda: run_stream([0], [True], cache_s=-1), "cache_s"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        call()


def test_bad_streams():
    with pytest.raises(ValueError, match="same non-zero length"):
        run_stream([0, 1], [True])
    with pytest.raises(ValueError, match="keys must be whole numbers"):
        run_stream([-1], [True])
    with pytest.raises(TypeError, match="is_read must"):
        run_stream([0], [1])
