"""Explorer for the structures lesson: a Bloom filter's bits and hashes, a count-min sketch's width and
HyperLogLog's registers, each measured on a seeded simulation beside its formula."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import sketches
from ..units import format_size
from ._base import Chart, Explorer, dropdown, html_table, int_slider, view

START = {"bits": 10, "k": 7, "width": 1_000, "registers": 1_024}
KS = tuple(range(1, 13))
"""Numbers of hashes on the chart's x axis (the best k stays inside it up to 16 bits per item)."""
REGISTERS = (16, 64, 256, 1_024, 4_096)
"""HyperLogLog register counts offered (at most 4,096 so that 50,000 ids stay well above the
small-range region, where the raw estimate is biased)."""


@lru_cache(maxsize=32)
def _sweep(bits: int) -> pd.DataFrame:
    return sketches.bloom_sweep(sketches.BLOOM_ITEMS, bits, KS, probes=sketches.BLOOM_PROBES)


_bloom = lru_cache(maxsize=256)(sketches.bloom_row)
_countmin = lru_cache(maxsize=64)(sketches.countmin_row)
_hll = lru_cache(maxsize=8)(sketches.hll_row)


def rows(bits: int, k: int, width: int, registers: int) -> pd.DataFrame:
    """The explorer's table: :func:`sysdesign.sketches.compare` (cached), sizes and errors readable."""
    frame = pd.DataFrame([_bloom(bits, k), _countmin(width), _hll(registers)], columns=list(sketches.COLUMNS))
    for col in ("memory", "exact memory"):
        frame[col] = [format_size(b) for b in frame[col]]
    for col in ("measured", "predicted"):
        frame[col] = [f"{x:.3%}" for x in frame[col]]
    return frame


def _title(bits: int) -> str:
    return (
        f"Bloom filter, {bits} bits per item: false-positive rate by hashes "
        f"(best k = {sketches.optimal_hashes(bits):.2f})"
    )


def _figure(bits: int, k: int) -> go.Figure:
    sweep = _sweep(bits)
    chosen = sweep[sweep["k"] == k]
    fig = go.Figure()
    fig.add_scatter(x=sweep["k"], y=sweep["formula"], name="formula (1 - e^(-kn/m))^k", mode="lines")
    fig.add_scatter(
        x=sweep["k"],
        y=sweep["measured"],
        name="measured (bars: ± 2 binomial sd)",
        mode="markers",
        error_y={"type": "data", "array": 2 * sweep["sd"]},
    )
    fig.add_scatter(
        x=chosen["k"],
        y=chosen["measured"],
        name="your k",
        mode="markers",
        marker={"size": 14, "symbol": "circle-open"},
    )
    fig.update_layout(
        height=340,
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        title=_title(bits),
        xaxis={"title": "hashes k", "dtick": 1},
        yaxis={"title": "false-positive rate", "type": "log", "tickformat": ".3~%", "dtick": "D2"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def structures_explorer() -> Explorer:
    """Sliders for the Bloom filter's bits per item and hashes and the count-min sketch's width, a
    choice of HyperLogLog registers: the chart sets the measured false-positive rate beside the
    formula for every k; the table compares memory and error of the three sketches."""
    controls = {
        "bits": int_slider("Bloom bits per item (m/n)", START["bits"], 1, 16),
        "k": int_slider("Bloom hashes (k)", START["k"], KS[0], KS[-1]),
        "width": int_slider("Count-min width", START["width"], 100, 5_000, 100),
        "registers": dropdown("HyperLogLog registers", REGISTERS, START["registers"]),
    }
    table = view("sd-structures-table")
    chart = Chart(_figure(START["bits"], START["k"]), "sd-structures-chart")

    def render(values: dict[str, Any]) -> None:
        bits, k = values["bits"], values["k"]
        table.value = html_table(rows(bits, k, values["width"], values["registers"]), "sd-table")
        sweep = _sweep(bits)
        chosen = sweep[sweep["k"] == k]
        traces = chart.figure.data
        with chart.batch_update():
            traces[0].x, traces[0].y = sweep["k"], sweep["formula"]
            traces[1].x, traces[1].y = sweep["k"], sweep["measured"]
            traces[1].error_y.array = 2 * sweep["sd"]
            traces[2].x, traces[2].y = chosen["k"], chosen["measured"]
            chart.figure.layout.title.text = _title(bits)

    return Explorer("structures", controls, {"table": table, "chart": chart}, render)
