"""Explorers for the paste bin lesson: expiration clean-up, deduplication savings, a CDN in front.

Every figure comes from :mod:`sysdesign.pastebin` and :mod:`sysdesign.sim.expiration`; this module
turns control values into arguments, memoises calls whose inputs did not change, and copies the
results into the views.
"""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import pastebin
from ..sim import expiration
from ..units import format_count, format_size
from ._base import STYLE, Chart, Explorer, html_table, int_slider, slider, view

_LAYOUT = {
    "height": 360,
    "margin": {"l": 70, "r": 20, "t": 50, "b": 45},
    "legend": {"orientation": "h", "y": -0.22},
}
_COLOURS = {"none": "#9e9e9e", "lazy": "#ff7f0e", "active": "#1f77b4", "both": "#2ca02c"}
_DASHES = {"none": "dot", "lazy": "solid", "active": "dash", "both": "solid"}


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


# --------------------------------------------------------------------------- expiration

EXPIRY_DAYS = 30.0
EXPIRY_SAMPLE_PER_DAY = 1_000
"""Pastes per day in the simulated sample; results are scaled to the scenario's pastes per day."""
EXPIRY_STEP_HOURS = 1.0
"""Hours between the points of the storage chart."""


@lru_cache(maxsize=64)
def expiry_run(sweep_hours: int, reads_per_paste: float, interest_hours: int) -> expiration.ExpiryRun:
    """The simulation behind :func:`expiration_explorer` for one setting of its controls."""
    return expiration.simulate(
        EXPIRY_DAYS,
        EXPIRY_SAMPLE_PER_DAY,
        reads_per_paste=reads_per_paste,
        interest_hours=interest_hours,
        sweep_hours=sweep_hours,
        median_bytes=pastebin.PASTEBIN.median_bytes,
        size_sigma=pastebin.PASTEBIN.size_sigma,
        represents_per_day=pastebin.PASTEBIN.pastes_per_day,
        seed=0,
    )


def _per_sweep(summary: pd.DataFrame, column: str) -> list[str]:
    return [
        format_count(x) if n else "no sweeps" for x, n in zip(summary[column], summary["sweeps"], strict=True)
    ]


def _expiry_args(values: dict[str, Any]) -> tuple[int, float, int]:
    return int(values["sweep_hours"]), round(float(values["reads"]), 2), int(values["interest_hours"])


def expiry_headline(run: expiration.ExpiryRun, summary: pd.DataFrame) -> str:
    """The explorer's summary sentence for one run (plain text; the view adds bold)."""
    s = summary.set_index("mode")
    hours = run.sweep_s / expiration.HOUR
    return (
        f"After {run.days:g} days, lazy clean-up alone still holds "
        f"{format_size(s.loc['lazy', 'expired_bytes'])} "
        f"of expired pastes ({_pct(s.loc['lazy', 'expired_share'])} of what it stores). "
        f"A sweep every {hours:g} h never holds more than "
        f"{format_size(s.loc['both', 'expired_bytes_max'])} of them; "
        "without the read check it serves "
        f"{format_count(s.loc['active', 'expired_reads_served'])} expired reads."
    )


def _draw_expiry(target: go.Figure, values: dict[str, Any]) -> None:
    run = expiry_run(*_expiry_args(values))
    times = run.grid(EXPIRY_STEP_HOURS)
    days = times / expiration.DAY
    for i, mode in enumerate(expiration.MODES):
        target.data[i].x = days
        target.data[i].y = run.stored_bytes(mode, times) / 1e9
    target.data[4].x = days
    target.data[4].y = run.live_bytes(times) / 1e9
    target.layout.title.text = (
        f"Paste storage over {run.days:g} days, sweep every {run.sweep_s / expiration.HOUR:g} h"
    )


