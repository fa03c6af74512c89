"""The cheat sheet as tables: one source of truth for lessons, exercises and tests.

Each function returns a fresh pandas DataFrame; every row carries its unit. Figures are the
rules of thumb interviewers expect, not measurements of any one machine.
"""

from __future__ import annotations

import math

import pandas as pd

from . import availability as _availability
from .units import (
    GB,
    KB,
    MB,
    PB,
    QUICK_SECONDS_PER_DAY,
    QUICK_SECONDS_PER_MONTH,
    QUICK_SECONDS_PER_YEAR,
    SECONDS_PER_DAY,
    SECONDS_PER_MONTH,
    SECONDS_PER_YEAR,
    TB,
)

_NS, _US, _MS = 1e-9, 1e-6, 1e-3


def latency() -> pd.DataFrame:
    """Classic latency numbers: operation, value, unit, and seconds."""
    rows = [
        ("L1 cache reference", 1, "ns", 1 * _NS),
        ("L2 cache reference", 4, "ns", 4 * _NS),
        ("RAM reference", 100, "ns", 100 * _NS),
        ("SSD random read", 16, "µs", 16 * _US),
        ("Round trip within a datacenter", 500, "µs", 500 * _US),
        ("HDD random read", 2, "ms", 2 * _MS),
        ("Round trip US coast to coast", 40, "ms", 40 * _MS),
        ("Round trip US to Europe", 80, "ms", 80 * _MS),
    ]
    return pd.DataFrame(rows, columns=["operation", "value", "unit", "seconds"])


def throughput() -> pd.DataFrame:
    """What one node of common components sustains: low and high figures (high NaN means "or more")."""
    rows = [
        ("MySQL server (simple queries)", 5_000, 10_000, "queries/s"),
        ("Relational database server (depends on the query)", 5_000, 10_000, "queries/s"),
        ("Redis node", 100_000, math.nan, "operations/s"),
        ("Kafka broker", 200_000, math.nan, "messages/s"),
        ("Elasticsearch node", 5_000, 20_000, "queries/s"),
        ("Application server (API)", 1_000, 10_000, "requests/s"),
        ("Server holding persistent connections", 10_000, 50_000, "connections"),
        ("1 Gbps network link", 125 * MB, 125 * MB, "B/s"),
    ]
    return pd.DataFrame(rows, columns=["component", "low", "high", "unit"])


def scale() -> pd.DataFrame:
    """Public scale figures of well-known products, for sanity checks."""
    rows = [
        ("Twitter", "tweets per day", 500e6, "items/day"),
        ("Twitter", "monthly active users", 300e6, "users"),
        ("WhatsApp", "messages per day", 100e9, "items/day"),
        ("WhatsApp", "monthly active users", 2e9, "users"),
        ("YouTube", "hours of video uploaded per minute", 500, "hours/min"),
        ("YouTube", "hours watched per day", 1e9, "hours/day"),
        ("Uber", "rides per day", 20e6, "items/day"),
    ]
    return pd.DataFrame(rows, columns=["product", "metric", "value", "unit"])


def storage_units() -> pd.DataFrame:
    """Decimal storage units and their size in bytes."""
    rows = [("KB", KB), ("MB", MB), ("GB", GB), ("TB", TB), ("PB", PB)]
    frame = pd.DataFrame(rows, columns=["unit", "bytes"])
    frame["power_of_ten"] = [round(math.log10(b)) for b in frame["bytes"]]
    frame["previous_unit_x1000"] = ["1,000 B"] + [f"1,000 {u}" for u in frame["unit"][:-1]]
    return frame


def shortcuts() -> pd.DataFrame:
    """Estimation shortcuts: the exact figure next to the one to use for quick math."""
    rows = [
        ("Time", "seconds in a day", SECONDS_PER_DAY, QUICK_SECONDS_PER_DAY, "s"),
        ("Time", "seconds in a 30-day month", SECONDS_PER_MONTH, QUICK_SECONDS_PER_MONTH, "s"),
        ("Time", "seconds in a year", SECONDS_PER_YEAR, QUICK_SECONDS_PER_YEAR, "s"),
        ("Size", "one ASCII character", 1, 1, "B"),
        ("Size", "one UTF-8 character (non-ASCII)", 2, 4, "B"),
        ("Size", "a short post or chat message", 100, 200, "B"),
        ("Size", "a compressed image", 200 * KB, 500 * KB, "B"),
        ("Size", "one minute of compressed video", 10 * MB, 10 * MB, "B"),
    ]
    return pd.DataFrame(rows, columns=["kind", "item", "exact_or_low", "quick_or_high", "unit"])


def availability() -> pd.DataFrame:
    """Allowed downtime per year (and month, day) for two to five nines."""
    return _availability.table()
