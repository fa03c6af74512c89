"""Explorer for the news-feed lesson: the celebrity threshold of a hybrid fan-out."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..sim import fanout
from ..units import format_count, format_duration, format_size
from ._base import Chart, Explorer, dropdown, html_table, slider, view

SKEWS = (("heavy tail (alpha 1.1)", 1.1), ("medium tail (alpha 1.5)", 1.5), ("light tail (alpha 2.0)", 2.0))
"""Follower-count tail index choices (smaller alpha: more celebrities)."""

N_AUTHORS = 100_000
N_READERS = 1_000
SWEEP_POINTS = 15


@lru_cache(maxsize=8)
def _audience(alpha: float) -> fanout.Audience:
    return fanout.audience(N_AUTHORS, alpha=alpha, n_readers=N_READERS, seed=0)


@lru_cache(maxsize=8)
def _sweep(alpha: float) -> pd.DataFrame:
    aud = _audience(alpha)
    return fanout.sweep(aud, fanout.thresholds(aud, SWEEP_POINTS))


def threshold_of(log10_threshold: float) -> float:
    """The slider's position (log10 of followers) as a follower count."""
    return float(round(10.0**log10_threshold))


def fanout_rows(alpha: float, log10_threshold: float) -> pd.DataFrame:
    """Push, the hybrid at the slider's threshold, and pull, as readable rows (what the table shows)."""
    frame = fanout.compare(_audience(alpha), threshold_of(log10_threshold))
    return pd.DataFrame(
        {
            "strategy": frame["strategy"],
            "celebrities pulled": [format_count(x) for x in frame["celebrities"]],
            "writes per post (mean)": [f"{x:.1f}" for x in frame["writes_per_post_mean"]],
            "writes per post (max)": [format_count(x) for x in frame["writes_per_post_max"]],
            "sources per read (p99)": [f"{x:.0f}" for x in frame["sources_p99"]],
            "read latency (p99)": [format_duration(x) for x in frame["read_latency_p99_s"]],
            "feed storage per day": [format_size(x) for x in frame["feed_storage_per_day"]],
        }
    )


def _figure(alpha: float, log10_threshold: float) -> go.Figure:
    data = _sweep(alpha)
    now = fanout.fanout(_audience(alpha), threshold_of(log10_threshold))
    fig = go.Figure()
    fig.add_scatter(
        x=data["threshold"], y=data["writes_per_post_mean"], name="writes per post (mean)", mode="lines"
    )
    fig.add_scatter(
        x=data["threshold"],
        y=data["read_latency_p99_s"] * 1e3,
        name="read latency p99 (ms)",
        mode="lines",
        yaxis="y2",
    )
    fig.add_scatter(
        x=[now.threshold],
        y=[now.writes_per_post_mean],
        name="your threshold",
        mode="markers",
        marker={"size": 12},
    )
    fig.update_layout(
        height=340,
        margin={"l": 60, "r": 60, "t": 40, "b": 50},
        title="Hybrid fan-out: writes against read latency",
        xaxis={"title": "celebrity threshold (followers)", "type": "log"},
        yaxis={"title": "writes per post"},
        yaxis2={"title": "read p99 (ms)", "overlaying": "y", "side": "right"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def fanout_explorer(log10_threshold: float = 4.0, alpha: float = 1.1) -> Explorer:
    """Slide the celebrity threshold (as a power of ten) and pick the follower tail: the table
    compares push, the hybrid and pull; the chart marks the hybrid on the whole sweep."""
    controls = {
        "threshold": slider("Celebrity threshold (10^x followers)", log10_threshold, 1.0, 6.0, 0.25),
        "alpha": dropdown("Follower tail", SKEWS, alpha),
    }
    table = view("sd-feed-table")
    chart = Chart(_figure(alpha, log10_threshold), "sd-feed-chart")

    def render(values: dict[str, Any]) -> None:
        a, t = values["alpha"], values["threshold"]
        rows = fanout_rows(a, t)
        table.value = f"<p>Threshold: <b>{format_count(threshold_of(t))}</b> followers</p>" + html_table(
            rows, "sd-table"
        )
        data = _sweep(a)
        now = fanout.fanout(_audience(a), threshold_of(t))
        traces = chart.figure.data
        with chart.batch_update():
            traces[0].x, traces[0].y = data["threshold"], data["writes_per_post_mean"]
            traces[1].x, traces[1].y = data["threshold"], data["read_latency_p99_s"] * 1e3
            traces[2].x, traces[2].y = [now.threshold], [now.writes_per_post_mean]

    return Explorer("feed", controls, {"table": table, "chart": chart}, render)
