"""The cheat sheet tables carry the syllabus's figures, each row with its unit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sysdesign import reference


@pytest.mark.parametrize(
    ("operation", "seconds"),
    [
        ("L1 cache reference", 1e-9),
        ("L2 cache reference", 4e-9),
        ("RAM reference", 100e-9),
        ("SSD random read", 16e-6),
        ("HDD random read", 2e-3),
        ("Round trip within a datacenter", 500e-6),
        ("Round trip US coast to coast", 40e-3),
        ("Round trip US to Europe", 80e-3),
    ],
)
def test_latency_numbers(operation, seconds):  # syllabus "Latency Numbers Every Engineer Should Know"
    table = reference.latency().set_index("operation")
    assert table.loc[operation, "seconds"] == pytest.approx(seconds)


def test_throughput_figures():  # syllabus "Throughput References" and "Network"
    t = reference.throughput().set_index("component")
    assert (t.loc["MySQL server (simple queries)", "low"], t.loc["MySQL server (simple queries)", "high"]) == (5e3, 1e4)
    assert t.loc["Redis node", "low"] == 100_000
    assert t.loc["Kafka broker", "low"] == 200_000
    assert t.loc["1 Gbps network link", "low"] == 1e9 / 8


def test_scale_and_shortcuts():
    s = reference.scale()
    assert s[(s["product"] == "WhatsApp") & (s["metric"] == "messages per day")]["value"].item() == 100e9
    short = reference.shortcuts().set_index("item")
    assert short.loc["seconds in a day", "exact_or_low"] == 86_400
    assert short.loc["seconds in a day", "quick_or_high"] == 100_000


def test_storage_units_are_powers_of_a_thousand():
    table = reference.storage_units()
    assert list(table["power_of_ten"]) == [3, 6, 9, 12, 15]


@pytest.mark.parametrize(
    "table", [reference.latency, reference.throughput, reference.scale, reference.storage_units, reference.shortcuts]
)
def test_every_row_has_a_unit_and_tables_are_fresh_copies(table):
    frame = table()
    assert "unit" in frame.columns and frame["unit"].notna().all()
    frame.iloc[0, 0] = "changed"
    assert table().iloc[0, 0] != "changed"


def test_problem_sets_quote_the_relational_server_figures_of_the_sheet():
    # ps04 Part B sizes relational servers in prose: the figures must be the sheet's (issue 10).
    row = reference.throughput().set_index("component").loc["Relational database server (depends on the query)"]
    notebook = Path(__file__).parents[2] / "solutions" / "ps04_tradeoffs" / "ps04_tradeoffs.ipynb"
    part_b = next(
        "".join(c["source"]) for c in json.loads(notebook.read_text())["cells"] if "## Part B" in "".join(c["source"])
    )
    assert f"roughly {row['low']:,.0f} to {row['high']:,.0f} simple" in part_b
