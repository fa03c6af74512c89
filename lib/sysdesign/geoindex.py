"""Geo-indexing over real coordinates: geohash cells as a grid, neighbours across cell edges, a
quadtree that splits crowded cells, and "find drivers within r" measured for each.

A geohash of ``p`` characters is a cell of a regular grid: ``ceil(5p / 2)`` bits of longitude and
``floor(5p / 2)`` of latitude (:mod:`sysdesign.geo` encodes the string). Here points go to the grid by
arithmetic, so a whole city is indexed at once: :func:`cell_index` gives each point's column and row,
:func:`geohash_of` writes the string, :func:`neighbours` finds the 8 cells around one, which may share
no prefix with it when a boundary of a coarser cell runs between them.

A quadtree (Finkel & Bentley, 1974, introduced quadtrees; the kind used here is the point-region
variant of Xu's proximity service, vol. 2 ch. 1) starts from the whole world and splits any cell
holding more than ``capacity`` points into four equal quadrants, so dense places get small cells and
empty ones stay large (:func:`build_quadtree`).

:func:`search` runs seeded radius queries over seeded points around a real city centre
(:data:`CITIES`) and counts, per method, the cells read, the points scanned, the points found within
the radius, and those it missed (a correct method misses none). Distances are great-circle (haversine)
on a sphere of mean radius 6,371 km; angles in degrees, lengths in metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _check, geo
from ._lazy import pd

CITIES: dict[str, tuple[float, float]] = {
    "San Francisco": (37.7793, -122.4193),
    "New York": (40.7580, -73.9855),
    "London": (51.5081, -0.1281),
    "Paris": (48.8530, 2.3499),
    "Tokyo": (35.6812, 139.7671),
    "Singapore": (1.2840, 103.8514),
}
"""City centres (latitude, longitude, degrees): San Francisco City Hall, Times Square, Trafalgar
Square, Notre-Dame de Paris, Tokyo Station, Raffles Place (each landmark's Wikipedia coordinates)."""

DIRECTIONS: tuple[tuple[str, int, int], ...] = (
    ("n", 0, 1),
    ("ne", 1, 1),
    ("e", 1, 0),
    ("se", 1, -1),
    ("s", 0, -1),
    ("sw", -1, -1),
    ("w", -1, 0),
    ("nw", -1, 1),
)
"""The 8 neighbours: name, columns east, rows north."""

MAX_POINTS = 200_000


def _whole(name: str, value: object, low: int, high: int) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}], got {value!r}")
    return int(x)


def _grid(precision: int) -> tuple[int, int]:
    """Columns and rows of the geohash grid of ``precision`` characters."""
    lon_bits, lat_bits = geo._bits(_whole("precision", precision, 1, geo.MAX_PRECISION))
    return 2**lon_bits, 2**lat_bits


def distance_m(
    lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float, lon2: np.ndarray | float
) -> np.ndarray:
    """Great-circle (haversine) distance in metres; arrays broadcast.

    >>> round(float(distance_m(0, 0, 0, 1)))    # one degree along the equator
    111195
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * geo.EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


# --------------------------------------------------------------------------------------------
# Geohash cells as a grid
# --------------------------------------------------------------------------------------------


def precision_table(lat: float = 0.0) -> pd.DataFrame:
    """Per geohash length 1-12: bits of longitude and latitude, and a cell's width and height at ``lat`` (m).

    >>> t = precision_table().set_index("characters")
    >>> round(t.loc[6, "width_m"]), round(t.loc[6, "height_m"])
    (1222, 611)
    """
    rows = []
    for p in range(1, geo.MAX_PRECISION + 1):
        lon_bits, lat_bits = geo._bits(p)
        width, height = geo.cell_size_m(p, lat)
        rows.append((p, 5 * p, lon_bits, lat_bits, width, height))
    return pd.DataFrame(rows, columns=["characters", "bits", "lon_bits", "lat_bits", "width_m", "height_m"])


def cell_index(
    lat: np.ndarray | float, lon: np.ndarray | float, precision: int
) -> tuple[np.ndarray, np.ndarray]:
    """Column (west to east) and row (south to north) of each point's geohash cell of ``precision`` chars.

    >>> [int(v) for v in cell_index(0.0, 0.0, 1)]    # the cell 's': column 4 of 8, row 2 of 4
    [4, 2]
    """
    cols, rows = _grid(precision)
    la, lo = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    if np.any((la < -90) | (la > 90)) or np.any((lo < -180) | (lo > 180)):
        raise ValueError("lat must be in [-90, 90] and lon in [-180, 180] degrees")
    return _column(lo, -180.0, 360.0, cols), _column(la, -90.0, 180.0, rows)


def _column(v: np.ndarray, low: float, span: float, k: int) -> np.ndarray:
    """Which of ``k`` equal slices of [low, low + span] holds each value; a value on an edge goes to
    the upper slice, as geohash's bisection does (the edges are exact binary fractions)."""
    i = np.clip(np.floor((v - low) / span * k), 0, k - 1).astype(np.int64)
    i = i - (v < low + span * i / k)  # rounding may put a value just below an edge above it
    i = i + ((i < k - 1) & (v >= low + span * (i + 1) / k))
    return np.clip(i, 0, k - 1)


