"""CDN edge hit ratio and origin load (sysdesign.sim.cdn).

Expected values: bits / 8 = bytes and requests = viewers / segment length (arithmetic written next
to each case); the Zipf shares worked by hand (p(k) proportional to 1/k); Che's approximation of
LRU (Che et al., IEEE JSAC 2002) against the exact LRU simulation of sim/caching.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import video
from sysdesign.sim import caching, cdn


def test_origin_load_by_hand():
    load = cdn.origin_load(1e6, 3e6, 0.9, segment_s=6)
    assert load.requests_per_s == pytest.approx(1e6 / 6)
    assert load.segment_bytes == pytest.approx(3e6 * 6 / 8)  # 2.25 MB
    assert load.total_gbps == pytest.approx(3_000)  # 1 M x 3 Mbit/s
    assert load.origin_gbps == pytest.approx(300)  # the 10 % that miss


@given(st.floats(0, 1e8), st.floats(1e5, 2e7), st.floats(0, 1), st.floats(1, 10))
@settings(max_examples=50)
def test_origin_egress_matches_the_course_formula(viewers, bitrate, hit, segment_s):
    # misses x segment size == video.origin_egress(video.egress(...)), whatever the segment length
    load = cdn.origin_load(viewers, bitrate, hit, segment_s)
    bytes_per_s = video.origin_egress(video.egress(viewers, bitrate), hit)
    assert load.origin_gbps == pytest.approx(bytes_per_s * 8 / 1e9, rel=1e-9, abs=1e-9)
    assert load.origin_gbps <= load.total_gbps + 1e-9


def test_top_hit_by_hand():
    assert cdn.top_hit(2, n_videos=4, skew=1.0) == pytest.approx(1.5 / (25 / 12))  # 0.72
    assert cdn.top_hit(30, n_videos=100, skew=0.0) == pytest.approx(0.3)  # uniform: share cached
    assert cdn.top_hit(0, 100) == 0.0 and cdn.top_hit(100, 100) == pytest.approx(1.0)


@pytest.mark.parametrize("cache", [100, 1_000, 4_000])
def test_che_tracks_the_simulated_lru(cache):
    exact = caching.lru_hit_ratio(cache, 10_000, 50_000, 0.8, seed=1)
    assert cdn.lru_hit(cache, 10_000, 0.8) == pytest.approx(exact, abs=0.03)


@given(st.integers(0, 2_000), st.sampled_from([0.5, 0.8, 1.0, 1.2]))
@settings(max_examples=40, deadline=None)
def test_lru_never_beats_the_top_videos(c, skew):
    # With independent requests, caching the most popular videos is the best any cache of that
    # size can do, so an LRU edge of the same size hits no more often.
    assert cdn.lru_hit(c, 2_000, skew) <= cdn.top_hit(c, 2_000, skew) + 1e-9


def test_hit_curve_runs_from_zero_to_one_and_rises():
    c = cdn.hit_curve(2_000, 0.8, 21)
    for col in ("LRU (Che)", "top videos pre-filled"):
        assert c[col].iloc[0] == 0.0 and c[col].iloc[-1] == pytest.approx(1.0)
        assert c[col].is_monotonic_increasing


def test_hit_ratio_table_simulates_and_approximates():
    t = cdn.hit_ratio_table((0.05, 0.2), 2_000, 0.8, n_requests=20_000)
    assert (t["LRU (simulated)"] - t["LRU (Che)"]).abs().max() < 0.04
    assert list(t["videos cached"]) == [100, 400]


def test_request_gaps_by_hand():
    # n = 2, skew 1: shares 2/3 and 1/3; at 3 requests/s: one every 0.5 s and every 1 s.
    g = cdn.request_gaps([1, 2], n_videos=2, skew=1.0, requests_per_s=3)
    assert g["share of requests"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert g["seconds between requests"].tolist() == pytest.approx([0.5, 1.0])
    # Between two requests for video 1 pass 1/(2/3) - 1 = 0.5 others, all for video 2, which then
    # appears with probability 1 - (1 - 1/3)^0.5; between two for video 2, 2 requests for video 1.
    assert g["distinct other videos in between"].tolist() == pytest.approx(
        [1 - (2 / 3) ** 0.5, 1 - (1 / 3) ** 2]
    )


def test_the_tail_video_meets_more_distinct_videos_than_the_cache_holds():
    g = cdn.request_gaps([1, 10_000], n_videos=10_000, skew=0.8).set_index("rank")
    assert (
        g.loc[1, "distinct other videos in between"] < 100 < g.loc[10_000, "distinct other videos in between"]
    )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: cdn.origin_load(-1, 3e6, 0.5), "viewers"),
        (lambda: cdn.origin_load(1, 3e6, 1.5), "hit_ratio"),
        (lambda: cdn.lru_hit(10, 0), "n_videos"),
        (lambda: cdn.request_gaps([0], 10), "ranks"),
        (lambda: cdn.hit_ratio_table((2.0,)), "cache_shares"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
