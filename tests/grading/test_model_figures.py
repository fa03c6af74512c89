"""The figures quoted in the model answers of problem sets, recomputed with the course library.

A model answer is prose (a tradeoff, a written explanation, a comment in a solution), so its
numbers are typed. Each row names a quote that must appear in that answer, the number the quote
states (the first number in it) and the library call that gives it, within the rounding the prose
uses ("about" = 5%). A scenario change that moves a figure fails here until the prose follows.
A second group checks that the designs the prose describes are the ones the graded answers build.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from ps01_variants import cell, source
from sysdesign import estimate, feed, tradeoffs, typeahead, video
from sysdesign.sim import caching, notify, ratelimit, sharding
from test_simulation_judge import _notebook, model_namespace


def _smallest_share(target: float) -> float:
    """Smallest share of feeds (in steps of 0.1%) whose cache answers ``target`` of opens."""
    return next(s / 1_000 for s in range(1, 1_001) if feed.feed_cache(s / 1_000).hit_ratio >= target)


_LADDER = (400e3, 800e3, 1.4e6, 2.8e6, 5e6, 16e6)  # p11's ladder (its setup cell)
_BURST = ratelimit.boundary_burst(20, 1.0)  # p03: limit 20 per second

FIGURES = [
    # p03: Weatherly, 2 million keys, limit 20 per second, 16-byte keys.
    (
        "p03_rate_limiter",
        "answer-tradeoffs",
        "lets 40 through around a boundary",
        0,
        lambda: ratelimit.max_in_window(_BURST, ratelimit.fixed_window(_BURST, 20, 1.0), 1.0),
    ),
    (
        "p03_rate_limiter",
        "answer-tradeoffs",
        "8 bytes per\n   allowed request",
        0,
        lambda: ratelimit.NUMBER_BYTES,
    ),
    (
        "p03_rate_limiter",
        "answer-tradeoffs",
        "about 350 MB",
        0.05,
        lambda: (
            2e6
            * ratelimit.memory_per_user(20, key_bytes=16).set_index("algorithm")["bytes"]["sliding log"]
            / 1e6
        ),
    ),
    (
        "p03_rate_limiter",
        "answer-tradeoffs",
        "instead of 56 MB",
        0.01,
        lambda: (
            2e6
            * ratelimit.memory_per_user(20, key_bytes=16).set_index("algorithm")["bytes"]["fixed window"]
            / 1e6
        ),
    ),
    # p04: Guildly.
    ("p04_news_feed", "answer-tradeoffs", "about a quarter of the feeds", 0.05, lambda: _smallest_share(0.8)),
    # p06: Beacon: 480 million notifications a day, 100 bytes per id; 2 s first delay, 5 retries,
    # 10 s timeout, 300 s visibility, 3 receives; a 2-million campaign beside 200 urgent/s.
    ("p06_notification_system", "answer-tradeoffs", "spans 112 s", 0, lambda: notify.last_retry_s(2, 5, 10)),
    (
        "p06_notification_system",
        "answer-tradeoffs",
        "for 712 s",
        0,
        lambda: notify.retry_horizon_s(2, 5, 10, 300, 3),
    ),
    (
        "p06_notification_system",
        "answer-tradeoffs",
        "(about 12\n   minutes)",
        0.05,
        lambda: notify.retry_horizon_s(2, 5, 10, 300, 3) / 60,
    ),
    (
        "p06_notification_system",
        "answer-tradeoffs",
        "about 2 GB at our rate",
        0.05,
        lambda: 480e6 / 86_400 * 3_600 * 100 / 1e9,
    ),
    (
        "p06_notification_system",
        "answer-tradeoffs",
        "for about 8 minutes",
        0.05,
        lambda: (
            notify.drain(
                2e6, 200, notify.min_workers(2e6, 200, 500, 600), 500, "shared", seed=1
            ).urgent_max_wait_s
            / 60
        ),
    ),
    (
        "p06_notification_system",
        "answer-tradeoffs",
        "with 8 workers",
        0,
        lambda: notify.min_workers(2e6, 200, 500, 600),
    ),
    # p09: QuickFind: 50 M users x 6 searches x 8 keystrokes, peak x3; 400 M nodes, top 10, 8 B ids.
    ("p09_search_autocomplete", "answer-tradeoffs", "three seconds of work", 0.01, lambda: 30e6 * 100e-9),
    (
        "p09_search_autocomplete",
        "answer-tradeoffs",
        "costs two node visits",
        0,
        lambda: typeahead.build(typeahead.query_log(3_000, seed=7), k=10).visited("s", "precompute"),
    ),
    (
        "p09_search_autocomplete",
        "answer-tradeoffs",
        "about 32 GB",
        0.01,
        lambda: typeahead.topk_memory(400e6, 10, 8) / 1e9,
    ),
    (
        "p09_search_autocomplete",
        "answer-tradeoffs",
        "about 10,400 a second",
        0.01,
        lambda: estimate.traffic(dau=50e6, per_user_per_day=6, peak_factor=3).peak_qps,
    ),
    (
        "p09_search_autocomplete",
        "answer-tradeoffs",
        "the 83,000\n   suggestion reads",
        0.01,
        lambda: estimate.traffic(dau=50e6, per_user_per_day=6 * 8, peak_factor=3).peak_qps,
    ),
    # p11: StreamBox: 20,000 hours a day, 2 M viewers at 3 Mbit/s, a 40 GB/s origin.
    (
        "p11_video_streaming",
        "answer-tradeoffs",
        "about 240 TB a day",
        0.05,
        lambda: video.ladder_storage(_LADDER, 20_000 * 3_600) / 1e12,
    ),
    (
        "p11_video_streaming",
        "answer-tradeoffs",
        "about 95% of the",
        0.01,
        lambda: 100 * video.min_hit_ratio(750e9, 40e9),
    ),
    ("p11_video_streaming", "answer-tradeoffs", "750 GB/s peak", 0, lambda: video.egress(2e6, 3e6) / 1e9),
    (
        "p11_video_streaming",
        "answer-tradeoffs",
        "11 stall at headroom",
        0,
        lambda: video.headroom_sessions(_LADDER, 1.0, sessions=30).stalled_sessions,
    ),
    (
        "p11_video_streaming",
        "answer-tradeoffs",
        "against 2 at 0.8",
        0,
        lambda: video.headroom_sessions(_LADDER, 0.8, sessions=30).stalled_sessions,
    ),
    (
        "p11_video_streaming",
        "answer-tradeoffs",
        "about 3.0 instead",
        0.02,
        lambda: video.headroom_sessions(_LADDER, 0.8, sessions=30).mean_bitrate_bps / 1e6,
    ),
    (
        "p11_video_streaming",
        "answer-tradeoffs",
        "instead of 3.7 Mbit/s",
        0.02,
        lambda: video.headroom_sessions(_LADDER, 1.0, sessions=30).mean_bitrate_bps / 1e6,
    ),
    # ps03: Huddle: 4 million active groups x 100 messages x (250 + 150) bytes, 64 GB nodes at 75%.
    (
        "ps03_architecture_deep_dive",
        "answer-architecture",
        "is\n    # 160 GB",
        0,
        lambda: caching.recent_messages_memory(4e6, 100, 250, 150, key_overhead_bytes=0).total_bytes / 1e9,
    ),
    ("ps03_architecture_deep_dive", "answer-architecture", "holds 48 GB", 0, lambda: 64 * 0.75),
    (
        "ps03_architecture_deep_dive",
        "answer-architecture",
        "needs 4 nodes",
        0,
        lambda: math.ceil(160e9 / 48e9),
    ),
    (
        "ps03_architecture_deep_dive",
        "answer-explain",
        "about 3 shards on average",
        0.05,
        lambda: sharding.shards_touched("user_id", "chat_history", 32).holding_data_mean,
    ),
    (
        "ps03_architecture_deep_dive",
        "answer-explain",
        "ask all 32",
        0,
        lambda: sharding.shards_touched("user_id", "chat_history", 32).touched,
    ),
    # ps04: the feed with a 10,000-copy budget; chat messages at 500,000 writes a second.
    (
        "ps04_tradeoffs",
        "answer-template",
        "about 100 of them",
        0,
        lambda: tradeoffs.shards_needed(5e5).shards,
    ),
]


_WORDS = {"a quarter": 0.25, "three": 3, "two": 2}


def _first_number(quote: str) -> float:
    for word, number in _WORDS.items():
        if word in quote:
            return number
    match = re.search(r"\d[\d,]*(?:\.\d+)?", quote)
    assert match, quote
    return float(match.group().replace(",", ""))


@pytest.mark.parametrize(
    ("stem", "cell_id", "quote", "rel", "compute"), FIGURES, ids=[f[2].split("\n")[0] for f in FIGURES]
)
def test_quoted_figure_matches_the_library(stem, cell_id, quote, rel, compute):
    text = source(cell(_notebook(stem), cell_id))
    assert quote in text, f"{stem} {cell_id} no longer says {quote!r}"
    stated = _first_number(quote)
    value = float(compute())
    if rel == 0:
        assert value == stated, (quote, value)
    else:
        assert value == pytest.approx(stated, rel=rel), (quote, value)


def _model(stem: str) -> dict:
    """The namespace of a notebook's setup cell and every model answer."""
    return model_namespace(stem)


