"""Explorer for the rate-limiter lesson: five algorithms on the same bursty traffic."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sysdesign.sim import ratelimit
from sysdesign.widgets._base import Chart, Explorer, html_table, int_slider, slider, view

START = {"rate": 5.0, "limit": 10, "window_s": 1.0, "burst_size": 40}
COLOURS = {"allowed": "#2e7d32", "rejected": "#c62828"}


def _figure(comparison: ratelimit.Comparison) -> go.Figure:
    timeline = comparison.timeline(1.0)
    fig = make_subplots(
        rows=len(ratelimit.ALGORITHMS),
        cols=1,
        shared_xaxes=True,
        subplot_titles=ratelimit.ALGORITHMS,
        vertical_spacing=0.05,
    )
    for row, name in enumerate(ratelimit.ALGORITHMS, start=1):
        part = timeline[timeline["algorithm"] == name]
        for what in ("allowed", "rejected"):
            fig.add_trace(
                go.Bar(
                    x=part["t"],
                    y=part[what],
                    name=what,
                    marker_color=COLOURS[what],
                    legendgroup=what,
                    showlegend=row == 1,
                ),
                row=row,
                col=1,
            )
    fig.update_layout(
        barmode="stack",
        height=620,
        margin=dict(l=40, r=10, t=40, b=40),
        title="Requests per second: allowed and rejected",
        legend=dict(orientation="h", y=1.08),
    )
    fig.update_xaxes(title_text="time (s)", row=len(ratelimit.ALGORITHMS), col=1)
    return fig


def rate_limit_explorer(duration_s: float = 30.0, base_rate: float = 4.0, seed: int = 0) -> Explorer:
    """Sliders for refill rate, limit, window and burst size -> a result table and a per-second chart.

    The buckets hold ``limit`` tokens (or queue slots) and refill (or drain) at ``rate``; the three
    window algorithms allow ``limit`` requests per window. Bursts straddle whole seconds.
    """

    def run(values: dict[str, Any]) -> ratelimit.Comparison:
        return ratelimit.simulate(
            rate=values["rate"],
            limit=values["limit"],
            window_s=values["window_s"],
            burst_size=values["burst_size"],
            duration_s=duration_s,
            base_rate=base_rate,
            seed=seed,
        )

    controls = {
        "rate": slider("Refill rate (req/s)", START["rate"], 1.0, 50.0, 1.0),
        "limit": int_slider("Limit / capacity", int(START["limit"]), 1, 100),
        "window_s": slider("Window (s)", START["window_s"], 0.5, 10.0, 0.5),
        "burst_size": int_slider("Burst size", int(START["burst_size"]), 0, 200, 10),
    }
    table = view("sd-ratelimit-table")
    chart = Chart(_figure(run(START)), "sd-ratelimit-chart")

    def render(values: dict[str, Any]) -> None:
        comparison = run(values)
        table.value = html_table(comparison.table(), "sd-table")
        timeline = comparison.timeline(1.0)
        with chart.batch_update():
            for i, name in enumerate(ratelimit.ALGORITHMS):
                part = timeline[timeline["algorithm"] == name]
                for j, what in enumerate(("allowed", "rejected")):
                    trace = chart.figure.data[2 * i + j]
                    trace.x = part["t"].to_numpy()
                    trace.y = part[what].to_numpy()

    return Explorer("ratelimit", controls, {"table": table, "chart": chart}, render)
