"""Explorer for the rate-limiter lesson: five algorithms on the same bursty traffic."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from sysdesign.sim import ratelimit
from sysdesign.widgets._base import Chart, Explorer, html_table, int_slider, slider, view

START = {"rate": 5.0, "limit": 10, "window_s": 1.0, "burst_size": 40}
ARRIVALS_COLOUR = "#bdbdbd"
LINE_COLOURS = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828")


def _figure(comparison: ratelimit.Comparison) -> go.Figure:
    """One axis: the requests arriving each second (grey bars) and what each algorithm let through
    (a line each); the gap between a bar and a line is what that algorithm rejected. One axis, not a
    panel per algorithm, keeps a slider step's redraw under 100 ms."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[], y=[], name="arriving", marker_color=ARRIVALS_COLOUR))
    for name, colour in zip(ratelimit.ALGORITHMS, LINE_COLOURS, strict=True):
        fig.add_trace(
            go.Scatter(x=[], y=[], mode="lines", name=f"{name}: allowed", line=dict(color=colour, shape="hv"))
        )
    fig.update_layout(
        height=420,
        margin=dict(l=40, r=10, t=40, b=40),
        title="Requests per second: arriving, and allowed by each algorithm",
        legend=dict(orientation="h", y=-0.15),
        bargap=0.1,
    )
    fig.update_xaxes(title_text="time (s)")
    fig.update_yaxes(title_text="requests")
    _fill(fig, comparison)
    return fig


def _fill(fig: go.Figure, comparison: ratelimit.Comparison) -> None:
    """Put ``comparison``'s per-second counts into the figure's traces."""
    timeline = comparison.timeline(1.0)
    first = timeline[timeline["algorithm"] == ratelimit.ALGORITHMS[0]]
    arriving = fig.data[0]
    arriving.x, arriving.y = first["t"].to_numpy(), (first["allowed"] + first["rejected"]).to_numpy()
    for trace, name in zip(fig.data[1:], ratelimit.ALGORITHMS, strict=True):
        part = timeline[timeline["algorithm"] == name]
        trace.x, trace.y = part["t"].to_numpy(), part["allowed"].to_numpy()


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
        with chart.batch_update():
            _fill(chart.figure, comparison)

    return Explorer("ratelimit", controls, {"table": table, "chart": chart}, render)
