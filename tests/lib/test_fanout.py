"""Fan-out on write, on read, and the hybrid with a celebrity threshold.

A four-author graph small enough to count by hand checks every cost; properties check the
claims of the lesson on the seeded heavy-tailed graph: pure push writes one feed entry per
follower, pure pull writes once, the hybrid sits between them and grows with the threshold.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign.sim import fanout
from sysdesign.sim.fanout import Audience, audience, compare, pull, push, sweep

# Authors' follower counts: 1, 5, 20, 100. Reader 0 follows the authors with 100, 20 and 5
# followers; reader 1 follows the one with 1.
TINY = Audience(
    followers=np.array([1, 5, 20, 100]),
    edge_reader=np.array([0, 0, 0, 1]),
    edge_followers=np.array([100, 20, 5, 1]),
    n_readers=2,
)
LOOKUP = 0.5e-3  # one same-datacenter round trip (cheat sheet: 500 µs)


@pytest.fixture(scope="module")
def graph() -> Audience:
    return audience(20_000, seed=5)


def test_tiny_push():
    result = fanout.fanout(TINY, math.inf, lookup_s=LOOKUP, parallel=2)
    assert result.strategy == "push" and result.celebrities == 0
    assert result.writes_per_post_mean == (1 + 5 + 20 + 100) / 4  # one write per follower
    assert result.writes_per_post_max == 100
    assert result.sources_mean == 1.0 and result.sources_max == 1  # the precomputed feed only
    assert result.read_latency_mean_s == pytest.approx(LOOKUP)
    assert result.feed_storage_per_day == 126 * 16  # 126 feed entries of 16 bytes, one post each


def test_tiny_pull():
    result = fanout.fanout(TINY, 0, lookup_s=LOOKUP, parallel=2)
    assert result.strategy == "pull" and result.celebrities == 4
    assert result.writes_per_post_mean == 1.0 and result.writes_per_post_max == 1
    assert result.sources_mean == (3 + 1) / 2  # reader 0 merges 3 timelines, reader 1 one
    assert result.sources_max == 3
    # 3 sources, 2 at a time: ceil(3/2) = 2 rounds; 1 source: 1 round. Mean (2 + 1) / 2 rounds.
    assert result.read_latency_mean_s == pytest.approx(1.5 * LOOKUP)
    assert result.feed_storage_per_day == 0.0


def test_tiny_hybrid_at_50_followers():
    result = fanout.fanout(TINY, 50, lookup_s=LOOKUP, parallel=2)
    assert result.strategy == "hybrid" and result.celebrities == 1  # only the 100-follower author
    assert result.writes_per_post_mean == (1 + 5 + 20 + 1) / 4
    assert result.writes_per_post_max == 20  # the largest pushed author
    # Reader 0: one celebrity timeline + the precomputed feed = 2; reader 1: the feed = 1.
    assert result.sources_mean == 1.5 and result.sources_max == 2
    assert result.feed_storage_per_day == (1 + 5 + 20) * 16


def test_threshold_counts_at_least_as_celebrity():
    # "At least threshold followers" is pulled: at 20, the 20- and 100-follower authors are pulled.
    assert fanout.fanout(TINY, 20).celebrities == 2
    assert fanout.fanout(TINY, 21).celebrities == 1


def test_pure_push_writes_equal_followers(graph):
    result = push(graph)
    assert result.writes_per_post_mean == pytest.approx(graph.followers.mean(), rel=1e-12)
    assert result.writes_per_post_max == graph.followers.max()
    assert result.feed_writes_per_day == graph.followers.sum()  # one post per author per day


def test_pure_pull_writes_one_per_post(graph):
    result = pull(graph)
    assert result.writes_per_post_mean == 1.0 and result.writes_per_post_max == 1
    assert result.feed_writes_per_day == graph.n_authors
    assert result.sources_mean == pytest.approx(graph.following.mean())


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0, 2e6), high=st.floats(0, 2e6))
def test_hybrid_between_pull_and_push_and_monotone(graph, low, high):
    low, high = sorted((low, high))
    a, b = fanout.fanout(graph, low), fanout.fanout(graph, high)
    p, q = pull(graph), push(graph)
    assert (
        p.writes_per_post_mean <= a.writes_per_post_mean <= b.writes_per_post_mean <= q.writes_per_post_mean
    )
    assert a.writes_per_post_max <= b.writes_per_post_max
    assert a.feed_storage_per_day <= b.feed_storage_per_day
    # Raising the threshold pulls fewer accounts, so reads merge fewer sources.
    assert p.sources_mean >= a.sources_mean >= b.sources_mean >= q.sources_mean
    assert a.celebrities >= b.celebrities


@settings(max_examples=40, deadline=None)
@given(
    followers=st.lists(st.integers(1, 10_000), min_size=1, max_size=40),
    threshold=st.floats(0, 20_000),
)
def test_hybrid_worst_post_stays_below_the_threshold(followers, threshold):
    aud = Audience(
        followers=np.array(followers),
        edge_reader=np.array([0]),
        edge_followers=np.array(followers[:1]),
        n_readers=1,
    )
    result = fanout.fanout(aud, threshold)
    pushed = [f for f in followers if f < threshold]  # written into every follower's feed
    pulled = len(followers) - len(pushed)  # written once
    assert result.writes_per_post_max == max(pushed + [1 if pulled else 0])
    assert result.writes_per_post_max < threshold or result.writes_per_post_max == 1


def test_sweep_covers_pull_to_push(graph):
    table = sweep(graph)
    assert table["writes_per_post_mean"].iloc[0] == 1.0  # the lowest threshold pulls everyone
    assert table["writes_per_post_mean"].iloc[-1] == pytest.approx(graph.followers.mean())
    assert table["writes_per_post_mean"].is_monotonic_increasing
    assert table["sources_mean"].is_monotonic_decreasing


def test_compare_rows(graph):
    table = compare(graph, 10_000)
    assert table["strategy"].tolist() == ["push", "hybrid", "pull"]
    assert table.loc[1, "writes_per_post_max"] < 10_000


def test_audience_is_seeded_and_heavy_tailed():
    a, b = audience(10_000, seed=2), audience(10_000, seed=2)
    assert np.array_equal(a.followers, b.followers) and np.array_equal(a.edge_followers, b.edge_followers)
    assert not np.array_equal(a.followers, audience(10_000, seed=3).followers)
    assert a.followers.min() >= 10
    assert a.followers.max() > 100 * np.median(a.followers)  # a few accounts dwarf the typical one
    # Each reader follows an account at most once.
    pairs = set(zip(a.edge_reader.tolist(), a.edge_followers.tolist(), strict=True))
    assert len(a.edge_reader) >= len(pairs)
    assert (a.following >= 1).all()


def test_celebrities_followed_matches_a_plain_count(graph):
    for threshold in (0, 10, 500, 10_000, math.inf):
        plain = np.bincount(
            graph.edge_reader, weights=graph.edge_followers >= threshold, minlength=graph.n_readers
        )
        assert np.array_equal(graph.celebrities_followed(threshold), plain)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: fanout.fanout(TINY, -1), "threshold"),
        (lambda: fanout.fanout(TINY, 10, parallel=0), "parallel"),
        (lambda: fanout.fanout(TINY, 10, entry_bytes=-16), "entry_bytes"),
        (lambda: audience(0), "n_authors"),
        (lambda: audience(100, alpha=0), "alpha"),
        (lambda: audience(100, min_followers=0), "min_followers"),
        (lambda: audience(100, mean_following=0.5), "mean_following"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        call()


def test_fanout_needs_an_audience():
    with pytest.raises(TypeError, match="^aud must be an Audience"):
        fanout.fanout([1, 2, 3], 10)  # type: ignore[arg-type]


def test_tail_mean_averages_the_busiest_reads():
    # Reader i follows i + 1 accounts of 5,000 followers and one of 20: with a threshold of 1,000
    # it merges i + 1 celebrity timelines plus its precomputed feed, i + 2 sources (2 to 101).
    readers = 100
    reader = np.repeat(np.arange(readers), np.arange(readers) + 2)
    followed = np.concatenate([[20] + [5_000] * (i + 1) for i in range(readers)])
    aud = fanout.Audience(np.array([20, 5_000]), reader, followed, readers)
    assert fanout.sources_per_read(aud, 1_000).tolist() == list(range(2, 102))
    assert fanout.sources_tail_mean(aud, 1_000) == 101  # the top 1%: one reader
    assert fanout.sources_tail_mean(aud, 1_000, share=0.05) == (97 + 98 + 99 + 100 + 101) / 5
    assert fanout.sources_tail_mean(aud, math.inf) == 1  # pure push: the precomputed feed only
