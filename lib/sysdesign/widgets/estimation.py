"""Estimation explorer: move the assumptions of a back-of-envelope estimate and watch the template change.

Every figure comes from :mod:`sysdesign.estimate` (a :class:`~sysdesign.estimate.Scenario` built
from the control values with ``dataclasses.replace``); this module only converts the controls'
display units (millions of users, percent, KB) to base units and formats the results.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from .. import estimate, units
from ._base import STYLE, Chart, Explorer, slider, view

_MILLION = 1e6
_PERCENT = 100.0

# Columns of the template shown to the reader (the raw float ``value`` and its ``unit`` stay out).
_TEMPLATE_COLUMNS = ("section", "quantity", "readable", "say")

# Rows of the exact-against-quick comparison: summary key, label, formatter.
_COMPARED = (
    ("avg_qps", "average QPS", units.format_count),
    ("peak_qps", "peak QPS", units.format_count),
    ("ingress", "ingress", units.format_rate),
    ("egress", "egress", units.format_rate),
)


def _int_slider(description: str, value: float, low: int, high: int, step: int) -> widgets.IntSlider:
    """An integer slider whose range always holds ``value`` (a scenario may start outside the defaults)."""
    value = int(round(value))
    return widgets.IntSlider(
        value=value,
        min=min(low, value),
        max=max(high, value),
        step=step,
        description=description,
        continuous_update=False,
        style=STYLE,
    )


def _controls(scenario: estimate.Scenario) -> dict[str, widgets.ValueWidget]:
    """One control per assumption of ``scenario``, labelled with the unit it is shown in."""
    dau_millions = scenario.dau / _MILLION
    return {
        # A log slider: DAU spans orders of magnitude (0.1 M to about 3 billion users).
        "dau_millions": widgets.FloatLogSlider(
            value=dau_millions,
            base=10,
            min=min(-1.0, math.log10(dau_millions)) if dau_millions > 0 else -1.0,
            max=max(3.5, math.log10(dau_millions)) if dau_millions > 0 else 3.5,
            step=0.01,
            readout_format=".4g",
            description="DAU (millions)",
            continuous_update=False,
            style=STYLE,
        ),
        "per_user_per_day": _int_slider("Messages per user per day", scenario.per_user_per_day, 1, 200, 1),
        "peak_factor": slider("Peak factor", scenario.peak_factor, 1.0, max(10.0, scenario.peak_factor), 0.5),
        "media_percent": _int_slider("Media share (%)", scenario.media_share * _PERCENT, 0, 100, 1),
        "text_bytes": _int_slider("Text size (bytes)", scenario.text_bytes, 10, 5_000, 10),
        "media_kb": _int_slider("Media size (KB)", scenario.media_bytes / units.KB, 10, 10_000, 10),
        "retention_years": _int_slider("Retention (years)", scenario.retention_years, 1, 20, 1),
        "fanout": slider(
            "Fan-out (recipients per message)", scenario.fanout, 0.0, max(100.0, scenario.fanout), 0.5
        ),
        "online_percent": _int_slider("Online share (%)", scenario.online_fraction * _PERCENT, 0, 100, 1),
        "per_server": _int_slider("Connections per server", scenario.per_server, 1_000, 100_000, 1_000),
        "quick": widgets.Checkbox(value=False, description="Quick math (100,000 s per day)", indent=False),
    }


def scenario_from(base: estimate.Scenario, values: dict[str, Any]) -> estimate.Scenario:
    """The scenario the controls describe: ``base`` with each assumption replaced, in base units."""
    return replace(
        base,
        dau=values["dau_millions"] * _MILLION,
        per_user_per_day=values["per_user_per_day"],
        peak_factor=values["peak_factor"],
        media_share=values["media_percent"] / _PERCENT,
        text_bytes=values["text_bytes"],
        media_bytes=values["media_kb"] * units.KB,
        retention_years=values["retention_years"],
        fanout=values["fanout"],
        online_fraction=values["online_percent"] / _PERCENT,
        per_server=values["per_server"],
    )


def _headline(traffic: estimate.Traffic, quick: bool) -> str:
    """Average and peak QPS in digits, then the way you would say them."""
    how = " (quick math)" if quick else ""
    avg, peak = units.format_count(traffic.avg_qps), units.format_count(traffic.peak_qps)
    return (
        f"<b>Average {avg} QPS, peak {peak} QPS</b>"
        f"{how}. Say {units.say_roughly(traffic.avg_qps, 'QPS')}, "
        f"peaking at {units.say_roughly(traffic.peak_qps, 'QPS')}."
    )


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]], css_class: str) -> str:
    """A small HTML table, like ``_base.html_table`` but without pandas' formatter.

    ``DataFrame.to_html`` costs about 2 ms a table; this explorer redraws two tables on every
    change and must stay under 30 ms on a busy machine.
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return (
        f'<table class="dataframe sd-table {css_class}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _template_html(template: pd.DataFrame) -> str:
    """The template rows a reader needs: section, quantity, readable value and how to say it."""
    return _table(
        _TEMPLATE_COLUMNS,
        zip(*(template[c] for c in _TEMPLATE_COLUMNS), strict=True),
        "sd-estimation-template",
    )


def _comparison_html(scenario: estimate.Scenario) -> str:
    """Exact (86,400 s per day) against quick math (100,000 s per day), formatted side by side."""
    exact, quick = scenario.summary(), scenario.summary(quick=True)
    rows = [
        ("seconds per day", f"{estimate.seconds_per_day():,}", f"{estimate.seconds_per_day(quick=True):,}")
    ]
    rows += [(label, fmt(exact[key]), fmt(quick[key])) for key, label, fmt in _COMPARED]
    return _table(("quantity", "exact", "quick math"), rows, "sd-estimation-quick")


def _growth_title(total: float, years: float) -> str:
    return f"Storage after {years:g} year{'' if years == 1 else 's'}: {units.format_size(total)}"


# Trace styles: the total is dashed and drawn last, so the media line under it stays visible.
_TRACES = (
    ("text", {"color": "#1f77b4", "width": 2}),
    ("media", {"color": "#ff7f0e", "width": 4}),
    ("total", {"color": "#222222", "width": 2, "dash": "dash"}),
)


def _size_ticks(growth: pd.DataFrame) -> dict[str, list[Any]]:
    """Tick marks at each power of ten the stored bytes span, labelled as sizes ("10 TB", "1 PB")."""
    values = [v for column, _ in _TRACES for v in growth[column] if v > 0]
    if not values:
        return {"tickvals": [], "ticktext": []}
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    ticks = [10.0**k for k in range(low, high + 1)]
    return {"tickvals": ticks, "ticktext": [units.format_size(t) for t in ticks]}


def _growth_figure(growth: pd.DataFrame, years: float) -> go.Figure:
    fig = go.Figure()
    for column, line in _TRACES:
        fig.add_scatter(
            x=growth["year"],
            y=growth[column],
            name=column,
            mode="lines+markers",
            line=line,
            customdata=[units.format_size(v) for v in growth[column]],
            hovertemplate="year %{x}: %{customdata}<extra>" + column + "</extra>",
        )
    fig.update_layout(
        title={"text": _growth_title(growth["total"].iloc[-1], years)},
        xaxis={"title": {"text": "year"}, "dtick": 1},
        yaxis={"title": {"text": "stored (log scale)"}, "type": "log", **_size_ticks(growth)},
        height=360,
        margin={"l": 70, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def estimation_explorer(scenario: estimate.Scenario = estimate.CHAT_APP) -> Explorer:
    """The estimation template for ``scenario``, live: traffic, storage, bandwidth, connections.

    Views: a headline with average and peak QPS (``sd-estimation-headline``), the template table
    (``sd-estimation-table``), storage growth per year on a log axis whose title states the final
    total (``sd-estimation-growth``), and exact against quick-math figures (``sd-estimation-compare``).

    >>> ex = estimation_explorer()
    >>> ex.controls["dau_millions"].value = 100
    >>> "Average 11,574 QPS, peak 34,722 QPS" in ex.views["headline"].value
    True
    """
    controls = _controls(scenario)
    headline = view("sd-estimation-headline")
    table = view("sd-estimation-table")
    compare = view("sd-estimation-compare")
    growth = scenario.storage_growth()
    chart = Chart(_growth_figure(growth, scenario.retention_years), "sd-estimation-growth")

    drawn: dict[str, object] = {}  # the stored bytes the chart shows, to skip redundant redraws

    def render(values: dict[str, Any]) -> None:
        current = scenario_from(scenario, values)
        quick = bool(values["quick"])
        headline.value = _headline(current.traffic(quick=quick), quick)
        table.value = _template_html(current.table(quick=quick))
        compare.value = _comparison_html(current)
        # Redraw the chart only when the bytes stored change (not for peak, fan-out, servers, quick math).
        key = (current.text_storage(), current.media_storage(), current.retention_years)
        if drawn.get("key") == key:
            return
        growth = current.storage_growth()
        with chart.batch_update():
            for trace in chart.figure.data:
                column = str(trace.name)
                trace.x = growth["year"].tolist()
                trace.y = growth[column].tolist()
                trace.customdata = [units.format_size(v) for v in growth[column]]
            chart.figure.layout.title.text = _growth_title(growth["total"].iloc[-1], current.retention_years)
            chart.figure.layout.yaxis.update(_size_ticks(growth))
        drawn["key"] = key

    return Explorer(
        "estimation",
        controls,
        {"headline": headline, "table": table, "growth": chart, "compare": compare},
        render,
        parts=[
            headline,
            widgets.HTML("<b>The template</b>"),
            table,
            chart,
            widgets.HTML("<b>Exact against quick math</b> (the checkbox above switches the template)"),
            compare,
        ],
    )
