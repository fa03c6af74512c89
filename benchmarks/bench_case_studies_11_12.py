"""Update latency of the URL shortener (lesson 11) and paste bin (lesson 12) explorers.

    .venv/bin/python benchmarks/bench_case_studies_11_12.py

Targets: calculators under 30 ms, simulations under 150 ms per update. Explorers memoise the
library calls behind them, so moving back to a value is instant; every timing here clears those
memos before each change and measures the uncached path.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from _timing import row, time_calls  # noqa: E402
from sysdesign import shortener  # noqa: E402
from sysdesign.sim import expiration  # noqa: E402
from sysdesign.widgets import pastebin as paste_widgets  # noqa: E402
from sysdesign.widgets import shortener as link_widgets  # noqa: E402

CALCULATOR_MS = 30.0
SIMULATION_MS = 150.0
N = 60  # value changes per control

_MEMOS = (
    link_widgets._curve,
    link_widgets._clicks,
    link_widgets._cache_curve,
    shortener._che,
    paste_widgets.expiry_run,
    paste_widgets.dedup_sample,
)


def _cycle(values: list, n: int = N) -> list:
    return [values[i % len(values)] for i in range(n)]


def _uncached(explorer: Any, control: str, values: Iterable[Any]) -> dict[str, float]:
    """Like ``_timing.time_explorer``, but with every memo cleared before each change.

    Also records the process CPU time of each change in ``cpu_median_ms``: on a machine shared
    with other jobs the wall-clock figures include time spent waiting for a core.
    """
    widget = explorer.controls[control]
    cpu: list[float] = []

    def change(value: Any) -> None:
        for memo in _MEMOS:
            memo.cache_clear()
        start = time.process_time()
        widget.value = value
        cpu.append(time.process_time() - start)

    stats = time_calls(change, values)
    stats["cpu_median_ms"] = statistics.median(cpu) * 1e3
    return stats


def _show(name: str, stats: dict[str, float], target_ms: float) -> None:
    print(row(name, stats, target_ms) + f"   cpu median {stats['cpu_median_ms']:6.2f} ms")


def _build(name: str, make: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    ex = make()
    print(f"{name + ': build':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")
    return ex


def main() -> None:
    print("Case-study explorers (lessons 11-12): one update = set a control, render every view, no memo")
    start = time.perf_counter()
    import plotly.graph_objects as go
    from sysdesign.widgets import Chart

    Chart(go.Figure(), "sd-warm-up")
    print(f"{'first Chart (one-off imports)':<48} {1e3 * (time.perf_counter() - start):7.1f} ms")

    ex = _build("key length explorer", link_widgets.key_length_explorer)
    lengths = _cycle(list(range(3, 17)))
    _show("key length: move length (calculator)", _uncached(ex, "length", lengths), CALCULATOR_MS)
    links = [float(x) for x in np.logspace(3, 13, N)]
    _show("key length: move links (calculator)", _uncached(ex, "links", links), CALCULATOR_MS)
    alphabets = _cycle(sorted(shortener.ALPHABETS))
    _show("key length: change alphabet (calculator)", _uncached(ex, "alphabet", alphabets), CALCULATOR_MS)

    ex = _build("redirect explorer", link_widgets.redirect_explorer)
    clicks = _cycle([float(x) for x in np.arange(1.0, 10.5, 0.5)])
    _show("redirects: move clicks per visitor (simulation)", _uncached(ex, "clicks", clicks), SIMULATION_MS)
    ex.controls["status"].value = "301"
    days = _cycle(list(range(0, 31)))
    _show("redirects: move 301 cache days (simulation)", _uncached(ex, "cache_days", days), SIMULATION_MS)

    ex = _build("hot-link cache explorer", link_widgets.link_cache_explorer)
    shares = _cycle(list(range(1, 101)))
    _show("link cache: move cached % (calculator)", _uncached(ex, "cache_percent", shares), CALCULATOR_MS)
    skews = _cycle([round(x, 1) for x in np.arange(0.0, 1.55, 0.1)])
    _show("link cache: move skew (calculator)", _uncached(ex, "skew", skews), CALCULATOR_MS)

    ex = _build("expiration explorer", paste_widgets.expiration_explorer)
    sweeps = _cycle(list(range(1, 49)))
    _show("expiry: move sweep interval (simulation)", _uncached(ex, "sweep_hours", sweeps), SIMULATION_MS)
    reads = _cycle([float(x) for x in np.arange(0.0, 20.5, 0.5)])
    _show("expiry: move reads per paste (simulation)", _uncached(ex, "reads", reads), SIMULATION_MS)

    ex = _build("dedup explorer", paste_widgets.dedup_explorer)
    repeated = _cycle(list(range(0, 81)))
    _show("dedup: move repeated % (simulation)", _uncached(ex, "dup_percent", repeated), SIMULATION_MS)
    sigmas = _cycle([round(x, 1) for x in np.arange(0.2, 2.55, 0.1)])
    _show("dedup: move size spread (simulation)", _uncached(ex, "sigma", sigmas), SIMULATION_MS)

    ex = _build("cdn explorer", paste_widgets.cdn_explorer)
    hits = _cycle(list(range(0, 100)))
    _show("cdn: move hit ratio (calculator)", _uncached(ex, "hit_percent", hits), CALCULATOR_MS)

    start = time.perf_counter()
    expiration.simulate(30, 1_000)
    took = 1e3 * (time.perf_counter() - start)
    print(f"{'expiration.simulate alone (30 days x 1,000/day)':<48} {took:7.1f} ms")


if __name__ == "__main__":
    main()