def geohash_of(ix: int, iy: int, precision: int) -> str:
    """The geohash string of grid cell (column ``ix``, row ``iy``): their bits interleaved, longitude first.

    >>> geohash_of(4, 2, 1), geohash_of(*[int(v) for v in cell_index(42.6, -5.6, 5)], 5)
    ('s', 'ezs42')
    """
    cols, rows = _grid(precision)
    x, y = _whole("ix", ix, 0, cols - 1), _whole("iy", iy, 0, rows - 1)
    lon_bits, lat_bits = geo._bits(precision)
    value = 0
    for k in range(5 * precision):
        if k % 2 == 0:
            lon_bits -= 1
            value = value * 2 + ((x >> lon_bits) & 1)
        else:
            lat_bits -= 1
            value = value * 2 + ((y >> lat_bits) & 1)
    return "".join(geo.BASE32[(value >> (5 * (precision - 1 - i))) & 31] for i in range(precision))


def decode(code: str) -> tuple[int, int, int]:
    """(column, row, precision) of a geohash string.

    >>> decode("s")
    (4, 2, 1)
    """
    if not isinstance(code, str) or not 1 <= len(code) <= geo.MAX_PRECISION:
        raise ValueError(f"code must be a geohash of 1 to {geo.MAX_PRECISION} characters, got {code!r}")
    bad = [c for c in code.lower() if c not in geo.BASE32]
    if bad:
        raise ValueError(f"code must use the geohash alphabet {geo.BASE32!r}; {bad[0]!r} is not in it")
    x = y = 0
    k = 0
    for c in code.lower():
        v = geo.BASE32.index(c)
        for shift in range(4, -1, -1):
            bit = (v >> shift) & 1
            if k % 2 == 0:
                x = x * 2 + bit
            else:
                y = y * 2 + bit
            k += 1
    return x, y, len(code)


def bounds(code: str) -> tuple[float, float, float, float]:
    """(south, north, west, east) edges of a geohash cell, degrees.

    >>> [round(v, 3) for v in bounds("ezs42")]     # the Wikipedia example: centre 42.605, -5.603
    [42.583, 42.627, -5.625, -5.581]
    """
    x, y, p = decode(code)
    cols, rows = _grid(p)
    return (
        -90 + 180 * y / rows,
        -90 + 180 * (y + 1) / rows,
        -180 + 360 * x / cols,
        -180 + 360 * (x + 1) / cols,
    )


def neighbours(code: str) -> dict[str, str]:
    """The 8 cells around a geohash cell, by compass direction (none beyond a pole; east wraps at 180°).

    >>> neighbours("ezs42")["n"], neighbours("s0000")["s"]
    ('ezs48', 'kpbpb')
    """
    x, y, p = decode(code)
    cols, rows = _grid(p)
    return {name: geohash_of((x + dx) % cols, y + dy, p) for name, dx, dy in DIRECTIONS if 0 <= y + dy < rows}


def common_prefix(a: str, b: str) -> int:
    """How many leading characters two geohashes share.

    >>> common_prefix("gcpvn", "u10hb"), common_prefix("dr5ru", "dr5rv")
    (0, 4)
    """
    n = 0
    for c, d in zip(a, b, strict=False):
        if c != d:
            break
        n += 1
    return n


# --------------------------------------------------------------------------------------------
# Points around real cities
# --------------------------------------------------------------------------------------------


