"""Explorer for lesson 09: availability calculator (nines <-> downtime, components in series and parallel)."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from .. import availability, reference
from ..units import format_duration
from ._base import Chart, Explorer, html_table, view

NINES_OPTIONS: list[tuple[str, float]] = [
    ("90%", 0.9),
    ("99%", 0.99),
    ("99.5%", 0.995),
    ("99.9%", 0.999),
    ("99.95%", 0.9995),
    ("99.99%", 0.9999),
    ("99.999%", 0.99999),
    ("99.9999%", 0.999999),
]
"""Availability levels offered in the dropdown: label and fraction."""

_WIDE = {"description_width": "initial"}


def availability_calculator(
    level: float = 0.9999,
    downtime_minutes: float = 60.0,
    chain: str = "99.99, 99.95, 99.9",
    replicas: int = 1,
) -> Explorer:
    """Downtime for a level, the level for a downtime, and a request path of components.

    Views: ``sd-availability-downtime`` (budget per year, month, day for the chosen level),
    ``sd-availability-inverse`` (the level that a yearly downtime allows), ``sd-availability-chain``
    (the path's components, each with its replicas, then the whole path in series) and
    ``sd-availability-figure`` (yearly downtime of each part, log scale).
    """
    controls: dict[str, widgets.ValueWidget] = {
        "level": widgets.Dropdown(
            options=NINES_OPTIONS, value=level, description="Availability", style=_WIDE
        ),
        "downtime_minutes": widgets.BoundedFloatText(
            value=downtime_minutes,
            min=0.01,
            max=500_000,
            step=1,
            description="Downtime per year (minutes)",
            style=_WIDE,
        ),
        "chain": widgets.Text(
            value=chain,
            description="Components in series (%)",
            continuous_update=False,
            style=_WIDE,
            layout=widgets.Layout(width="95%"),
        ),
        "replicas": widgets.IntSlider(
            value=replicas, min=1, max=5, description="Replicas of each", continuous_update=False, style=_WIDE
        ),
    }
    budget = view("sd-availability-downtime")
    inverse = view("sd-availability-inverse")
    chain_view = view("sd-availability-chain")
    start = reference.availability_chain(chain, replicas)
    chart = Chart(
        go.Figure(
            go.Bar(x=start["part"], y=start["downtime_s"] / 60, marker_color="#e45756"),
            layout={
                "title": "Downtime per year of each part (minutes)",
                "yaxis": {"type": "log", "title": "minutes per year", "dtick": 1},
                "height": 320,
                "margin": {"l": 60, "r": 20, "t": 50, "b": 80},
            },
        ),
        "sd-availability-figure",
    )

    shown: list[tuple[str, int] | None] = [None]  # the chain and replicas the table and figure show

    def render(v: dict[str, Any]) -> None:
        level = v["level"]
        year, month, day = (
            format_duration(availability.downtime(level, p)) for p in ("year", "month", "day")
        )
        budget.value = (
            f"<b>{html.escape(_label(level))}</b> ({availability.nines(level):.3g} nines) allows "
            f"<b>{year}</b> of downtime a year, {month} a month, {day} a day."
        )
        minutes = v["downtime_minutes"]
        level_for = availability.availability_from_downtime(minutes * 60, "year")
        inverse.value = (
            f"{minutes:g} minutes of downtime a year means "
            f"<b>{reference.format_percent(level_for)}</b> availability "
            f"({availability.nines(level_for):.2f} nines)."
        )
        key = (v["chain"], v["replicas"])
        if key == shown[0]:
            return  # only the level or the downtime changed: the chain is already on screen
        path = reference.availability_chain(v["chain"], v["replicas"])
        chain_view.value = html_table(path[["part", "percent", "downtime"]])
        with chart.batch_update():
            chart.figure.data[0].x = list(path["part"])
            chart.figure.data[0].y = list(path["downtime_s"] / 60)
        shown[0] = key

    views = {"downtime": budget, "inverse": inverse, "chain": chain_view, "chart": chart}
    return Explorer("availability", controls, views, render)


def _label(level: float) -> str:
    return next((text for text, value in NINES_OPTIONS if value == level), reference.format_percent(level))
