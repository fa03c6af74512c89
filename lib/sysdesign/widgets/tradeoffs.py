"""Tradeoff explorers, one per classic tradeoff: quorums under a partition, SQL vs NoSQL sizing,
news-feed fan-out, cache policy, and monolith vs microservices.

Every number comes from :mod:`sysdesign.tradeoffs` or the simulations in :mod:`sysdesign.sim`
(``quorum``, ``fanout``, ``cache_policy``); these functions wire controls to those calls and
format the results into views.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import estimate, tradeoffs, units
from ..sim import cache_policy, fanout, quorum
from ._base import STYLE, Chart, Explorer, html_table, int_slider, slider, view

_PUSH, _PULL, _HYBRID = "#1f77b4", "#ff7f0e", "#2ca02c"


def _log_slider(
    description: str, value: float, low_exp: float, high_exp: float, step: float, fmt: str
) -> widgets.FloatLogSlider:
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=low_exp,
        max=high_exp,
        step=step,
        readout_format=fmt,
        description=description,
        continuous_update=False,
        style=STYLE,
    )


def _cap_with(source: widgets.IntSlider, *targets: widgets.IntSlider) -> None:
    """Keep each target's maximum equal to ``source``'s value (clamping the target's value).

    Register before the Explorer is built so the clamp runs before the render.
    """

    def on_change(change: dict[str, Any]) -> None:
        for target in targets:
            target.max = change["new"]

    source.observe(on_change, names="value")


def _percent(x: float) -> str:
    return f"{x:.0%}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms"


# --------------------------------------------------------------------------------------------
# Consistency vs availability: quorums under a partition
# --------------------------------------------------------------------------------------------


def _outcome_frame(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.copy()
    for column in ("fresh", "stale", "error"):
        shown[column] = [_percent(x) for x in shown[column]]
    return shown.rename(columns={"fresh": "reads fresh", "stale": "reads stale", "error": "reads failing"})


def quorum_explorer(
    n: int = 3, r: int = 2, w: int = 2, isolated: int = 1, *, trials: int = 10_000, seed: int = 0
) -> Explorer:
    """Replicas, read and write quorums, and a partition: what each side can still do.

    Controls: "Replicas (N)", "Read quorum (R)", "Write quorum (W)", "Isolated replicas".
    Views: the quorum arithmetic (``sd-quorum-summary``) and, per side of the partition and per
    behaviour (CP strict quorum, AP sloppy quorum), whether writes succeed and the shares of
    reads that are fresh, stale or fail (``sd-quorum-outcome``).

    >>> ex = quorum_explorer()
    >>> ex.controls["r"].value = 1
    >>> "R + W = 3 &lt;= N = 3" in ex.views["summary"].value
    True
    """
    controls = {
        "n": int_slider("Replicas (N)", n, 1, 9),
        "r": int_slider("Read quorum (R)", r, 1, n),
        "w": int_slider("Write quorum (W)", w, 1, n),
        "isolated": int_slider("Isolated replicas", isolated, 0, n),
    }
    _cap_with(controls["n"], controls["r"], controls["w"], controls["isolated"])
    summary = view("sd-quorum-summary")
    outcome = view("sd-quorum-outcome")

    def render(values: dict[str, Any]) -> None:
        nn, rr, ww, k = values["n"], values["r"], values["w"], values["isolated"]
        table = quorum.partition_table(nn, rr, ww, k, trials=trials, seed=seed)
        split = f"{k} of {nn} replicas cut off" if k else "no partition"
        summary.value = f"<b>{html.escape(quorum.summary(nn, rr, ww))}</b> Partition: {split}."
        outcome.value = html_table(_outcome_frame(table), "sd-table sd-quorum-table")

    return Explorer("quorum", controls, {"summary": summary, "outcome": outcome}, render)


# --------------------------------------------------------------------------------------------
# SQL vs NoSQL: shards for the write rate, and the access-pattern checklist
# --------------------------------------------------------------------------------------------

_TICKABLE = tuple(key for key, _, _ in tradeoffs.CHECKLIST if key != "write_scale")
_LABELS = {key: question for key, question, _ in tradeoffs.CHECKLIST}


def sql_explorer(
    write_qps: float | None = None,
    per_node_limit: float | None = None,
    answers: dict[str, bool] | None = None,
) -> Explorer:
    """Peak write rate and one node's limit give the shard count; the checklist gives the lean.

    Controls: "Peak writes per second" (log slider), "Writes/s one node takes", and a checkbox
    per checklist question (the write-scale question is answered from the sizing). Views: the
    shard arithmetic (``sd-sql-shards``), the checklist (``sd-sql-checklist``) and the lean
    (``sd-sql-verdict``). The default write rate is the chat's peak message rate,
    ``estimate.CHAT_APP.traffic().peak_qps``.

    >>> ex = sql_explorer()
    >>> ex.controls["write_qps"].value = 30_000
    >>> "6 shards" in ex.views["shards"].value
    True
    """
    rate = estimate.CHAT_APP.traffic().peak_qps if write_qps is None else write_qps
    limit = tradeoffs.node_write_limit() if per_node_limit is None else per_node_limit
    ticked = {"single_key": True} if answers is None else dict(answers)
    controls: dict[str, widgets.ValueWidget] = {
        "write_qps": _log_slider("Peak writes per second", rate, 2, 6, 0.01, ",.0f"),
        "per_node_limit": int_slider("Writes/s one node takes", int(limit), 500, 50_000, 500),
    }
    for key in _TICKABLE:
        controls[key] = widgets.Checkbox(
            value=bool(ticked.get(key, False)), description=_LABELS[key], indent=False
        )
    shards = view("sd-sql-shards")
    checklist = view("sd-sql-checklist")
    verdict = view("sd-sql-verdict")

    def render(values: dict[str, Any]) -> None:
        rate, node = values["write_qps"], values["per_node_limit"]
        sizing = tradeoffs.shards_needed(rate, node)
        picked = {key: values[key] for key in _TICKABLE}
        table = tradeoffs.checklist(picked, write_qps=rate, per_node_limit=node)
        lean = tradeoffs.lean(picked, write_qps=rate, per_node_limit=node)
        shards.value = f"<b>{sizing.shards} shard{'' if sizing.shards == 1 else 's'}</b>: {sizing.say()}"
        shown = table[["question", "answer", "yes_points_to"]].assign(
            answer=table["answer"].map({True: "yes", False: "no"})
        )
        checklist.value = html_table(shown, "sd-table sd-sql-table")
        meaning = {
            "SQL": "a relational database (one node, or a few shards)",
            "NoSQL": "a horizontally scaled key-access store",
            "both": "a split: relational data in SQL, the high-volume key-access data in NoSQL",
        }[lean]
        verdict.value = f"The checklist leans to <b>{lean}</b>: {meaning}."

    views = {"shards": shards, "checklist": checklist, "verdict": verdict}
    return Explorer("sql", controls, views, render, columns=1)


# --------------------------------------------------------------------------------------------
# Push vs pull: the celebrity threshold
# --------------------------------------------------------------------------------------------


def _fanout_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "strategy": rows["strategy"],
            "celebrities (pulled)": [units.format_count(x) for x in rows["celebrities"]],
            "writes per post (mean)": [f"{x:,.1f}" for x in rows["writes_per_post_mean"]],
            "writes per post (worst)": [units.format_count(x) for x in rows["writes_per_post_max"]],
            "sources per read (mean)": [f"{x:,.1f}" for x in rows["sources_mean"]],
            "sources per read (p99)": [f"{x:,.0f}" for x in rows["sources_p99"]],
            "read latency p99": [_ms(x) for x in rows["read_latency_p99_s"]],
            "feed storage per day": [units.format_size(x) for x in rows["feed_storage_per_day"]],
        }
    )


def _fanout_title(result: fanout.FanoutResult) -> str:
    return (
        f"Threshold {result.threshold:,.0f}: {result.writes_per_post_mean:,.1f} writes per post, "
        f"{result.sources_mean:,.1f} sources per read"
    )


def _fanout_figure(curve: pd.DataFrame, current: fanout.FanoutResult) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(
        x=curve["threshold"],
        y=curve["writes_per_post_mean"],
        name="writes per post (mean)",
        line={"color": _PUSH},
        secondary_y=False,
    )
    fig.add_scatter(
        x=curve["threshold"],
        y=curve["sources_mean"],
        name="sources per feed read (mean)",
        line={"color": _PULL},
        secondary_y=True,
    )
    fig.add_scatter(
        x=[current.threshold],
        y=[current.writes_per_post_mean],
        name="current threshold",
        mode="markers",
        marker={"color": _HYBRID, "size": 12},
        secondary_y=False,
    )
    fig.add_scatter(
        x=[current.threshold],
        y=[current.sources_mean],
        showlegend=False,
        mode="markers",
        marker={"color": _HYBRID, "size": 12},
        secondary_y=True,
    )
    fig.update_layout(
        title={"text": _fanout_title(current)},
        xaxis={"title": {"text": "celebrity threshold (followers, log scale)"}, "type": "log"},
        height=380,
        margin={"l": 60, "r": 60, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.25},
    )
    fig.update_yaxes(title_text="writes per post", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text="sources merged per read", secondary_y=True, rangemode="tozero")
    return fig


def fanout_explorer(aud: fanout.Audience | None = None, threshold: float = 10_000.0) -> Explorer:
    """Move the celebrity threshold between pure pull (left) and pure push (right).

    Control: "Celebrity threshold (followers)" (log slider). Views: push, the hybrid at the
    threshold, and pull side by side (``sd-fanout-summary``), and the write and read cost over
    all thresholds with the current one marked and stated in the title (``sd-fanout-chart``).

    >>> ex = fanout_explorer(fanout.audience(10_000, seed=1))
    >>> ex.controls["threshold"].value = 1_000
    >>> ex.views["chart"].figure.layout.title.text.startswith("Threshold 1,000:")
    True
    """
    aud = aud if aud is not None else fanout.audience()
    curve = fanout.sweep(aud)
    controls = {"threshold": _log_slider("Celebrity threshold (followers)", threshold, 1, 6, 0.05, ",.0f")}
    summary = view("sd-fanout-summary")
    chart = Chart(_fanout_figure(curve, fanout.fanout(aud, threshold)), "sd-fanout-chart")

    def render(values: dict[str, Any]) -> None:
        rows = fanout.compare(aud, values["threshold"])
        current = fanout.fanout(aud, values["threshold"])
        summary.value = html_table(_fanout_rows(rows), "sd-table sd-fanout-table")
        fig = chart.figure
        with chart.batch_update():
            fig.data[2].x, fig.data[2].y = [current.threshold], [current.writes_per_post_mean]
            fig.data[3].x, fig.data[3].y = [current.threshold], [current.sources_mean]
            fig.layout.title.text = _fanout_title(current)

    return Explorer("fanout", controls, {"summary": summary, "chart": chart}, render, columns=1)


# --------------------------------------------------------------------------------------------
# Cache-aside vs write-through
# --------------------------------------------------------------------------------------------

_POLICY_NAMES = {"cache_aside": "cache-aside", "write_through": "write-through"}
_POLICY_COLOURS = {"cache_aside": _PUSH, "write_through": _PULL}


def _policy_rows(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "policy": [_POLICY_NAMES[p] for p in table["policy"]],
            "hit ratio": [_percent(x) for x in table["hit_ratio"]],
            "mean read latency": [_ms(x) for x in table["mean_read_latency_s"]],
            "write latency": [_ms(x) for x in table["mean_write_latency_s"]],
            "cache fills": [units.format_count(x) for x in table["fills"]],
            "fills never read": [_percent(x) for x in table["never_read_share"]],
        }
    )


def _policy_title(table: pd.DataFrame, ratio: float) -> str:
    by = table.set_index("policy")
    return (
        f"{ratio:,.3g} reads per write: hit ratio {_percent(by.loc['cache_aside', 'hit_ratio'])} vs "
        f"{_percent(by.loc['write_through', 'hit_ratio'])}, never read "
        f"{_percent(by.loc['cache_aside', 'never_read_share'])} vs "
        f"{_percent(by.loc['write_through', 'never_read_share'])}"
    )


def _policy_figure(curve: pd.DataFrame, table: pd.DataFrame, ratio: float) -> go.Figure:
    fig = go.Figure()
    for policy in cache_policy.POLICIES:
        part = curve[curve["policy"] == policy]
        colour = _POLICY_COLOURS[policy]
        fig.add_scatter(
            x=part["reads_per_write"],
            y=part["hit_ratio"],
            name=f"{_POLICY_NAMES[policy]}: hit ratio",
            line={"color": colour},
        )
        fig.add_scatter(
            x=part["reads_per_write"],
            y=part["never_read_share"],
            name=f"{_POLICY_NAMES[policy]}: fills never read",
            line={"color": colour, "dash": "dot"},
        )
    fig.add_vline(x=ratio, line={"color": "#888", "dash": "dash"})
    fig.update_layout(
        title={"text": _policy_title(table, ratio)},
        xaxis={"title": {"text": "reads per write (log scale)"}, "type": "log"},
        yaxis={"title": {"text": "share"}, "range": [0, 1.02], "tickformat": ".0%"},
        height=380,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def cache_policy_explorer(reads_per_write: float = 100.0, skew: float = 1.0, *, seed: int = 0) -> Explorer:
    """Slide the read:write ratio and compare cache-aside with write-through on the same requests.

    Controls: "Reads per write" (log slider), "Read key skew", and "Writes as skewed as reads"
    (off: writes spread evenly over all keys). Views: the two policies side by side
    (``sd-cachepolicy-table``) and hit ratio and never-read share over all ratios, the current
    one marked and stated in the title (``sd-cachepolicy-chart``).

    >>> ex = cache_policy_explorer()
    >>> ex.controls["reads_per_write"].value = 1.0
    >>> ex.views["chart"].figure.layout.title.text.startswith("1 reads per write")
    True
    """
    controls: dict[str, widgets.ValueWidget] = {
        "reads_per_write": _log_slider("Reads per write", reads_per_write, -1, 3, 0.05, ",.3g"),
        "skew": slider("Read key skew", skew, 0.0, 2.0, 0.1),
        "same_skew": widgets.Checkbox(value=False, description="Writes as skewed as reads", indent=False),
    }
    curves: dict[tuple[float, bool], pd.DataFrame] = {}

    def options(values: dict[str, Any]) -> dict[str, Any]:
        return {"skew": values["skew"], "write_skew": None if values["same_skew"] else 0.0, "seed": seed}

    def curve_for(values: dict[str, Any]) -> pd.DataFrame:
        key = (round(values["skew"], 6), bool(values["same_skew"]))
        if key not in curves:  # the sweep only depends on the skews: keep it between slider moves
            curves[key] = cache_policy.sweep(**options(values))
        return curves[key]

    table = view("sd-cachepolicy-table")
    start = _values(controls)
    first = cache_policy.compare(reads_per_write, **options(start))
    chart = Chart(_policy_figure(curve_for(start), first, reads_per_write), "sd-cachepolicy-chart")

    def render(values: dict[str, Any]) -> None:
        ratio = values["reads_per_write"]
        current = cache_policy.compare(ratio, **options(values))
        curve = curve_for(values)
        table.value = html_table(_policy_rows(current), "sd-table sd-cachepolicy-rows")
        fig = chart.figure
        with chart.batch_update():
            for i, (policy, column) in enumerate(
                (p, c) for p in cache_policy.POLICIES for c in ("hit_ratio", "never_read_share")
            ):
                part = curve[curve["policy"] == policy]
                fig.data[i].x, fig.data[i].y = part["reads_per_write"].tolist(), part[column].tolist()
            fig.layout.shapes[0].x0 = fig.layout.shapes[0].x1 = ratio
            fig.layout.title.text = _policy_title(current, ratio)

    return Explorer("cachepolicy", controls, {"table": table, "chart": chart}, render)


def _values(controls: dict[str, widgets.ValueWidget]) -> dict[str, Any]:
    """Current value of each control by name (before an Explorer wraps them)."""
    return {key: control.value for key, control in controls.items()}


# --------------------------------------------------------------------------------------------
# Monolith vs microservices
# --------------------------------------------------------------------------------------------

_GROWTHS = tuple(float(g) for g in np.arange(1, 21))


def _services_title(result: tradeoffs.ScalingComparison) -> str:
    return (
        f"{result.growth:g}x load on one service: {result.microservices} servers split, "
        f"{result.monolith} as a monolith"
    )


def _services_curve(
    services: int, scaling: Callable[..., tradeoffs.ScalingComparison]
) -> tuple[list[int], list[int]]:
    results = [scaling(services, g) for g in _GROWTHS]
    return [r.microservices for r in results], [r.monolith for r in results]


def _services_figure(micro: list[int], mono: list[int], current: tradeoffs.ScalingComparison) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=list(_GROWTHS), y=micro, name="microservices", line={"color": _PUSH, "shape": "hv"})
    fig.add_scatter(x=list(_GROWTHS), y=mono, name="monolith", line={"color": _PULL, "shape": "hv"})
    fig.add_scatter(
        x=[current.growth, current.growth],
        y=[current.microservices, current.monolith],
        name="current growth",
        mode="markers",
        marker={"color": _HYBRID, "size": 11},
    )
    fig.update_layout(
        title={"text": _services_title(current)},
        xaxis={"title": {"text": "load growth on one service (x)"}},
        yaxis={"title": {"text": "servers"}, "rangemode": "tozero"},
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def services_explorer(services_on_path: int = 3, growth: float = 1.0, services: int = 6) -> Explorer:
    """Services on a request's path cost round trips; one service's growth costs servers.

    Controls: "Services deployed", "Services on the request path", "Load growth on one service (x)".
    Views: the added latency (``sd-services-latency``), servers per service and the two totals
    (``sd-services-servers``), and servers against growth for both shapes (``sd-services-chart``).

    >>> ex = services_explorer()
    >>> ex.controls["growth"].value = 10
    >>> ex.views["chart"].figure.layout.title.text
    '10x load on one service: 21 servers split, 22 as a monolith'
    """
    controls = {
        "services": int_slider("Services deployed", services, 2, 12),
        "on_path": int_slider("Services on the request path", services_on_path, 1, services),
        "growth": slider("Load growth on one service (x)", growth, 1.0, 20.0, 0.5),
    }
    _cap_with(controls["services"], controls["on_path"])
    latency = view("sd-services-latency")
    servers = view("sd-services-servers")
    first = tradeoffs.scaling_servers(services, growth)
    chart = Chart(
        _services_figure(*_services_curve(services, tradeoffs.scaling_servers), first), "sd-services-chart"
    )
    shown = {"services": services}

    def render(values: dict[str, Any]) -> None:
        n, g = values["services"], values["growth"]
        path = tradeoffs.network_hops(values["on_path"])
        result = tradeoffs.scaling_servers(n, g)
        latency.value = f"<b>{path.say()}</b>"
        servers.value = f"{result.say()}" + html_table(result.table(), "sd-table sd-services-table")
        fig = chart.figure
        with chart.batch_update():
            if shown["services"] != n:  # the curves depend only on the number of services
                fig.data[0].y, fig.data[1].y = _services_curve(n, tradeoffs.scaling_servers)
                shown["services"] = n
            fig.data[2].x, fig.data[2].y = [g, g], [result.microservices, result.monolith]
            fig.layout.title.text = _services_title(result)

    return Explorer("services", controls, {"latency": latency, "servers": servers, "chart": chart}, render)


__all__ = [
    "cache_policy_explorer",
    "fanout_explorer",
    "quorum_explorer",
    "services_explorer",
    "sql_explorer",
]
