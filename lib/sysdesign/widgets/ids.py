"""Explorer for the unique-IDs lesson: a Snowflake bit split, machines and clock skew."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sysdesign import ids
from sysdesign.widgets._base import Chart, Explorer, html_table, int_slider, view

START = {"timestamp_bits": 41, "machine_bits": 10, "machines": 8, "skew_ms": 5}
SHOWN = 160  # IDs drawn at most, evenly spaced (the table measures all): SVG markers cost a step time
FIELDS = (("sign", "#9e9e9e"), ("timestamp", "#1565c0"), ("machine", "#2e7d32"), ("sequence", "#ef6c00"))


def _layout(values: dict[str, Any]) -> ids.Layout:
    t, m = int(values["timestamp_bits"]), int(values["machine_bits"])
    return ids.Layout(t, m, 63 - t - m)


def _figure() -> go.Figure:
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[0.18, 0.82],
        vertical_spacing=0.14,
        subplot_titles=(
            "The 64 bits of one ID",
            "Clock error stamped into each Snowflake ID (wait policy), by machine",
        ),
    )
    for name, colour in FIELDS:
        fig.add_trace(
            go.Bar(y=["bits"], x=[1], name=name, orientation="h", marker_color=colour, text=[""]),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            x=[],
            y=[],
            mode="markers",
            name="IDs",
            showlegend=False,
            marker=dict(size=4, color=[], colorscale="Viridis", showscale=False),
        ),
        row=2,
        col=1,
    )
    fig.update_layout(
        barmode="stack",
        height=520,
        margin=dict(l=50, r=10, t=50, b=40),
        legend=dict(orientation="h", y=1.12),
    )
    fig.update_xaxes(range=[0, 64], row=1, col=1)
    fig.update_xaxes(title_text="true time (ms)", row=2, col=1)
    fig.update_yaxes(title_text="ID's ms − true time (ms)", row=2, col=1)
    return fig


def ids_explorer(duration_ms: float = 200.0, rate_per_ms: float = 1.0, seed: int = 0) -> Explorer:
    """Sliders for the timestamp and machine bits, the machines and the clock skew -> what the
    layout allows, every scheme measured on the same requests, and the Snowflake clock errors."""
    controls = {
        "timestamp_bits": int_slider("Timestamp bits", START["timestamp_bits"], 30, 45),
        "machine_bits": int_slider("Machine bits", START["machine_bits"], 2, 14),
        "machines": int_slider("Machines", START["machines"], 1, 64),
        "skew_ms": int_slider("Clock skew (± ms)", START["skew_ms"], 0, 50),
    }
    table = view("sd-ids-table")
    chart = Chart(_figure(), "sd-ids-chart")

    def render(values: dict[str, Any]) -> None:
        layout = _layout(values)
        reqs, runs = ids.run_all(
            values["machines"],
            values["skew_ms"],
            layout,
            duration_ms=duration_ms,
            rate_per_ms=rate_per_ms,
            seed=seed,
        )
        measured = pd.DataFrame([run.measures(reqs.true_ms) for run in runs.values()])
        table.value = html_table(layout.table(), "sd-table sd-ids-layout") + html_table(
            measured, "sd-table sd-ids-schemes"
        )
        x, y, machine = ids.stamp_error(reqs, runs["snowflake-wait"], layout)
        bits = (1, layout.timestamp_bits, layout.machine_bits, layout.sequence_bits)
        with chart.batch_update():
            for trace, b in zip(chart.figure.data[:4], bits, strict=True):
                trace.x, trace.text = [b], [str(b)]
            every = slice(None, None, max(1, -(-len(x) // SHOWN)))
            points = chart.figure.data[4]
            points.x, points.y = x[every], y[every]
            points.marker.color = machine[every]

    return Explorer("ids", controls, {"table": table, "chart": chart}, render)
