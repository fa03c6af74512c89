"""Timing helpers shared by the benchmark scripts (not part of `make test`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any


def summarize(samples_s: Sequence[float]) -> dict[str, float]:
    """Median and 95th percentile of ``samples_s`` (seconds), in milliseconds."""
    ordered = sorted(samples_s)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1e3, "p95_ms": p95 * 1e3}


def time_calls(call: Callable[[Any], object], inputs: Iterable[Any]) -> dict[str, float]:
    """Time ``call(x)`` for each input."""
    samples = []
    for x in inputs:
        start = time.perf_counter()
        call(x)
        samples.append(time.perf_counter() - start)
    return summarize(samples)


def time_explorer(explorer: Any, control: str, values: Iterable[Any]) -> dict[str, float]:
    """Update latency of an ``Explorer``: set ``controls[control].value`` to each value in turn.

    The setter runs the explorer's own observer synchronously, so this times the whole callback.
    """
    widget = explorer.controls[control]

    def set_value(v: Any) -> None:
        widget.value = v

    return time_calls(set_value, values)


def row(name: str, stats: dict[str, float], target_ms: float | None = None) -> str:
    """One printed line: name, median, p95 and whether the target is met."""
    verdict = (
        ""
        if target_ms is None
        else ("  ok" if stats["median_ms"] < target_ms else f"  MISSES {target_ms} ms")
    )
    timing = f"median {stats['median_ms']:7.2f} ms   p95 {stats['p95_ms']:7.2f} ms   n={stats['n']}"
    return f"{name:<48} {timing}{verdict}"
