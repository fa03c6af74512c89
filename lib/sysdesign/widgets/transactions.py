"""Explorer for the transactions lesson: dual write, outbox, saga and two-phase commit under crashes."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sysdesign.sim import transactions
from sysdesign.widgets._base import Chart, Explorer, dropdown, html_table, slider, view

START = {"crash_prob": 0.05, "downtime_s": 30.0, "idempotent": True, "fail_prob": 0.1}
DOWNTIMES = tuple(float(d) for d in range(0, 61, 5))
"""Coordinator downtimes (s) of the two-phase commit curve."""
SHORT = ("commit → publish", "publish → commit", "outbox", "saga", "2PC")
"""Axis labels for :data:`sysdesign.sim.transactions.PATTERNS`, in that order."""
BARS = {
    "inconsistent orders": "#c62828",
    "duplicates delivered": "#f9a825",
    "blocked transactions": "#1565c0",
}


@lru_cache(maxsize=64)
def _curve(crash_prob: float, orders: int, seed: int) -> tuple[list[float], list[int]]:
    """Blocked transactions at each of :data:`DOWNTIMES` (the only control it depends on is the
    crash probability)."""
    curve = transactions.blocking_curve(
        list(DOWNTIMES), crash_prob=crash_prob, transactions=orders, seed=seed
    )
    return curve["downtime_s"].tolist(), curve["blocked"].tolist()


def _figure() -> go.Figure:
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.6, 0.4],
        subplot_titles=("Orders hurt, per pattern", "2PC: transactions blocked by coordinator downtime"),
    )
    for name, colour in BARS.items():
        fig.add_trace(go.Bar(x=list(SHORT), y=[0] * len(SHORT), name=name, marker_color=colour), row=1, col=1)
    fig.add_trace(
        go.Scatter(
            x=[], y=[], mode="lines+markers", name="blocked (2PC)", line_color=BARS["blocked transactions"]
        ),
        row=1,
        col=2,
    )
    fig.add_trace(
        go.Scatter(x=[], y=[], mode="markers", name="chosen downtime", marker=dict(size=14, color="#212121")),
        row=1,
        col=2,
    )
    fig.update_layout(
        barmode="group",
        height=420,
        margin=dict(l=50, r=10, t=50, b=40),
        legend=dict(orientation="h", y=-0.15),
    )
    fig.update_yaxes(title_text="orders", row=1, col=1)
    fig.update_yaxes(title_text="blocked transactions", rangemode="tozero", row=1, col=2)
    fig.update_xaxes(title_text="coordinator downtime (s)", row=1, col=2)
    return fig


def transactions_explorer(orders: int = 2_000, seed: int = 0) -> Explorer:
    """Crash probability, coordinator downtime, deduplicating receivers and the saga's shipping
    failure rate -> a table of what each pattern lost, duplicated or blocked over ``orders`` orders,
    and a chart of it beside the two-phase commit's blocked transactions against downtime."""
    controls = {
        "crash_prob": slider("Crash probability", START["crash_prob"], 0.0, 0.2, 0.01),
        "downtime_s": slider("Coordinator downtime (s)", START["downtime_s"], 0.0, 60.0, 5.0),
        "idempotent": dropdown("Receivers deduplicate", [("yes", True), ("no", False)], START["idempotent"]),
        "fail_prob": slider("Shipping fails", START["fail_prob"], 0.0, 0.5, 0.05),
    }
    table = view("sd-transactions-table")
    chart = Chart(_figure(), "sd-transactions-chart")

    def render(values: dict[str, Any]) -> None:
        crash = round(float(values["crash_prob"]), 6)
        frame = transactions.compare(
            crash_prob=crash,
            downtime_s=float(values["downtime_s"]),
            idempotent=bool(values["idempotent"]),
            fail_prob=float(values["fail_prob"]),
            orders=orders,
            seed=seed,
        )
        table.value = html_table(frame, "sd-table")
        x, blocked = _curve(crash, orders, seed)
        at = frame.set_index("pattern").loc[transactions.TWO_PC, "blocked transactions"]
        with chart.batch_update():
            for trace, column in zip(chart.figure.data[: len(BARS)], BARS, strict=True):
                trace.y = [int(v) for v in frame[column]]
            chart.figure.data[-2].update(x=x, y=blocked)
            chart.figure.data[-1].update(x=[float(values["downtime_s"])], y=[int(at)])

    return Explorer("transactions", controls, {"table": table, "chart": chart}, render)
