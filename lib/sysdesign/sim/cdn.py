"""A CDN edge in front of a video origin: hit ratio against cache size under Zipf-like popularity,
the load the misses put on the origin, and why the long tail of the catalogue keeps missing.

Videos are ranked by popularity (rank 0 the most watched) with ``workload.zipf_weights``; an edge
caches ``cache_videos`` whole videos. Its hit ratio comes from the exact LRU simulation or Che's
approximation in :mod:`sysdesign.sim.caching`, or, for an edge filled ahead of time with the most
popular titles (as Netflix's Open Connect fills its appliances off-peak), from the top titles'
share of requests. Viewers fetch one segment every ``segment_s`` seconds; every miss brings one
segment from the origin, so origin egress = misses per second x segment size.
Bitrates in bit/s, sizes in bytes, network loads in Gbit/s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import _check, video
from .caching import che_curve, lru_hit_ratio
from .workload import top_share, zipf_weights

MAX_VIDEOS = 1_000_000


@dataclass(frozen=True)
class OriginLoad:
    """Segment requests and what the edge and the origin send, for one viewer count and hit ratio."""

    viewers: float
    bitrate_bps: float
    hit_ratio: float
    segment_s: float
    requests_per_s: float
    misses_per_s: float
    segment_bytes: float

    @property
    def origin_gbps(self) -> float:
        """Origin egress (Gbit/s): misses per second x segment size."""
        return self.misses_per_s * self.segment_bytes * 8 / 1e9

    @property
    def total_gbps(self) -> float:
        """Everything the viewers pull (Gbit/s), edge hits and origin misses together."""
        return self.requests_per_s * self.segment_bytes * 8 / 1e9


def origin_load(viewers: float, bitrate_bps: float, hit_ratio: float, segment_s: float = 6.0) -> OriginLoad:
    """Requests, misses and origin egress when ``viewers`` watch at ``bitrate_bps`` through an edge
    that answers ``hit_ratio`` of segment requests.

    >>> load = origin_load(1e6, 3e6, 0.9, segment_s=6)    # 1 M viewers at 3 Mbit/s, 90 % hits
    >>> load.requests_per_s, load.segment_bytes, round(load.total_gbps), round(load.origin_gbps)
    (166666.66666666666, 2250000.0, 3000, 300)
    """
    v = _check.number("viewers", viewers, low=0, high=1e10)
    b = _check.number("bitrate_bps", bitrate_bps, low=0, high=video.MAX_BITRATE_BPS)
    h = _check.number("hit_ratio", hit_ratio, low=0, high=1)
    seg = _check.number("segment_s", segment_s, low=0, low_open=True, high=60)
    requests = v / seg
    return OriginLoad(v, b, h, seg, requests, requests * (1 - h), b * seg / 8)


@lru_cache(maxsize=32)
def _curve(n_videos: int, skew: float) -> tuple[np.ndarray, np.ndarray]:
    sizes, hits = che_curve(n_videos, skew, points=40)  # within 0.001 of 400 points
    return np.concatenate(([0.0], sizes)), np.concatenate(([0.0], hits))


def lru_hit(cache_videos: float, n_videos: int = 10_000, skew: float = 0.8) -> float:
    """Hit ratio of an LRU edge holding ``cache_videos`` of ``n_videos`` (Che's approximation, cached
    per catalogue and skew, so an explorer can call it at every step).

    >>> round(lru_hit(10_000, 10_000), 3), lru_hit(0)
    (1.0, 0.0)
    """
    n = int(_check.number("n_videos", n_videos, low=1, high=MAX_VIDEOS))
    s = _check.number("skew", skew, low=0, high=5)
    c = _check.number("cache_videos", cache_videos, low=0)
    if c >= n:
        return 1.0
    sizes, hits = _curve(n, round(s, 6))
    return float(np.interp(c, sizes, hits))


def top_hit(cache_videos: float, n_videos: int = 10_000, skew: float = 0.8) -> float:
    """Hit ratio of an edge filled ahead of time with the ``cache_videos`` most popular videos.

    >>> top_hit(2, n_videos=4, skew=1.0)      # (1 + 1/2) / (1 + 1/2 + 1/3 + 1/4)
    0.72
    """
    n = int(_check.number("n_videos", n_videos, low=1, high=MAX_VIDEOS))
    c = _check.number("cache_videos", cache_videos, low=0)
    return round(top_share(n, skew, min(1.0, c / n)), 12)


@lru_cache(maxsize=32)
def hit_curve(n_videos: int = 10_000, skew: float = 0.8, points: int = 101) -> pd.DataFrame:
    """Hit ratio against cache size (0 to 100 % of the catalogue, ``points`` sizes) for an LRU edge
    (Che) and an edge pre-filled with the top videos. Cached: treat the frame as read-only.

    >>> c = hit_curve(1_000, 0.8, 11)
    >>> c["LRU (Che)"].iloc[[0, -1]].tolist(), bool(c["LRU (Che)"].is_monotonic_increasing)
    ([0.0, 1.0], True)
    """
    m = int(_check.number("points", points, low=2, high=1_000))
    n = int(_check.number("n_videos", n_videos, low=1, high=MAX_VIDEOS))
    shares = np.linspace(0.0, 1.0, m)
    sizes, hits = _curve(n, round(_check.number("skew", skew, low=0, high=5), 6))
    lru = np.where(shares >= 1.0, 1.0, np.interp(shares * n, sizes, hits))
    top = np.concatenate(([0.0], np.cumsum(zipf_weights(n, skew))))[np.round(shares * n).astype(int)]
    return pd.DataFrame({"cache (% of videos)": 100 * shares, "LRU (Che)": lru, "top videos pre-filled": top})


def hit_ratio_table(
    cache_shares: Sequence[float] = (0.01, 0.05, 0.1, 0.25, 0.5),
    n_videos: int = 10_000,
    skew: float = 0.8,
    *,
    simulate: bool = True,
    n_requests: int = 50_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Hit ratio at each cache size (a share of the catalogue): the LRU simulated exactly
    (``caching.lru_hit_ratio``, seeded; left out when ``simulate`` is False), Che's approximation of
    it, and an edge pre-filled with the top videos.

    >>> t = hit_ratio_table((0.1,), 1_000, 0.8, n_requests=20_000)
    >>> bool(t["LRU (simulated)"][0] < t["top videos pre-filled"][0])
    True
    """
    n = int(_check.number("n_videos", n_videos, low=1, high=MAX_VIDEOS))
    shares = [_check.number(f"cache_shares[{i}]", x, low=0, high=1) for i, x in enumerate(cache_shares)]
    sizes = [round(x * n) for x in shares]
    table = pd.DataFrame({"cache (% of videos)": [100 * x for x in shares], "videos cached": sizes})
    if simulate:
        table["LRU (simulated)"] = [lru_hit_ratio(c, n, n_requests, skew, seed) for c in sizes]
    table["LRU (Che)"] = [lru_hit(c, n, skew) for c in sizes]
    table["top videos pre-filled"] = [top_hit(c, n, skew) for c in sizes]
    return table


