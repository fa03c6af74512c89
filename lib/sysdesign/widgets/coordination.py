"""Explorer for the coordination lesson: a leader pauses, its lease runs out, fencing decides."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..sim import coordination
from ._base import Chart, Explorer, dropdown, html_table, int_slider, slider, view

START: dict[str, Any] = {"lease_s": 10, "pause_s": 15.0, "fencing": False}
FENCING = (("off", False), ("on: storage checks the token", True))
NODES = ("A", "B")


def _parts(run: coordination.PausedLeader) -> dict[str, dict[str, Any]]:
    """The x/y (and bar bases) of each trace: lease bars, the pause, accepted and refused writes."""
    ev = run.events
    span = run.duration_s
    granted = ev[ev["event"] == "lease granted"].set_index("node")["t"]
    ends = {"A": run.lease_expires_s if run.expired else span, "B": span}
    nodes = [n for n in NODES if n in granted.index]
    writes = {k: ev[ev["event"] == f"write {k}"] for k in ("accepted", "refused")}
    return {
        "lease": {
            "y": nodes,
            "base": [float(granted[n]) for n in nodes],
            "x": [ends[n] - float(granted[n]) for n in nodes],
        },
        "pause": {"y": ["A"], "base": [run.wakes_s - run.pause_s], "x": [run.pause_s]},
        "accepted": {"x": writes["accepted"]["t"].to_numpy(), "y": writes["accepted"]["node"].to_numpy()},
        "refused": {"x": writes["refused"]["t"].to_numpy(), "y": writes["refused"]["node"].to_numpy()},
    }


def _figure(run: coordination.PausedLeader) -> go.Figure:
    parts = _parts(run)
    fig = go.Figure()
    fig.add_bar(orientation="h", name="holds the lease", marker_color="#90caf9", width=0.5, **parts["lease"])
    fig.add_bar(orientation="h", name="paused", marker_color="#bdbdbd", width=0.25, **parts["pause"])
    fig.add_scatter(
        mode="markers", name="write accepted", marker={"color": "#2e7d32", "size": 9}, **parts["accepted"]
    )
    fig.add_scatter(
        mode="markers",
        name="write refused",
        marker={"color": "#c62828", "size": 13, "symbol": "x"},
        **parts["refused"],
    )
    fig.update_layout(
        height=260,
        barmode="overlay",
        margin={"l": 40, "r": 10, "t": 40, "b": 40},
        title="Who holds the lease, and whose writes the storage takes",
        xaxis={"title": "time (s)"},
        yaxis={"categoryorder": "array", "categoryarray": list(reversed(NODES)), "type": "category"},
        legend={"orientation": "h", "y": -0.35},
    )
    return fig


def coordination_explorer() -> Explorer:
    """Sliders for the lease and the leader's pause, and fencing on or off: the timeline shows the
    two nodes' leases and writes; the table counts each node's accepted, refused and stale writes."""

    def run(values: dict[str, Any]) -> coordination.PausedLeader:
        return coordination.paused_leader(values["lease_s"], values["pause_s"], fencing=values["fencing"])

    controls = {
        "lease_s": int_slider("Lease (s)", START["lease_s"], 1, 20),
        "pause_s": slider("Leader's pause (s)", START["pause_s"], 0.0, 25.0, 0.5),
        "fencing": dropdown("Fencing tokens", FENCING, START["fencing"]),
    }
    table = view("sd-coordination-table")
    chart = Chart(_figure(run(START)), "sd-coordination-chart")

    def render(values: dict[str, Any]) -> None:
        result = run(values)
        if result.expired:
            story = (
                f"A's lease runs out at <b>{result.lease_expires_s:g} s</b> and B takes over; A wakes at "
                f"<b>{result.wakes_s:g} s</b>. Two writers: <b>{'yes' if result.two_writers else 'no'}</b>."
            )
        else:
            story = (
                f"A wakes at <b>{result.wakes_s:g} s</b>, before its lease runs out at "
                f"<b>{result.lease_expires_s:g} s</b>: it renews and stays the only leader."
            )
        table.value = f"<p>{story}</p>" + html_table(result.table(), "sd-table")
        parts = _parts(result)
        traces = chart.figure.data
        with chart.batch_update():
            for trace, key in zip(traces, ("lease", "pause", "accepted", "refused"), strict=True):
                for attr, value in parts[key].items():
                    setattr(trace, attr, list(value) if attr == "y" else np.asarray(value, dtype=float))

    return Explorer("coordination", controls, {"table": table, "chart": chart}, render)
