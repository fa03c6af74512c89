"""Units: decimal sizes as the syllabus uses them (1 KB = 1,000 B), formatting, rounding for speech."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import units

# Syllabus "Storage Conversions": 1 KB = 1,000 bytes ... 1 PB = 10^15 bytes.
SIZES = [
    ("200KB", 200_000.0),
    ("200 kb", 200_000.0),
    ("1 KB", 1e3),
    ("1MB", 1e6),
    ("1 GB", 1e9),
    ("1TB", 1e12),
    ("1 PB", 1e15),
    ("1.5 gb", 1.5e9),
    ("4 KiB", 4 * 1024.0),
    ("1MiB", 1024.0**2),
    ("200B", 200.0),
    ("200", 200.0),
    (512, 512.0),
]


@pytest.mark.parametrize(("text", "expected"), SIZES)
def test_parse_size(text, expected):
    assert units.parse_size(text) == expected


@pytest.mark.parametrize("bad", ["", "KB", "lots", "12 XB", "1.2.3 MB", "-5 KB", "5 iB"])
def test_parse_size_rejects_with_the_accepted_forms(bad):
    with pytest.raises(ValueError, match="size must look like"):
        units.parse_size(bad)


@pytest.mark.parametrize(
    ("value", "spoken"),
    [
        (5_787, "about 6,000"),  # syllabus: "5,800 QPS ... roughly 6,000"
        (17_361, "about 17,000"),  # starts with 1: two figures
        (500e6, "about 500,000,000"),
        (0.3, "about 0.3"),
        (949, "about 900"),
    ],
)
def test_say_roughly(value, spoken):
    assert units.say_roughly(value) == spoken


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: units.format_size(90e9), "90 GB"),
        (lambda: units.format_size(10e12), "10 TB"),
        (lambda: units.format_size(999), "999 B"),
        (lambda: units.format_rate(575e6), "575 MB/s"),
        (lambda: units.format_count(15e6), "15 million"),
        (lambda: units.format_count(1_500), "1,500"),
        (lambda: units.format_duration(52.56 * 60), "52.6 minutes"),
        (lambda: units.format_duration(3.65 * 86_400), "3.65 days"),
        (lambda: units.format_duration(16e-6), "16 µs"),
    ],
)
def test_formatting(call, text):
    assert call() == text


def test_time_conventions():
    # Syllabus shortcuts: 1 day = 86,400 s (~100K quick); 1 year = 31.5M s (~30M quick).
    assert units.SECONDS_PER_DAY == 24 * 60 * 60
    assert units.SECONDS_PER_YEAR == pytest.approx(31.5e6, rel=0.002)
    assert (units.QUICK_SECONDS_PER_DAY, units.QUICK_SECONDS_PER_YEAR) == (100_000, 30_000_000)
    assert units.QUICK_SECONDS_PER_MONTH == 2_500_000


def test_one_month_convention_everywhere():
    # Issue 10: one month for traffic, storage and downtime budgets: 30 days, stated once in units.
    from sysdesign import availability, estimate

    assert units.SECONDS_PER_MONTH == 30 * 86_400 == 2_592_000
    assert "a month is 30 days" in " ".join(units.__doc__.split())
    assert availability.PERIODS["month"] == units.SECONDS_PER_MONTH
    assert estimate.traffic(per_month=units.SECONDS_PER_MONTH).avg_qps == pytest.approx(1.0)
    # The quick-math month rounds the 30-day one, and a calendar-average month is 1.4 % longer.
    assert units.QUICK_SECONDS_PER_MONTH == pytest.approx(units.SECONDS_PER_MONTH, rel=0.04)
    assert (365 / 12) / 30 == pytest.approx(1.014, abs=1e-3)


@given(st.floats(min_value=1e-6, max_value=1e18, allow_nan=False))
def test_speech_rounding_stays_within_a_third(value):
    rounded = units.round_for_speech(value)
    assert abs(rounded - value) <= value / 3 + 1e-9 * value


@given(st.floats(min_value=0, max_value=1e6), st.sampled_from(["B", "KB", "MB", "GB", "TB", "PB"]))
def test_parse_size_round_trip(number, unit):
    factor = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15}[unit]
    assert units.parse_size(f"{number!r}{unit}") == pytest.approx(number * factor)


def test_negative_values_are_named():
    with pytest.raises(ValueError, match="num_bytes"):
        units.format_size(-1)
    with pytest.raises(ValueError, match="value"):
        units.round_for_speech(float("nan"))


@pytest.mark.parametrize(
    ("num_bytes", "text"),
    [(182.5e12, "183 TB"), (504.5e6, "505 MB"), (18.25e15, "18.3 PB"), (0.0, "0 B"), (1.0049e9, "1 GB")],
)
def test_halves_round_up_like_people_do(num_bytes, text):
    assert units.format_size(num_bytes) == text
