"""Availability: the syllabus's table of nines, inverses, and composition."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sysdesign import availability as av
from sysdesign import reference

# Syllabus "Availability": 99% 3.65 days, 99.9% 8.76 hours, 99.99% 52.6 min, 99.999% 5.26 min per year.
SEED_TABLE = [
    (0.99, 3.65 * 86_400),
    (0.999, 8.76 * 3_600),
    (0.9999, 52.6 * 60),
    (0.99999, 5.26 * 60),
]


@pytest.mark.parametrize(("level", "seconds"), SEED_TABLE)
def test_downtime_per_year_matches_the_syllabus(level, seconds):
    assert av.downtime(level) == pytest.approx(seconds, rel=1e-3)


@pytest.mark.parametrize(
    ("period", "seconds"),
    # The course's month is 30 days (units module docstring): 99.9 % allows 43.2 minutes a month.
    [("year", 365 * 86_400 * 1e-3), ("month", 43.2 * 60), ("week", 604.8), ("day", 86.4)],
)
def test_periods(period, seconds):
    assert av.downtime(0.999, period) == pytest.approx(seconds)


def test_reference_table_matches_the_module():
    table = reference.availability()
    assert list(table["availability"]) == [0.99, 0.999, 0.9999, 0.99999]
    assert table.loc[2, "per_year"] == "52.6 minutes"


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, math.nan])
def test_availability_outside_open_unit_interval(bad):
    with pytest.raises(ValueError, match=r"availability must be a number in \(0, 1\)"):
        av.downtime(bad)


def test_bad_period_lists_the_options():
    with pytest.raises(ValueError, match="period must be one of 'year', 'month', 'week', 'day'"):
        av.downtime(0.99, "fortnight")


def test_composition_examples():
    # Two 99.9 % parts in a chain lose more; two 99 % replicas side by side reach 99.99 %.
    assert av.serial(0.999, 0.999) == pytest.approx(0.998001)
    assert av.parallel([0.99, 0.99]) == pytest.approx(0.9999)
    assert av.nines(0.9999) == pytest.approx(4)
    assert av.from_nines(3) == pytest.approx(0.999)
    with pytest.raises(ValueError, match=r"availability\[1\]"):
        av.serial(0.9, 2)
    with pytest.raises(ValueError, match="at least one"):
        av.parallel()


unit = st.floats(min_value=1e-6, max_value=1 - 1e-6)


@given(st.lists(unit, min_size=1, max_size=6))
def test_serial_no_better_than_weakest_parallel_no_worse_than_strongest(parts):
    assert av.serial(parts) <= min(parts) + 1e-12
    assert av.parallel(parts) >= max(parts) - 1e-12


@given(unit, st.sampled_from(list(av.PERIODS)))
def test_downtime_round_trip(level, period):
    assert av.availability_from_downtime(av.downtime(level, period), period) == pytest.approx(level, abs=1e-9)


# --- correlated failures: the beta-factor model (IEC 61508-6, Annex D) ---


def test_common_cause_limits():
    # beta = 0: independent copies, the plain parallel rule; beta = 1: every outage is shared,
    # so the copies add nothing over one.
    assert av.parallel_common_cause(0.999, 2, 0.0) == pytest.approx(av.parallel(0.999, 0.999))
    assert av.parallel_common_cause(0.999, 3, 1.0) == pytest.approx(0.999)
    assert av.parallel_common_cause(0.99, 1, 0.4) == pytest.approx(0.99)  # one copy keeps its own level


@pytest.mark.parametrize(("level", "copies", "beta"), [(0.999, 2, 0.1), (0.999, 2, 0.01), (0.99, 3, 0.05)])
def test_common_cause_matches_the_textbook_approximation(level, copies, beta):
    # The usual beta-factor approximation: unavailability ~ beta * u + ((1 - beta) * u) ** copies,
    # accurate when u is small. E.g. 99.9 %, two copies, beta 10 %: 1e-4 + 8.1e-7 = 1.0081e-4.
    u = 1 - level
    approx = beta * u + ((1 - beta) * u) ** copies
    assert 1 - av.parallel_common_cause(level, copies, beta) == pytest.approx(approx, rel=0.01)


def test_a_tenth_of_shared_downtime_costs_two_of_six_nines():
    independent = av.nines(av.parallel_common_cause(0.999, 2, 0.0))
    correlated = av.nines(av.parallel_common_cause(0.999, 2, 0.1))
    assert independent == pytest.approx(6)
    assert correlated == pytest.approx(4, abs=0.01)


@given(st.floats(0.5, 0.9999), st.integers(1, 5), st.floats(0, 1), st.floats(0, 1))
def test_common_cause_never_helps(level, copies, b1, b2):
    low, high = sorted((b1, b2))
    worse, better = (av.parallel_common_cause(level, copies, beta) for beta in (high, low))
    assert worse <= better + 1e-12
    assert av.parallel_common_cause(level, copies, high) >= level - 1e-12


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0.999, 0, 0.1), ValueError, r"copies must be a number in \[1, 100\]"),
        ((0.999, 2.0, 0.1), TypeError, "copies must be a whole number"),
        ((0.999, 2, 1.5), ValueError, r"beta must be a number in \[0, 1\]"),
        ((1.0, 2, 0.1), ValueError, r"availability must be a number in \(0, 1\)"),
    ],
)
def test_common_cause_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        av.parallel_common_cause(*args)