def expiration_explorer() -> Explorer:
    """Lazy clean-up against an active sweep: storage over time, expired reads, work per sweep.

    Views: the headline (``sd-expiry-summary``), a table per clean-up mode (``sd-expiry-table``) and
    storage over the month for every mode (``sd-expiry-chart``).

    >>> ex = expiration_explorer()
    >>> "every 6 h" in ex.views["summary"].value
    True
    >>> ex.controls["sweep_hours"].value = 24
    >>> "every 24 h" in ex.views["summary"].value
    True
    """
    controls = {
        "sweep_hours": int_slider("Sweep every (hours)", 6, 1, 48),
        "reads": slider("Reads per paste (mean)", 4.0, 0.0, 20.0, 0.5),
        "interest_hours": int_slider("Readers come back after (median hours)", 12, 1, 168),
    }
    summary_view = view("sd-expiry-summary")
    table = view("sd-expiry-table")
    fig = go.Figure()
    for mode in expiration.MODES:
        fig.add_scatter(
            x=[],
            y=[],
            mode="lines",
            name=expiration.MODE_NAMES[mode],
            line={"color": _COLOURS[mode], "dash": _DASHES[mode], "width": 2},
        )
    fig.add_scatter(
        x=[], y=[], mode="lines", name="unexpired pastes (the floor)", line={"color": "#000", "width": 1}
    )
    fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "day"}},
        yaxis={"title": {"text": "stored (GB)"}},
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-expiry-chart")

    def render(values: dict[str, Any]) -> None:
        run = expiry_run(*_expiry_args(values))
        summary = run.summary()
        summary_view.value = f"<b>{expiry_headline(run, summary)}</b>"
        frame = pd.DataFrame(
            {
                "clean-up": summary["clean_up"],
                "stored at the end": [format_size(x) for x in summary["stored_bytes"]],
                "of it expired": [format_size(x) for x in summary["expired_bytes"]],
                "most expired held": [format_size(x) for x in summary["expired_bytes_max"]],
                "expired reads served": [format_count(x) for x in summary["expired_reads_served"]],
                "deletes on the read path": [format_count(x) for x in summary["read_path_deletes"]],
                "rows per sweep, full scan": _per_sweep(summary, "scan_rows_per_sweep"),
                "rows per sweep, indexed": _per_sweep(summary, "indexed_rows_per_sweep"),
            }
        )
        table.value = html_table(frame, "sd-table sd-expiry-numbers")
        with chart.batch_update():
            _draw_expiry(chart.figure, values)

    return Explorer("expiry", controls, {"summary": summary_view, "table": table, "chart": chart}, render)


# --------------------------------------------------------------------------- deduplication

DEDUP_SAMPLE = 50_000
_LIMITS = [("100 KB", 1e5), ("1 MB", 1e6), ("10 MB", 1e7), ("no limit", math.inf)]


@lru_cache(maxsize=128)
def dedup_sample(
    duplicate_share: float, median_bytes: float, sigma: float, skew: float, limit: float
) -> pastebin.PasteSample:
    """The sample behind :func:`dedup_explorer` for one setting of its controls."""
    return pastebin.simulate_pastes(
        DEDUP_SAMPLE, duplicate_share, median_bytes, sigma, popularity_skew=skew, size_limit=limit, seed=0
    )


def _dedup_args(values: dict[str, Any]) -> tuple[float, float, float, float, float]:
    return (
        int(values["dup_percent"]) / 100,
        round(float(values["median_kb"]), 2) * 1e3,
        round(float(values["sigma"]), 2),
        round(float(values["skew"]), 2),
        float(values["limit"]),
    )


def _per_day(sample_bytes: float) -> float:
    return sample_bytes * pastebin.PASTEBIN.pastes_per_day / DEDUP_SAMPLE


def dedup_headline(result: pastebin.DedupResult, limit: float) -> str:
    """The explorer's summary sentence (plain text)."""
    limit_text = "no limit" if math.isinf(limit) else f"the {format_size(limit)} limit"
    return (
        f"Deduplication saves {_pct(result.saved_share)} of the bytes "
        f"({format_size(_per_day(result.saved_bytes))} a day at "
        f"{format_count(pastebin.PASTEBIN.pastes_per_day)} pastes) with {_pct(result.duplicate_share)} "
        f"of pastes repeated; {limit_text} refused {result.rejected:,} of {result.pastes:,} sampled pastes "
        f"({format_size(_per_day(result.rejected_bytes))} a day)."
    )


def _draw_dedup(target: go.Figure, values: dict[str, Any]) -> None:
    sample = dedup_sample(*_dedup_args(values))
    bands = pastebin.bytes_by_size(sample)
    for i, column in enumerate(("stored_bytes", "saved_bytes", "rejected_bytes")):
        target.data[i].x = bands["band"].tolist()
        target.data[i].y = [_per_day(x) / 1e9 for x in bands[column]]
    result = pastebin.dedup_result(sample)
    target.layout.title.text = (
        f"Bytes per day by paste size: {_pct(result.saved_share)} saved by deduplication"
    )