def test_p04_prose_and_graded_answers_use_the_outbox():
    model = _model("p04_news_feed")
    edges = model["architecture"]().edges()
    pairs = set(zip(edges["source"], edges["target"], strict=True))
    assert ("postdb", "queue") in pairs and ("postsvc", "queue") not in pairs  # no dual write
    assert "queue" not in model["post_path"]()
    assert "outbox" in source(cell(_notebook("p04_news_feed"), "answer-tradeoffs"))
    # One question, one answer: both notebooks put the threshold at the budget + 1.
    assert (
        model["celebrity_threshold"](10_000, 100)
        == _model("ps04_tradeoffs")["celebrity_threshold"](10_000)
        == 10_001
    )


def test_p11_uploads_go_straight_to_the_object_store():
    model = _model("p11_video_streaming")
    path = model["upload_path"]()
    assert ["viewer", "blobs"] == path[6:8]  # the bytes leave the client for the object store
    api_hops = [(a, b) for a, b in zip(path, path[1:], strict=False) if a == "api" and b == "blobs"]
    assert api_hops, "the API checks the upload"
    assert "pre-signed" in source(cell(_notebook("p11_video_streaming"), "answer-tradeoffs"))


def test_ps03_cache_in_the_architecture_is_the_size_parts_d_to_f_compute():
    model = _model("ps03_architecture_deep_dive")
    needed = model["cache_nodes"](
        model["cache_bytes"](
            model["ACTIVE_CHATS"],
            model["RECENT_MESSAGES"],
            model["MESSAGE_BYTES"],
            model["ENTRY_OVERHEAD_BYTES"],
        ),
        model["NODE_BYTES"],
        model["MAX_FILL"],
    )
    assert model["architecture"]().component("cache").replicas == needed == 4


def test_p06_model_window_is_the_horizon_and_fits_the_budget():
    model = _model("p06_notification_system")
    window = model["dedup_window_s"](2, 5, 10, 300, 3)
    assert window == notify.retry_horizon_s(2, 5, 10, 300, 3)
    assert model["dedup_memory"](480e6, window, 100) <= model["DEDUP_MEMORY_BUDGET"]
    assert np.isclose(model["dedup_memory"](480e6, 3_600, 100), 2e9)
