"""Geospatial indexing for nearby-driver search: geohash cells, how many cells a radius needs,
location-update load, and how many drivers a query scans with and without a spatial index.

A geohash interleaves the bits of longitude and latitude and writes them five at a time in a
base-32 alphabet. Every extra character splits the cell into 32, so a ``precision``-character
geohash names a rectangle; drivers whose geohash shares the rider's prefix sit in the same
rectangle. The usual query reads the rider's cell and its eight neighbours (a 3 x 3 block).
That block covers every point within ``radius`` of the rider only when a cell is at least
``radius`` wide and tall, so the right precision is the finest one whose cells are still that
large (:func:`precision_for_radius`).

Distances use a spherical Earth (mean radius 6,371 km): one degree of latitude is about 111.2 km
and a degree of longitude shrinks with the cosine of the latitude. Synthetic drivers are spread
uniformly over a square city and positions are in metres on a flat local map, which is accurate
to well under 1% across a city.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _check

BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
"""The geohash alphabet: digits and lower-case letters without a, i, l, o."""

EARTH_RADIUS_M = 6_371_000.0
"""Mean radius of the Earth, metres."""

METRES_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_M / 360
"""Length of one degree of latitude (and of longitude at the equator), metres: about 111,195."""

MAX_PRECISION = 12
MAX_DRIVERS = 2_000_000


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def _bits(precision: int) -> tuple[int, int]:
    """(longitude bits, latitude bits) of a geohash of ``precision`` characters."""
    total = 5 * precision
    return (total + 1) // 2, total // 2


def geohash_encode(lat: float, lon: float, precision: int = 6) -> str:
    """The geohash of a point: ``precision`` base-32 characters (latitude, longitude in degrees).

    >>> geohash_encode(57.64911, 10.40744, 11)   # the example of geohash.org
    'u4pruydqqvj'
    >>> geohash_encode(40.7580, -73.9855, 6)     # Times Square
    'dr5ru7'
    """
    la = _check.number("lat", lat, low=-90, high=90)
    lo = _check.number("lon", lon, low=-180, high=180)
    p = _whole("precision", precision, 1, MAX_PRECISION)
    lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    chars: list[str] = []
    value, bit, even = 0, 0, True
    while len(chars) < p:
        if even:  # longitude bit
            mid = (lon_lo + lon_hi) / 2
            value = value * 2 + (lo >= mid)
            lon_lo, lon_hi = (mid, lon_hi) if lo >= mid else (lon_lo, mid)
        else:
            mid = (lat_lo + lat_hi) / 2
            value = value * 2 + (la >= mid)
            lat_lo, lat_hi = (mid, lat_hi) if la >= mid else (lat_lo, mid)
        even = not even
        bit += 1
        if bit == 5:
            chars.append(BASE32[value])
            value, bit = 0, 0
    return "".join(chars)


def cell_size_m(precision: int, lat: float = 0.0) -> tuple[float, float]:
    """Width (east-west) and height (north-south) of a geohash cell at latitude ``lat``, metres.

    >>> [round(x) for x in cell_size_m(5)]          # at the equator: about 4.9 km square
    [4886, 4886]
    >>> [round(x) for x in cell_size_m(6, lat=60)]  # longitude cells narrow towards the poles
    [611, 611]
    """
    p = _whole("precision", precision, 1, MAX_PRECISION)
    la = _check.number("lat", lat, low=-89, high=89)
    lon_bits, lat_bits = _bits(p)
    width = 360 / 2**lon_bits * METRES_PER_DEGREE * math.cos(math.radians(la))
    height = 180 / 2**lat_bits * METRES_PER_DEGREE
    return width, height


def precision_for_radius(radius_m: float, lat: float = 0.0) -> int:
    """The finest geohash precision whose cells are at least ``radius_m`` wide and tall at ``lat``.

    With that precision the rider's cell plus its 8 neighbours contain every point within
    ``radius_m``; one character more and the 3 x 3 block can miss drivers; one less and the
    query scans about 32 times as many.

    >>> precision_for_radius(1_000), precision_for_radius(1_000, lat=40.7)
    (5, 5)
    >>> precision_for_radius(300, lat=40.7)
    6
    >>> precision_for_radius(5_000, lat=40.7)
    4
    """
    r = _check.number("radius_m", radius_m, low=0, low_open=True, high=5_000_000)
    la = _check.number("lat", lat, low=-89, high=89)
    best = 1
    for p in range(1, MAX_PRECISION + 1):
        if min(cell_size_m(p, la)) >= r:
            best = p
    return best


def cells_to_search(radius_m: float, cell_m: float) -> int:
    """Grid cells of side ``cell_m`` to read so that every point within ``radius_m`` of any point in
    the centre cell is covered: ``(2 * ceil(radius / cell) + 1) ** 2``.

    >>> cells_to_search(1_000, 1_000), cells_to_search(1_000, 400), cells_to_search(10, 1_000)
    (9, 49, 9)
    """
    r = _check.number("radius_m", radius_m, low=0, low_open=True)
    c = _check.number("cell_m", cell_m, low=0, low_open=True)
    rings = math.ceil(r / c)
    return (2 * rings + 1) ** 2


def location_update_qps(drivers: float, interval_s: float) -> float:
    """Location writes per second when ``drivers`` each send their position every ``interval_s`` seconds.

    >>> location_update_qps(1_000_000, 4)
    250000.0
    """
    n = _check.number("drivers", drivers)
    t = _check.number("interval_s", interval_s, low=0, low_open=True)
    return n / t


def staleness_m(speed_m_s: float, interval_s: float) -> float:
    """How far (metres) a driver can move between two position updates: speed times interval.

    >>> staleness_m(12.5, 4)
    50.0
    """
    v = _check.number("speed_m_s", speed_m_s)
    t = _check.number("interval_s", interval_s, low=0, low_open=True)
    return v * t


@dataclass(frozen=True)
class Scan:
    """What nearby-driver queries cost and found, averaged over the queries.

    ``scanned``: drivers read per query (distance computed); ``found``: drivers within the radius
    that the query returned; ``missed``: drivers within the radius it did not return (a correct
    index misses none); ``cells``: cells read per query (0 without an index).
    """

    scanned: float
    found: float
    missed: float
    cells: int


def synthetic_drivers(n: int, city_m: float = 50_000.0, seed: int = 0) -> np.ndarray:
    """``n`` drivers spread uniformly over a square city of side ``city_m``: an (n, 2) array of
    east, north positions in metres from the city's south-west corner.

    >>> synthetic_drivers(3, seed=1).shape
    (3, 2)
    """
    count = _whole("n", n, 1, MAX_DRIVERS)
    side = _check.number("city_m", city_m, low=0, low_open=True, high=1_000_000)
    return np.random.default_rng(seed).uniform(0.0, side, size=(count, 2))


def _riders(queries: int, city_m: float, radius_m: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 1)
    margin = min(radius_m, city_m / 4)
    return rng.uniform(margin, city_m - margin, size=(queries, 2))


def _cell_keys(ix: np.ndarray, iy: np.ndarray) -> np.ndarray:
    return ix.astype(np.int64) * 4_000_003 + iy.astype(np.int64)


def scan_drivers(
    drivers: int,
    radius_m: float,
    *,
    precision: int | None = None,
    lat: float = 0.0,
    city_m: float = 50_000.0,
    queries: int = 200,
    seed: int = 0,
) -> Scan:
    """Nearby-driver queries over seeded synthetic drivers, without an index or with a geohash grid.

    ``precision=None``: no index, every query computes the distance to every driver. With a
    ``precision``: drivers are bucketed into geohash-sized cells (:func:`cell_size_m` at ``lat``)
    and a query reads only the rider's cell and its 8 neighbours, then filters by distance.
    Riders stand at least ``radius_m`` from the city's edge (when the city allows it).

    >>> full = scan_drivers(10_000, 1_000, seed=1)
    >>> full.scanned, full.missed
    (10000.0, 0.0)
    >>> indexed = scan_drivers(10_000, 1_000, precision=5, lat=40.7, seed=1)
    >>> indexed.missed, indexed.scanned < full.scanned / 10
    (0.0, True)
    """
    n = _whole("drivers", drivers, 1, MAX_DRIVERS)
    r = _check.number("radius_m", radius_m, low=0, low_open=True, high=1_000_000)
    side = _check.number("city_m", city_m, low=0, low_open=True, high=1_000_000)
    q = _whole("queries", queries, 1, 10_000)
    la = _check.number("lat", lat, low=-89, high=89)
    p = None if precision is None else _whole("precision", precision, 1, MAX_PRECISION)
    pos = synthetic_drivers(n, side, seed)
    riders = _riders(q, side, r, seed)
    # exact answers: drivers within r, found through a helper grid of side r (3 x 3 cells suffice)
    gx, gy = np.floor(pos[:, 0] / r), np.floor(pos[:, 1] / r)
    order = np.argsort(_cell_keys(gx, gy), kind="stable")
    keys = _cell_keys(gx, gy)[order]
    if p is not None:
        width, height = cell_size_m(p, la)
        hx, hy = np.floor(pos[:, 0] / width), np.floor(pos[:, 1] / height)
        hkeys = np.sort(_cell_keys(hx, hy))
    offsets = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    within = np.zeros(q)
    found = np.zeros(q)
    scanned = np.full(q, float(n))
    for k, (x, y) in enumerate(riders):
        rx, ry = np.floor(x / r), np.floor(y / r)
        near = _cell_keys(np.array([rx + dx for dx, _ in offsets]), np.array([ry + dy for _, dy in offsets]))
        lo, hi = np.searchsorted(keys, near, "left"), np.searchsorted(keys, near, "right")
        idx = order[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])]
        d2 = (pos[idx, 0] - x) ** 2 + (pos[idx, 1] - y) ** 2
        close = idx[d2 <= r * r]
        within[k] = close.size
        if p is None:
            found[k] = close.size
            continue
        cx, cy = np.floor(x / width), np.floor(y / height)
        block = _cell_keys(np.array([cx + dx for dx, _ in offsets]), np.array([cy + dy for _, dy in offsets]))
        scanned[k] = float(
            (np.searchsorted(hkeys, block, "right") - np.searchsorted(hkeys, block, "left")).sum()
        )
        found[k] = ((np.abs(hx[close] - cx) <= 1) & (np.abs(hy[close] - cy) <= 1)).sum()
    return Scan(
        float(scanned.mean()), float(found.mean()), float((within - found).mean()), 0 if p is None else 9
    )


def expected_scanned(drivers: float, city_area_m2: float, cells: int, cell_area_m2: float) -> float:
    """Drivers a query reads on average when drivers are spread evenly: the share of the city the
    ``cells`` searched cover, times the drivers (capped at all of them).

    >>> expected_scanned(100_000, 400e6, 9, 1e6)   # 9 km^2 of a 400 km^2 city
    2250.0
    """
    n = _check.number("drivers", drivers)
    area = _check.number("city_area_m2", city_area_m2, low=0, low_open=True)
    k = _whole("cells", cells, 1, 10**9)
    cell = _check.number("cell_area_m2", cell_area_m2, low=0, low_open=True)
    return min(n, n * k * cell / area)
