"""Update latency of the estimation explorer (target: median under 30 ms per control change).

python benchmarks/bench_estimation.py      # or: python benchmarks/run.py estimation
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _timing  # noqa: E402
from sysdesign.widgets.estimation import estimation_explorer  # noqa: E402

TARGET_MS = 30.0
CHANGES = 60  # value changes per control (the brief asks for at least 50)


def _sweep(values: list[float]) -> list[float]:
    """``CHANGES`` values cycling through ``values``, so every change is a real change."""
    return [values[i % len(values)] for i in range(CHANGES)]


# Control name -> values to cycle through (each differs from the one before).
SWEEPS: dict[str, list[float]] = {
    "dau_millions": _sweep([0.1 * 1.17**i for i in range(CHANGES)]),  # 0.1 M to about 1.1 billion users
    "per_user_per_day": _sweep(list(range(1, 200, 3))),
    "peak_factor": _sweep([1.0 + 0.5 * i for i in range(19)]),
    "media_percent": _sweep(list(range(0, 101, 2))),
    "media_kb": _sweep(list(range(10, 10_000, 160))),
    "retention_years": _sweep(list(range(1, 21))),
    "fanout": _sweep([0.5 * i for i in range(1, 200)]),
    "per_server": _sweep(list(range(1_000, 100_001, 2_000))),
    "quick": _sweep([True, False]),
}


def main() -> None:
    for label in ("first, plotly widgets loading", "again"):
        start = time.perf_counter()
        explorer = estimation_explorer()
        elapsed_ms = 1e3 * (time.perf_counter() - start)
        print(f"{'estimation_explorer() build (' + label + ')':<48} {elapsed_ms:7.1f} ms")
    samples: list[float] = []
    for control, values in SWEEPS.items():
        stats = _timing.time_explorer(explorer, control, values)
        print(_timing.row(f"estimation: {control}", stats, TARGET_MS), flush=True)
        samples.append(stats["median_ms"])
    # Every control in turn, one change each, for as many rounds as CHANGES: the mixed workload.
    names = list(SWEEPS)
    widgets = explorer.controls

    def change(i: int) -> None:
        name = names[i % len(names)]
        widgets[name].value = SWEEPS[name][(i // len(names) + 1) % CHANGES]

    stats = _timing.time_calls(change, range(len(names) * CHANGES))
    print(_timing.row("estimation: all controls, interleaved", stats, TARGET_MS))
    # The same workload in CPU time of this process: what an update costs when the machine is
    # shared (wall-clock figures above include waiting for a core).
    cpu = []
    for i in range(len(names) * CHANGES):
        start = time.process_time()
        change(i)
        cpu.append(time.process_time() - start)
    print(_timing.row("estimation: all controls, interleaved (CPU)", _timing.summarize(cpu), TARGET_MS))
    assert explorer.status.value == "", explorer.status.value


if __name__ == "__main__":
    main()
