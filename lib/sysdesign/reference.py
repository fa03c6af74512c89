"""The cheat sheet as tables: one source of truth for lessons, exercises and tests.

Each function returns a fresh pandas DataFrame; every row carries its unit. Figures are the
rules of thumb interviewers expect, not measurements of any one machine.
"""

from __future__ import annotations

import math

from . import availability as _availability
from ._lazy import pd
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
    return pd.DataFrame(_latency_rows(), columns=["operation", "value", "unit", "seconds"])


def latency_seconds(operation: str) -> float:
    """Seconds of one operation of :func:`latency` (no pandas needed).

    >>> latency_seconds("Round trip within a datacenter")
    0.0005
    """
    for name, _value, _unit, seconds in _latency_rows():
        if name == operation:
            return seconds
    known = ", ".join(repr(row[0]) for row in _latency_rows())
    raise ValueError(f"operation must be one of {known}; got {operation!r}")


def _latency_rows() -> list[tuple[str, float, str, float]]:
    return [
        ("L1 cache reference", 1, "ns", 1 * _NS),
        ("L2 cache reference", 4, "ns", 4 * _NS),
        ("RAM reference", 100, "ns", 100 * _NS),
        ("SSD random read", 16, "µs", 16 * _US),
        ("Round trip within a datacenter", 500, "µs", 500 * _US),
        ("HDD random read", 2, "ms", 2 * _MS),
        ("Round trip US coast to coast", 40, "ms", 40e-3),
        ("Round trip US to Europe", 80, "ms", 80e-3),
    ]


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


# --- Added for lesson 09: a newer latency table, human scale, a chart, availability chains. ---

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # only for the annotation of latency_figure; plotly loads when it is called
    import plotly.graph_objects as go

LATENCY_2012_SOURCE = "https://gist.github.com/jboner/2841832"
"""Jonas Bonér's gist "Latency Comparison Numbers (~2012)", crediting Jeff Dean and Peter Norvig."""

LATENCY_2020_SOURCE = "https://colin-scott.github.io/personal_website/research/interactive_latency.html"
"""Colin Scott's "Numbers Every Programmer Should Know By Year" at 2020.

Its code: https://github.com/colin-scott/interactive_latencies
"""


def latency_modern() -> pd.DataFrame:
    """The same operations around 2012 and in 2020, from two public sources; seconds.

    ``around_2012_s`` comes from :data:`LATENCY_2012_SOURCE` (Jeff Dean's and Peter Norvig's figures as
    collected in Jonas Bonér's gist); ``in_2020_s`` from :data:`LATENCY_2020_SOURCE` (Colin Scott's page,
    year 2020). The 2020 page extrapolates published hardware trends year by year (its source lists each
    growth rate), so its figures are a model, not one machine's measurement. ``times_faster`` is
    2012 / 2020 (below 1 means the 2020 figure is larger).

    >>> t = latency_modern().set_index("operation")
    >>> t.loc["SSD random read", ["around_2012_s", "in_2020_s"]].tolist()
    [0.00015, 1.6e-05]
    """
    rows = [
        ("L1 cache reference", 0.5 * _NS, 1 * _NS),
        ("Branch mispredict", 5 * _NS, 3 * _NS),
        ("L2 cache reference", 7 * _NS, 4 * _NS),
        ("Mutex lock/unlock", 25 * _NS, 17 * _NS),
        ("Main memory reference", 100 * _NS, 100 * _NS),
        ("Compress 1 KB with Snappy (Zippy)", 3 * _US, 2 * _US),
        ("SSD random read", 150 * _US, 16 * _US),
        ("Read 1 MB sequentially from memory", 250 * _US, 3 * _US),
        ("Round trip within the same datacenter", 500 * _US, 500 * _US),
        ("Read 1 MB sequentially from SSD", 1 * _MS, 49 * _US),
        ("Disk seek", 10 * _MS, 2 * _MS),
        ("Read 1 MB sequentially from disk", 20 * _MS, 825 * _US),
        ("Packet round trip California-Netherlands", 150 * _MS, 150 * _MS),
    ]
    frame = pd.DataFrame(rows, columns=["operation", "around_2012_s", "in_2020_s"])
    frame["times_faster"] = frame["around_2012_s"] / frame["in_2020_s"]
    frame["unit"] = "s"
    return frame


_WORD_UNITS = ("seconds", "minutes", "hours", "days", "years")


def _human_duration(seconds: float) -> str:
    """``format_duration`` with "1 second" rather than "1 seconds"."""
    from .units import format_duration

    text = format_duration(seconds)
    number, _, unit = text.partition(" ")
    return f"{number} {unit[:-1]}" if number == "1" and unit in _WORD_UNITS else text


