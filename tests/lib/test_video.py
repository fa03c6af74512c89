"""Video streaming arithmetic: ladder storage, egress, CDN offload and adaptive-bitrate choices.

Expected values are the arithmetic written next to each case (bits / 8 = bytes; a CDN hit
ratio h leaves 1 - h of the traffic to the origin), or the rule the problem set states: the
highest rung at most headroom x measured bandwidth, else the lowest rung.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import video
from sysdesign.video import (
    LADDER_BPS,
    choose_bitrate,
    egress,
    ladder_storage,
    min_hit_ratio,
    origin_egress,
    simulate_session,
)


@pytest.mark.parametrize(
    ("ladder", "duration_s", "expected"),
    [
        ([8e6], 1, 1e6),  # 8 Mbit for a second = 1 MB
        ([400e3, 800e3], 10, 1.2e6 * 10 / 8),  # two rungs, ten seconds
        (LADDER_BPS, 60, 26.4e6 * 60 / 8),  # the default ladder sums to 26.4 Mbit/s
        ([5e6], 0, 0.0),
    ],
)
def test_ladder_storage(ladder, duration_s, expected):
    assert ladder_storage(ladder, duration_s) == pytest.approx(expected)


def test_egress_and_cdn_offload():
    assert egress(2e6, 3e6) == pytest.approx(2e6 * 3e6 / 8)  # 750 GB/s
    assert origin_egress(750e9, 0.95) == pytest.approx(37.5e9)
    assert origin_egress(100, 0) == 100 and origin_egress(100, 1) == 0
    assert min_hit_ratio(750e9, 40e9) == pytest.approx(1 - 40 / 750)
    assert min_hit_ratio(10, 40) == 0.0


@pytest.mark.parametrize(
    ("measured", "headroom", "expected"),
    [
        (4e6, 0.8, 2.8e6),  # 3.2 Mbit/s budget -> 720p
        (10e6, 0.8, 5e6),  # 8 Mbit/s -> 1080p
        (25e6, 0.8, 16e6),  # 20 Mbit/s -> 4K
        (100e3, 0.8, 400e3),  # nothing fits: lowest rung
        (1.2e6, 1.0, 800e3),  # no headroom: 1.2 Mbit/s still below 1.4
        (3e6, 0.5, 1.4e6),  # 1.5 Mbit/s budget
    ],
)
def test_choose_bitrate_by_hand(measured, headroom, expected):
    assert choose_bitrate(LADDER_BPS, measured, headroom) == expected
    assert choose_bitrate(list(reversed(LADDER_BPS)), measured, headroom) == expected  # any order


@settings(max_examples=60, deadline=None)
@given(st.floats(1e3, 1e8), st.floats(0.1, 1.0))
def test_choice_fits_under_the_headroom_or_is_the_lowest(measured, headroom):
    b = choose_bitrate(LADDER_BPS, measured, headroom)
    assert b in LADDER_BPS
    assert b <= measured * headroom or b == min(LADDER_BPS)
    higher = [x for x in LADDER_BPS if x > b]
    assert not higher or min(higher) > measured * headroom


def test_session_is_seeded_and_headroom_trades_quality_for_stalls():
    assert simulate_session(seed=4) == simulate_session(seed=4)
    for seed in range(4):
        safe, greedy = simulate_session(headroom=0.5, seed=seed), simulate_session(headroom=1.0, seed=seed)
        assert safe.mean_bitrate_bps <= greedy.mean_bitrate_bps
        assert safe.rebuffer_s <= greedy.rebuffer_s


def test_bandwidth_trace_is_positive_and_seeded():
    t = video.bandwidth_trace(200, mean_bps=5e6, seed=1)
    assert (t > 0).all() and (t == video.bandwidth_trace(200, mean_bps=5e6, seed=1)).all()
    assert 2e6 < t.mean() < 10e6  # wanders around the 5 Mbit/s mean


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda: ladder_storage([], 10), "ladder"),
        (lambda: ladder_storage([0], 10), "ladder"),
        (lambda: ladder_storage([1e6], -1), "duration_s"),
        (lambda: egress(-1, 1e6), "viewers"),
        (lambda: origin_egress(100, 1.5), "hit_ratio"),
        (lambda: min_hit_ratio(0, 10), "total"),
        (lambda: choose_bitrate(LADDER_BPS, 1e6, 0), "headroom"),
        (lambda: choose_bitrate("fast", 1e6), "ladder"),
        (lambda: simulate_session(segment_s=0), "segment_s"),
    ],
)
def test_bad_input_names_the_parameter(call, word):
    with pytest.raises((ValueError, TypeError), match=word):
        call()