def sample_points(
    n: int, city: str = "San Francisco", *, core_km: float = 2.0, spread_km: float = 8.0, seed: int = 0
) -> np.ndarray:
    """``n`` seeded points around a city centre of :data:`CITIES`: an (n, 2) array of (lat, lon).

    Two thirds fall in a dense core (normal, standard deviation ``core_km`` east and north), a third
    in a wider spread (``spread_km``), as people crowd a city centre.

    >>> p = sample_points(1_000, "London", seed=1)
    >>> p.shape, bool(abs(p[:, 0].mean() - 51.5) < 0.05)
    ((1000, 2), True)
    """
    count = _whole("n", n, 1, MAX_POINTS)
    lat0, lon0 = CITIES[_check.choice("city", city, tuple(CITIES))]
    core = _check.number("core_km", core_km, low=0, low_open=True, high=500)
    wide = _check.number("spread_km", spread_km, low=0, low_open=True, high=500)
    rng = np.random.default_rng(seed)
    sd = np.where(rng.random(count) < 2 / 3, core, wide) * 1000.0
    north, east = rng.normal(0.0, sd), rng.normal(0.0, sd)
    lat = np.clip(lat0 + north / geo.METRES_PER_DEGREE, -89.9, 89.9)
    lon = lon0 + east / (geo.METRES_PER_DEGREE * np.cos(np.radians(lat0)))
    return np.column_stack([lat, (lon + 180.0) % 360.0 - 180.0])


# --------------------------------------------------------------------------------------------
# Quadtree
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quadtree:
    """The leaves of a quadtree: their boxes (degrees), depths and point counts, and each point's leaf.

    ``south``, ``north``, ``west``, ``east``, ``depth``, ``count``: one entry per leaf;
    ``leaf_of``: the leaf of every point (by position in the input).
    """

    south: np.ndarray
    north: np.ndarray
    west: np.ndarray
    east: np.ndarray
    depth: np.ndarray
    count: np.ndarray
    leaf_of: np.ndarray
    capacity: int

    def leaf_at(self, lat: float, lon: float) -> int:
        """The leaf whose box holds (``lat``, ``lon``)."""
        inside = (self.south <= lat) & (lat <= self.north) & (self.west <= lon) & (lon <= self.east)
        return int(np.flatnonzero(inside)[0])

    def depths(self) -> pd.DataFrame:
        """Leaves and points per depth, with a leaf's width there (m at the equator)."""
        frame = pd.DataFrame({"depth": self.depth, "points": self.count})
        table = frame.groupby("depth").agg(leaves=("points", "size"), points=("points", "sum")).reset_index()
        table["width_m"] = 360.0 / 2.0 ** table["depth"] * geo.METRES_PER_DEGREE
        return table


