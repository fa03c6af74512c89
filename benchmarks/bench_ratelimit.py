"""Latency of the rate-limiter lesson's explorer and the calls behind it (target: < 150 ms)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign.sim import ratelimit  # noqa: E402
from sysdesign.widgets.ratelimit import rate_limit_explorer  # noqa: E402

N = 60


def main() -> None:
    print(
        _timing.row(
            "ratelimit.simulate (5 algorithms, 30 s)",
            _timing.time_calls(
                lambda b: ratelimit.simulate(burst_size=b).table(), [10 * (i % 21) for i in range(N)]
            ),
            150,
        )
    )
    explorer = rate_limit_explorer()
    for control, values in (
        ("rate", [1.0 + i % 50 for i in range(N)]),
        ("limit", [1 + i % 100 for i in range(N)]),
        ("window_s", [0.5 * (1 + i % 20) for i in range(N)]),
        ("burst_size", [10 * (i % 21) for i in range(N)]),
    ):
        print(
            _timing.row(
                f"rate_limit_explorer: {control}", _timing.time_explorer(explorer, control, values), 150
            )
        )
    explorer.controls["burst_size"].value = 200
    explorer.controls["window_s"].value = 10.0
    heavy = _timing.time_explorer(explorer, "limit", [1 + i % 100 for i in range(N)])
    print(_timing.row("rate_limit_explorer: limit at bursts of 200", heavy, 150))
    print(
        _timing.row(
            "ratelimit.race sqlite racy (8 threads)",
            _timing.time_calls(lambda _: ratelimit.race("sqlite", False), range(10)),
            None,
        )
    )


if __name__ == "__main__":
    main()