def request_gaps(
    ranks: Sequence[int], n_videos: int = 10_000, skew: float = 0.8, requests_per_s: float = 100.0
) -> pd.DataFrame:
    """Mean seconds between two requests for the video at each popularity rank (1 = the most
    watched), when the edge sees ``requests_per_s`` video starts per second; how many requests for
    other videos pass meanwhile, and how many distinct videos they touch (expected value). An LRU
    cache of C videos still holds the video at its next request exactly when fewer than C distinct
    others were requested since its last one.

    >>> request_gaps([1, 2], n_videos=2, skew=1.0, requests_per_s=3)["seconds between requests"].tolist()
    [0.5, 1.0]
    """
    p = zipf_weights(n_videos, skew)
    rate = _check.number("requests_per_s", requests_per_s, low=0, low_open=True)
    rs = [int(_check.number(f"ranks[{i}]", r, low=1, high=len(p))) for i, r in enumerate(ranks)]
    share = np.array([p[r - 1] for r in rs])
    between = 1 / share - 1
    # distinct videos among `between` independent requests, less the video itself
    distinct = [
        float((1 - (1 - p) ** m).sum() - (1 - (1 - q) ** m)) for m, q in zip(between, share, strict=True)
    ]
    return pd.DataFrame(
        {
            "rank": rs,
            "share of requests": share,
            "seconds between requests": 1 / (share * rate),
            "other requests in between": between,
            "distinct other videos in between": distinct,
        }
    )
