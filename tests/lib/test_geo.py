"""Geohash cells, the cells a radius needs, location-update load and index scans (sysdesign.geo).

Expected numbers: geohash strings from the reference examples (geohash.org's 57.64911, 10.40744
-> u4pruydqqvj; the Wikipedia example ezs42 for 42.6, -5.6); cell sizes from 360 / 2^bits degrees
times 111,195 m per degree; the rest is arithmetic written next to each case.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import geo

DEG = 2 * math.pi * 6_371_000 / 360  # metres per degree on a sphere of radius 6,371 km


@pytest.mark.parametrize(
    ("lat", "lon", "precision", "expected"),
    [
        (57.64911, 10.40744, 11, "u4pruydqqvj"),  # geohash.org's own example
        (42.6, -5.6, 5, "ezs42"),  # the Wikipedia article's worked example
        (0.0, 0.0, 1, "s"),  # the first cell north-east of (0, 0): bits 11000 -> 's'
        (-90.0, -180.0, 3, "000"),  # the south-west corner is all zero bits
    ],
)
def test_geohash_encode_matches_reference_examples(lat, lon, precision, expected):
    assert geo.geohash_encode(lat, lon, precision) == expected


@given(
    st.floats(-89, 89, allow_nan=False),
    st.floats(-179.9, 179.9, allow_nan=False),
    st.integers(1, 11),
)
@settings(max_examples=60, deadline=None)
def test_a_longer_geohash_extends_the_shorter_one(lat, lon, precision):
    assert geo.geohash_encode(lat, lon, precision + 1).startswith(geo.geohash_encode(lat, lon, precision))


@pytest.mark.parametrize(
    ("precision", "lat", "width", "height"),
    [
        (5, 0.0, 360 / 2**13 * DEG, 180 / 2**12 * DEG),  # 25 bits: 13 longitude, 12 latitude
        (6, 0.0, 360 / 2**15 * DEG, 180 / 2**15 * DEG),  # 30 bits: 15 and 15
        (6, 60.0, 360 / 2**15 * DEG * 0.5, 180 / 2**15 * DEG),  # cos 60 degrees = 0.5
        (1, 0.0, 45 * DEG, 45 * DEG),  # 5 bits: 3 longitude (360 / 8), 2 latitude (180 / 4)
    ],
)
def test_cell_size(precision, lat, width, height):
    w, h = geo.cell_size_m(precision, lat)
    assert w == pytest.approx(width, rel=1e-9) and h == pytest.approx(height, rel=1e-9)


@pytest.mark.parametrize(
    ("radius", "lat", "expected"),
    [
        (1_000, 0.0, 5),  # precision 6 is 1.2 km x 0.6 km: too short; 5 is 4.9 km square
        (600, 0.0, 6),  # 0.611 km tall at precision 6 covers 600 m
        (1_500, 40.7, 5),  # 3.7 km x 4.9 km at New York's latitude
        (5_000, 40.7, 4),  # precision 5 is 3.7 km wide there: one step coarser
        (100, 40.7, 7),  # precision 7: 116 m x 153 m
    ],
)
def test_precision_for_radius(radius, lat, expected):
    assert geo.precision_for_radius(radius, lat) == expected


@given(st.floats(10, 100_000), st.floats(-60, 60))
@settings(max_examples=60, deadline=None)
def test_the_chosen_precision_is_the_finest_whose_cells_cover_the_radius(radius, lat):
    p = geo.precision_for_radius(radius, lat)
    assert min(geo.cell_size_m(p, lat)) >= radius or p == 1
    if p < geo.MAX_PRECISION:
        assert min(geo.cell_size_m(p + 1, lat)) < radius


@pytest.mark.parametrize(
    ("radius", "cell", "expected"),
    [
        (1_000, 1_000, 9),  # one ring around the centre: 3 x 3
        (1_000, 400, 49),  # ceil(2.5) = 3 rings: 7 x 7
        (1_000, 500, 25),  # 2 rings: 5 x 5
        (1, 1_000, 9),  # a tiny radius still needs the neighbours (the rider may sit on an edge)
    ],
)
def test_cells_to_search(radius, cell, expected):
    assert geo.cells_to_search(radius, cell) == expected


@pytest.mark.parametrize(
    ("drivers", "interval", "expected"),
    [(1_000_000, 4, 250_000), (500_000, 5, 100_000), (10, 1, 10)],  # drivers / interval
)
def test_location_update_qps(drivers, interval, expected):
    assert geo.location_update_qps(drivers, interval) == pytest.approx(expected)


def test_staleness_is_speed_times_interval():
    assert geo.staleness_m(12.5, 4) == 50  # 45 km/h for 4 s


def test_scan_without_an_index_reads_every_driver():
    scan = geo.scan_drivers(5_000, 1_000, seed=2)
    assert scan.scanned == 5_000 and scan.missed == 0 and scan.cells == 0


def test_the_right_precision_misses_nobody_and_reads_far_fewer_drivers():
    full = geo.scan_drivers(50_000, 1_500, seed=3)
    right = geo.scan_drivers(50_000, 1_500, precision=5, lat=40.7, seed=3)
    coarse = geo.scan_drivers(50_000, 1_500, precision=4, lat=40.7, seed=3)
    fine = geo.scan_drivers(50_000, 1_500, precision=6, lat=40.7, seed=3)
    assert right.missed == 0 and right.found == pytest.approx(full.found)
    assert right.scanned < coarse.scanned < full.scanned
    assert fine.missed > 0  # cells shorter than the radius: the 3 x 3 block leaves drivers out


def test_index_scan_is_close_to_the_even_spread_estimate():
    # 9 cells of 3.7 km x 4.9 km out of a 50 km square city, 50,000 drivers
    w, h = geo.cell_size_m(5, 40.7)
    expected = 50_000 * 9 * w * h / 50_000**2
    assert geo.scan_drivers(50_000, 1_500, precision=5, lat=40.7, seed=3).scanned == pytest.approx(
        expected, rel=0.1
    )
    assert geo.expected_scanned(50_000, 50_000**2, 9, w * h) == pytest.approx(expected)


def test_scan_is_deterministic_for_a_seed():
    assert geo.scan_drivers(2_000, 800, precision=6, seed=9) == geo.scan_drivers(
        2_000, 800, precision=6, seed=9
    )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: geo.geohash_encode(91, 0), "lat"),
        (lambda: geo.geohash_encode(0, 0, 0), "precision"),
        (lambda: geo.precision_for_radius(0), "radius_m"),
        (lambda: geo.cells_to_search(100, -1), "cell_m"),
        (lambda: geo.location_update_qps(100, 0), "interval_s"),
        (lambda: geo.scan_drivers(0, 100), "drivers"),
        (lambda: geo.scan_drivers(100, 100, precision=2.5), "precision"),
        (lambda: geo.expected_scanned(10, 0, 9, 1), "city_area_m2"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