def build_quadtree(points: np.ndarray, capacity: int = 100, max_depth: int = 30) -> Quadtree:
    """Start from the whole world and split every cell holding more than ``capacity`` points into four
    equal quadrants (down to ``max_depth``). ``points``: (n, 2) array of (lat, lon) degrees.

    >>> t = build_quadtree(np.array([[10.0, 10.0], [-10.0, -10.0], [10.0, -10.0]]), capacity=1)
    >>> t.count.tolist(), t.depth.tolist()    # leaves NW, NE, SW, SE
    ([1, 1, 1, 0], [1, 1, 1, 1])
    """
    pts = np.asarray(points, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or pts.shape[0] > MAX_POINTS:
        raise ValueError(
            f"points must be an (n, 2) array of (lat, lon) with n <= {MAX_POINTS:,}, got {pts.shape}"
        )
    k = _whole("capacity", capacity, 1, MAX_POINTS)
    deepest = _whole("max_depth", max_depth, 1, 40)
    leaves: list[tuple[float, float, float, float, int, np.ndarray]] = []
    stack = [(-90.0, 90.0, -180.0, 180.0, 0, np.arange(pts.shape[0]))]
    while stack:
        s, n, w, e, d, idx = stack.pop()
        if idx.size <= k or d == deepest:
            leaves.append((s, n, w, e, d, idx))
            continue
        mid_lat, mid_lon = (s + n) / 2, (w + e) / 2
        north = pts[idx, 0] >= mid_lat
        east = pts[idx, 1] >= mid_lon
        for box, mask in (
            ((mid_lat, n, w, mid_lon), north & ~east),
            ((mid_lat, n, mid_lon, e), north & east),
            ((s, mid_lat, w, mid_lon), ~north & ~east),
            ((s, mid_lat, mid_lon, e), ~north & east),
        ):
            stack.append((*box, d + 1, idx[mask]))
    leaves.reverse()
    leaf_of = np.empty(pts.shape[0], dtype=np.int64)
    for i, leaf in enumerate(leaves):
        leaf_of[leaf[5]] = i

    def column(j: int) -> np.ndarray:
        return np.array([leaf[j] for leaf in leaves], dtype=float)

    return Quadtree(
        south=column(0),
        north=column(1),
        west=column(2),
        east=column(3),
        depth=np.array([leaf[4] for leaf in leaves], dtype=np.int64),
        count=np.array([leaf[5].size for leaf in leaves], dtype=np.int64),
        leaf_of=leaf_of,
        capacity=k,
    )


def _touched(tree: Quadtree, lat: np.ndarray, lon: np.ndarray, radius_m: float) -> np.ndarray:
    """(queries, leaves) booleans: which leaves may hold a point within ``radius_m`` of each query."""
    r = _check.number("radius_m", radius_m, low=0, low_open=True, high=2_000_000)
    la, lo = np.asarray(lat, dtype=float)[:, None], np.asarray(lon, dtype=float)[:, None]
    near_lat = np.clip(la, tree.south[None, :], tree.north[None, :])
    near_lon = np.clip(lo, tree.west[None, :], tree.east[None, :])
    return distance_m(la, lo, near_lat, near_lon) <= r * 1.01 + 1.0


def leaves_within(tree: Quadtree, lat: float, lon: float, radius_m: float) -> np.ndarray:
    """Indices of the leaves that may hold a point within ``radius_m`` of (``lat``, ``lon``).

    A leaf qualifies when the point of its box nearest the centre (the centre clamped to the box) is
    within the radius, with 1 % to spare for the clamp's error on a sphere.

    >>> t = build_quadtree(np.array([[10.0, 10.0], [-10.0, -10.0], [10.0, -10.0]]), capacity=1)
    >>> leaves_within(t, 1.0, 1.0, 1_000).tolist(), leaves_within(t, 1.0, 1.0, 200_000).tolist()
    ([1], [0, 1, 2, 3])
    """
    return np.flatnonzero(_touched(tree, np.array([lat]), np.array([lon]), radius_m)[0])


# --------------------------------------------------------------------------------------------
# Find drivers within r
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """Seeded points and riders around one city, with every rider-to-point distance (m)."""

    city: str
    points: np.ndarray
    riders: np.ndarray
    dist: np.ndarray


@lru_cache(maxsize=8)
def workload(n: int = 20_000, city: str = "San Francisco", queries: int = 30, seed: int = 0) -> Workload:
    """``n`` points and ``queries`` riders drawn around ``city`` (riders from the same crowd), cached.

    >>> w = workload(500, queries=4, seed=2); w.dist.shape
    (4, 500)
    """
    pts = sample_points(n, city, seed=seed)
    q = _whole("queries", queries, 1, 1_000)
    if q * pts.shape[0] > 20_000_000:
        raise ValueError(f"queries * n must stay under 20,000,000 distances, got {q * pts.shape[0]:,}")
    riders = sample_points(q, city, seed=seed + 1)
    dist = distance_m(riders[:, :1], riders[:, 1:], pts[:, 0][None, :], pts[:, 1][None, :])
    return Workload(city, pts, riders, dist)


@lru_cache(maxsize=8)
def quadtree_for(
    n: int = 20_000, city: str = "San Francisco", queries: int = 30, seed: int = 0, capacity: int = 100
) -> Quadtree:
    """The quadtree of :func:`workload`'s points (``capacity`` points per leaf), cached."""
    return build_quadtree(workload(n, city, queries, seed).points, capacity)


def block_bounds(lat: float, lon: float, precision: int, reach: int = 1) -> tuple[np.ndarray, ...]:
    """(south, north, west, east) of the geohash cells within ``reach`` cells of the point's own cell:
    ``(2 reach + 1)^2`` cells, the rider's cell and its 8 neighbours for ``reach=1``.

    >>> [round(float(v[4]), 4) for v in block_bounds(42.6, -5.6, 5)]   # the centre cell is ezs42
    [42.583, 42.627, -5.625, -5.5811]
    """
    cols, rows = _grid(precision)
    k = _whole("reach", reach, 0, 10)
    ix, iy = (int(v) for v in cell_index(lat, lon, precision))
    steps = np.arange(-k, k + 1)
    x = np.repeat(ix + steps, steps.size).astype(float)
    y = np.tile(iy + steps, steps.size).astype(float)
    return (
        -90 + 180 * y / rows,
        -90 + 180 * (y + 1) / rows,
        -180 + 360 * x / cols,
        -180 + 360 * (x + 1) / cols,
    )


def circle(lat: float, lon: float, radius_m: float, points: int = 73) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of a circle of ``radius_m`` around a point (flat local map), closed.

    >>> la, lo = circle(0.0, 0.0, 1_000); round(float(la.max()) * geo.METRES_PER_DEGREE)
    1000
    """
    r = _check.number("radius_m", radius_m, low=0, low_open=True, high=2_000_000)
    angle = np.linspace(0.0, 2 * np.pi, _whole("points", points, 4, 10_000))
    dlat = r / geo.METRES_PER_DEGREE
    return lat + dlat * np.sin(angle), lon + dlat / np.cos(np.radians(lat)) * np.cos(angle)


def _row(method: str, cells: np.ndarray, scanned: np.ndarray, found: np.ndarray, within: np.ndarray) -> tuple:
    return (
        method,
        float(cells.mean()),
        float(scanned.mean()),
        float(found.mean()),
        float((within - found).mean()),
    )


def search(
    radius_m: float = 1_000.0,
    precision: int = 5,
    *,
    n: int = 20_000,
    city: str = "San Francisco",
    capacity: int = 100,
    queries: int = 30,
    seed: int = 0,
) -> pd.DataFrame:
    """ "Find every point within ``radius_m``" for seeded riders, four ways; means per query.

    Rows: scanning every point; the rider's own geohash cell of ``precision`` characters; that cell and
    its 8 neighbours; a quadtree of ``capacity`` points per leaf (the leaves the circle touches).
    Columns: cells read, points scanned, found (within the radius, among those scanned), missed (within
    the radius, not scanned).

    >>> t = search(1_000, 5, n=5_000).set_index("method")
    >>> float(t.loc["scan every point", "missed"]), float(t.loc["quadtree", "missed"])
    (0.0, 0.0)
    """
    r = _check.number("radius_m", radius_m, low=0, low_open=True, high=200_000)
    p = _whole("precision", precision, 1, geo.MAX_PRECISION)
    w = workload(_whole("n", n, 1, MAX_POINTS), city, queries, seed)
    within = w.dist <= r
    qi, pi = np.nonzero(within)  # (rider, point) pairs within the radius
    q = w.riders.shape[0]
    count = np.bincount(qi, minlength=q)
    every = np.full(q, float(w.points.shape[0]))
    rows = [_row("scan every point", np.zeros(q), every, count, count)]
    cols, n_rows = _grid(p)
    px, py = cell_index(w.points[:, 0], w.points[:, 1], p)
    rx, ry = cell_index(w.riders[:, 0], w.riders[:, 1], p)
    keys = np.sort(px * n_rows + py)
    dx = (px[pi] - rx[qi]) % cols
    dx, dy = np.minimum(dx, cols - dx), np.abs(py[pi] - ry[qi])
    for name, reach in ((f"geohash {p}, own cell", 0), (f"geohash {p}, cell + 8 neighbours", 1)):
        steps = np.arange(-reach, reach + 1)
        cx = (rx[:, None, None] + steps[None, :, None]) % cols
        cy = ry[:, None, None] + steps[None, None, :]
        cell = (cx * n_rows + cy).reshape(q, -1)
        inside = ((cy >= 0) & (cy < n_rows)).repeat(steps.size, axis=1).reshape(q, -1)
        held = np.searchsorted(keys, cell, "right") - np.searchsorted(keys, cell, "left")
        found = np.bincount(qi[(dx <= reach) & (dy <= reach)], minlength=q)
        rows.append(_row(name, inside.sum(axis=1), (held * inside).sum(axis=1), found, count))
    tree = quadtree_for(w.points.shape[0], city, queries, seed, _whole("capacity", capacity, 1, MAX_POINTS))
    hit = _touched(tree, w.riders[:, 0], w.riders[:, 1], r)
    found = np.bincount(qi[hit[qi, tree.leaf_of[pi]]], minlength=q)
    rows.append(_row("quadtree", hit.sum(axis=1), hit @ tree.count, found, count))
    return pd.DataFrame(rows, columns=["method", "cells read", "points scanned", "found", "missed"])
