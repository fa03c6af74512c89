"""Explorer for the replication lesson: async, semi-sync and sync replication under the same writes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..sim import replication
from ._base import Chart, Explorer, dropdown, html_table, int_slider, view

START: dict[str, Any] = {"lag_ms": 100, "write_rate": 200, "mode": "async", "read_after_ms": 50}
REPLICAS = 2
POINTS = 400


def replication_rows(lag_ms: float, write_rate: float, read_after_ms: float, seed: int = 0) -> pd.DataFrame:
    """The three modes as readable rows (what the explorer's table shows)."""
    t = replication.compare(lag_ms, write_rate, read_after_ms=read_after_ms, replicas=REPLICAS, seed=seed)
    return pd.DataFrame(
        {
            "mode": t["mode"],
            "waits for (followers)": t["waits for"],
            "lost acknowledged writes": t["lost acknowledged writes"],
            "write latency p50 (ms)": [f"{x:.0f}" for x in t["latency p50 (ms)"]],
            "write latency p99 (ms)": [f"{x:.0f}" for x in t["latency p99 (ms)"]],
            "stale reads": [f"{x:.0%}" for x in t["stale reads"]],
        }
    )


def _figure(run: replication.Replication) -> go.Figure:
    tl = replication.timeline(run, POINTS)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(
            "acknowledged writes on no follower (a crash now loses them)",
            "follower lag (ms)",
        ),
    )
    fig.add_scatter(x=tl["t"], y=tl["at risk"], name="at risk", mode="lines", row=1, col=1)
    for i in range(run.replicas):
        fig.add_scatter(
            x=tl["t"], y=tl[f"lag {i + 1} (ms)"], name=f"follower {i + 1}", mode="lines", row=2, col=1
        )
    fig.update_layout(
        height=420,
        margin={"l": 50, "r": 10, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.15},
    )
    fig.update_xaxes(title_text="time (s)", row=2, col=1)
    return fig


def replication_explorer(seed: int = 0) -> Explorer:
    """Sliders for follower lag, write rate and read delay, and the mode shown in the chart: the table
    compares the three modes on the same writes (primary crashes at the end, 10 s in)."""

    def run(values: dict[str, Any]) -> replication.Replication:
        return replication.replicate(
            values["mode"], values["lag_ms"], values["write_rate"], replicas=REPLICAS, seed=seed
        )

    controls = {
        "lag_ms": int_slider("Follower lag (ms)", START["lag_ms"], 5, 500, 5),
        "write_rate": int_slider("Write rate (/s)", START["write_rate"], 10, 2_000, 10),
        "mode": dropdown("Mode in the chart", replication.MODES, START["mode"]),
        "read_after_ms": int_slider("Read own write after (ms)", START["read_after_ms"], 0, 500, 10),
    }
    table = view("sd-replication-table")
    chart = Chart(_figure(run(START)), "sd-replication-chart")

    def render(values: dict[str, Any]) -> None:
        table.value = html_table(
            replication_rows(values["lag_ms"], values["write_rate"], values["read_after_ms"], seed),
            "sd-table",
        )
        tl = replication.timeline(run(values), POINTS)
        traces = chart.figure.data
        with chart.batch_update():
            chart.figure.layout.title = f"{values['mode']}: the primary crashes at {tl['t'].iloc[-1]:g} s"
            traces[0].x, traces[0].y = tl["t"], tl["at risk"]
            for i in range(REPLICAS):
                traces[1 + i].x, traces[1 + i].y = tl["t"], tl[f"lag {i + 1} (ms)"]

    return Explorer("replication", controls, {"table": table, "chart": chart}, render)
