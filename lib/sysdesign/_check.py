"""Input validation shared by every module: clear errors that name the parameter and the accepted range."""

from __future__ import annotations

import math
from numbers import Real


def number(
    name: str,
    value: object,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float, or raise ``ValueError``/``TypeError`` naming ``name`` and the range.

    >>> number("dau", 5)
    5.0
    >>> number("dau", -1)
    Traceback (most recent call last):
    ...
    ValueError: dau must be a number >= 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number {_range(low, high, low_open, high_open)}, got {value!r}")
    x = float(value)
    too_low = x <= low if low_open else x < low
    too_high = x >= high if high_open else x > high
    if math.isnan(x) or too_low or too_high:
        raise ValueError(f"{name} must be a number {_range(low, high, low_open, high_open)}, got {value!r}")
    return x


def _range(low: float, high: float, low_open: bool, high_open: bool) -> str:
    if high == math.inf:
        return f"{'>' if low_open else '>='} {low:g}"
    left, right = ("(" if low_open else "["), (")" if high_open else "]")
    return f"in {left}{low:g}, {high:g}{right}"


def choice(name: str, value: object, options: tuple[str, ...] | list[str]) -> str:
    """Return ``value`` if it is one of ``options``, else raise ``ValueError`` listing them."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r}")
    return str(value)
