"""Explorers for the URL shortener lesson: key length and collisions, 301 against 302, hot-link cache.

Every figure comes from :mod:`sysdesign.shortener`; this module turns control values into
arguments, memoises the calls a control did not change, and copies results into the views.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import shortener
from ..units import format_count, format_size
from ._base import STYLE, Chart, Explorer, dropdown, html_table, int_slider, slider, view

_LAYOUT = {
    "height": 340,
    "margin": {"l": 70, "r": 20, "t": 50, "b": 45},
    "legend": {"orientation": "h", "y": -0.22},
}
_LENGTHS = list(range(1, 21))
_ALPHABET_LABELS = [
    ("base62 (0-9, A-Z, a-z)", "base62"),
    ("base58 (no 0, O, I, l)", "base58"),
    ("base64url (adds - and _)", "base64url"),
    ("base36 (0-9, a-z)", "base36"),
    ("hex (0-9, a-f)", "hex"),
    ("decimal (0-9)", "decimal"),
]


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _big(x: float) -> str:
    """A count in words up to trillions, then as a power of ten (HTML)."""
    if x < 1e15:
        return format_count(x)
    exponent = int(np.floor(np.log10(x)))
    return f"{x / 10**exponent:.3g} × 10<sup>{exponent}</sup>"


# --------------------------------------------------------------------------- key length


@lru_cache(maxsize=256)
def _curve(n_links: float, alphabet: str) -> pd.DataFrame:
    return shortener.collision_curve(n_links, alphabet, _LENGTHS)


def _draw_keys(target: go.Figure, values: dict[str, Any]) -> None:
    alphabet, length, n = values["alphabet"], int(values["length"]), float(values["links"])
    curve = _curve(n, alphabet)
    p = shortener.collision_probability(n, length, alphabet)
    target.data[0].x = curve["length"].tolist()
    target.data[0].y = curve["probability"].tolist()
    target.data[1].x = curve["length"].tolist()
    target.data[1].y = curve["space_used"].tolist()
    target.data[2].x = [length]
    target.data[2].y = [p]
    target.layout.title.text = (
        f"{alphabet}, {format_count(n)} links: collision chance "
        f"{shortener.format_probability(p)} at {length} characters"
    )


def key_length_explorer(n_links: float = 1e10, alphabet: str = "base62", length: int = 7) -> Explorer:
    """Key length against capacity and collision probability, for a chosen alphabet and number of links.

    Views: the key space (``sd-shortener-capacity``), the collision figures for random codes
    (``sd-shortener-collision``), the shortest safe lengths (``sd-shortener-needed``) and a chart of
    collision probability against key length on a log scale (``sd-shortener-chart``).

    >>> ex = key_length_explorer(1e6, "base62", 7)
    >>> "13.2%" in ex.views["collision"].value
    True
    >>> ex.controls["length"].value = 8
    >>> "0.229%" in ex.views["collision"].value
    True
    """
    controls = {
        "alphabet": dropdown("Alphabet", _ALPHABET_LABELS, alphabet),
        "length": int_slider("Key length (characters)", length, 3, 16),
        "links": widgets.FloatLogSlider(
            value=n_links,
            base=10,
            min=3,
            max=13,
            step=0.1,
            readout_format=".3g",
            description="Links stored",
            continuous_update=False,
            style=STYLE,
        ),
    }
    capacity_view = view("sd-shortener-capacity")
    collision_view = view("sd-shortener-collision")
    needed_view = view("sd-shortener-needed")
    fig = go.Figure()
    fig.add_scatter(
        x=[], y=[], mode="lines+markers", name="P(at least one collision)", line={"color": "#d62728"}
    )
    fig.add_scatter(
        x=[], y=[], mode="lines", name="share of the key space used", line={"color": "#1f77b4", "dash": "dot"}
    )
    fig.add_scatter(
        x=[], y=[], mode="markers", name="chosen length", marker={"size": 14, "color": "#111", "symbol": "x"}
    )
    fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "key length (characters)"}, "dtick": 1},
        yaxis={
            "title": {"text": "probability / share (log scale)"},
            "type": "log",
            "exponentformat": "power",
        },
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-shortener-chart")

    def render(values: dict[str, Any]) -> None:
        name, length, n = values["alphabet"], int(values["length"]), float(values["links"])
        size = shortener.alphabet_size(name)
        space = shortener.capacity(length, name)
        used = min(1.0, n / space)
        capacity_view.value = (
            f"<b>{size}<sup>{length}</sup> = {_big(float(space))} codes</b>; "
            f"{format_count(n)} links use {shortener.format_probability(used)} of them"
            + (" <b>(more links than codes!)</b>" if n > space else "")
            + "."
        )
        p = shortener.collision_probability(n, length, name)
        pairs = shortener.expected_colliding_pairs(n, length, name)
        nxt = shortener.insert_collision_probability(n, length, name)
        collision_view.value = (
            f"Random codes (hash and truncate): chance of at least one collision "
            f"<b>{shortener.format_probability(p)}</b>; expected colliding pairs {_big(pairs)}; "
            f"the next new link collides with probability {shortener.format_probability(nxt)}."
        )
        counter = shortener.length_for_capacity(n, name) if n <= 1e30 else None
        try:
            safe = shortener.min_length(n, name, 1e-3)
            safe_text = f"<b>{safe}</b> characters keep random codes under a 0.1% chance of any collision"
        except ValueError:
            safe_text = "no length up to 32 characters keeps random codes under a 0.1% chance"
        needed_view.value = (
            f"A counter needs <b>{counter}</b> characters to number {format_count(n)} links; {safe_text}."
        )
        with chart.batch_update():
            _draw_keys(chart.figure, values)

    views = {"capacity": capacity_view, "collision": collision_view, "needed": needed_view, "chart": chart}
    return Explorer("shortener", controls, views, render)


# --------------------------------------------------------------------------- 301 against 302

_VISITORS = 10_000
_STATUS_LABELS = [("301 Moved Permanently", "301"), ("302 Found", "302")]


@lru_cache(maxsize=512)
def _clicks(status: str, clicks: float, cache_days: float) -> shortener.RedirectResult:
    return shortener.redirect_clicks(status, _VISITORS, clicks, cache_days=cache_days, days=30.0, seed=0)


def redirect_explorer() -> Explorer:
    """One link's clicks over 30 days under a 301 or a 302: what reaches us, what goes uncounted.

    Views: the headline for the chosen status (``sd-redirects-summary``) and both statuses side by
    side (``sd-redirects-table``).

    >>> ex = redirect_explorer()
    >>> "every click" in ex.views["summary"].value
    True
    >>> ex.controls["status"].value = "301"
    >>> "never reach us" in ex.views["summary"].value
    True
    """
    controls = {
        "status": dropdown("Redirect status", _STATUS_LABELS, "302"),
        "clicks": slider("Clicks per visitor (mean)", 3.0, 1.0, 10.0, 0.5),
        "cache_days": int_slider("Days a browser keeps a 301", 30, 0, 30),
    }
    summary = view("sd-redirects-summary")
    table = view("sd-redirects-table")

    def render(values: dict[str, Any]) -> None:
        clicks, keep = round(float(values["clicks"]), 2), float(values["cache_days"])
        keep = shortener.FOREVER_DAYS if keep >= 30 else keep
        runs = {s: _clicks(s, clicks, keep) for s in shortener.REDIRECT_STATUSES}
        chosen = runs[values["status"]]
        if values["status"] == "302":
            summary.value = (
                f"<b>302: every click reaches us</b>: {chosen.reached:,} requests "
                f"for {chosen.clicks:,} clicks "
                f"from {chosen.visitors:,} visitors, all counted."
            )
        else:
            kept = "for good" if keep == shortener.FOREVER_DAYS else f"for {keep:g} days"
            summary.value = (
                f"<b>301 kept {kept}: {_pct(chosen.uncounted_share)} of clicks never reach us</b>: "
                f"{chosen.reached:,} requests for {chosen.clicks:,} clicks; the rest go uncounted."
            )
        frame = pd.DataFrame(
            [
                (
                    s,
                    f"{r.clicks:,}",
                    f"{r.reached:,}",
                    f"{r.requests_per_click:.2f}",
                    _pct(r.uncounted_share),
                )
                for s, r in runs.items()
            ],
            columns=["status", "clicks", "requests reaching us", "requests per click", "clicks not counted"],
        )
        table.value = html_table(frame, "sd-table sd-redirects-numbers")

    return Explorer("redirects", controls, {"summary": summary, "table": table}, render)


# --------------------------------------------------------------------------- hot-link cache


def _scenario(active_millions: float) -> shortener.ShortenerScenario:
    return dataclasses.replace(shortener.SHORTENER, active_links=active_millions * 1e6)


@lru_cache(maxsize=32)
def _cache_curve(skew: float) -> tuple[list[float], list[float]]:
    curve = shortener.cache_curve(skew, np.linspace(0.0, 1.0, 41))
    return (curve["cache_share"] * 100).tolist(), curve["hit_ratio"].tolist()


def _draw_cache(target: go.Figure, values: dict[str, Any]) -> None:
    pct, skew = int(values["cache_percent"]), round(float(values["skew"]), 2)
    xs, ys = _cache_curve(skew)
    hit = shortener.cache_hit_ratio(pct / 100, skew)
    target.data[0].x, target.data[0].y = xs, ys
    target.data[1].x, target.data[1].y = [pct], [hit]
    target.layout.title.text = f"Hit ratio {_pct(hit)} with {pct}% of hot links cached (skew {skew:g})"


def link_cache_explorer() -> Explorer:
    """Cache the hottest links: hit ratio, database reads left at peak, memory and Redis nodes.

    Views: the headline (``sd-linkcache-hit``), the sizing table (``sd-linkcache-table``) and the hit
    ratio curve (``sd-linkcache-curve``).

    >>> ex = link_cache_explorer()
    >>> before = ex.views["hit"].value
    >>> ex.controls["cache_percent"].value = 50
    >>> ex.views["hit"].value != before
    True
    """
    controls = {
        "cache_percent": int_slider("Hot links cached (%)", 20, 1, 100),
        "skew": slider("Click skew (Zipf)", 1.0, 0.0, 1.5, 0.1),
        "active_millions": int_slider("Hot links (millions)", 100, 10, 1_000, 10),
    }
    hit_view = view("sd-linkcache-hit")
    table = view("sd-linkcache-table")
    fig = go.Figure()
    fig.add_scatter(
        x=[], y=[], mode="lines", name="LRU hit ratio (Che's approximation)", line={"color": "#1f77b4"}
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="your cache", marker={"size": 13, "color": "#d62728"})
    fig.update_layout(
        title={"text": ""},
        xaxis={"title": {"text": "hot links cached (%)"}, "range": [0, 100]},
        yaxis={"title": {"text": "hit ratio"}, "range": [0, 1.02]},
        **_LAYOUT,
    )
    chart = Chart(fig, "sd-linkcache-curve")

    def render(values: dict[str, Any]) -> None:
        pct, skew = int(values["cache_percent"]), round(float(values["skew"]), 2)
        plan = shortener.hot_link_cache(pct / 100, skew, _scenario(float(values["active_millions"])))
        hit_view.value = (
            f"Caching <b>{pct}%</b> of hot links serves <b>{_pct(plan.hit_ratio)}</b> "
            "of redirects from Redis; "
            f"the database sees {format_count(plan.db_reads_per_s)} of {format_count(plan.peak_reads_per_s)} "
            "reads/s at peak."
        )
        frame = pd.DataFrame(
            [
                ("links cached", format_count(plan.cached_links)),
                ("cache memory", format_size(plan.memory_bytes)),
                ("Redis nodes for the memory", f"{plan.nodes}"),
                ("redirects at peak", f"{format_count(plan.peak_reads_per_s)}/s"),
                ("database reads at peak", f"{format_count(plan.db_reads_per_s)}/s"),
            ],
            columns=["measure", "value"],
        )
        table.value = html_table(frame, "sd-table sd-linkcache-numbers")
        with chart.batch_update():
            _draw_cache(chart.figure, values)

    return Explorer("linkcache", controls, {"hit": hit_view, "table": table, "curve": chart}, render)
