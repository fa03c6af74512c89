"""The back-of-envelope template: traffic, storage, bandwidth and connections.

Every input and output is a plain float in base units: items, bytes, seconds, items or bytes
per second. ``quick=True`` swaps the exact day (86,400 s) for the quick-math day (100,000 s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on first use: grading kernels that only need the numbers start faster
    import pandas as pd

from . import _check
from .units import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    QUICK_SECONDS_PER_DAY,
    QUICK_SECONDS_PER_MONTH,
    SECONDS_PER_DAY,
    format_count,
    format_rate,
    format_size,
    parse_size,
    round_for_speech,
)


@dataclass(frozen=True)
class Traffic:
    """Requests or items: ``per_day`` (count), ``avg_qps`` and ``peak_qps`` (per second)."""

    per_day: float
    avg_qps: float
    peak_qps: float


@dataclass(frozen=True)
class Storage:
    """Bytes written ``per_day`` and the ``total`` kept over the retention period."""

    per_day: float
    total: float


@dataclass(frozen=True)
class Bandwidth:
    """Bytes per second coming in (``ingress``) and going out after fan-out (``egress``)."""

    ingress: float
    egress: float


@dataclass(frozen=True)
class Connections:
    """Users connected at once (``concurrent``) and the ``servers`` needed to hold them."""

    concurrent: float
    servers: int


def seconds_per_day(quick: bool = False) -> int:
    """86,400 exact, or 100,000 for quick math."""
    return QUICK_SECONDS_PER_DAY if quick else SECONDS_PER_DAY


def traffic(
    per_day: float | None = None,
    *,
    per_month: float | None = None,
    dau: float | None = None,
    per_user_per_day: float | None = None,
    peak_factor: float = 3.0,
    quick: bool = False,
) -> Traffic:
    """Average and peak requests per second from a daily (or monthly, or per-user) volume.

    Give exactly one of ``per_day``, ``per_month`` (the course's 30-day month, ``units.DAYS_PER_MONTH``;
    2.5 M s with ``quick``), or ``dau`` with ``per_user_per_day``. ``peak_factor`` (>= 1) multiplies the
    average.

    >>> t = traffic(dau=50e6, per_user_per_day=10)
    >>> round(t.avg_qps), round(t.peak_qps)
    (5787, 17361)
    >>> traffic(per_month=30e6).per_day    # 30 M a month is 1 M a day
    1000000.0
    >>> traffic(500e6, quick=True).avg_qps
    5000.0
    """
    peak_factor = _check.number("peak_factor", peak_factor, low=1.0)
    given = [
        name for name, v in (("per_day", per_day), ("per_month", per_month), ("dau", dau)) if v is not None
    ]
    if len(given) != 1:
        raise ValueError(
            "traffic needs exactly one of per_day, per_month, or dau (with per_user_per_day); "
            f"got {', '.join(given) if given else 'none'}"
        )
    if per_user_per_day is not None and dau is None:
        raise ValueError("per_user_per_day needs dau (daily active users) as well")
    if dau is not None:
        if per_user_per_day is None:
            raise ValueError("dau needs per_user_per_day (actions per user per day, >= 0) as well")
        per_day = _check.number("dau", dau) * _check.number("per_user_per_day", per_user_per_day)
    if per_month is not None:
        per_month = _check.number("per_month", per_month)
        per_day = per_month / DAYS_PER_MONTH
        avg = per_month / QUICK_SECONDS_PER_MONTH if quick else per_day / SECONDS_PER_DAY
    else:
        per_day = _check.number("per_day", per_day)
        avg = per_day / seconds_per_day(quick)
    return Traffic(per_day=per_day, avg_qps=avg, peak_qps=avg * peak_factor)


def storage(
    items_per_day: float,
    bytes_per_item: float | str,
    *,
    days: float | None = None,
    years: float | None = None,
) -> Storage:
    """Bytes written per day and kept over ``days`` or ``years`` (365-day years; 1 day if neither).

    ``bytes_per_item`` may be a size string such as ``"200KB"``.

    >>> s = storage(450e6, 200, years=5)
    >>> s.per_day, s.total
    (90000000000.0, 164250000000000.0)
    """
    items = _check.number("items_per_day", items_per_day)
    size = (
        parse_size(bytes_per_item)
        if isinstance(bytes_per_item, str)
        else _check.number("bytes_per_item", bytes_per_item)
    )
    if days is not None and years is not None:
        raise ValueError("storage takes days or years, not both")
    span = 1.0
    if days is not None:
        span = _check.number("days", days)
    elif years is not None:
        span = _check.number("years", years) * DAYS_PER_YEAR
    per_day = items * size
    return Storage(per_day=per_day, total=per_day * span)


def bandwidth(bytes_per_day: float | str, *, fanout: float = 1.0, quick: bool = False) -> Bandwidth:
    """Sustained ingress, and egress after each byte is delivered to ``fanout`` readers (>= 0).

    >>> b = bandwidth("10TB", fanout=5)
    >>> round(b.ingress / 1e6, 1), round(b.egress / 1e6, 1)
    (115.7, 578.7)
    """
    if isinstance(bytes_per_day, str):
        volume = parse_size(bytes_per_day)
    else:
        volume = _check.number("bytes_per_day", bytes_per_day)
    fanout = _check.number("fanout", fanout)
    ingress = volume / seconds_per_day(quick)
    return Bandwidth(ingress=ingress, egress=ingress * fanout)


def connections(dau: float, online_fraction: float, per_server: float) -> Connections:
    """Concurrent connections, and servers to hold them (rounded up).

    ``online_fraction`` is the share of daily users connected at the busiest moment, in [0, 1];
    ``per_server`` is how many connections one server holds (> 0).

    >>> connections(50e6, 0.3, 10_000)
    Connections(concurrent=15000000.0, servers=1500)
    """
    users = _check.number("dau", dau)
    share = _check.number("online_fraction", online_fraction, high=1.0)
    capacity = _check.number("per_server", per_server, low_open=True)
    concurrent = round(users * share, 6)  # 50e6 * 0.3 is 15,000,000.000000002 in floating point
    ratio = concurrent / capacity
    nearest = round(ratio)
    servers = nearest if math.isclose(ratio, nearest, rel_tol=1e-9) else math.ceil(ratio)
    return Connections(concurrent=concurrent, servers=int(servers))


@dataclass(frozen=True)
class Scenario:
    """A whole estimate for a messaging-style product, from a handful of assumptions.

    Sizes are bytes; ``media_share`` is the fraction of items that carry media (in [0, 1]);
    ``fanout`` is how many recipients read each item; ``retention_years`` how long data is kept.
    """

    name: str
    dau: float
    per_user_per_day: float
    text_bytes: float = 200.0
    media_share: float = 0.0
    media_bytes: float = 200e3
    retention_years: float = 5.0
    peak_factor: float = 3.0
    fanout: float = 1.0
    online_fraction: float = 0.3
    per_server: float = 10_000.0

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "name":
                continue
            value = getattr(self, f.name)
            if f.name == "media_share" or f.name == "online_fraction":
                _check.number(f.name, value, high=1.0)
            elif f.name == "per_server":
                _check.number(f.name, value, low_open=True)
            elif f.name == "peak_factor":
                _check.number(f.name, value, low=1.0)
            else:
                _check.number(f.name, value)

    def traffic(self, quick: bool = False) -> Traffic:
        """Items per day and their average and peak rate."""
        return traffic(
            dau=self.dau, per_user_per_day=self.per_user_per_day, peak_factor=self.peak_factor, quick=quick
        )

    def text_storage(self) -> Storage:
        """Text items: bytes per day and over the retention period."""
        items = self.traffic().per_day * (1 - self.media_share)
        return storage(items, self.text_bytes, years=self.retention_years)

    def media_storage(self) -> Storage:
        """Media items: bytes per day and over the retention period."""
        items = self.traffic().per_day * self.media_share
        return storage(items, self.media_bytes, years=self.retention_years)

    def bandwidth(self, quick: bool = False) -> Bandwidth:
        """Ingress of everything written (text and media), and egress after fan-out."""
        written = self.text_storage().per_day + self.media_storage().per_day
        return bandwidth(written, fanout=self.fanout, quick=quick)

    def connections(self) -> Connections:
        """Concurrent connections at the busiest moment and servers to hold them."""
        return connections(self.dau, self.online_fraction, self.per_server)

    def summary(self, quick: bool = False) -> dict[str, float]:
        """Every figure of the template by name, in base units."""
        t, text, media = self.traffic(quick), self.text_storage(), self.media_storage()
        b, c = self.bandwidth(quick), self.connections()
        return {
            "items_per_day": t.per_day,
            "avg_qps": t.avg_qps,
            "peak_qps": t.peak_qps,
            "text_per_day": text.per_day,
            "media_per_day": media.per_day,
            "text_total": text.total,
            "media_total": media.total,
            "ingress": b.ingress,
            "egress": b.egress,
            "concurrent": c.concurrent,
            "servers": float(c.servers),
        }

    def table(self, quick: bool = False) -> pd.DataFrame:
        """The estimation template as a table: section, quantity, value, unit, readable form, and how to
        say it."""
        import pandas as pd

        s = self.summary(quick)
        years = f"{self.retention_years:g}-year"
        rows = [
            ("Traffic", "items per day", s["items_per_day"], "items", format_count),
            ("Traffic", "average QPS", s["avg_qps"], "1/s", format_count),
            ("Traffic", f"peak QPS ({self.peak_factor:g}x)", s["peak_qps"], "1/s", format_count),
            ("Storage", "text per day", s["text_per_day"], "B", format_size),
            ("Storage", "media per day", s["media_per_day"], "B", format_size),
            ("Storage", f"{years} text", s["text_total"], "B", format_size),
            ("Storage", f"{years} media", s["media_total"], "B", format_size),
            ("Bandwidth", "ingress", s["ingress"], "B/s", format_rate),
            ("Bandwidth", f"egress ({self.fanout:g}x fan-out)", s["egress"], "B/s", format_rate),
            ("Connections", "concurrent", s["concurrent"], "connections", format_count),
            ("Connections", "servers", s["servers"], "servers", format_count),
        ]
        return pd.DataFrame(
            [
                (sec, qty, val, unit, fmt(val), "about " + fmt(round_for_speech(val)))
                for sec, qty, val, unit, fmt in rows
            ],
            columns=["section", "quantity", "value", "unit", "readable", "say"],
        )

    def storage_growth(self, years: int | None = None) -> pd.DataFrame:
        """Cumulative stored bytes at the end of each year, for text, media and both."""
        import pandas as pd

        horizon = max(1, math.ceil(self.retention_years if years is None else years))
        text, media = self.text_storage().per_day, self.media_storage().per_day
        year = pd.Series(range(1, horizon + 1), name="year")
        return pd.DataFrame(
            {
                "year": year,
                "text": year * DAYS_PER_YEAR * text,
                "media": year * DAYS_PER_YEAR * media,
                "total": year * DAYS_PER_YEAR * (text + media),
            }
        )


CHAT_APP = Scenario(
    name="Chat app",
    dau=50e6,
    per_user_per_day=10,
    text_bytes=200,
    media_share=0.1,
    media_bytes=200e3,
    retention_years=5,
    peak_factor=3.0,
    fanout=5,
    online_fraction=0.3,
    per_server=10_000,
)
"""The syllabus's chat estimate: 50 M DAU x 10 messages, 10 % images of 200 KB, 5 recipients, 5 years."""
