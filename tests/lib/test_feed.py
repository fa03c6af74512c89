"""Tests for sysdesign.feed: ranking invariants, feed cache, real-time hints, bad inputs."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import api, feed

ages = st.floats(min_value=0, max_value=1_000, allow_nan=False)
counts = st.integers(min_value=0, max_value=10**6)  # likes + comments + shares
half_lives = st.floats(min_value=0.1, max_value=100, allow_nan=False)


@pytest.mark.parametrize(
    ("age", "engagement", "half_life", "expected"),
    [
        (0, 0, 6, 1.0),  # (1 + 0) * 2**0
        (6, 0, 6, 0.5),  # one half-life halves the score
        (12, 9, 6, 2.5),  # (1 + 9) * 2**-2 = 10 / 4
        (3, 3, 1, 0.5),  # (1 + 3) * 2**-3 = 4 / 8
    ],
)
def test_rank_scores_table(age, engagement, half_life, expected):
    assert float(feed.rank_scores(age, engagement, half_life)) == pytest.approx(expected)


@given(ages, ages, counts, half_lives)
def test_newer_beats_older_at_equal_engagement(a, b, engagement, half_life):
    young, old = min(a, b), max(a, b)
    s = feed.rank_scores([young, old], [engagement, engagement], half_life)
    if old - young > 1e-6 * half_life and s[1] > 0:
        assert s[0] > s[1]
    else:
        assert s[0] >= s[1]


@given(ages, counts, counts, half_lives)
def test_more_engagement_beats_less_at_equal_age(age, a, b, half_life):
    low, high = min(a, b), max(a, b)
    s = feed.rank_scores([age, age], [high, low], half_life)
    assert s[0] >= s[1]
    if high > low and s[1] > 0:
        assert s[0] > s[1]


def test_rank_orders_best_first_and_half_life_changes_the_winner():
    posts = pd.DataFrame({"post": ["old hit", "fresh"], "age_hours": [24, 1], "engagement": [500, 20]})
    # half-life 6 h: 501 / 16 = 31.3 against 21 / 2**(1/6) = 18.7; half-life 2 h: 501 / 4096 against 21 / 1.41
    assert feed.rank(posts)["post"].tolist() == ["old hit", "fresh"]
    assert feed.rank(posts, half_life_hours=2)["post"].tolist() == ["fresh", "old hit"]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: feed.rank_scores(-1, 0), "age_hours"),
        (lambda: feed.rank_scores(1, [-3]), "engagement"),
        (lambda: feed.rank_scores(1, 1, half_life_hours=0), "half_life_hours"),
        (lambda: feed.rank_scores("x", 1), "age_hours"),
        (lambda: feed.feed_cache(1.5), "cached_share"),
        (lambda: feed.feed_cache(0.5, skew=-1), "skew"),
        (lambda: feed.hint_rate(-1, 0), "posts_per_day"),
        (lambda: feed.hint_rate(10, -1), "coalesce_s"),
        (lambda: feed.update_costs(-5, 10), "online"),
        (lambda: feed.FeedScenario(dau=-1), "dau"),
        (lambda: feed.rank(pd.DataFrame({"age_hours": [1]})), "engagement"),
    ],
)
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_scenario_estimate():
    s = feed.FEED
    # 300 M users x 1 post = 300 M posts/day; / 86,400 s = 3,472/s; x10 reads = 34,722/s
    assert s.posts().per_day == 300e6
    assert s.posts().avg_qps == pytest.approx(300e6 / 86_400)
    assert s.reads().avg_qps == pytest.approx(3e9 / 86_400)
    # 300 M posts x 1,000 B = 300 GB/day; x 365 x 5 = 547.5 TB
    assert s.post_storage().total == pytest.approx(300e9 * 1825)
    # 300 M feeds x 500 entries x 16 B = 2.4 TB
    assert s.feed_bytes() == pytest.approx(2.4e12)


@pytest.mark.parametrize(
    ("per_day", "coalesce", "expected"),
    [
        (86_400, 0, 1.0),  # one post a second, a hint for each
        (86_400, 1, 0.5),  # 1 / (1 + 1 x 1)
        (864, 0, 0.01),  # 864 / 86,400
        (86_400, 99, 0.01),  # 1 / (1 + 99): one per quiet period + wait
    ],
)
def test_hint_rate(per_day, coalesce, expected):
    assert feed.hint_rate(per_day, coalesce) == pytest.approx(expected)


@given(st.floats(0.1, 1e5), st.floats(0, 1e4), st.floats(0, 1e4))
def test_hint_rate_never_exceeds_post_rate_or_one_per_quiet_period(per_day, w1, w2):
    rate = per_day / 86_400
    lo, hi = min(w1, w2), max(w1, w2)
    h = feed.hint_rate(per_day, hi)
    assert h <= rate * (1 + 1e-12)
    assert h <= feed.hint_rate(per_day, lo) * (1 + 1e-12)
    if hi > 0:
        assert h <= 1 / hi


def test_push_hints_cost_far_less_than_polling():
    t = feed.update_costs(30e6, 200, poll_intervals_s=(30,), coalesce_s=30).set_index("method")
    # polling: 30 M / 30 s = 1 M requests/s
    assert t.loc["poll every 30 s", "requests_per_s"] == pytest.approx(1e6)
    # hints: 200 / 86,400 per s each, coalesced: r / (1 + 30 r) per open feed
    r = 200 / 86_400
    assert t.loc["push hint (coalesce 30 s)", "requests_per_s"] == pytest.approx(30e6 * r / (1 + 30 * r))


def test_feed_cache_hit_ratio_and_memory_grow_with_share():
    caches = [feed.feed_cache(s) for s in (0.01, 0.05, 0.2, 1.0)]
    hits = [c.hit_ratio for c in caches]
    assert hits == sorted(hits) and hits[-1] == 1.0
    # the hottest 1 % of feeds serve far more than 1 % of reads under Zipf(1)
    assert hits[0] > 0.2
    # 1 % of 300 M feeds x 500 x 16 B = 24 GB
    assert caches[0].memory_bytes == pytest.approx(24e9)
    assert feed.feed_cache(0.0).nodes == 0


def test_api_and_architecture():
    assert api.review(feed.FEED_API) == []
    assert api.missing_operations(feed.FEED_API, feed.FEED_OPERATIONS) == []
    get_feed = next(e for e in feed.FEED_API if e.signature == "GET /api/v1/feed")
    assert get_feed.pagination == "cursor"
    arch = feed.feed_architecture()
    assert arch.single_points_of_failure() == []
    assert arch.trace(feed.READ_PATH).within_budget
    assert sorted(feed.feed_architecture(draft=True).single_points_of_failure()) == ["feedcache", "queue"]


def test_tradeoffs_are_complete():
    from sysdesign.tradeoffs import check_template

    for t in feed.TRADEOFFS.values():
        assert check_template(t.say()).complete, t.say()


def test_explorer_table_matches_fanout():
    import math as m

    from sysdesign.sim import fanout
    from sysdesign.widgets import feed as wfeed

    e = wfeed.fanout_explorer()
    e.controls["threshold"].value = 3.0
    r = fanout.fanout(fanout.audience(100_000, alpha=1.1, n_readers=1_000, seed=0), 1000.0)
    assert f"{r.writes_per_post_mean:.1f}" in e.views["table"].value
    assert e.status.value == ""
    assert m.isclose(wfeed.threshold_of(3.0), 1000.0)
