"""Unique IDs: ticket servers, UUIDv4/v7, Snowflake layouts and generators, skewed clocks (sysdesign.ids).

Expected numbers and their sources:
- Snowflake 41/10/12: "69 years", "up to 1024 machines", "rolls over every 4096 per machine"
  (Twitter, "Announcing Snowflake", June 2010); 2^41 ms = 2,199,023,255,552 ms = 69.73 years of
  365 days; Twitter's epoch 1288834974657 ms + 2^41 ms falls in July 2080.
- Discord's documented snowflake 175928847299117063 = timestamp 41944705796, worker 1, process 0,
  increment 7 (discord.com developer docs, "Snowflakes"); its 5+5 worker/process bits read as one
  10-bit machine field are 1 * 32 + 0 = 32.
- RFC 9562 Appendix A.6: UUIDv7 017F22E2-79B0-7CC3-98C4-DC0C0C07398F from unix_ts_ms 0x017F22E279B0,
  rand_a 0xCC3, rand_b 0x18C4DC0C0C07398F.
- 2.71e18 UUIDv4s for a 50 % chance of a repeat (Wikipedia, "Universally unique identifier",
  collisions: "2.71 quintillion"); the classic birthday problem for the formula's shape.
- Flickr's ticket servers: increment 2, offsets 1 and 2: odd and even IDs (code.flickr.net, 2010).
- A random order has (n-1)/2 descents on average (Eulerian numbers), so random IDs sorted put half
  of the neighbouring pairs out of time order.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import ids


def test_snowflake_layout_matches_twitters_announcement():
    s = ids.SNOWFLAKE
    assert (s.timestamp_bits, s.machine_bits, s.sequence_bits) == (41, 10, 12)
    assert s.machines == 1024
    assert s.ids_per_ms == 4096
    assert s.years == pytest.approx(2_199_023_255_552 / (365 * 86_400_000))
    assert 69 < s.years < 70


def test_snowflake_runs_out_in_2080_from_twitters_epoch():
    end = datetime.fromtimestamp((1_288_834_974_657 + 2**41) / 1000, tz=UTC)
    assert (end.year, end.month) == (2080, 7)
    assert ids.SNOWFLAKE.runs_out() == 2080


def test_split_reads_discords_documented_snowflake():
    assert ids.SNOWFLAKE.split(175928847299117063) == (41944705796, 32, 7)


@given(st.integers(0, 2**41 - 1), st.integers(0, 1023), st.integers(0, 4095))
@settings(max_examples=50)
def test_compose_and_split_are_inverse(ms, machine, seq):
    assert ids.SNOWFLAKE.split(ids.SNOWFLAKE.compose(ms, machine, seq)) == (ms, machine, seq)


@given(st.integers(1, 45), st.integers(0, 16), st.integers(0, 16))
@settings(max_examples=50)
def test_a_layout_is_a_budget_of_63_bits(t, m, q):
    if t + m + q > 63:
        with pytest.raises(ValueError, match="63"):
            ids.Layout(t, m, q)
        return
    layout = ids.Layout(t, m, q)
    assert layout.machines * layout.ids_per_ms == 2 ** (m + q)
    biggest = layout.compose(2**t - 1, 2**m - 1, 2**q - 1)
    assert biggest == 2 ** (t + m + q) - 1 < 2**63


def test_ticket_servers_hand_out_odd_and_even_ids():
    assert ids.ticket_ids(1, 4, servers=2).tolist() == [1, 3, 5, 7]
    assert ids.ticket_ids(2, 4, servers=2).tolist() == [2, 4, 6, 8]


@given(st.integers(1, 9), st.integers(0, 50))
@settings(max_examples=30)
def test_ticket_servers_together_cover_each_number_once(servers, count):
    issued = np.concatenate([ids.ticket_ids(s, count, servers) for s in range(1, servers + 1)])
    assert sorted(issued.tolist()) == list(range(1, servers * count + 1))


def test_uuid7_rebuilds_the_rfc_example():
    value = ids.uuid7_int(0x017F22E279B0, 0xCC3, 0x18C4DC0C0C07398F)
    assert uuid.UUID(int=value) == uuid.UUID("017F22E2-79B0-7CC3-98C4-DC0C0C07398F")
    assert uuid.UUID(int=value).version == 7


def test_uuid4s_carry_version_4_and_the_rfc_variant():
    made = ids.uuid4_ints(200, seed=3)
    parsed = [uuid.UUID(int=x) for x in made]
    assert {u.version for u in parsed} == {4}
    assert {u.variant for u in parsed} == {uuid.RFC_4122}
    assert len(set(made)) == 200
    assert ids.uuid4_ints(200, seed=3) == made  # seeded
    assert ids.uuid4_ints(200, seed=4) != made


def test_uuid7s_sort_by_their_millisecond():
    made = ids.uuid7_ints(np.array([3, 1, 2, 2, 9]), seed=0)
    assert [x >> 80 for x in made] == [3, 1, 2, 2, 9]
    assert [uuid.UUID(int=x).version for x in made] == [7] * 5
    assert sorted(made)[0] == made[1] and sorted(made)[-1] == made[4]


def test_half_chance_of_a_uuid4_repeat_takes_2_71e18():
    assert ids.ids_for_probability(0.5) == pytest.approx(2.71e18, rel=0.005)


def test_collision_probability_is_the_birthday_formula():
    # n = 2^61 IDs in 2^122 values: n^2 / 2N = 2^122 / 2^123 = 1/2, so 1 - e^-0.5
    assert ids.collision_probability(2.0**61) == pytest.approx(1 - math.exp(-0.5), rel=1e-9)
    # the exact birthday product for 30 draws from 2^10 values is close to the formula
    exact = 1 - math.prod(1 - i / 1024 for i in range(30))
    assert ids.collision_probability(30, bits=10) == pytest.approx(exact, rel=0.05)


@given(st.floats(1e-6, 0.99), st.integers(20, 128))
@settings(max_examples=50)
def test_ids_for_probability_inverts_collision_probability(p, bits):
    n = ids.ids_for_probability(p, bits)
    assert ids.collision_probability(n, bits) == pytest.approx(p, rel=1e-3)


def test_generator_counts_within_a_millisecond_and_waits_on_a_step_back():
    issued = ids.snowflake_ids(np.array([10, 10, 12, 11]), machine=1)
    assert [ids.SNOWFLAKE.split(x) for x in issued.ids.tolist()] == [
        (10, 1, 0),
        (10, 1, 1),
        (12, 1, 0),
        (12, 1, 1),
    ]
    assert issued.waited_ms.tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("sequence_bits", [0, 2, 5, 12])
def test_a_burst_fills_each_millisecond_to_two_to_the_sequence_bits(sequence_bits):
    layout = ids.Layout(41, 10, sequence_bits)
    burst = ids.snowflake_ids(np.full(3 * 2**sequence_bits + 1, 100), 0, layout)
    assert ids.max_per_ms(burst.ids, layout) == 2**sequence_bits
    assert sorted({layout.split(x)[0] for x in burst.ids.tolist()}) == [100, 101, 102, 103]


clocks = st.lists(st.integers(0, 40), min_size=1, max_size=60)


@given(clocks)
@settings(max_examples=50)
def test_wait_and_refuse_never_repeat_an_id_and_wait_is_increasing(clock):
    wait = ids.snowflake_ids(np.array(clock), 3, ids.Layout(41, 10, 2), "wait")
    assert np.all(np.diff(wait.ids) > 0)
    assert np.all(wait.waited_ms >= 0)
    refuse = ids.snowflake_ids(np.array(clock), 3, ids.Layout(41, 10, 2), "refuse")
    kept = refuse.ids[refuse.ids >= 0]
    assert len(set(kept.tolist())) == kept.size
    assert kept.size + refuse.refused == len(clock)


def test_refuse_turns_away_readings_before_the_last_millisecond():
    refuse = ids.snowflake_ids(np.array([10, 11, 12, 9, 10, 11, 12, 13]), 0, on_clock_back="refuse")
    assert refuse.refused == 3


def test_ignoring_a_step_back_reissues_ids():
    issued = ids.snowflake_ids(np.array([10, 11, 12, 9, 10, 11]), 0, on_clock_back="ignore")
    values = issued.ids.tolist()
    assert len(values) - len(set(values)) == 2  # 10 and 11 come again with sequence 0


def test_ordering_counts_descents_and_the_worst_lag():
    assert ids.ordering([1, 2, 3], np.array([0.0, 1.0, 2.0])) == (0.0, 0.0)
    # sorted by id: true times 0, 5, 2, 9 -> one descent (5 > 2) of three pairs; 2 is 3 ms late
    backwards, lag = ids.ordering([10, 20, 30, 40], np.array([0.0, 5.0, 2.0, 9.0]))
    assert backwards == pytest.approx(1 / 3)
    assert lag == 3.0


def test_requests_without_skew_read_true_time():
    r = ids.requests(machines=3, duration_ms=50, rate_per_ms=2, skew_ms=0, seed=4)
    assert np.array_equal(r.clock_ms, np.floor(r.true_ms).astype(np.int64))
    assert np.all(np.diff(r.true_ms) >= 0)


@given(st.integers(1, 12), st.floats(0, 30), st.integers(0, 1000))
@settings(max_examples=25, deadline=None)
def test_skewed_clocks_stay_within_the_skew(machines, skew, seed):
    r = ids.requests(machines, 100, 0.5, skew, start_ms=100, seed=seed)
    assert np.all(np.abs(r.offset_ms) <= skew)
    assert np.all(np.abs(r.clock_ms - r.true_ms) <= skew + 1)
    assert np.all((r.corrected_at_ms >= 125) & (r.corrected_at_ms <= 175))


@given(st.integers(1, 16), st.integers(0, 20), st.integers(0, 500))
@settings(max_examples=20, deadline=None)
def test_correct_generators_never_duplicate_and_snowflake_is_k_sorted(machines, skew, seed):
    t = ids.compare(machines, skew, duration_ms=60, seed=seed).set_index("scheme")
    correct = [s for s in ids.SCHEMES if s != "snowflake-ignore"]
    assert (t.loc[correct, "duplicates"] == 0).all()
    assert t.loc["auto-increment", "out of order %"] == 0
    # two clocks each off by at most the skew, plus a millisecond of rounding and of waiting
    assert t.loc["snowflake-wait", "worst lag (ms)"] <= 2 * skew + 2
    assert (t["issued"] + t["refused"] == t.loc["auto-increment", "issued"]).all()


def test_random_ids_put_about_half_the_pairs_out_of_order():
    t = ids.compare(8, 5, duration_ms=500, seed=1).set_index("scheme")
    assert t.loc["uuid4", "out of order %"] == pytest.approx(50, abs=3)


def test_a_clock_step_back_makes_the_naive_generator_repeat():
    t = ids.compare(8, 20, seed=0).set_index("scheme")
    assert t.loc["snowflake-ignore", "duplicates"] > 0
    assert t.loc["snowflake-refuse", "refused"] > 0
    assert t.loc["snowflake-wait", "mean wait (ms)"] > 0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: ids.Layout(42, 10, 12), "63"),
        (lambda: ids.SNOWFLAKE.compose(0, 1024, 0), "machine"),
        (lambda: ids.snowflake_ids(np.array([1]), 0, on_clock_back="retry"), "on_clock_back"),
        (lambda: ids.ticket_ids(3, 1, servers=2), "server"),
        (lambda: ids.ids_for_probability(1.0), "p"),
        (lambda: ids.requests(machines=0), "machines"),
        (lambda: ids.compare(machines=20, layout=ids.Layout(41, 3, 19)), "machines"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
