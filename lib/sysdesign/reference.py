"""The cheat sheet as tables: one source of truth for lessons, exercises and tests.

Each function returns a fresh pandas DataFrame; every row carries its unit. Figures are the
rules of thumb interviewers expect, not measurements of any one machine; the latency table says
where each figure comes from and how sure it is.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import _check
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
    format_duration,
)

if TYPE_CHECKING:  # only for the annotation of latency_figure; plotly loads when it is called
    import plotly.graph_objects as go

_NS, _US, _MS = 1e-9, 1e-6, 1e-3


FIBRE_KM_PER_S = 200_000.0
"""Speed of light in optical fibre, km/s: c / 1.47 (the refractive index of silica) = 204,000, rounded."""


US_COAST_TO_COAST_KM = 4_130.0
"""Great-circle distance New York - San Francisco, km."""
NEW_YORK_LONDON_KM = 5_570.0
"""Great-circle distance New York - London, km."""


def fibre_round_trip_s(km: float) -> float:
    """The floor of a round trip over ``km`` of fibre, seconds: ``2 * km / FIBRE_KM_PER_S``. Real
    routes are longer than the great circle and add switching and queueing, so measured round trips
    run 1.5-2 times this.

    >>> round(fibre_round_trip_s(4_130) * 1e3, 1)    # New York - San Francisco great circle
    41.3
    """
    return 2.0 * _check.number("km", km) / FIBRE_KM_PER_S


def rotational_delay_s(rpm: float) -> float:
    """Average wait for the sector to come under a disk's head, seconds: half a turn, ``30 / rpm``.

    >>> round(rotational_delay_s(7_200) * 1e3, 2)
    4.17
    """
    return 30.0 / _check.number("rpm", rpm, low=0.0, low_open=True)


LATENCY_2012_SOURCE = "https://gist.github.com/jboner/2841832"
"""Jonas Bonér's gist "Latency Comparison Numbers (~2012)", crediting Jeff Dean and Peter Norvig."""

LATENCY_2020_SOURCE = "https://colin-scott.github.io/personal_website/research/interactive_latency.html"
"""Colin Scott's "Numbers Every Programmer Should Know By Year" at 2020.

Its code: https://github.com/colin-scott/interactive_latencies
"""

_LATENCY_COLUMNS = ["operation", "value", "unit", "seconds", "source", "confidence"]


def latency() -> pd.DataFrame:
    """Latency numbers to quote in an interview: operation, value, unit, seconds, source, confidence.

    ``source`` says where the figure comes from (a vendor specification, Jeff Dean's list of 2009
    and 2012 as collected in :data:`LATENCY_2012_SOURCE`, measured pings, or a computation shown
    here); ``confidence`` how sure it is and how much it varies. Several copies of this sheet,
    including the syllabus's, took their cache, SSD and disk figures from the 2020 setting of
    :data:`LATENCY_2020_SOURCE`, which extrapolates hardware trends rather than measuring: its
    "HDD random read 2 ms" is below a 7,200 rpm disk's rotational delay alone (4.17 ms) and its
    "SSD random read 16 µs" is faster than NAND flash reads. Those two rows are corrected here.

    >>> print(latency().set_index("operation").loc["HDD random read", "confidence"])
    good: set by the platter's physics; 5-10 ms covers 15,000 rpm to 7,200 rpm disks
    """
    return pd.DataFrame(_latency_rows(), columns=_LATENCY_COLUMNS)


def latency_seconds(operation: str) -> float:
    """Seconds of one operation of :func:`latency` (no pandas needed).

    >>> latency_seconds("Round trip within a datacenter")
    0.0005
    """
    for row in _latency_rows():
        if row[0] == operation:
            return row[3]
    known = ", ".join(repr(row[0]) for row in _latency_rows())
    raise ValueError(f"operation must be one of {known}; got {operation!r}")


