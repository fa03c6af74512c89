"""Explorer for the geo-indexing lesson: geohash precision, radius and points against a quadtree."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from sysdesign import geo, geoindex
from sysdesign.widgets._base import Chart, Explorer, html_table, int_slider, slider, view

START_PRECISION, START_RADIUS_KM, START_POINTS = 5, 1.0, 10_000
SHOWN = 250  # points drawn at most (the table counts all of them): SVG markers cost a step time


def _outline(s: np.ndarray, n: np.ndarray, w: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x (lon) and y (lat) of box outlines, each closed and followed by a gap (NaN), for one line trace."""
    gap = np.full_like(s, np.nan)
    xs = np.column_stack([w, e, e, w, w, gap]).ravel()
    ys = np.column_stack([s, s, n, n, s, gap]).ravel()
    return xs, ys


def _picture(values: dict[str, Any], city: str, seed: int, capacity: int) -> dict[str, Any]:
    """What the chart shows for the first rider: points near it, the circle, the 3 x 3 geohash block
    and the quadtree leaves the circle touches."""
    p, r, n = int(values["precision"]), float(values["radius_km"]) * 1000, int(values["points"])
    w = geoindex.workload(n, city, seed=seed)
    lat, lon = (float(v) for v in w.riders[0])
    tree = geoindex.quadtree_for(n, city, seed=seed, capacity=capacity)
    hit = geoindex.leaves_within(tree, lat, lon, r)
    span_m = max(2.5 * r, 1.6 * max(geo.cell_size_m(p, lat)))
    dlat = span_m / geo.METRES_PER_DEGREE
    dlon = dlat / math.cos(math.radians(lat))
    near = np.flatnonzero((np.abs(w.points[:, 0] - lat) <= dlat) & (np.abs(w.points[:, 1] - lon) <= dlon))
    near = near[:SHOWN]
    ring_lat, ring_lon = geoindex.circle(lat, lon, r)
    return {
        "points": (w.points[near, 1], w.points[near, 0], (w.dist[0, near] <= r).astype(int)),
        "circle": (ring_lon, ring_lat),
        "block": _outline(*geoindex.block_bounds(lat, lon, p)),
        "leaves": _outline(tree.south[hit], tree.north[hit], tree.west[hit], tree.east[hit]),
        "rider": ([lon], [lat]),
        "range": ([lon - dlon, lon + dlon], [lat - dlat, lat + dlat]),
    }


def _figure(lat: float) -> go.Figure:
    fig = go.Figure(
        [
            go.Scatter(
                x=[],
                y=[],
                mode="markers",
                name="points",
                marker=dict(size=4, color=[], cmin=0, cmax=1, colorscale=[[0, "#9e9e9e"], [1, "#c62828"]]),
            ),
            go.Scatter(
                x=[], y=[], mode="lines", name="quadtree leaves read", line=dict(color="#2e7d32", width=1)
            ),
            go.Scatter(
                x=[],
                y=[],
                mode="lines",
                name="geohash cell + 8 neighbours",
                line=dict(color="#1565c0", width=2),
            ),
            go.Scatter(x=[], y=[], mode="lines", name="radius", line=dict(color="#c62828", dash="dash")),
            go.Scatter(
                x=[], y=[], mode="markers", name="rider", marker=dict(size=12, symbol="star", color="#000")
            ),
        ]
    )
    fig.update_layout(
        height=520,
        margin=dict(l=60, r=10, t=40, b=40),
        title="Points near one rider (red: within the radius), the cells each index reads",
        legend=dict(orientation="h", y=-0.12),
        xaxis_title="longitude (°)",
        yaxis_title="latitude (°)",
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / math.cos(math.radians(lat)))
    return fig


def geo_explorer(city: str = "San Francisco", capacity: int = 100, seed: int = 0) -> Explorer:
    """Sliders for geohash precision, radius and number of points -> cells read, points scanned, found
    and missed for each method (means over seeded riders), and a map around one rider."""
    controls = {
        "precision": int_slider("Geohash precision (characters)", START_PRECISION, 3, 8),
        "radius_km": slider("Radius (km)", START_RADIUS_KM, 0.25, 5.0, 0.25),
        "points": int_slider("Points", START_POINTS, 1_000, 20_000, 1_000),
    }
    table = view("sd-geo-table")
    chart = Chart(_figure(geoindex.CITIES[city][0]), "sd-geo-chart")

    def render(values: dict[str, Any]) -> None:
        result = geoindex.search(
            values["radius_km"] * 1000,
            values["precision"],
            n=values["points"],
            city=city,
            capacity=capacity,
            seed=seed,
        )
        table.value = html_table(result.round(1), "sd-table")
        pic = _picture(values, city, seed, capacity)
        with chart.batch_update():
            points, leaves, block, circle, rider = chart.figure.data
            points.x, points.y, points.marker.color = pic["points"]
            leaves.x, leaves.y = pic["leaves"]
            block.x, block.y = pic["block"]
            circle.x, circle.y = pic["circle"]
            rider.x, rider.y = pic["rider"]
            chart.figure.layout.xaxis.range, chart.figure.layout.yaxis.range = pic["range"]

    return Explorer("geo", controls, {"table": table, "chart": chart}, render)
