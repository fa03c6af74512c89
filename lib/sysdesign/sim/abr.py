"""Adaptive bitrate (ABR) over a bandwidth trace: a throughput rule against a buffer rule.

A player fetches a video segment by segment (each ``segment_s`` seconds of picture) and, before
each one, picks a rung of the encoding ladder. Two families of rules:

* **throughput-based**: estimate the bandwidth from the last downloads (harmonic mean) and take
  the best rung under ``headroom`` times that estimate (:func:`sysdesign.video.choose_bitrate`);
* **buffer-based** (BBA-0 of Huang et al., "A Buffer-Based Approach to Rate Adaptation",
  SIGCOMM 2014): look only at how many seconds of video are buffered. Below a *reservoir* take
  the lowest rung, above *reservoir + cushion* the highest, in between a straight line from
  lowest to highest; move one rung only when that line crosses the next rung (:func:`buffer_rule`).

:func:`play` runs one rule over a seeded trace (bandwidth in bit/s, piecewise constant over
``step_s`` seconds) with a buffer that holds at most ``max_buffer_s`` seconds: the player waits
while the next segment would not fit. It reports stalls (rebuffering seconds), the mean bitrate
and the number of rendition switches. Bitrates in bit/s, times in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _check, video
from ..video import Rendition

APPLE_HLS_LADDER: tuple[Rendition, ...] = (
    Rendition("416x234", 234, 145e3),
    Rendition("640x360", 360, 365e3),
    Rendition("768x432", 432, 730e3),
    Rendition("768x432", 432, 1.1e6),
    Rendition("960x540", 540, 2e6),
    Rendition("1280x720", 720, 3e6),
    Rendition("1280x720", 720, 4.5e6),
    Rendition("1920x1080", 1080, 6e6),
    Rendition("1920x1080", 1080, 7.8e6),
)
"""The H.264 16:9 ladder that Apple's "HLS Authoring Specification for Apple Devices" recommends
(average video bitrate per variant, 145 kb/s to 7.8 Mb/s)."""

NETFLIX_2015_LADDER: tuple[Rendition, ...] = (
    Rendition("320x240", 240, 235e3),
    Rendition("384x288", 288, 375e3),
    Rendition("512x384", 384, 560e3),
    Rendition("512x384", 384, 750e3),
    Rendition("640x480", 480, 1.05e6),
    Rendition("720x480", 480, 1.75e6),
    Rendition("1280x720", 720, 2.35e6),
    Rendition("1280x720", 720, 3e6),
    Rendition("1920x1080", 1080, 4.3e6),
    Rendition("1920x1080", 1080, 5.8e6),
)
"""The fixed "one size fits all" ladder Netflix used for every title before per-title encoding
(Netflix Technology Blog, "Per-Title Encode Optimization", December 2015)."""

LADDERS = {
    "Apple HLS spec": APPLE_HLS_LADDER,
    "Netflix 2015 fixed": NETFLIX_2015_LADDER,
    "course": video.LADDER,
}
RULES = ("throughput", "buffer")
MAX_SEGMENTS = 5_000


def bitrates(ladder: Sequence[Rendition]) -> tuple[float, ...]:
    """The bitrates (bit/s) of a ladder of :class:`~sysdesign.video.Rendition`, lowest first.

    >>> [b / 1e3 for b in bitrates(APPLE_HLS_LADDER)][:3]
    [145.0, 365.0, 730.0]
    """
    return tuple(sorted(r.bitrate_bps for r in ladder))


def ladder_table(ladder: Sequence[Rendition], hours: float = 1.0) -> pd.DataFrame:
    """One row per rung: resolution, bitrate (Mbit/s) and GB to store ``hours`` of video at it.

    >>> t = ladder_table(NETFLIX_2015_LADDER)      # 20.17 Mbit/s in all x 3,600 s / 8
    >>> len(t), round(float(t["GB per hour"].sum()), 2)
    (10, 9.08)
    """
    h = _check.number("hours", hours, low=0)
    return pd.DataFrame(
        {
            "rendition": [r.name for r in ladder],
            "Mbit/s": [r.bitrate_bps / 1e6 for r in ladder],
            "GB per hour": [video.ladder_storage([r.bitrate_bps], h * 3_600) / 1e9 for r in ladder],
        }
    )


def segment_table(
    bitrate_bps: float = 3e6, viewers: float = 1e6, lengths_s: Sequence[float] = (2, 4, 6, 10)
) -> pd.DataFrame:
    """For each segment length: bytes per segment at ``bitrate_bps`` and requests per second that
    ``viewers`` concurrent viewers send (one request per segment each).

    >>> segment_table(8e6, 1_000, [2, 4])["requests/s"].tolist()
    [500.0, 250.0]
    """
    b = _check.number("bitrate_bps", bitrate_bps, low=0, low_open=True, high=video.MAX_BITRATE_BPS)
    v = _check.number("viewers", viewers, low=0)
    seg = [
        _check.number(f"lengths_s[{i}]", s, low=0, low_open=True, high=60) for i, s in enumerate(lengths_s)
    ]
    return pd.DataFrame(
        {
            "segment (s)": seg,
            "MB per segment": [b * s / 8 / 1e6 for s in seg],
            "requests/s": [v / s for s in seg],
        }
    )


def bandwidth(
    duration_s: float = 600.0,
    mean_bps: float = 5e6,
    volatility: float = 0.5,
    step_s: float = 4.0,
    seed: int = 0,
) -> np.ndarray:
    """A seeded bandwidth trace (bit/s), one value per ``step_s`` seconds for ``duration_s`` seconds:
    :func:`sysdesign.video.bandwidth_trace` (a mean-reverting log-normal walk) sampled per step.

    >>> t = bandwidth(40, step_s=4, seed=1)
    >>> t.shape, bool((t == video.bandwidth_trace(10, 5e6, 0.5, seed=1)).all())
    ((10,), True)
    """
    d = _check.number("duration_s", duration_s, low=0, low_open=True, high=1e6)
    step = _check.number("step_s", step_s, low=0, low_open=True, high=600)
    return video.bandwidth_trace(max(1, int(np.ceil(d / step))), mean_bps, volatility, seed)


def harmonic_mean(samples_bps: Sequence[float]) -> float:
    """Harmonic mean of throughput samples (bit/s): one slow download pulls it down more than an
    arithmetic mean, which is why players use it (FESTIVE, Jiang et al., CoNEXT 2012).

    >>> round(harmonic_mean([1e6, 4e6]))      # 2 / (1/1 + 1/4) Mbit/s
    1600000
    """
    xs = [_check.number(f"samples_bps[{i}]", s, low=0, low_open=True) for i, s in enumerate(samples_bps)]
    if not xs:
        raise ValueError("samples_bps must hold at least one throughput sample (bit/s)")
    return len(xs) / sum(1 / x for x in xs)


def throughput_rule(
    ladder_bps: Sequence[float], history_bps: Sequence[float], headroom: float = 0.8
) -> float:
    """The rung a throughput-based player asks for next: the best one under ``headroom`` x the
    harmonic mean of ``history_bps`` (the last downloads' throughputs); the lowest rung when the
    history is empty (nothing measured yet).

    >>> throughput_rule([1e6, 2e6, 4e6], [5e6, 2e6])     # mean 2.86 Mbit/s, x 0.8 = 2.29 -> 2 Mbit/s
    2000000.0
    >>> throughput_rule([1e6, 2e6, 4e6], [])
    1000000.0
    """
    if not len(history_bps):
        return float(min(video._bitrates(ladder_bps)))
    return video.choose_bitrate(ladder_bps, harmonic_mean(history_bps), headroom)


def rate_map(ladder_bps: Sequence[float], buffer_s: float, reservoir_s: float, cushion_s: float) -> float:
    """BBA's rate map f(B) (bit/s): the lowest rung up to ``reservoir_s`` of buffer, the highest from
    ``reservoir_s + cushion_s`` on, a straight line in between.

    >>> rate_map([1e6, 5e6], 10, reservoir_s=5, cushion_s=10)    # half way through the cushion
    3000000.0
    """
    rates = video._bitrates(ladder_bps)
    b = _check.number("buffer_s", buffer_s, low=0)
    r = _check.number("reservoir_s", reservoir_s, low=0)
    cu = _check.number("cushion_s", cushion_s, low=0, low_open=True)
    low, high = min(rates), max(rates)
    share = min(1.0, max(0.0, (b - r) / cu))
    return low + share * (high - low)


def buffer_rule(
    ladder_bps: Sequence[float],
    buffer_s: float,
    previous_bps: float | None,
    reservoir_s: float,
    cushion_s: float,
) -> float:
    """BBA-0 (Huang et al. 2014, Algorithm 1): the next rung from the buffer level alone.

    With f = :func:`rate_map`, the previous rung is kept until f reaches the next rung up (then take
    the highest rung below f) or falls to the next rung down (then the lowest rung above f); at or
    below the reservoir the lowest rung, past the cushion the highest. ``previous_bps`` None means
    the first segment (lowest rung).

    >>> ladder = [1e6, 2e6, 3e6, 4e6, 5e6]
    >>> buffer_rule(ladder, 10, 2e6, 5, 10)      # f = 3 Mbit/s: no rung strictly between 2 and f, stay
    2000000.0
    >>> buffer_rule(ladder, 11, 2e6, 5, 10)      # f = 3.4 Mbit/s > 3: highest rung below f
    3000000.0
    >>> buffer_rule(ladder, 2, 4e6, 5, 10)       # inside the reservoir
    1000000.0
    """
    rates = sorted(video._bitrates(ladder_bps))
    b = _check.number("buffer_s", buffer_s, low=0)
    r = _check.number("reservoir_s", reservoir_s, low=0)
    f = rate_map(rates, b, r, cushion_s)
    if previous_bps is None or b <= r:
        return rates[0]
    if b >= r + cushion_s:
        return rates[-1]
    prev = _check.number("previous_bps", previous_bps, low=0, low_open=True)
    up = next((x for x in rates if x > prev), rates[-1])
    down = next((x for x in reversed(rates) if x < prev), rates[0])
    if f >= up:
        return max(x for x in rates if x < f) if f > rates[0] else rates[0]
    if f <= down:
        return min(x for x in rates if x > f) if f < rates[-1] else rates[-1]
    return prev


@dataclass(frozen=True)
class Playback:
    """One simulated session, per segment and in total.

    Per segment (arrays): ``start_s`` when its download started, ``bitrate_bps`` the rung chosen,
    ``arrive_s`` when it arrived, ``buffer_s`` the seconds buffered then, ``stall_s`` the seconds
    playback stood still waiting for it. Totals: ``rebuffer_s`` (stalls after playback started),
    ``startup_s`` (time to the first segment), ``switches`` (changes of rung), ``mean_bitrate_bps``.
    """

    rule: str
    start_s: np.ndarray
    bitrate_bps: np.ndarray
    arrive_s: np.ndarray
    buffer_s: np.ndarray
    stall_s: np.ndarray
    startup_s: float

    @property
    def rebuffer_s(self) -> float:
        return float(self.stall_s.sum())

    @property
    def switches(self) -> int:
        return int(np.count_nonzero(np.diff(self.bitrate_bps)))

    @property
    def mean_bitrate_bps(self) -> float:
        return float(self.bitrate_bps.mean())

    def summary(self) -> dict[str, float | int | str]:
        """The totals as one table row."""
        return {
            "rule": self.rule,
            "rebuffer (s)": round(self.rebuffer_s, 1),
            "mean bitrate (Mbit/s)": round(self.mean_bitrate_bps / 1e6, 2),
            "switches": self.switches,
        }


def play(
    rule: str,
    trace_bps: Sequence[float] | np.ndarray,
    ladder_bps: Sequence[float] = bitrates(APPLE_HLS_LADDER),
    *,
    step_s: float = 4.0,
    segment_s: float = 4.0,
    max_buffer_s: float = 30.0,
    headroom: float = 0.8,
    window: int = 3,
    reservoir: float = 0.25,
    cushion: float = 0.5,
) -> Playback:
    """Play a video of ``len(trace_bps) * step_s`` seconds over the trace with one ABR ``rule``.

    ``trace_bps[i]`` is the bandwidth from ``i * step_s`` to ``(i + 1) * step_s`` (the last value holds
    after the trace ends). A segment of bitrate ``b`` is ``b * segment_s`` bits; its download ends
    when the trace has delivered that many bits. Playback starts when the first segment arrives and
    drains the buffer in real time; an empty buffer stalls. The player asks for the next segment
    only when it fits under ``max_buffer_s``. ``"throughput"`` uses :func:`throughput_rule` over the
    last ``window`` downloads with ``headroom``; ``"buffer"`` uses :func:`buffer_rule` with a
    reservoir and a cushion given as shares of ``max_buffer_s``.

    >>> flat = np.full(30, 3e6)                          # 3 Mbit/s for 120 s
    >>> [play(r, flat, [1e6, 2e6]).rebuffer_s for r in RULES]
    [0.0, 0.0]
    >>> play("throughput", flat, [1e6, 2e6]).bitrate_bps[:3].tolist()   # lowest first, then 0.8 x 3
    [1000000.0, 2000000.0, 2000000.0]
    """
    kind = _check.choice("rule", rule, RULES)
    rates = sorted(video._bitrates(ladder_bps))
    trace = np.asarray(trace_bps, dtype=float)
    if (
        trace.ndim != 1
        or not 1 <= len(trace) <= MAX_SEGMENTS
        or not np.all(np.isfinite(trace))
        or trace.min() <= 0
    ):
        raise ValueError(f"trace_bps must be 1 to {MAX_SEGMENTS} positive bandwidths (bit/s)")
    step = _check.number("step_s", step_s, low=0, low_open=True, high=600)
    seg = _check.number("segment_s", segment_s, low=0.5, high=60)
    cap = _check.number("max_buffer_s", max_buffer_s, low=2 * seg, high=3_600)
    h = _check.number("headroom", headroom, low=0, low_open=True, high=1)
    w = int(_check.number("window", window, low=1, high=100))
    res = _check.number("reservoir", reservoir, low=0, high=1)
    cu = _check.number("cushion", cushion, low=0, low_open=True, high=1 - res)
    n = int(np.ceil(len(trace) * step / seg))
    if n > MAX_SEGMENTS:
        raise ValueError(f"the video is {n} segments; at most {MAX_SEGMENTS} (raise segment_s)")
    # Bits delivered by time t: piecewise linear; extended far past the trace at its last value.
    edges = np.append(np.arange(len(trace) + 1) * step, len(trace) * step + 1e7)
    delivered = np.concatenate(([0.0], np.cumsum(np.append(trace, trace[-1]) * np.diff(edges))))
    start = np.empty(n)
    chosen = np.empty(n)
    arrive = np.empty(n)
    level = np.empty(n)
    stall = np.zeros(n)
    t = buffer = 0.0
    history: list[float] = []
    previous: float | None = None
    startup = 0.0
    for i in range(n):
        if i and buffer + seg > cap:  # wait for room: playback drains the buffer meanwhile
            t += buffer + seg - cap
            buffer = cap - seg
        if kind == "throughput":
            b = throughput_rule(rates, history[-w:], h)
        else:
            b = buffer_rule(rates, buffer, previous, res * cap, cu * cap)
        done = float(np.interp(np.interp(t, edges, delivered) + b * seg, delivered, edges))
        took = done - t
        if i == 0:
            startup = took
        elif took > buffer:
            stall[i] = took - buffer
            buffer = 0.0
        else:
            buffer -= took
        buffer += seg
        start[i], chosen[i], arrive[i], level[i] = t, b, done, buffer
        history.append(b * seg / took)
        previous = b
        t = done
    return Playback(kind, start, chosen, arrive, level, stall, startup)


def compare(trace_bps: Sequence[float] | np.ndarray, **kw: float) -> pd.DataFrame:
    """Both rules over the same trace (keywords as :func:`play`): one summary row per rule.

    >>> compare(np.full(30, 3e6), ladder_bps=[1e6, 2e6])["rebuffer (s)"].tolist()
    [0.0, 0.0]
    """
    return pd.DataFrame([play(rule, trace_bps, **kw).summary() for rule in RULES])  # type: ignore[arg-type]


def compare_many(sessions: int = 20, scale: float = 1.0, seed: int = 0, **kw: float) -> pd.DataFrame:
    """Both rules over ``sessions`` seeded traces (:func:`bandwidth` with seeds ``seed ..``, times
    ``scale``): per rule, the sessions that stalled and the means over sessions.

    >>> t = compare_many(3, max_buffer_s=120)
    >>> t["rule"].tolist(), len(t.columns)
    (['throughput', 'buffer'], 5)
    """
    n = int(_check.number("sessions", sessions, low=1, high=1_000))
    k = _check.number("scale", scale, low=0, low_open=True, high=100)
    runs = [[play(rule, bandwidth(seed=seed + i) * k, **kw) for i in range(n)] for rule in RULES]  # type: ignore[arg-type]
    return pd.DataFrame(
        {
            "rule": list(RULES),
            "sessions that stalled": [sum(p.rebuffer_s > 0 for p in r) for r in runs],
            "mean rebuffer (s)": [round(float(np.mean([p.rebuffer_s for p in r])), 2) for r in runs],
            "mean bitrate (Mbit/s)": [
                round(float(np.mean([p.mean_bitrate_bps for p in r])) / 1e6, 2) for r in runs
            ],
            "mean switches": [round(float(np.mean([p.switches for p in r])), 1) for r in runs],
        }
    )
