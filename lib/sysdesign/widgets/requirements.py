"""Explorer for lesson 02: build a requirements contract and watch what each choice implies."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from .. import requirements
from ._base import Explorer, html_table, slider, view

AVAILABILITY_OPTIONS: list[tuple[str, float]] = [
    ("99%", 0.99),
    ("99.9%", 0.999),
    ("99.95%", 0.9995),
    ("99.99%", 0.9999),
    ("99.999%", 0.99999),
]
"""Availability targets offered in the dropdown: label and fraction."""

_WIDE = {"description_width": "initial"}


def contract_builder(contract: requirements.Contract = requirements.CHAT_CONTRACT) -> Explorer:
    """Pick features and non-functional targets; read the written contract and its implications.

    Views: ``sd-contract-text`` (the contract as markdown text) and ``sd-contract-implications``
    (what each requirement implies, with the downtime budget and round-trip counts).
    """
    feature_options = [(requirements.FEATURES[k][0].format(max_group="N"), k) for k in requirements.FEATURES]
    controls: dict[str, widgets.ValueWidget] = {
        "features": widgets.SelectMultiple(
            options=feature_options,
            value=tuple(contract.features),
            rows=len(feature_options),
            description="Features",
            style=_WIDE,
            layout=widgets.Layout(width="95%"),
        ),
        "max_group": widgets.IntSlider(
            value=contract.max_group,
            min=2,
            max=5000,
            step=1,
            description="Max group size (N)",
            continuous_update=False,
            style=_WIDE,
        ),
        "dau_millions": slider("DAU (millions)", contract.dau / 1e6, 1, 2000, 1),
        "per_user": slider("Messages per user per day", contract.per_user_per_day, 1, 200, 1),
        "latency_ms": slider("Delivery latency (ms)", contract.latency_ms, 50, 3000, 50),
        "availability": widgets.Dropdown(
            options=AVAILABILITY_OPTIONS, value=contract.availability, description="Availability", style=_WIDE
        ),
        "durability": widgets.Dropdown(
            options=[(text, key) for key, (text, _) in requirements.DURABILITY.items()],
            value=contract.durability,
            description="Durability",
            style=_WIDE,
        ),
        "ordering": widgets.Dropdown(
            options=[(text, key) for key, (text, _) in requirements.ORDERING.items()],
            value=contract.ordering,
            description="Ordering",
            style=_WIDE,
            layout=widgets.Layout(width="95%"),
        ),
    }
    text = view("sd-contract-text")
    implications = view("sd-contract-implications")

    def render(v: dict[str, Any]) -> None:
        built = requirements.Contract(
            features=tuple(v["features"]),
            max_group=int(v["max_group"]),
            dau=v["dau_millions"] * 1e6,
            per_user_per_day=v["per_user"],
            latency_ms=v["latency_ms"],
            availability=v["availability"],
            durability=v["durability"],
            ordering=v["ordering"],
            peak_factor=contract.peak_factor,
            name=contract.name,
        )
        text.value = (
            "<pre style='white-space:pre-wrap;font-size:13px;background:#f7f7f7;padding:8px;margin:4px 0'>"
            f"{html.escape(built.render())}</pre>"
        )
        implications.value = html_table(built.implications())

    return Explorer("contract", controls, {"text": text, "implications": implications}, render)
