"""Geohash grid, neighbours, quadtree and radius search over points around real cities (sysdesign.geoindex).

Expected numbers and their sources:
- Cell sizes at the equator per geohash length: Elasticsearch reference, "Geohash grid aggregation"
  (cell dimensions table: 1 = 5,009.4 km x 4,992.6 km ... 6 = 1.2 km x 609.4 m ... 12 = 3.7 cm x 1.9 cm).
- "ezs42" decodes to a cell centred on 42.605, -5.603 (Wikipedia, "Geohash", worked example).
- Points either side of the Greenwich meridian (or the equator) share no prefix (Wikipedia, "Geohash",
  limitations); a neighbour is checked against :func:`sysdesign.geo.geohash_encode` (itself checked
  against geohash.org in test_geo.py) at the centre of the cell next door.
- Great-circle distances on a sphere of radius 6,371 km: one degree is 2 pi R / 360 = 111,194.9 m and
  pole to equator pi R / 2 = 10,007.5 km.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sysdesign import geo, geoindex

R = 6_371_000.0

# (characters, width, height) in metres at the equator, Elasticsearch's table
ELASTIC = [
    (1, 5_009_400, 4_992_600),
    (2, 1_252_300, 624_100),
    (3, 156_500, 156_000),
    (4, 39_100, 19_500),
    (5, 4_900, 4_900),
    (6, 1_200, 609.4),
    (7, 152.9, 152.4),
    (8, 38.2, 19),
    (9, 4.8, 4.8),
    (10, 1.2, 0.595),
    (11, 0.149, 0.149),
    (12, 0.037, 0.019),
]


@pytest.mark.parametrize(("chars", "width", "height"), ELASTIC)
def test_precision_table_matches_published_cell_sizes(chars, width, height):
    row = geoindex.precision_table().set_index("characters").loc[chars]
    assert row["bits"] == 5 * chars
    assert row["width_m"] == pytest.approx(width, rel=0.03)
    assert row["height_m"] == pytest.approx(height, rel=0.03)


@given(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9), st.integers(1, 10))
@settings(max_examples=50)
def test_grid_cells_write_the_same_geohash_as_the_encoder(lat, lon, precision):
    ix, iy = geoindex.cell_index(lat, lon, precision)
    assert geoindex.geohash_of(int(ix), int(iy), precision) == geo.geohash_encode(lat, lon, precision)


def test_decode_gives_the_wikipedia_cell():
    south, north, west, east = geoindex.bounds("ezs42")
    assert (south + north) / 2 == pytest.approx(42.605, abs=0.001)
    assert (west + east) / 2 == pytest.approx(-5.603, abs=0.001)
    assert geoindex.decode("EZS42") == geoindex.decode("ezs42")


@given(st.floats(-80, 80), st.floats(-179.9, 179.9), st.integers(1, 8))
@settings(max_examples=40)
def test_each_neighbour_is_the_cell_next_door(lat, lon, precision):
    code = geo.geohash_encode(lat, lon, precision)
    south, north, west, east = geoindex.bounds(code)
    mid_lat, mid_lon, w, h = (south + north) / 2, (west + east) / 2, east - west, north - south
    found = geoindex.neighbours(code)
    for name, dx, dy in geoindex.DIRECTIONS:
        la = mid_lat + dy * h
        if not -90 < la < 90:
            assert name not in found
            continue
        lo = (mid_lon + dx * w + 180) % 360 - 180
        assert found[name] == geo.geohash_encode(la, lo, precision), name


def test_neighbours_across_the_meridian_and_the_equator_share_no_prefix():
    west, east = geo.geohash_encode(51.4779, -0.001, 6), geo.geohash_encode(51.4779, 0.001, 6)
    assert geoindex.common_prefix(west, east) == 0
    assert geoindex.neighbours(west)["e"] == east
    north, south = geo.geohash_encode(0.0001, 0.0001, 5), geo.geohash_encode(-0.0001, 0.0001, 5)
    assert geoindex.common_prefix(north, south) == 0
    assert geoindex.neighbours(north)["s"] == south


def test_no_neighbour_beyond_a_pole():
    top = geo.geohash_encode(89.99, 0.0, 3)
    assert set(geoindex.neighbours(top)) == {"e", "se", "s", "sw", "w"}


def test_distances_on_the_sphere():
    assert float(geoindex.distance_m(0, 0, 0, 1)) == pytest.approx(2 * math.pi * R / 360)
    assert float(geoindex.distance_m(90, 0, 0, 0)) == pytest.approx(math.pi * R / 2)
    assert float(geoindex.distance_m(10, 170, 10, -170)) == pytest.approx(
        float(geoindex.distance_m(10, 0, 10, 20))
    )


def test_sample_points_stay_around_their_real_city():
    pts = geoindex.sample_points(5_000, "Tokyo", seed=3)
    lat0, lon0 = geoindex.CITIES["Tokyo"]
    d = geoindex.distance_m(lat0, lon0, pts[:, 0], pts[:, 1])
    # two thirds with a 2 km standard deviation: the median distance is a few km, almost all within 40 km
    assert 1_000 < np.median(d) < 6_000
    assert np.mean(d < 40_000) > 0.99
    assert np.array_equal(pts, geoindex.sample_points(5_000, "Tokyo", seed=3))


@given(st.integers(1, 3_000), st.integers(1, 200), st.integers(0, 100))
@settings(max_examples=25, deadline=None)
def test_a_quadtree_tiles_the_world_and_respects_its_capacity(n, capacity, seed):
    pts = geoindex.sample_points(n, "Paris", seed=seed)
    tree = geoindex.build_quadtree(pts, capacity)
    assert tree.count.sum() == n
    assert np.all(tree.count <= capacity)
    area = ((tree.north - tree.south) * (tree.east - tree.west)).sum()
    assert area == pytest.approx(360 * 180)
    leaf = tree.leaf_of
    inside = (tree.south[leaf] <= pts[:, 0]) & (pts[:, 0] <= tree.north[leaf])
    inside &= (tree.west[leaf] <= pts[:, 1]) & (pts[:, 1] <= tree.east[leaf])
    assert inside.all()
    assert np.array_equal(np.bincount(leaf, minlength=tree.count.size), tree.count)


def test_a_quadtree_is_deeper_where_points_crowd():
    tree = geoindex.quadtree_for(20_000, "San Francisco")
    lat0, lon0 = geoindex.CITIES["San Francisco"]
    assert tree.depth[tree.leaf_at(lat0, lon0)] > tree.depth[tree.leaf_at(lat0 + 0.1, lon0)]


def test_capacity_one_splits_until_every_point_is_alone():
    pts = np.array([[10.0, 10.0], [10.5, 10.5], [-40.0, 100.0]])
    tree = geoindex.build_quadtree(pts, capacity=1)
    assert sorted(tree.count[tree.count > 0].tolist()) == [1, 1, 1]
    # At depth d rows are 180 / 2^d degrees tall: at d = 8 (0.703 deg) latitudes 10 and 10.5 share the row
    # from 9.844 to 10.547; at d = 9 (0.352 deg) a row edge at 10.195 parts them. Columns (twice as wide)
    # part them later. So both leaves are at depth 9.
    assert tree.depth[tree.leaf_of[0]] == tree.depth[tree.leaf_of[1]] == 9


@given(st.floats(200, 5_000), st.integers(0, 50))
@settings(max_examples=20, deadline=None)
def test_nobody_within_r_is_missed_by_a_correct_method(radius, seed):
    lat = geoindex.CITIES["New York"][0]
    p = geo.precision_for_radius(radius, lat + 0.3)  # cells at least r wide across the sample
    t = geoindex.search(radius, p, n=3_000, city="New York", queries=10, seed=seed).set_index("method")
    within = t.loc["scan every point", "found"]
    for method in ("scan every point", f"geohash {p}, cell + 8 neighbours", "quadtree"):
        assert t.loc[method, "missed"] == 0, method
    assert np.allclose(t["found"] + t["missed"], within)
    assert (t["points scanned"] >= t["found"]).all()
    own, block = t.loc[f"geohash {p}, own cell"], t.loc[f"geohash {p}, cell + 8 neighbours"]
    assert own["points scanned"] <= block["points scanned"] <= 3_000


def test_the_own_cell_count_matches_a_prefix_scan():
    w = geoindex.workload(2_000, "London", queries=5, seed=4)
    codes = [geo.geohash_encode(a, b, 5) for a, b in w.points]
    own = [sum(c == geo.geohash_encode(a, b, 5) for c in codes) for a, b in w.riders]
    t = geoindex.search(1_000, 5, n=2_000, city="London", queries=5, seed=4).set_index("method")
    assert t.loc["geohash 5, own cell", "points scanned"] == pytest.approx(np.mean(own))


def test_too_fine_a_precision_misses_drivers():
    t = geoindex.search(1_000, 7).set_index("method")
    assert t.loc["geohash 7, cell + 8 neighbours", "missed"] > 0
    assert t.loc["quadtree", "missed"] == 0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: geoindex.cell_index(0, 0, 13), "precision"),
        (lambda: geoindex.decode("ezs4a"), "code"),
        (lambda: geoindex.sample_points(10, "Atlantis"), "city"),
        (lambda: geoindex.build_quadtree(np.zeros((3, 2)), capacity=0), "capacity"),
        (lambda: geoindex.search(0, 5), "radius_m"),
        (lambda: geoindex.cell_index(91, 0, 5), "lat"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
