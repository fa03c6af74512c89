"""Units and conventions for back-of-envelope maths.

Sizes are decimal, as interviews use them (1 KB = 1,000 bytes); the binary units KiB, MiB, ...
are understood too. Time has two conventions: *exact* (86,400 s a day, 30-day months, 365-day
years) and *quick math* (100,000 s a day, 2.5 million s a month, 30 million s a year).

One month convention for the whole course: **a month is 30 days** (2,592,000 s), for traffic,
storage and downtime budgets alike. Why 30: a monthly volume turns into a daily one by dividing by
30 in your head, the quick-math 2.5 million s is this month rounded, and the average calendar month
(365 / 12 = 30.4 days) differs by only 1.4 %, far inside the 5 % the problem sets allow. A year is
365 days, never 12 months (12 x 30 = 360).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from . import _check

# Decimal sizes, bytes.
B = 1.0
KB = 1e3
MB = 1e6
GB = 1e9
TB = 1e12
PB = 1e15
EB = 1e18

# Time, seconds. Exact conventions.
SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 3_600
SECONDS_PER_DAY = 86_400
DAYS_PER_MONTH = 30  # the course's month: see the module docstring
DAYS_PER_YEAR = 365
SECONDS_PER_MONTH = DAYS_PER_MONTH * SECONDS_PER_DAY  # 2,592,000
SECONDS_PER_YEAR = DAYS_PER_YEAR * SECONDS_PER_DAY  # 31,536,000

# Time, seconds. Quick-math conventions: round numbers that are easy to divide by in your head.
QUICK_SECONDS_PER_DAY = 100_000
QUICK_SECONDS_PER_MONTH = 2_500_000
QUICK_SECONDS_PER_YEAR = 30_000_000

_DECIMAL = {"": 1.0, "K": KB, "M": MB, "G": GB, "T": TB, "P": PB, "E": EB}
_SIZE_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmgtpe]?)(i?)(b?)\s*$", re.IGNORECASE)


def parse_size(text: str | float | int) -> float:
    """Parse a size such as ``"200KB"``, ``"1.5 gb"`` or ``"4 KiB"`` into bytes.

    Decimal prefixes (KB, MB, GB, TB, PB, EB) are powers of 1,000; KiB, MiB, ... powers of 1,024.
    A bare number is bytes. Case does not matter.

    >>> parse_size("200KB")
    200000.0
    >>> parse_size("4 KiB")
    4096.0
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return _check.number("size", text)
    if not isinstance(text, str):
        raise TypeError(f"size must be a string like '200KB' or a number of bytes, got {text!r}")
    match = _SIZE_RE.match(text)
    if match is None or (match.group(3) and not match.group(2)):
        raise ValueError(
            f"size must look like '200KB', '1.5 GB' or '4 KiB' (units B, KB..EB, KiB..EiB), got {text!r}"
        )
    number, prefix, binary, _ = match.groups()
    prefix = prefix.upper()
    if binary:
        factor = 1024.0 ** "KMGTPE".index(prefix) * 1024.0
    else:
        factor = _DECIMAL[prefix]
    return float(number) * factor


def _scaled(value: float, steps: list[tuple[float, str]], digits: int) -> str:
    """Format ``value`` with the largest unit it reaches, to ``digits`` significant figures."""
    for size, name in steps:
        if abs(value) >= size:
            return f"{_sig(value / size, digits)} {name}"
    size, name = steps[-1]
    return f"{_sig(value / size, digits)} {name}"


def _sig(x: float, digits: int) -> str:
    """``x`` to ``digits`` significant figures, without scientific notation or trailing zeros."""
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(x)))))
    # Halves round up, as people do (182.5 -> 183), not to the even neighbour as round() does.
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_SIZE_STEPS = [(EB, "EB"), (PB, "PB"), (TB, "TB"), (GB, "GB"), (MB, "MB"), (KB, "KB"), (1.0, "B")]


def format_size(num_bytes: float, digits: int = 3) -> str:
    """Bytes as a decimal size, to ``digits`` significant figures.

    >>> format_size(90e9)
    '90 GB'
    >>> format_size(164.25e12)
    '164 TB'
    """
    _check.number("num_bytes", num_bytes)
    return _scaled(num_bytes, _SIZE_STEPS, digits)


def format_rate(bytes_per_second: float, digits: int = 3) -> str:
    """Bytes per second as a decimal rate.

    >>> format_rate(115_740.7e3)
    '116 MB/s'
    """
    return format_size(bytes_per_second, digits) + "/s"


_COUNT_STEPS = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")]


def format_count(count: float, digits: int = 3) -> str:
    """A count in words for big numbers, with thousands separators below 1,000,000.

    >>> format_count(500e6)
    '500 million'
    >>> format_count(5787.04)
    '5,787'
    """
    _check.number("count", count)
    if abs(count) < 1e6:
        return f"{count:,.0f}" if count >= 10 else _sig(count, digits)
    return _scaled(count, _COUNT_STEPS, digits)


_DURATION_STEPS = [
    (SECONDS_PER_YEAR, "years"),
    (SECONDS_PER_DAY, "days"),
    (SECONDS_PER_HOUR, "hours"),
    (SECONDS_PER_MINUTE, "minutes"),
    (1.0, "seconds"),
    (1e-3, "ms"),
    (1e-6, "µs"),
    (1e-9, "ns"),
]


def format_duration(seconds: float, digits: int = 3) -> str:
    """Seconds in the largest unit they reach.

    >>> format_duration(31_536)
    '8.76 hours'
    >>> format_duration(500e-6)
    '500 µs'
    """
    _check.number("seconds", seconds)
    return _scaled(seconds, _DURATION_STEPS, digits) if seconds else "0 seconds"


def round_for_speech(value: float) -> float:
    """Round to a number you can say aloud: one significant figure, two when it starts with a 1.

    Starting with a 1, one figure would be too coarse (17,361 -> 20,000 is 15 % off).

    >>> round_for_speech(5787)
    6000.0
    >>> round_for_speech(17361)
    17000.0
    """
    _check.number("value", value)
    if value == 0:
        return 0.0
    exponent = int(math.floor(math.log10(value)))
    digits = 2 if f"{value:e}"[0] == "1" else 1
    scale = 10.0 ** (exponent - digits + 1)
    return float(round(value / scale) * scale)


def say_roughly(value: float, unit: str = "") -> str:
    """The sentence-ready form of :func:`round_for_speech`.

    >>> say_roughly(5787)
    'about 6,000'
    >>> say_roughly(17361, "QPS")
    'about 17,000 QPS'
    """
    rounded = round_for_speech(value)
    text = f"about {rounded:,.0f}" if rounded >= 1 else f"about {rounded:g}"
    return f"{text} {unit}".rstrip()