def dedup_explorer() -> Explorer:
    """Content addressing: bytes saved for a share of repeated pastes and a size distribution; the size limit.

    Views: the headline (``sd-dedup-summary``), the totals (``sd-dedup-table``) and bytes per day
    by size band, stored, saved and refused (``sd-dedup-chart``).

    >>> ex = dedup_explorer()
    >>> ex.controls["dup_percent"].value = 0
    >>> "saves 0.0% of the bytes" in ex.views["summary"].value
    True
    """
    controls = {
        "dup_percent": int_slider("Repeated pastes (%)", 20, 0, 80),
        "median_kb": slider("Median paste size (KB)", 2.0, 0.5, 20.0, 0.5),
        "sigma": slider("Size spread (log-normal sigma)", 1.8, 0.2, 2.5, 0.1),
        "skew": slider("Popularity skew of repeats (Zipf)", 1.0, 0.0, 2.0, 0.1),
        "limit": widgets.Dropdown(options=_LIMITS, value=1e7, description="Size limit", style=STYLE),
    }
    summary_view = view("sd-dedup-summary")
    table = view("sd-dedup-table")
    fig = go.Figure()
    for name, colour in (
        ("stored once", "#1f77b4"),
        ("saved by deduplication", "#2ca02c"),
        ("refused by the limit", "#d62728"),
    ):
        fig.add_bar(x=[], y=[], name=name, marker_color=colour)
    fig.update_layout(
        title={"text": ""},
        barmode="stack",
        xaxis={"title": {"text": "paste size"}},
        yaxis={"title": {"text": "GB per day"}},
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-dedup-chart")

    def render(values: dict[str, Any]) -> None:
        args = _dedup_args(values)
        result = pastebin.dedup_result(dedup_sample(*args))
        summary_view.value = f"<b>{dedup_headline(result, args[4])}</b>"
        frame = pd.DataFrame(
            [
                ("pastes accepted (sample)", f"{result.pastes - result.rejected:,}"),
                ("distinct contents stored", f"{result.distinct:,}"),
                ("bytes without deduplication, per day", format_size(_per_day(result.logical_bytes))),
                ("bytes stored with deduplication, per day", format_size(_per_day(result.stored_bytes))),
                ("refused by the size limit, per day", format_size(_per_day(result.rejected_bytes))),
            ],
            columns=["measure", "value"],
        )
        table.value = html_table(frame, "sd-table sd-dedup-numbers")
        with chart.batch_update():
            _draw_dedup(chart.figure, values)

    return Explorer("dedup", controls, {"summary": summary_view, "table": table, "chart": chart}, render)


# --------------------------------------------------------------------------- CDN

_HITS = np.arange(0, 100, 1)


def _cdn_scenario(reads_per_paste: float) -> pastebin.PasteScenario:
    return dataclasses.replace(pastebin.PASTEBIN, reads_per_write=reads_per_paste)


def _draw_cdn(target: go.Figure, values: dict[str, Any]) -> None:
    scenario = _cdn_scenario(float(values["reads"]))
    hit = int(values["hit_percent"])
    target.data[0].x = _HITS.tolist()
    target.data[0].y = [pastebin.cdn_load(h / 100, scenario).origin_qps for h in _HITS]
    load = pastebin.cdn_load(hit / 100, scenario)
    target.data[1].x, target.data[1].y = [hit], [load.origin_qps]
    target.layout.title.text = (
        f"Origin reads at peak: {format_count(load.origin_qps)}/s with a {hit}% CDN hit ratio"
    )


def cdn_explorer() -> Explorer:
    """A CDN in front of reads: hit ratio against the requests and bandwidth left for the origin.

    Views: the headline (``sd-cdn-origin``) and origin reads against hit ratio (``sd-cdn-chart``).

    >>> ex = cdn_explorer()
    >>> ex.controls["hit_percent"].value = 0
    >>> "174/s" in ex.views["origin"].value
    True
    """
    controls = {
        "hit_percent": int_slider("CDN hit ratio (%)", 80, 0, 99),
        "reads": slider("Reads per paste", 5.0, 1.0, 50.0, 1.0),
    }
    origin = view("sd-cdn-origin")
    fig = go.Figure()
    fig.add_scatter(x=[], y=[], mode="lines", name="origin reads/s at peak", line={"color": "#1f77b4"})
    fig.add_scatter(x=[], y=[], mode="markers", name="your CDN", marker={"size": 13, "color": "#d62728"})
    fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "CDN hit ratio (%)"}},
        yaxis={"title": {"text": "origin reads per second"}, "rangemode": "tozero"},
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-cdn-chart")

    def render(values: dict[str, Any]) -> None:
        load = pastebin.cdn_load(int(values["hit_percent"]) / 100, _cdn_scenario(float(values["reads"])))
        origin.value = (
            f"<b>The origin serves {format_count(load.origin_qps)}/s of "
            f"{format_count(load.read_qps)}/s peak reads</b> "
            f"and sends {format_size(load.origin_bytes_per_s)}/s; the edges send "
            f"{format_size(load.edge_bytes_per_s)}/s."
        )
        with chart.batch_update():
            _draw_cdn(chart.figure, values)

    return Explorer("cdn", controls, {"origin": origin, "chart": chart}, render)
