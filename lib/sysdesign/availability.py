"""Availability: nines, downtime budgets, and components in series and in parallel.

An availability is a fraction strictly between 0 and 1 (0.9999 is "four nines"). A year is
365 days and a month 30 days, the course's one month convention (:mod:`sysdesign.units`).

Redundancy wins nines only for failures that strike copies independently. Failures with a common
cause (a bad deploy or config push, a shared power feed, network or dependency, a region outage)
take every copy down at once: :func:`parallel_common_cause` counts them with the beta-factor model
of reliability engineering (IEC 61508-6, Annex D), where a share ``beta`` of each copy's downtime
comes from such causes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on first use: grading kernels that only need the numbers start faster
    import pandas as pd

from . import _check
from .units import SECONDS_PER_DAY, SECONDS_PER_MONTH, SECONDS_PER_YEAR, format_duration

PERIODS: dict[str, float] = {
    "year": float(SECONDS_PER_YEAR),
    "month": float(SECONDS_PER_MONTH),
    "week": 7.0 * SECONDS_PER_DAY,
    "day": float(SECONDS_PER_DAY),
}
"""Length of each budgeting period, seconds."""


def _availability(value: object, name: str = "availability") -> float:
    return _check.number(name, value, low=0.0, high=1.0, low_open=True, high_open=True)


def _period(period: str) -> float:
    return PERIODS[_check.choice("period", period, tuple(PERIODS))]


def downtime(availability: float, period: str = "year") -> float:
    """Seconds of downtime allowed per ``period`` ("year", "month", "week" or "day").

    >>> round(downtime(0.9999) / 60, 1)
    52.6
    """
    return (1.0 - _availability(availability)) * _period(period)


def availability_from_downtime(seconds: float, period: str = "year") -> float:
    """The availability that allows ``seconds`` of downtime per ``period``.

    >>> availability_from_downtime(3_153.6)
    0.9999
    """
    length = _period(period)
    down = _check.number("seconds", seconds, high=length, high_open=True)
    return round(1.0 - down / length, 12)


def nines(availability: float) -> float:
    """How many nines: 0.999 -> 3.0.

    >>> nines(0.999)
    3.0
    """
    return round(-math.log10(1.0 - _availability(availability)), 9)


def from_nines(count: float) -> float:
    """The availability with ``count`` nines: 4 -> 0.9999.

    >>> from_nines(4)
    0.9999
    """
    n = _check.number("count", count, low_open=True, high=15)
    return round(1.0 - 10.0 ** (-n), 15)


def _values(parts: tuple[float | Iterable[float], ...]) -> list[float]:
    flat: list[float] = []
    for part in parts:
        flat.extend(part if isinstance(part, Iterable) and not isinstance(part, str) else [part])  # type: ignore[list-item]
    if not flat:
        raise ValueError("give at least one availability in (0, 1)")
    return [_availability(v, f"availability[{i}]") for i, v in enumerate(flat)]


def serial(*availabilities: float | Iterable[float]) -> float:
    """Availability of components that must all be up (a request passes through each).

    >>> round(serial(0.999, 0.999), 6)
    0.998001
    """
    return math.prod(_values(availabilities))


def parallel(*availabilities: float | Iterable[float]) -> float:
    """Availability of redundant components where any one being up is enough.

    >>> round(parallel(0.99, 0.99), 6)
    0.9999
    """
    return 1.0 - math.prod(1.0 - a for a in _values(availabilities))


def parallel_common_cause(availability: float, copies: int, beta: float) -> float:
    """Availability of ``copies`` redundant copies, each up ``availability`` of the time alone, when a
    share ``beta`` in [0, 1] of each copy's downtime has a common cause that takes all copies down.

    Beta-factor model: a common-cause outage happens with probability ``c = beta * (1 - a)``; each copy
    also fails on its own with the probability ``q`` that keeps a single copy at ``a``
    (``(1 - c)(1 - q) = a``). The group is up when no common cause struck and not every copy failed
    on its own: ``(1 - c) * (1 - q ** copies)``. ``beta = 0`` is :func:`parallel`; ``beta = 1`` gains
    nothing from the copies.

    >>> round(parallel_common_cause(0.999, 2, 0.0), 6)    # independent: six nines
    0.999999
    >>> round(parallel_common_cause(0.999, 2, 0.1), 6)    # a tenth shared: about four nines
    0.999899
    """
    a = _availability(availability)
    if isinstance(copies, bool) or not isinstance(copies, int):
        raise TypeError(f"copies must be a whole number in [1, 100], got {copies!r}")
    n = int(_check.number("copies", copies, low=1, high=100))
    share = _check.number("beta", beta, low=0.0, high=1.0)
    common = share * (1.0 - a)
    own = 1.0 - a / (1.0 - common)
    return (1.0 - common) * (1.0 - own**n)


def table(levels: Iterable[float] = (0.99, 0.999, 0.9999, 0.99999)) -> pd.DataFrame:
    """Downtime budget per year, month and day for each availability level."""
    import pandas as pd

    rows = []
    for level in levels:
        year, month, day = (downtime(level, p) for p in ("year", "month", "day"))
        rows.append(
            {
                "availability": level,
                "nines": nines(level),
                "per_year_s": year,
                "per_month_s": month,
                "per_day_s": day,
                "per_year": format_duration(year),
                "per_month": format_duration(month),
                "per_day": format_duration(day),
            }
        )
    return pd.DataFrame(rows)
