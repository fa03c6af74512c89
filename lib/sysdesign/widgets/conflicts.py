"""Explorer for the conflicts lesson: Merkle-tree repair against a full comparison, and what
last-write-wins loses next to vector clocks and a G-counter."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..sim import antientropy, conflicts
from ._base import Chart, Explorer, html_table, int_slider, view

ROWS = 50_000
"""Keys per replica in the explorer's repair."""
SWEEP = (1, 3, 10, 30, 100, 300, 1_000, 3_000)
"""Numbers of diverged keys on the chart's x axis."""
START = {"diverged": 10, "depth": 10, "skew_ms": 100}
WORKLOAD: dict[str, Any] = {"keys": 200, "writes_per_key": 6, "nodes": 3, "delay_ms": 50.0}
"""The concurrent writes of the conflicts table (see :func:`conflicts.workload`)."""


@lru_cache(maxsize=32)
def _sweep(depth: int) -> pd.DataFrame:
    return antientropy.sweep(ROWS, depth, SWEEP)


@lru_cache(maxsize=1)
def _logical() -> tuple[conflicts.Outcome, conflicts.Outcome]:
    # Vector clocks and the G-counter never read the clocks, so skew cannot change them.
    wl = conflicts.workload(**WORKLOAD)
    return conflicts.vector_clocks(wl), conflicts.g_counter(wl)


@lru_cache(maxsize=64)
def _repair(diverged: int, depth: int) -> pd.DataFrame:
    return antientropy.repair_table(ROWS, diverged, depth)


def repair_rows(diverged: int, depth: int) -> pd.DataFrame:
    """The repair table: full comparison and Merkle tree on the same replicas, as readable rows."""
    frame = _repair(diverged, depth)
    return pd.DataFrame(
        {
            "repair": frame["method"],
            "hashes compared": frame["hashes_compared"],
            "key ranges differing": frame["leaves_differing"],
            "rows exchanged": frame["rows_exchanged"],
            "share of rows": [f"{x:.2%}" for x in frame["share_of_rows"]],
        }
    )


@lru_cache(maxsize=64)
def conflict_rows(skew_ms: int) -> pd.DataFrame:
    """The conflicts table: last-write-wins at this clock skew beside vector clocks and a G-counter."""
    lww = conflicts.last_write_wins(conflicts.workload(**WORKLOAD, skew_ms=skew_ms))
    frame = pd.DataFrame([vars(o) for o in (lww, *_logical())])
    return pd.DataFrame(
        {
            "policy": frame["policy"],
            "writes": frame["writes"],
            "kept": frame["kept"],
            "lost": frame["lost"],
            "lost to an earlier write": frame["lost_to_earlier"],
            "conflicts detected": frame["conflicts"],
        }
    )


def _traces(diverged: int, depth: int) -> list[tuple[Any, Any]]:
    data = _sweep(depth)
    rows = int(_repair(diverged, depth)["rows_exchanged"].iloc[1])
    return [
        (data["diverged"], data["full_rows"]),
        (data["diverged"], data["merkle_rows"]),
        (data["diverged"], data["merkle_hashes"]),
        ([diverged] if diverged else [], [rows] if diverged else []),
    ]


def _figure(diverged: int, depth: int) -> go.Figure:
    fig = go.Figure()
    names = ("full comparison: rows", "Merkle tree: rows", "Merkle tree: hashes compared", "your setting")
    styles: tuple[dict[str, str] | None, ...] = ({"dash": "dash"}, {}, {"dash": "dot"}, None)
    for (x, y), name, line in zip(_traces(diverged, depth), names, styles, strict=True):
        if line is None:
            fig.add_scatter(x=x, y=y, name=name, mode="markers", marker={"size": 12})
        else:
            fig.add_scatter(x=x, y=y, name=name, mode="lines+markers", line=line)
    fig.update_layout(
        height=360,
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        title=f"Repairing {ROWS:,} rows: what is exchanged",
        xaxis={"title": "keys that differ between the replicas", "type": "log"},
        yaxis={"title": "rows exchanged / hashes compared", "type": "log"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def conflicts_explorer() -> Explorer:
    """Sliders for the diverged keys, the Merkle tree's depth and the clock skew -> a chart of rows
    exchanged against differing keys, a repair table and a conflicts table."""
    controls = {
        "diverged": int_slider("Diverged keys", START["diverged"], 0, SWEEP[-1]),
        "depth": int_slider("Merkle tree depth", START["depth"], 0, 16),
        "skew_ms": int_slider("Clock skew (ms)", START["skew_ms"], 0, 500, 10),
    }
    table = view("sd-conflicts-table")
    chart = Chart(_figure(START["diverged"], START["depth"]), "sd-conflicts-chart")

    def render(values: dict[str, Any]) -> None:
        d, depth, skew = values["diverged"], values["depth"], values["skew_ms"]
        table.value = (
            "<h4>Repair</h4>"
            + html_table(repair_rows(d, depth), "sd-table sd-conflicts-repair")
            + f"<h4>Conflicts: {conflicts.workload(**WORKLOAD).writes} writes, clock skew {skew} ms</h4>"
            + html_table(conflict_rows(skew), "sd-table sd-conflicts-policies")
        )
        with chart.batch_update():
            for trace, (x, y) in zip(chart.figure.data, _traces(d, depth), strict=True):
                trace.x, trace.y = x, y

    return Explorer("conflicts", controls, {"table": table, "chart": chart}, render)