def _latency_rows() -> list[tuple[str, float, str, float, str, str]]:
    coast = fibre_round_trip_s(US_COAST_TO_COAST_KM)
    atlantic = fibre_round_trip_s(NEW_YORK_LONDON_KM)
    return [
        (
            "L1 cache reference",
            1,
            "ns",
            1 * _NS,
            "vendor spec: Intel's optimization reference manual gives 4-5 cycles load-to-use, about 1 ns "
            "at 4-5 GHz (Dean 2009: 0.5 ns)",
            "good: fixed by the chip design",
        ),
        (
            "L2 cache reference",
            4,
            "ns",
            4 * _NS,
            "vendor spec: about 12-14 cycles on recent Intel cores, 3-4 ns (Dean 2009: 7 ns)",
            "good: fixed by the chip design",
        ),
        (
            "RAM reference",
            100,
            "ns",
            100 * _NS,
            "Jeff Dean's list (2009) and Peter Norvig's 'Teach Yourself Programming in Ten Years'",
            "good: DRAM latency has stayed near 100 ns for 15 years (80-120 ns on servers)",
        ),
        (
            "SSD random read",
            100,
            "µs",
            100 * _US,
            "vendor spec: NAND NVMe drives read a random 4 KB block in 80-120 µs (Intel SSD DC P4500: "
            "85 µs); Dean's 2012 list: 150 µs",
            "fair: varies by drive (Optane-class about 10 µs); the 16 µs of Colin Scott's 2020 page is "
            "an extrapolation, not a measurement",
        ),
        (
            "Round trip within a datacenter",
            500,
            "µs",
            500 * _US,
            "Jeff Dean's list (2009)",
            "fair: a cautious rule of thumb; modern datacenter networks often do better",
        ),
        (
            "HDD random read",
            10,
            "ms",
            10 * _MS,
            f"computed: a {rotational_delay_s(7_200) / _MS:.2f} ms average rotational delay at 7,200 rpm "
            "(half a turn) plus a 4-9 ms average seek (vendor specs of 7,200 rpm drives); Dean's list: "
            "disk seek 10 ms",
            "good: set by the platter's physics; 5-10 ms covers 15,000 rpm to 7,200 rpm disks",
        ),
        (
            "Round trip US coast to coast",
            70,
            "ms",
            70 * _MS,
            "measured: WonderProxy's city-to-city pings (2011), New York-Fremont 77 ms, Baltimore-Fremont "
            f"80 ms; 60-75 ms in carriers' latency tables. Floor: {coast / _MS:.0f} ms of fibre over the "
            f"{US_COAST_TO_COAST_KM:,.0f} km New York-San Francisco great circle",
            "fair: depends on the route and the carrier",
        ),
        (
            "Round trip US to Europe",
            80,
            "ms",
            80 * _MS,
            "measured: WonderProxy's pings (2011), New York-Paris 78 ms. Floor: "
            f"{atlantic / _MS:.0f} ms of fibre over the {NEW_YORK_LONDON_KM:,.0f} km New York-London "
            "great circle",
            "fair: from the US east coast; from the west coast about 150 ms (Dean: California-Netherlands)",
        ),
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


# --- Lesson 09: a newer latency table, human scale, a chart, availability chains. ---


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
    value = _check.number("fraction", fraction, high=1)
    text = f"{value * 100:.6f}".rstrip("0").rstrip(".")
    return f"{text}%"


def availability_chain(
    levels: object, replicas: int = 1, period: str = "year", *, common_cause: float = 0.0
) -> pd.DataFrame:
    """A request path through components in series, each run as ``replicas`` redundant copies.

    ``levels`` is a list of availabilities in (0, 1), or a string of percentages such as
    ``"99.99, 99.95, 99.9"``. Each row is one component with its copies in parallel; the last row,
    ``all in series``, is the whole path. ``downtime_s`` is the budget per ``period``.
    ``common_cause`` in [0, 1] is the share of each copy's downtime that strikes all its copies at
    once (a bad deploy, a shared dependency): 0 treats failures as independent, the textbook
    parallel rule (see :func:`availability.parallel_common_cause`).

    >>> chain = availability_chain("99.9, 99.9")
    >>> chain["percent"].tolist()
    ['99.9%', '99.9%', '99.8001%']
    >>> availability_chain([0.99], replicas=2)["percent"].tolist()
    ['99.99%', '99.99%']
    >>> availability_chain([0.99], replicas=2, common_cause=1.0)["percent"].tolist()
    ['99%', '99%']
    """
    values = _levels(levels)
    if isinstance(replicas, bool) or not isinstance(replicas, int):
        raise TypeError(f"replicas must be a whole number in [1, 100], got {replicas!r}")
    copies = int(_check.number("replicas", replicas, low=1, high=100))
    beta = _check.number("common_cause", common_cause, low=0.0, high=1.0)
    _check.choice("period", period, tuple(_availability.PERIODS))
    parts = [_availability.parallel_common_cause(v, copies, beta) for v in values]
    label = f" x{copies}" if copies > 1 else ""
    if copies > 1 and beta > 0:
        label += f", {format_percent(beta)} shared"
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
