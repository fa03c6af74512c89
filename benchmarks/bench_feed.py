"""Update latency of the news-feed explorer (lesson 14) and of the fan-out calls behind it.

    .venv/bin/python benchmarks/bench_feed.py

The threshold is changed 50+ times (the follow graph and sweep are memoised per follower tail, as
in the lesson); the tail change is timed with the memo cleared, so each change redraws the graph.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign import feed  # noqa: E402
from sysdesign.sim import fanout  # noqa: E402
from sysdesign.widgets import feed as wfeed  # noqa: E402

SIM_MS = 150.0
CALC_MS = 30.0


def _cycle(values: list, n: int = 50) -> list:
    return list(itertools.islice(itertools.cycle(values), n))


def main() -> None:
    explorer = wfeed.fanout_explorer()
    thresholds = _cycle([1.0 + 0.25 * i for i in range(21)], 60)
    print(
        _timing.row(
            "feed explorer: threshold", _timing.time_explorer(explorer, "threshold", thresholds), SIM_MS
        )
    )

    class Cold:
        """Clear the memo before every tail change so each one samples a new graph."""

        def __init__(self, e):
            self.controls = {"alpha": _ColdControl(e.controls["alpha"])}

    tails = _cycle([value for _, value in wfeed.SKEWS], 50)
    print(
        _timing.row(
            "feed explorer: follower tail (cold)",
            _timing.time_explorer(Cold(explorer), "alpha", tails),
            SIM_MS,
        )
    )

    aud = fanout.audience(100_000, seed=0)
    print(
        _timing.row(
            "fanout.fanout at one threshold",
            _timing.time_calls(lambda t: fanout.fanout(aud, t), fanout.thresholds(aud).tolist() * 2),
            CALC_MS,
        )
    )
    print(
        _timing.row(
            "feed.feed_cache",
            _timing.time_calls(feed.feed_cache, _cycle([0.01, 0.05, 0.2, 0.5], 50)),
            CALC_MS,
        )
    )
    print(
        _timing.row(
            "feed.update_costs",
            _timing.time_calls(lambda n: feed.update_costs(n, 200), _cycle([1e6, 1e7, 3e7], 50)),
            CALC_MS,
        )
    )


class _ColdControl:
    def __init__(self, control):
        self._control = control

    @property
    def value(self):
        return self._control.value

    @value.setter
    def value(self, v):
        wfeed._audience.cache_clear()
        wfeed._sweep.cache_clear()
        self._control.value = v


if __name__ == "__main__":
    main()
