"""ABR rules and the playback simulation (sysdesign.sim.abr).

Expected values: the published ladders (Apple's HLS Authoring Specification for Apple Devices, the
H.264 bit rate table; Netflix Technology Blog, "Per-Title Encode Optimization", 2015), BBA-0's
rate map and Algorithm 1 (Huang et al., SIGCOMM 2014) worked by hand, and playbacks over constant
bandwidth whose download times are simple divisions (bits / bandwidth).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import abr

LADDER = [1e6, 2e6, 3e6, 4e6, 5e6]


def test_published_ladders():
    # Apple HLS authoring spec, H.264 table: 145 ... 7,800 kb/s; Netflix 2015: 235 ... 5,800 kb/s.
    assert [b / 1e3 for b in abr.bitrates(abr.APPLE_HLS_LADDER)] == [
        145,
        365,
        730,
        1100,
        2000,
        3000,
        4500,
        6000,
        7800,
    ]
    assert [b / 1e3 for b in abr.bitrates(abr.NETFLIX_2015_LADDER)] == [
        235,
        375,
        560,
        750,
        1050,
        1750,
        2350,
        3000,
        4300,
        5800,
    ]


def test_ladder_and_segment_tables():
    t = abr.ladder_table(abr.NETFLIX_2015_LADDER, hours=2)
    assert t["GB per hour"].iloc[-1] == pytest.approx(5.8e6 * 7_200 / 8 / 1e9)  # 5.22 GB in 2 h
    s = abr.segment_table(3e6, 1e6, [2, 6])
    assert s["MB per segment"].tolist() == pytest.approx([0.75, 2.25])  # 3 Mbit/s x 2 s / 8
    assert s["requests/s"].tolist() == pytest.approx([500_000, 1e6 / 6])


@pytest.mark.parametrize(
    ("samples", "expected"),
    [([1e6, 4e6], 1.6e6), ([2e6, 2e6, 2e6], 2e6), ([1e6, 1e6, 4e6], 3 / 2.25 * 1e6)],
)
def test_harmonic_mean(samples, expected):
    assert abr.harmonic_mean(samples) == pytest.approx(expected)


@given(st.lists(st.floats(1e3, 1e8), min_size=1, max_size=8))
@settings(max_examples=40)
def test_harmonic_mean_sits_between_min_and_arithmetic_mean(samples):
    h = abr.harmonic_mean(samples)
    assert min(samples) * (1 - 1e-9) <= h <= np.mean(samples) * (1 + 1e-9)


def test_throughput_rule_by_hand():
    assert abr.throughput_rule(LADDER, [], 0.8) == 1e6  # nothing measured: lowest rung
    assert abr.throughput_rule(LADDER, [5e6], 0.8) == 4e6  # 0.8 x 5 = 4
    assert abr.throughput_rule(LADDER, [5e6, 2e6], 0.8) == 2e6  # 2.857 x 0.8 = 2.29


def test_rate_map_is_the_papers_piecewise_line():
    assert abr.rate_map(LADDER, 3, 5, 10) == 1e6  # inside the reservoir
    assert abr.rate_map(LADDER, 7.5, 5, 10) == pytest.approx(2e6)  # a quarter of the cushion: 1 + 4/4
    assert abr.rate_map(LADDER, 20, 5, 10) == 5e6  # past reservoir + cushion


@pytest.mark.parametrize(
    ("buffer_s", "previous", "expected"),
    [
        (4, 3e6, 1e6),  # B <= reservoir: R_min
        (16, 1e6, 5e6),  # B >= reservoir + cushion: R_max
        (0, None, 1e6),  # first segment
        (9, 2e6, 2e6),  # f = 2.6: between Rate- = 1 and Rate+ = 3, keep 2
        (12.5, 2e6, 3e6),  # f = 4.0 >= Rate+ = 3: largest rung below f = 3
        (14, 2e6, 4e6),  # f = 4.6: largest rung below f = 4
        (6, 4e6, 2e6),  # f = 1.4 <= Rate- = 3: smallest rung above f = 2
    ],
)
def test_buffer_rule_follows_algorithm_1(buffer_s, previous, expected):
    assert abr.buffer_rule(LADDER, buffer_s, previous, reservoir_s=5, cushion_s=10) == expected


@given(st.floats(0, 30), st.sampled_from(LADDER))
@settings(max_examples=50)
def test_buffer_rule_picks_a_rung_and_only_moves_when_the_map_crosses_one(buffer_s, previous):
    got = abr.buffer_rule(LADDER, buffer_s, previous, 5, 10)
    assert got in LADDER
    f = abr.rate_map(LADDER, buffer_s, 5, 10)
    up = min((x for x in LADDER if x > previous), default=previous)
    down = max((x for x in LADDER if x < previous), default=previous)
    if 5 < buffer_s < 15 and down < f < up:
        assert got == previous


def test_constant_bandwidth_playback_by_hand():
    # 3 Mbit/s for 120 s; rungs 1 and 2 Mbit/s; 4 s segments -> 30 segments.
    run = abr.play("throughput", np.full(30, 3e6), [1e6, 2e6], segment_s=4)
    assert len(run.bitrate_bps) == 30
    assert run.startup_s == pytest.approx(4e6 / 3e6)  # 4 Mbit at 3 Mbit/s
    assert run.bitrate_bps[0] == 1e6 and set(run.bitrate_bps[1:]) == {2e6}  # 0.8 x 3 = 2.4 -> 2
    assert (run.rebuffer_s, run.switches) == (0.0, 1)


def test_a_link_below_the_lowest_rung_stalls_every_segment():
    # 0.5 Mbit/s for 20 s, one rung of 1 Mbit/s, 4 s segments: each takes 8 s to fetch while the
    # buffer holds 4 s, so segments 2..5 each stall 4 s (16 s in all), whatever the rule.
    for rule in abr.RULES:
        run = abr.play(rule, np.full(5, 0.5e6), [1e6], segment_s=4, max_buffer_s=8)
        assert run.startup_s == pytest.approx(8.0)
        assert run.rebuffer_s == pytest.approx(16.0)
        assert run.stall_s.tolist() == pytest.approx([0, 4, 4, 4, 4])


@given(
    st.sampled_from(abr.RULES),
    st.floats(0.2, 3.0),
    st.integers(0, 50),
    st.sampled_from([2.0, 4.0, 6.0]),
    st.sampled_from([12.0, 30.0, 90.0]),
)
@settings(max_examples=30, deadline=None)
def test_playback_conserves_time_and_respects_the_buffer(rule, scale, seed, segment_s, cap):
    trace = abr.bandwidth(120, seed=seed) * scale
    run = abr.play(rule, trace, segment_s=segment_s, max_buffer_s=cap)
    n = len(run.bitrate_bps)
    # The video ends playing at: startup + its length + every stall = last arrival + what was buffered.
    assert run.arrive_s[-1] + run.buffer_s[-1] == pytest.approx(
        run.startup_s + n * segment_s + run.rebuffer_s
    )
    assert np.all(run.buffer_s <= cap + 1e-9) and np.all(run.buffer_s >= 0)
    assert np.all(np.diff(run.start_s) > 0) and np.all(run.arrive_s > run.start_s)
    assert set(run.bitrate_bps) <= set(abr.bitrates(abr.APPLE_HLS_LADDER))


def test_more_bandwidth_never_lowers_the_throughput_rules_first_choices():
    slow = abr.play("throughput", abr.bandwidth(seed=3) * 0.5)
    fast = abr.play("throughput", abr.bandwidth(seed=3) * 2.0)
    assert fast.mean_bitrate_bps > slow.mean_bitrate_bps


def test_a_big_buffer_lets_the_buffer_rule_avoid_stalls():
    # Huang et al.'s claim in the lesson's setting: with a large buffer, fewer stalls than the
    # throughput rule and a higher mean bitrate, over 20 seeded traces.
    t = abr.compare_many(20, max_buffer_s=120).set_index("rule")
    assert t.loc["buffer", "sessions that stalled"] <= t.loc["throughput", "sessions that stalled"]
    assert t.loc["buffer", "mean bitrate (Mbit/s)"] > t.loc["throughput", "mean bitrate (Mbit/s)"]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"rule": "fastest"}, "rule"),
        ({"max_buffer_s": 4.0}, "max_buffer_s"),
        ({"headroom": 1.5}, "headroom"),
        ({"reservoir": 0.6, "cushion": 0.6}, "cushion"),
        ({"trace_bps": [1e6, -1.0]}, "trace_bps"),
        ({"ladder_bps": []}, "ladder"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    args = {"rule": "buffer", "trace_bps": np.full(10, 3e6), **kwargs}
    with pytest.raises((ValueError, TypeError), match=name):
        abr.play(**args)
