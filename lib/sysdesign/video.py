"""Video streaming arithmetic: an encoding ladder's storage, egress with and without a CDN, and
adaptive-bitrate (ABR) choices, with a small seeded playback simulation.

Every uploaded video is transcoded into a *ladder* of renditions (240p ... 4K), each at its own
bitrate, and cut into segments of a few seconds. Storage is the sum of the ladder's bitrates
times the duration; egress is what viewers pull, and a CDN serves a share of it (its hit ratio)
from the edge so the origin only sends the misses. A player picks, before each segment, the
highest rendition whose bitrate fits under the bandwidth it measured, keeping some headroom
for the bandwidth to drop.

Bitrates are in bits per second (``_bps``), sizes in bytes, rates of bytes in B/s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import _check


@dataclass(frozen=True)
class Rendition:
    """One rung of the encoding ladder: a name, a picture height in pixels and a bitrate (bit/s)."""

    name: str
    height: int
    bitrate_bps: float


LADDER: tuple[Rendition, ...] = (
    Rendition("240p", 240, 400e3),
    Rendition("360p", 360, 800e3),
    Rendition("480p", 480, 1.4e6),
    Rendition("720p", 720, 2.8e6),
    Rendition("1080p", 1080, 5e6),
    Rendition("2160p", 2160, 16e6),
)
"""A typical H.264-style ladder (our assumption, in the range streaming services publish)."""

LADDER_BPS: tuple[float, ...] = tuple(r.bitrate_bps for r in LADDER)
"""The bitrates of :data:`LADDER`, lowest first (bit/s)."""

MAX_BITRATE_BPS = 1e9


def _bitrates(ladder: object) -> list[float]:
    if isinstance(ladder, (str, bytes)) or not isinstance(ladder, Sequence) or not len(ladder):
        raise TypeError(f"ladder must be a non-empty list of bitrates (bit/s), got {ladder!r}")
    return [
        _check.number(f"ladder[{i}]", b, low=0, low_open=True, high=MAX_BITRATE_BPS)
        for i, b in enumerate(ladder)
    ]


def ladder_storage(ladder: Sequence[float], duration_s: float) -> float:
    """Bytes to store ``duration_s`` seconds of video in every rendition of ``ladder`` (bit/s each).

    >>> ladder_storage([8e6], 1.0)            # 8 Mbit/s for one second = 1 MB
    1000000.0
    >>> round(ladder_storage(LADDER_BPS, 60) / 1e6, 1)    # one minute, whole ladder, MB
    198.0
    """
    total = sum(_bitrates(ladder))
    d = _check.number("duration_s", duration_s, low=0)
    return float(total * d / 8)


def egress(viewers: float, bitrate_bps: float) -> float:
    """Bytes per second sent to ``viewers`` concurrent viewers watching at ``bitrate_bps`` on average.

    >>> egress(1_000, 8e6)       # 1,000 viewers x 1 MB/s
    1000000000.0
    """
    v = _check.number("viewers", viewers, low=0)
    b = _check.number("bitrate_bps", bitrate_bps, low=0, high=MAX_BITRATE_BPS)
    return float(v * b / 8)


def origin_egress(total_bps: float, hit_ratio: float) -> float:
    """What the origin still serves (same unit as ``total_bps``) when a CDN answers ``hit_ratio`` of it.

    >>> origin_egress(100.0, 0.95)
    5.000000000000004
    """
    t = _check.number("total_bps", total_bps, low=0)
    h = _check.number("hit_ratio", hit_ratio, low=0, high=1)
    return float(t * (1 - h))


def min_hit_ratio(total: float, origin_capacity: float) -> float:
    """The lowest CDN hit ratio (0..1) that keeps the origin's share of ``total`` within ``origin_capacity``.

    >>> min_hit_ratio(100.0, 20.0)
    0.8
    >>> min_hit_ratio(10.0, 20.0)    # the origin alone could serve it
    0.0
    """
    t = _check.number("total", total, low=0, low_open=True)
    c = _check.number("origin_capacity", origin_capacity, low=0)
    return float(max(0.0, 1 - c / t))


def choose_bitrate(ladder: Sequence[float], measured_bps: float, headroom: float = 0.8) -> float:
    """The highest bitrate of ``ladder`` (any order) at most ``headroom * measured_bps``; the lowest
    one when none fits (the player must show something).

    >>> choose_bitrate(LADDER_BPS, 4e6)       # 0.8 x 4 Mbit/s = 3.2 Mbit/s -> 720p
    2800000.0
    >>> choose_bitrate(LADDER_BPS, 100e3)     # nothing fits: the lowest rung
    400000.0
    """
    rates = _bitrates(ladder)
    m = _check.number("measured_bps", measured_bps, low=0)
    h = _check.number("headroom", headroom, low=0, low_open=True, high=1)
    fits = [b for b in rates if b <= m * h]
    return float(max(fits) if fits else min(rates))


def bandwidth_trace(
    segments: int = 120, mean_bps: float = 5e6, volatility: float = 0.25, seed: int = 0
) -> np.ndarray:
    """Seeded bandwidth a player sees per segment (bit/s): a log-normal random walk around ``mean_bps``.

    >>> t = bandwidth_trace(50, seed=2)
    >>> t.shape, bool((t > 0).all()), bool((bandwidth_trace(50, seed=2) == t).all())
    ((50,), True, True)
    """
    n = int(_check.number("segments", segments, low=1, high=100_000))
    mean = _check.number("mean_bps", mean_bps, low=0, low_open=True, high=MAX_BITRATE_BPS)
    vol = _check.number("volatility", volatility, low=0, high=3)
    rng = np.random.default_rng(seed)
    walk = np.empty(n)
    level = 0.0
    steps = rng.normal(0.0, vol, size=n)
    for i in range(n):
        level = 0.7 * level + steps[i]  # mean-reverting, so the trace wanders but comes back
        walk[i] = level
    return mean * np.exp(walk - vol**2 / 2)


@dataclass(frozen=True)
class Session:
    """What a viewer experienced: average bitrate (bit/s), seconds stalled, rendition switches."""

    mean_bitrate_bps: float
    rebuffer_s: float
    switches: int
    startup_s: float


def simulate_session(
    ladder: Sequence[float] = LADDER_BPS,
    headroom: float = 0.8,
    *,
    segment_s: float = 4.0,
    segments: int = 120,
    mean_bps: float = 5e6,
    volatility: float = 0.25,
    seed: int = 0,
) -> Session:
    """Play ``segments`` segments over a seeded bandwidth trace, choosing each with :func:`choose_bitrate`
    from the throughput of the previous download (the first segment starts at the lowest rung).

    A segment of bitrate ``b`` takes ``b * segment_s / bandwidth`` seconds to fetch; playback drains
    the buffer meanwhile, and an empty buffer stalls (rebuffers) until the download ends.

    >>> safe, greedy = simulate_session(headroom=0.6, seed=3), simulate_session(headroom=1.0, seed=3)
    >>> safe.rebuffer_s <= greedy.rebuffer_s, safe.mean_bitrate_bps <= greedy.mean_bitrate_bps
    (True, True)
    """
    rates = _bitrates(ladder)
    h = _check.number("headroom", headroom, low=0, low_open=True, high=1)
    seg = _check.number("segment_s", segment_s, low=0, low_open=True, high=60)
    trace = bandwidth_trace(segments, mean_bps, volatility, seed)
    buffer_s = stalled = startup = 0.0
    measured = None
    chosen: list[float] = []
    for i, bandwidth in enumerate(trace):
        b = min(rates) if measured is None else choose_bitrate(rates, measured, h)
        fetch_s = b * seg / bandwidth
        if i == 0:
            startup = fetch_s
        elif fetch_s > buffer_s:
            stalled += fetch_s - buffer_s
            buffer_s = 0.0
        else:
            buffer_s -= fetch_s
        buffer_s += seg
        measured = float(bandwidth)
        chosen.append(b)
    switches = sum(1 for a, b in zip(chosen, chosen[1:], strict=False) if a != b)
    return Session(float(np.mean(chosen)), float(stalled), int(switches), float(startup))


@dataclass(frozen=True)
class Sessions:
    """Many seeded sessions at one headroom: how many stalled, and the means (bit/s, seconds)."""

    headroom: float
    sessions: int
    stalled_sessions: int
    mean_bitrate_bps: float
    mean_rebuffer_s: float


def headroom_sessions(
    ladder: Sequence[float] = LADDER_BPS, headroom: float = 0.8, sessions: int = 30, seed: int = 0
) -> Sessions:
    """:func:`simulate_session` for seeds ``seed .. seed + sessions - 1``, summed up, so a comparison of
    headrooms does not rest on one bandwidth trace.

    >>> calm, greedy = headroom_sessions(headroom=0.6), headroom_sessions(headroom=1.0)
    >>> calm.stalled_sessions <= greedy.stalled_sessions, calm.mean_bitrate_bps < greedy.mean_bitrate_bps
    (True, True)
    """
    n = int(_check.number("sessions", sessions, low=1, high=1_000))
    runs = [simulate_session(ladder, headroom, seed=seed + k) for k in range(n)]
    return Sessions(
        float(headroom),
        n,
        sum(1 for r in runs if r.rebuffer_s > 0),
        float(np.mean([r.mean_bitrate_bps for r in runs])),
        float(np.mean([r.rebuffer_s for r in runs])),
    )