def human_scale(table: pd.DataFrame | None = None, *, one_ns_as: float = 1.0) -> pd.DataFrame:
    """The latency table stretched to human time: one nanosecond becomes ``one_ns_as`` seconds (> 0).

    ``table`` needs ``operation`` and ``seconds`` columns (default: :func:`latency`). Adds
    ``human_s`` (seconds after stretching) and ``at_human_scale`` (readable).

    >>> human_scale().set_index("operation").loc["RAM reference", "at_human_scale"]
    '1.67 minutes'
    """
    from . import _check

    stretch = _check.number("one_ns_as", one_ns_as, low_open=True)
    source = latency() if table is None else table
    missing = {"operation", "seconds"} - set(source.columns)
    if missing:
        raise ValueError(f"table must have columns 'operation' and 'seconds'; missing {sorted(missing)}")
    frame = source[["operation", "seconds"]].copy()
    frame["human_s"] = frame["seconds"] / _NS * stretch
    frame["at_human_scale"] = [_human_duration(s) for s in frame["human_s"]]
    frame["unit"] = "s"
    return frame


def latency_figure(
    table: pd.DataFrame | None = None, title: str = "Latency numbers (log scale)"
) -> go.Figure:
    """A horizontal bar chart of ``table`` (default :func:`latency`) on a log time axis; a ``go.Figure``.

    Bars are labelled with the readable value; the x axis is seconds, each gridline a power of ten.

    >>> len(latency_figure().data[0].y)
    8
    """
    import plotly.graph_objects as go

    from .units import format_duration

    frame = latency() if table is None else table
    fig = go.Figure(
        go.Bar(
            x=frame["seconds"],
            y=frame["operation"],
            orientation="h",
            text=[format_duration(s) for s in frame["seconds"]],
            textposition="outside",
            marker_color="#4c78a8",
        )
    )
    fig.update_layout(
        title=title,
        xaxis={
            "type": "log",
            "title": "seconds (log scale: each step is 10x)",
            "dtick": 1,
            "exponentformat": "power",
        },
        yaxis={"autorange": "reversed"},
        height=80 + 34 * len(frame),
        margin={"l": 10, "r": 60, "t": 50, "b": 40},
    )
    return fig


def _levels(levels: object) -> list[float]:
    """Availabilities from a list of fractions or a string of comma-separated percentages."""
    from . import _check

    if isinstance(levels, str):
        parts = [p.strip().rstrip("%").strip() for p in levels.split(",") if p.strip()]
        if not parts:
            raise ValueError("levels must list at least one percentage, e.g. '99.9, 99.99'")
        out = []
        for i, part in enumerate(parts):
            try:
                value = float(part)
            except ValueError:
                raise ValueError(f"levels[{i}] must be a percentage such as 99.9, got {part!r}") from None
            percent = _check.number(f"levels[{i}]", value, low=0, high=100, low_open=True, high_open=True)
            out.append(percent / 100)
        return out
    try:
        values = list(levels)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            "levels must be a list of availabilities in (0, 1) or a string like '99.9, 99.99', "
            f"got {levels!r}"
        ) from None
    if not values:
        raise ValueError("levels must list at least one availability in (0, 1)")
    return [
        _check.number(f"levels[{i}]", v, low=0, high=1, low_open=True, high_open=True)
        for i, v in enumerate(values)
    ]


def format_percent(fraction: float) -> str:
    """A fraction as a percentage with up to six decimals and no trailing zeros.

    >>> format_percent(0.9999), format_percent(0.998001)
    ('99.99%', '99.8001%')
    """
    from . import _check

    value = _check.number("fraction", fraction, high=1)
    text = f"{value * 100:.6f}".rstrip("0").rstrip(".")
    return f"{text}%"


def availability_chain(levels: object, replicas: int = 1, period: str = "year") -> pd.DataFrame:
    """A request path through components in series, each run as ``replicas`` redundant copies.

    ``levels`` is a list of availabilities in (0, 1), or a string of percentages such as
    ``"99.99, 99.95, 99.9"``. Each row is one component with its copies in parallel; the last row,
    ``all in series``, is the whole path. ``downtime_s`` is the budget per ``period``.

    >>> chain = availability_chain("99.9, 99.9")
    >>> chain["percent"].tolist()
    ['99.9%', '99.9%', '99.8001%']
    >>> availability_chain([0.99], replicas=2)["percent"].tolist()
    ['99.99%', '99.99%']
    """
    from . import _check

    values = _levels(levels)
    if isinstance(replicas, bool) or not isinstance(replicas, int):
        raise TypeError(f"replicas must be a whole number in [1, 100], got {replicas!r}")
    copies = int(_check.number("replicas", replicas, low=1, high=100))
    _check.choice("period", period, tuple(_availability.PERIODS))
    parts = [_availability.parallel([v] * copies) for v in values]
    label = f" x{copies}" if copies > 1 else ""
    names = [f"component {i + 1} ({format_percent(v)}{label})" for i, v in enumerate(values)]
    names.append("all in series")
    # Not availability.serial(): with replicas a part can round to exactly 1.0, which it rejects.
    overall = math.prod(parts)
    rows = []
    for name, level in zip(names, [*parts, overall], strict=True):
        # parallel() of copies can round to exactly 1.0 in floating point: then the budget is 0 s.
        down = (1.0 - level) * _availability.PERIODS[period]
        readable = _human_duration(down) if down > 0 else "0 seconds"
        rows.append((name, level, format_percent(level), down, readable))
    frame = pd.DataFrame(rows, columns=["part", "availability", "percent", "downtime_s", "downtime"])
    frame["unit"] = f"s per {period}"
    return frame
