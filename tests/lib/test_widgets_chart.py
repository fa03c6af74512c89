"""Charts are plotly's own output in an ``Output`` widget: every explorer's charts hold their traces,
before they are displayed and after every change; views are passed to ``Explorer`` by name."""

from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest
from sysdesign.sim import fanout
from sysdesign.widgets import (
    Chart,
    Explorer,
    api,
    architecture,
    cheat_sheet,
    conflicts,
    coordination,
    deep_dive,
    estimation,
    feed,
    framework,
    geoindex,
    ids,
    media,
    pastebin,
    ratelimit,
    replication,
    shortener,
    structures,
    tradeoffs,
    transactions,
)

PLOTLY = "application/vnd.plotly.v1+json"

# Every explorer that draws a chart, built as the lessons build it (fan-out on a small audience).
CHARTED = {
    "pagination": api.pagination_explorer,
    "trace": architecture.trace_explorer,
    "spof": architecture.spof_explorer,
    "availability": cheat_sheet.availability_calculator,
    "sharding": deep_dive.sharding_explorer,
    "caching": deep_dive.caching_explorer,
    "failure": deep_dive.failure_explorer,
    "estimation": estimation.estimation_explorer,
    "feed": feed.fanout_explorer,
    "plan": framework.plan_explorer,
    "expiry": pastebin.expiration_explorer,
    "dedup": pastebin.dedup_explorer,
    "cdn": pastebin.cdn_explorer,
    "ratelimit": ratelimit.rate_limit_explorer,
    "shortener": shortener.key_length_explorer,
    "linkcache": shortener.link_cache_explorer,
    "fanout": lambda: tradeoffs.fanout_explorer(fanout.audience(2_000, seed=1)),
    "cachepolicy": tradeoffs.cache_policy_explorer,
    "services": tradeoffs.services_explorer,
    "replication": replication.replication_explorer,
    "coordination": coordination.coordination_explorer,
    "ids": ids.ids_explorer,
    "geo": geoindex.geo_explorer,
    "conflicts": conflicts.conflicts_explorer,
    "transactions": transactions.transactions_explorer,
    "structures": structures.structures_explorer,
    "abr": media.abr_explorer,
    "mediacdn": media.cdn_explorer,
}


def _walk(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _walk(child)
    return found


def _shown(chart: Chart) -> dict:
    """The figure the chart's output holds (what the browser draws)."""
    (output,) = chart.outputs
    assert output["output_type"] == "display_data"
    return output["data"][PLOTLY]


def _has_points(trace: dict) -> bool:
    """Whether the trace has x or y values (a list, or plotly's base64 array ``{"bdata": ...}``)."""
    values = [trace.get(axis) for axis in ("x", "y")]
    return any(bool(v.get("bdata")) if isinstance(v, dict) else len(v or ()) > 0 for v in values)


def _assert_drawn(chart: Chart) -> None:
    shown = _shown(chart)
    assert shown["data"] and any(_has_points(t) for t in shown["data"])
    assert shown == _shown_now(chart)  # the output shows the figure as it stands, not an older one


def _shown_now(chart: Chart) -> dict:
    fresh = Chart(chart.figure, "sd-copy")
    return _shown(fresh)


@pytest.mark.parametrize("name", sorted(CHARTED))
def test_every_chart_holds_its_traces_before_display_and_after_each_change(name):
    ex = CHARTED[name]()
    charts = [w for w in _walk(ex) if isinstance(w, Chart)]
    assert charts, f"{name} shows no Chart"
    assert not any(isinstance(w, go.FigureWidget) for w in _walk(ex))
    assert all(chart in ex.views.values() for chart in charts)  # every chart is a named view
    for chart in charts:
        _assert_drawn(chart)
    for control in list(ex.controls.values())[:2]:
        if isinstance(control, widgets.FloatLogSlider):
            top, bottom = control.base**control.max, control.base**control.min
            control.value = top if control.value != top else bottom
        elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            control.value = control.max if control.value != control.max else control.min
        elif isinstance(control, widgets.Dropdown):
            values = [o[1] if isinstance(o, tuple) else o for o in control.options]
            control.value = values[(values.index(control.value) + 1) % len(values)]
        assert ex.status.value == "", f"{name}: {ex.status.value}"
        for chart in charts:
            _assert_drawn(chart)


def test_edits_show_after_the_block_and_not_before():
    chart = Chart(go.Figure(go.Scatter(x=[1, 2], y=[3, 4]), layout_title_text="before"), "sd-test")
    with chart.batch_update():
        chart.figure.layout.title.text = "after"
        chart.figure.data[0].y = [5, 6]
        assert _shown(chart)["layout"]["title"]["text"] == "before"  # one redraw, at the end
    shown = _shown(chart)
    assert shown["layout"]["title"]["text"] == "after" and shown["data"][0]["y"] == [5, 6]
    assert {"sd-chart", "sd-test"} <= set(chart._dom_classes)


def test_a_failed_edit_leaves_the_last_picture():
    chart = Chart(go.Figure(layout_title_text="kept"), "sd-test")
    with pytest.raises(ValueError), chart.batch_update():
        chart.figure.layout.title.text = "half done"
        raise ValueError("the library refused the input")
    assert _shown(chart)["layout"]["title"]["text"] == "kept"


def test_views_must_be_named():
    label = widgets.HTML("x")
    with pytest.raises(TypeError, match="views"):
        Explorer("bad", {}, [label], lambda values: None)  # type: ignore[arg-type]
    ex = Explorer("good", {}, {"label": label}, lambda values: None)
    assert ex.views == {"label": label} and label in ex.children


def test_sql_explorer_starts_at_the_chat_peak_message_rate():
    # Syllabus chat estimate: 50 M DAU x 10 messages / 86,400 s = 5,787/s average, x3 = 17,361/s peak.
    ex = tradeoffs.sql_explorer()
    assert ex.controls["write_qps"].value == pytest.approx(50e6 * 10 / 86_400 * 3, rel=1e-3)
