"""Update latency of the tradeoff explorers (lesson 07) and of the calls behind them.

    .venv/bin/python benchmarks/bench_tradeoffs.py

Targets: calculators under 30 ms, simulations under 150 ms per update.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from _timing import row, time_calls, time_explorer  # noqa: E402
from sysdesign import tradeoffs  # noqa: E402
from sysdesign.sim import cache_policy, fanout, quorum  # noqa: E402
from sysdesign.widgets import tradeoffs as explorers  # noqa: E402

CALCULATOR_MS = 30.0
SIMULATION_MS = 150.0
N = 60  # value changes per explorer


def _cycle(values: list, n: int = N) -> list:
    return [values[i % len(values)] for i in range(n)]


def main() -> None:
    print("Tradeoff explorers (lesson 07): one update = set a control, render every view")
    start = time.perf_counter()
    import plotly.graph_objects as go
    from sysdesign.widgets import Chart

    Chart(go.Figure(), "sd-warm-up")  # the first chart imports its machinery: time it apart
    print(f"{'first Chart (one-off imports)':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")

    start = time.perf_counter()
    ex = explorers.quorum_explorer()
    print(f"{'quorum explorer: build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    print(row("quorum: move R (simulation)", time_explorer(ex, "r", _cycle([1, 2, 3])), SIMULATION_MS))
    print(
        row(
            "quorum: move isolated replicas (simulation)",
            time_explorer(ex, "isolated", _cycle([0, 1, 2, 3])),
            SIMULATION_MS,
        )
    )

    start = time.perf_counter()
    ex = explorers.sql_explorer()
    print(f"{'sql explorer: build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    rates = [float(x) for x in np.geomspace(200, 900_000, 30)]
    print(
        row("sql: move write rate (calculator)", time_explorer(ex, "write_qps", _cycle(rates)), CALCULATOR_MS)
    )

    start = time.perf_counter()
    ex = explorers.fanout_explorer()
    print(f"{'fanout explorer: build (graph + sweep)':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    thresholds = [float(x) for x in np.geomspace(10, 1e6, 31)]
    print(
        row(
            "fanout: move celebrity threshold (simulation)",
            time_explorer(ex, "threshold", _cycle(thresholds)),
            SIMULATION_MS,
        )
    )

    start = time.perf_counter()
    ex = explorers.cache_policy_explorer()
    print(f"{'cache policy explorer: build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    ratios = [float(x) for x in np.geomspace(0.1, 1000, 25)]
    print(
        row(
            "cache policy: move read:write ratio (simulation)",
            time_explorer(ex, "reads_per_write", _cycle(ratios)),
            SIMULATION_MS,
        )
    )
    skews = [round(0.1 * i, 1) for i in range(0, 21)]
    print(
        row(
            "cache policy: move skew (new sweep, first visits)",
            time_explorer(ex, "skew", _cycle(skews, 21)),
            None,
        )
    )

    start = time.perf_counter()
    ex = explorers.services_explorer()
    print(f"{'services explorer: build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    growths = [1.0 + 0.5 * i for i in range(39)]
    print(
        row("services: move growth (calculator)", time_explorer(ex, "growth", _cycle(growths)), CALCULATOR_MS)
    )
    print(
        row(
            "services: move services on path (calculator)",
            time_explorer(ex, "on_path", _cycle([1, 2, 3, 4, 5, 6])),
            CALCULATOR_MS,
        )
    )

    print("\nLibrary calls")
    aud = fanout.audience()
    print(
        row(
            "fanout.fanout (100k authors, 2k readers)",
            time_calls(lambda t: fanout.fanout(aud, t), _cycle(thresholds)),
            SIMULATION_MS,
        )
    )
    print(
        row(
            "cache_policy.compare (50k requests)",
            time_calls(cache_policy.compare, _cycle(ratios)),
            SIMULATION_MS,
        )
    )
    print(
        row(
            "quorum.partition_table (10k trials x 4)",
            time_calls(lambda k: quorum.partition_table(5, 3, 3, k), _cycle([0, 1, 2])),
            SIMULATION_MS,
        )
    )
    print(row("tradeoffs.shards_needed", time_calls(tradeoffs.shards_needed, _cycle(rates)), CALCULATOR_MS))
    print(
        row(
            "tradeoffs.scaling_servers",
            time_calls(lambda g: tradeoffs.scaling_servers(6, g), _cycle(growths)),
            CALCULATOR_MS,
        )
    )


if __name__ == "__main__":
    main()
