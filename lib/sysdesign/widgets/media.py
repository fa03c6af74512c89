"""Explorers for the media-delivery lesson: two ABR rules over one bandwidth trace, and a CDN edge's
hit ratio and origin load against its cache size."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sysdesign.sim import abr, cdn
from sysdesign.widgets._base import Chart, Explorer, html_table, int_slider, slider, view

ABR_START = {"scale": 1.0, "max_buffer_s": 30, "segment_s": 4, "headroom": 0.8}
COLOURS = {"throughput": "#1565c0", "buffer": "#e65100", "bandwidth": "#9e9e9e"}


def _abr_figure() -> go.Figure:
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=("Bandwidth and chosen bitrate (Mbit/s)", "Buffer (s of video)"),
    )
    fig.add_trace(
        go.Scatter(name="bandwidth", line=dict(shape="hv", color=COLOURS["bandwidth"])), row=1, col=1
    )
    for rule in abr.RULES:
        fig.add_trace(
            go.Scatter(name=f"{rule} rule", line=dict(shape="hv", color=COLOURS[rule]), legendgroup=rule),
            row=1,
            col=1,
        )
    for rule in abr.RULES:
        fig.add_trace(
            go.Scatter(line=dict(color=COLOURS[rule]), legendgroup=rule, showlegend=False), row=2, col=1
        )
    fig.update_layout(height=520, margin=dict(l=40, r=10, t=40, b=40), legend=dict(orientation="h", y=1.1))
    fig.update_xaxes(title_text="time (s)", row=2, col=1)
    return fig


def abr_explorer(seed: int = 0, duration_s: float = 600.0, step_s: float = 4.0) -> Explorer:
    """Sliders for bandwidth scale, buffer size, segment length and headroom -> both ABR rules on the
    same seeded trace: a table of rebuffering, mean bitrate and switches, and their bitrate and
    buffer over time against the bandwidth."""
    base = abr.bandwidth(duration_s, step_s=step_s, seed=seed)
    times = step_s * np.arange(len(base) + 1)
    table = view("sd-media-abr-table")
    chart = Chart(_abr_figure(), "sd-media-abr-chart")

    def render(values: dict[str, Any]) -> None:
        trace = base * values["scale"]
        runs = [
            abr.play(
                rule,
                trace,
                step_s=step_s,
                segment_s=values["segment_s"],
                max_buffer_s=values["max_buffer_s"],
                headroom=values["headroom"],
            )
            for rule in abr.RULES
        ]
        table.value = html_table(pd.DataFrame([r.summary() for r in runs]), "sd-table")
        with chart.batch_update():
            data = chart.figure.data
            data[0].x, data[0].y = times, np.append(trace, trace[-1]) / 1e6
            for i, run in enumerate(runs):
                data[1 + i].x, data[1 + i].y = run.start_s, run.bitrate_bps / 1e6
                data[3 + i].x, data[3 + i].y = run.arrive_s, run.buffer_s

    controls = {
        "scale": slider("Bandwidth scale (x trace)", ABR_START["scale"], 0.25, 3.0, 0.25),
        "max_buffer_s": int_slider("Max buffer (s)", int(ABR_START["max_buffer_s"]), 12, 240, 6),
        "segment_s": int_slider("Segment (s)", int(ABR_START["segment_s"]), 2, 10),
        "headroom": slider("Headroom (throughput rule)", ABR_START["headroom"], 0.5, 1.0, 0.05),
    }
    return Explorer("media-abr", controls, {"table": table, "chart": chart}, render)


CDN_START = {"cache_pct": 10, "skew": 0.8, "viewers_m": 1.0, "bitrate_mbps": 3.0}


def _cdn_figure() -> go.Figure:
    fig = go.Figure()
    for name, colour in (("LRU (Che)", COLOURS["throughput"]), ("top videos pre-filled", COLOURS["buffer"])):
        fig.add_trace(go.Scatter(name=name, line=dict(color=colour)))
    fig.add_trace(go.Scatter(name="this cache", mode="markers", marker=dict(size=11, color="#212121")))
    fig.update_layout(
        height=360,
        margin=dict(l=40, r=10, t=40, b=40),
        title="Edge hit ratio against cache size",
        legend=dict(orientation="h", y=1.12),
    )
    fig.update_xaxes(title_text="cache (% of the videos)")
    fig.update_yaxes(title_text="hit ratio", range=[0, 1.02])
    return fig


def cdn_explorer(n_videos: int = 10_000, segment_s: float = 6.0) -> Explorer:
    """Sliders for cache size, popularity skew, viewers and bitrate -> the hit-ratio curves with the
    chosen cache marked, and a table of hit ratio and origin load (Gbit/s) per fill policy."""
    table = view("sd-media-cdn-table")
    chart = Chart(_cdn_figure(), "sd-media-cdn-chart")

    def render(values: dict[str, Any]) -> None:
        curve = cdn.hit_curve(n_videos, values["skew"])
        cached = values["cache_pct"] / 100 * n_videos
        hits = {
            "LRU (Che)": cdn.lru_hit(cached, n_videos, values["skew"]),
            "top videos pre-filled": cdn.top_hit(cached, n_videos, values["skew"]),
        }
        loads = {
            k: cdn.origin_load(values["viewers_m"] * 1e6, values["bitrate_mbps"] * 1e6, h, segment_s)
            for k, h in hits.items()
        }
        table.value = html_table(
            pd.DataFrame(
                {
                    "edge": list(hits),
                    "hit ratio": [f"{h:.1%}" for h in hits.values()],
                    "viewers pull (Gbit/s)": [f"{v.total_gbps:,.0f}" for v in loads.values()],
                    "origin sends (Gbit/s)": [f"{v.origin_gbps:,.0f}" for v in loads.values()],
                }
            ),
            "sd-table",
        )
        with chart.batch_update():
            data = chart.figure.data
            x = curve["cache (% of videos)"].to_numpy()
            data[0].x, data[0].y = x, curve["LRU (Che)"].to_numpy()
            data[1].x, data[1].y = x, curve["top videos pre-filled"].to_numpy()
            data[2].x, data[2].y = [values["cache_pct"]] * 2, list(hits.values())

    controls = {
        "cache_pct": int_slider("Cache size (% of videos)", int(CDN_START["cache_pct"]), 1, 100),
        "skew": slider("Popularity skew (Zipf)", CDN_START["skew"], 0.4, 1.4, 0.1),
        "viewers_m": slider("Viewers (millions)", CDN_START["viewers_m"], 0.1, 10.0, 0.1),
        "bitrate_mbps": slider("Mean bitrate (Mbit/s)", CDN_START["bitrate_mbps"], 0.5, 8.0, 0.5),
    }
    return Explorer("media-cdn", controls, {"table": table, "chart": chart}, render)
