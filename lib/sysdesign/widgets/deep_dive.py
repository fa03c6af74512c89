"""Deep-dive explorers: the messages index, sharding, the Redis caches, and a WebSocket server crash.

Every figure comes from :mod:`sysdesign.schema` and :mod:`sysdesign.sim` (``sharding``, ``caching``,
``failure``); this module converts control units (percent, millions), memoises the library calls a
control did not change, and formats results into the views.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import estimate, schema, units
from ..sim import caching, failure, sharding
from ._base import Chart, Explorer, dropdown, html_table, int_slider, slider, view

_MILLION = 1e6
_PERCENT = 100.0
_LAYOUT = {
    "height": 320,
    "margin": {"l": 60, "r": 20, "t": 50, "b": 45},
    "legend": {"orientation": "h", "y": -0.25},
}


# --------------------------------------------------------------------------- schema

_INDEX_ON, _INDEX_OFF = "on (chat_id, created_at)", "off"


@lru_cache(maxsize=16)
def _explain(with_index: bool, n_rows: int, chat_id: int) -> schema.QueryPlan:
    return schema.explain_history_query(with_index, n_rows=n_rows, chat_id=chat_id)


def schema_explorer(n_rows: int = 20_000) -> Explorer:
    """Run the chat-history query on a real SQLite table with the index on or off.

    Views: the query plan as SQLite prints it (``sd-schema-plan``) and the cost table (``sd-schema-cost``).

    >>> ex = schema_explorer(5_000)
    >>> "SEARCH messages USING INDEX" in ex.views["plan"].value
    True
    >>> ex.controls["index"].value = _INDEX_OFF
    >>> "SCAN messages" in ex.views["plan"].value
    True
    """
    controls = {
        "index": dropdown("Index", [(_INDEX_ON, _INDEX_ON), (_INDEX_OFF, _INDEX_OFF)], _INDEX_ON),
        "chat": dropdown("Chat", [("the busiest chat (id 0)", 0), ("a quiet chat (id 700)", 700)], 0),
    }
    plan = view("sd-schema-plan")
    cost = view("sd-schema-cost")
    sql = widgets.HTML(f"<pre style='font-size:85%'>{schema.HISTORY_SQL}</pre>")

    def render(values: dict[str, Any]) -> None:
        q = _explain(values["index"] == _INDEX_ON, n_rows, int(values["chat"]))
        verdict = "uses the index" if q.uses_index else "reads every row, then sorts"
        plan.value = f"<pre class='sd-schema-plan-text'>{q.plan_text}</pre><b>The query {verdict}.</b>"
        frame = pd.DataFrame(
            [
                ("rows in the table", f"{q.n_rows:,}"),
                ("rows returned (one page)", f"{q.rows:,}"),
                ("SQLite VM instructions (about)", f"{q.vm_steps:,}"),
                ("query time (median)", f"{q.query_ms:.3g} ms"),
            ],
            columns=["measure", "value"],
        )
        cost.value = html_table(frame, "sd-table sd-schema-cost-table")

    return Explorer("schema", controls, {"plan": plan, "cost": cost}, render, parts=[sql, plan, cost])


# --------------------------------------------------------------------------- sharding


@lru_cache(maxsize=8)
def _chat_data(skew: float) -> sharding.ChatData:
    return sharding.chat_data(skew=skew, seed=0)


@lru_cache(maxsize=128)
def _loads(key: str, n: int, scheme: str, skew: float) -> np.ndarray:
    return sharding.shard_loads(key, n, _chat_data(skew), scheme)


def _draw_loads(target: go.Figure, values: dict[str, Any]) -> None:
    key, n = values["shard_key"], int(values["n_shards"])
    loads = _loads(key, n, values["scheme"], round(float(values["skew"]), 2))
    ratio = float(loads.max() / loads.mean())
    target.data[0].x = list(range(n))
    target.data[0].y = loads.tolist()
    target.data[1].x = [-0.5, n - 0.5]
    target.data[1].y = [float(loads.mean())] * 2
    target.layout.title.text = f"Messages per shard, sharded by {key}: hot shard {ratio:.2f}x the mean"


@lru_cache(maxsize=64)
def _moved(scheme: str, n: int) -> float:
    return sharding.moved_fraction(scheme, n, n + 1, n_keys=20_000, seed=0)


def _pct(x: float) -> str:
    return f"{x * _PERCENT:.1f}%"


def sharding_explorer() -> Explorer:
    """Shard the messages by chat_id or user_id: fan-out per query, hot shards, keys moved on resize.

    Views: the headline fan-out (``sd-sharding-touched``), the per-query table (``sd-sharding-table``),
    the hot-shard ratio (``sd-sharding-skew``) with a bar chart of messages per shard
    (``sd-sharding-load``), and the keys moved going from N to N+1 shards (``sd-sharding-moved``).

    >>> ex = sharding_explorer()
    >>> "1 shard" in ex.views["touched"].value
    True
    >>> ex.controls["shard_key"].value = "user_id"
    >>> "all 16 shards" in ex.views["touched"].value
    True
    """
    controls = {
        "shard_key": dropdown("Shard key", [("chat_id", "chat_id"), ("user_id", "user_id")], "chat_id"),
        "n_shards": int_slider("Shards (N)", 16, 2, 64, 1),
        "scheme": dropdown(
            "Hashing",
            [("hash(key) % N (modulo)", "modulo"), ("consistent hashing ring", "consistent")],
            "modulo",
        ),
        "skew": slider("Chat activity skew (Zipf)", 1.0, 0.0, 1.5, 0.1),
    }
    touched = view("sd-sharding-touched")
    table = view("sd-sharding-table")
    skew_view = view("sd-sharding-skew")
    moved = view("sd-sharding-moved")
    load_fig = go.Figure(go.Bar(x=[], y=[], marker_color="#1f77b4", name="messages"))
    load_fig.add_scatter(
        x=[], y=[], mode="lines", name="even share", line={"dash": "dash", "color": "#d62728"}
    )
    load_fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "shard"}},
        yaxis={"title": {"text": "messages written"}},
        **_LAYOUT,
    )
    chart = Chart(load_fig, "sd-sharding-load")

    def render(values: dict[str, Any]) -> None:
        key, n, scheme = values["shard_key"], int(values["n_shards"]), values["scheme"]
        data = _chat_data(round(float(values["skew"]), 2))
        history = sharding.shards_touched(key, "chat_history", n, data, scheme)
        per_user = sharding.shards_touched(key, "user_messages", n, data, scheme)
        loads = _loads(key, n, scheme, round(float(values["skew"]), 2))
        ratio = float(loads.max() / loads.mean())
        if history.scatter_gather:
            touched.value = (
                f"<b>Loading one chat's history asks all {history.touched} shards</b> (scatter-gather): its "
                f"messages sit with their senders, on {history.holding_data_mean:.1f} shards on average."
            )
        else:
            touched.value = "<b>Loading one chat's history asks 1 shard</b>: the whole chat lives together."
        rows = [
            (
                f.query.replace("_", " "),
                f.touched,
                "yes" if f.scatter_gather else "no",
                f"{f.holding_data_mean:.2f}",
            )
            for f in (history, per_user)
        ]
        frame = pd.DataFrame(
            rows, columns=["query", "shards asked", "scatter-gather", "shards holding rows (mean)"]
        )
        table.value = html_table(frame, "sd-table sd-sharding-fanout")
        skew_view.value = (
            f"Hot shard: the busiest shard takes <b>{ratio:.2f}x</b> the mean load "
            f"({int(loads.max()):,} of {int(loads.sum()):,} messages on {n} shards)."
        )
        chosen, other = _moved(scheme, n), _moved("consistent" if scheme == "modulo" else "modulo", n)
        name = {"modulo": "modulo", "consistent": "consistent hashing"}
        moved.value = (
            f"Going from {n} to {n + 1} shards: <b>{_pct(chosen)} of keys move</b> with {name[scheme]} "
            f"(against {_pct(other)} with {name['consistent' if scheme == 'modulo' else 'modulo']}; "
            f"the least possible is {_pct(sharding.ideal_moved_fraction(n, n + 1))})."
        )
        with chart.batch_update():
            _draw_loads(chart.figure, values)

    views = {"touched": touched, "table": table, "skew": skew_view, "load": chart, "moved": moved}
    return Explorer("sharding", controls, views, render)


# --------------------------------------------------------------------------- caching

_CHATS = 10_000  # chats in the simulated workload
_CURVE_POINTS = 80
_PRESENCE_USERS = 800


@lru_cache(maxsize=64)
def _hit(size: int, skew: float) -> float:
    return caching.lru_hit_ratio(size, n_keys=_CHATS, n_requests=60_000, skew=skew, seed=0)


@lru_cache(maxsize=16)
def _curve(skew: float) -> tuple[np.ndarray, np.ndarray]:
    return caching.che_curve(_CHATS, skew, points=_CURVE_POINTS)


@lru_cache(maxsize=64)
def _presence(ttl: float, beat: float, jitter: float, loss: float) -> caching.Presence:
    return caching.presence(ttl, beat, jitter, loss, n_users=_PRESENCE_USERS, seed=0)


def _cache_size(values: dict[str, Any]) -> tuple[int, float, int]:
    pct, skew = int(values["cache_percent"]), round(float(values["skew"]), 2)
    return pct, skew, int(round(pct / _PERCENT * _CHATS))


def _draw_curve(target: go.Figure, values: dict[str, Any]) -> None:
    pct, skew, size = _cache_size(values)
    ratio = _hit(size, skew)
    sizes, hits = _curve(skew)
    target.data[0].x = (sizes / _CHATS * _PERCENT).tolist()
    target.data[0].y = hits.tolist()
    target.data[1].x = [pct]
    target.data[1].y = [ratio]
    target.layout.title.text = f"Hit ratio {_pct(ratio)} with {pct}% of chats cached"


def caching_explorer(scenario: estimate.Scenario = estimate.CHAT_APP) -> Explorer:
    """Size the recent-messages cache and tune presence TTL against the heartbeat.

    Views: the hit ratio at the chosen size (``sd-caching-hit``) on the curve of hit ratio against
    cache size (``sd-caching-curve``), memory against Redis nodes (``sd-caching-memory``), and the
    presence trade-off (``sd-caching-presence``). Online users for the presence write rate come from
    ``scenario.connections()``.

    >>> ex = caching_explorer()
    >>> before = ex.views["hit"].value
    >>> ex.controls["cache_percent"].value = 50
    >>> ex.views["hit"].value != before
    True
    """
    controls = {
        "cache_percent": int_slider("Cached chats (% of active)", 10, 1, 100, 1),
        "skew": slider("Chat activity skew (Zipf)", 1.0, 0.0, 1.5, 0.1),
        "active_millions": int_slider("Active chats (millions)", 100, 1, 1_000, 1),
        "ttl": int_slider("Presence TTL (s)", 60, 5, 180, 5),
        "heartbeat": int_slider("Heartbeat interval (s)", 30, 5, 120, 5),
        "jitter": int_slider("Heartbeat delay jitter (s)", 5, 0, 30, 1),
        "loss": slider("Heartbeats lost (%)", 0.0, 0.0, 10.0, 0.5),
    }
    online = scenario.connections().concurrent
    hit = view("sd-caching-hit")
    memory = view("sd-caching-memory")
    presence_view = view("sd-caching-presence")
    fig = go.Figure()
    fig.add_scatter(x=[], y=[], mode="lines", name="LRU (Che's approximation)", line={"color": "#1f77b4"})
    fig.add_scatter(x=[], y=[], mode="markers", name="simulated LRU", marker={"size": 12, "color": "#d62728"})
    fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "cache size (% of chats)"}, "range": [0, 100]},
        yaxis={"title": {"text": "hit ratio"}, "range": [0, 1.02]},
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-caching-curve")

    def render(values: dict[str, Any]) -> None:
        pct, skew, size = _cache_size(values)
        ratio = _hit(size, skew)
        hit.value = (
            f"Caching the busiest <b>{pct}%</b> of chats serves <b>{_pct(ratio)}</b> "
            "of chat opens from Redis "
            f"(simulated LRU, skew {skew:g})."
        )
        active = float(values["active_millions"]) * _MILLION
        part = caching.recent_messages_memory(active * pct / _PERCENT)
        full = caching.recent_messages_memory(active)
        frame = pd.DataFrame(
            [
                (
                    f"busiest {pct}% of chats",
                    units.format_count(part.active_chats),
                    units.format_size(part.total_bytes),
                    part.nodes,
                ),
                (
                    "every active chat",
                    units.format_count(full.active_chats),
                    units.format_size(full.total_bytes),
                    full.nodes,
                ),
            ],
            columns=[
                "cached",
                "chats",
                "memory",
                f"Redis nodes ({units.format_size(part.node_bytes)} usable)",
            ],
        )
        memory.value = (
            f"Per chat: 50 messages x ({caching.MESSAGE_BYTES:g} B"
            f" + {caching.ENTRY_OVERHEAD_BYTES:g} B overhead) + {caching.KEY_OVERHEAD_BYTES:g} B key"
            f" = {units.format_size(part.per_chat_bytes)}."
            + html_table(frame, "sd-table sd-caching-memory-table")
        )
        p = _presence(
            float(values["ttl"]),
            float(values["heartbeat"]),
            float(values["jitter"]),
            float(values["loss"]) / _PERCENT,
        )
        qps = caching.presence_write_qps(online, p.heartbeat_s)
        rows = [
            ("online users who flicker offline within an hour", _pct(p.users_flickering)),
            ("heartbeat gaps longer than the TTL", _pct(p.false_offline_share)),
            (
                "a user who leaves still shows online for (mean / max)",
                f"{p.stale_mean_s:.0f} s / {p.stale_max_s:.0f} s",
            ),
            (
                f"presence writes for {units.format_count(online)} online users",
                f"{units.format_count(qps)} per second",
            ),
        ]
        safe = "never flickers" if p.false_offline_share == 0 else "flickers"
        presence_view.value = (
            f"<b>TTL {p.ttl_s:g} s, heartbeat every {p.heartbeat_s:g} s: presence {safe}.</b>"
            + html_table(
                pd.DataFrame(rows, columns=["presence", "value"]), "sd-table sd-caching-presence-table"
            )
        )
        with chart.batch_update():
            _draw_curve(chart.figure, values)

    return Explorer(
        "caching",
        controls,
        {"hit": hit, "curve": chart, "memory": memory, "presence": presence_view},
        render,
        parts=[
            widgets.HTML("<b>Recent messages</b>"),
            hit,
            chart,
            memory,
            widgets.HTML("<b>Presence</b>"),
            presence_view,
        ],
    )


# --------------------------------------------------------------------------- failure

_ORDER_LABELS = [("persist, then push", "persist_first"), ("push, then persist", "push_first")]
_JITTER_LABELS = [("full jitter", True), ("none", False)]
_STORM_WINDOW_S = 40.0


@lru_cache(maxsize=32)
def _storm(n: int, jitter: bool) -> failure.Storm:
    return failure.reconnect_storm(n, jitter, seed=0)


@lru_cache(maxsize=64)
def _crash(n: int, order: str, jitter: bool) -> failure.CrashResult:
    return failure.crash(n, order, jitter, seed=0, storm=_storm(n, jitter))


def _draw_storm(target: go.Figure, values: dict[str, Any]) -> None:
    n, jitter = int(values["connections"]), bool(values["jitter"])
    calm, storm = _storm(n, True), _storm(n, False)
    for trace, s in ((target.data[0], storm), (target.data[1], calm)):
        keep = s.times <= _STORM_WINDOW_S
        trace.x = s.times[keep].tolist()
        trace.y = s.attempts[keep].tolist()
    target.data[0].line.width = 1.5 if jitter else 3
    target.data[1].line.width = 3 if jitter else 1.5
    target.data[2].x = [0, _STORM_WINDOW_S]
    target.data[2].y = [storm.capacity, storm.capacity]
    target.layout.title.text = (
        f"Reconnect peak: {storm.peak:,} attempts per 100 ms without jitter, {calm.peak:,} with full jitter"
    )


def failure_explorer() -> Explorer:
    """Crash a WebSocket server: messages lost by order of work; the reconnect storm with and without jitter.

    Views: messages lost (``sd-failure-lost``), the fate of every message (``sd-failure-table``), and
    connection attempts per 100 ms with and without jitter (``sd-failure-storm``).

    >>> ex = failure_explorer()
    >>> "0 messages lost" in ex.views["lost"].value
    True
    >>> ex.controls["order"].value = "push_first"
    >>> "0 messages lost" in ex.views["lost"].value
    False
    """
    controls = {
        "connections": int_slider("Connections on the server", 10_000, 1_000, 50_000, 1_000),
        "order": dropdown("Order of work", _ORDER_LABELS, "persist_first"),
        "jitter": dropdown("Backoff jitter", _JITTER_LABELS, True),
    }
    lost = view("sd-failure-lost")
    table = view("sd-failure-table")
    fig = go.Figure()
    fig.add_scatter(x=[], y=[], mode="lines", name="no jitter", line={"color": "#d62728", "shape": "hv"})
    fig.add_scatter(x=[], y=[], mode="lines", name="full jitter", line={"color": "#2ca02c", "shape": "hv"})
    fig.add_scatter(
        x=[], y=[], mode="lines", name="accept capacity", line={"color": "#7f7f7f", "dash": "dot"}
    )
    fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "seconds after the crash"}, "range": [0, _STORM_WINDOW_S]},
        yaxis={"title": {"text": "connection attempts per 100 ms"}},
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-failure-storm")

    def render(values: dict[str, Any]) -> None:
        n, order, jitter = int(values["connections"]), values["order"], bool(values["jitter"])
        result = _crash(n, order, jitter)
        calm, storm = _storm(n, True), _storm(n, False)
        chosen = calm if jitter else storm
        label = dict((v, k) for k, v in _ORDER_LABELS)[order]
        lost.value = (
            f"<b>{result.lost:,} messages lost</b> with “{label}” "
            f"({result.in_flight:,} were in flight on the crashed server; "
            f"{result.replayed:,} replayed from the database)."
        )
        rows = [
            ("messages for these clients until each is back", result.messages),
            ("delivered before the crash", result.delivered_before_crash),
            ("in flight at the crash", result.in_flight),
            ("replayed after reconnecting (from the last message id)", result.replayed),
            ("lost", result.lost),
            ("delivered but missing from history", result.missing_from_history),
        ]
        frame = pd.DataFrame([(k, f"{v:,}") for k, v in rows], columns=["messages", "count"])
        back = (
            f"All {n:,} clients back after {chosen.all_back_s:.1f} s "
            f"({chosen.total_attempts:,} attempts; {'no jitter' if jitter else 'full jitter'}: "
            f"{(storm if jitter else calm).all_back_s:.1f} s)."
        )
        table.value = html_table(frame, "sd-table sd-failure-fate") + back
        with chart.batch_update():
            _draw_storm(chart.figure, values)

    return Explorer("failure", controls, {"lost": lost, "table": table, "storm": chart}, render)
