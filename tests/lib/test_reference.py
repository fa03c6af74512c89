"""The cheat sheet tables carry the syllabus's figures, each row with its unit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sysdesign import reference


@pytest.mark.parametrize(
    ("operation", "seconds"),
    [
        # Syllabus figures that hold: L1 1 ns, L2 4 ns, RAM 100 ns, datacenter 500 us, US to Europe 80 ms.
        ("L1 cache reference", 1e-9),
        ("L2 cache reference", 4e-9),
        ("RAM reference", 100e-9),
        ("Round trip within a datacenter", 500e-6),
        ("Round trip US to Europe", 80e-3),  # WonderProxy 2011: New York-Paris 78.3 ms
        # Corrected (issue 10). NAND SSD: Intel SSD DC P4500 spec, random read 85 us; Dean 2012: 150 us.
        ("SSD random read", 100e-6),
        # 7,200 rpm: 60 / 7,200 / 2 = 4.17 ms rotational delay + a 4-9 ms seek; Dean: disk seek 10 ms.
        ("HDD random read", 10e-3),
        # Measured coast-to-coast pings 60-80 ms (WonderProxy 2011: New York-Fremont 77.5 ms).
        ("Round trip US coast to coast", 70e-3),
    ],
)
def test_latency_numbers(operation, seconds):
    table = reference.latency().set_index("operation")
    assert table.loc[operation, "seconds"] == pytest.approx(seconds)


def test_every_latency_figure_names_its_source_and_confidence():
    table = reference.latency()
    assert table["source"].str.len().gt(10).all()
    assert table["confidence"].str.match(r"^(good|fair|poor): ").all()


def test_a_disk_read_is_slower_than_its_rotational_delay_alone():
    # Half a turn at 7,200 rpm: 60 / 7,200 / 2 s = 4.1667 ms; the seek comes on top.
    assert reference.rotational_delay_s(7_200) == pytest.approx(4.1667e-3, rel=1e-4)
    assert reference.latency_seconds("HDD random read") > 2 * reference.rotational_delay_s(7_200)


@pytest.mark.parametrize(
    ("operation", "km"),
    # Great circles New York - San Francisco and New York - London, km.
    [("Round trip US coast to coast", 4_130), ("Round trip US to Europe", 5_570)],
)
def test_round_trips_sit_above_the_fibre_floor(operation, km):
    # Light in fibre covers about 200,000 km/s: 4,130 km there and back is 41.3 ms.
    floor = 2 * km / 200_000
    assert reference.fibre_round_trip_s(km) == pytest.approx(floor)
    assert 1.2 * floor < reference.latency_seconds(operation) < 2.5 * floor


def test_latency_seconds_rejects_unknown_operations():
    with pytest.raises(ValueError, match="operation must be one of 'L1 cache reference'"):
        reference.latency_seconds("Floppy seek")


def test_throughput_figures():  # syllabus "Throughput References" and "Network"
    t = reference.throughput().set_index("component")
    assert (
        t.loc["MySQL server (simple queries)", "low"],
        t.loc["MySQL server (simple queries)", "high"],
    ) == (5e3, 1e4)
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
    "table",
    [reference.latency, reference.throughput, reference.scale, reference.storage_units, reference.shortcuts],
)
def test_every_row_has_a_unit_and_tables_are_fresh_copies(table):
    frame = table()
    assert "unit" in frame.columns and frame["unit"].notna().all()
    frame.iloc[0, 0] = "changed"
    assert table().iloc[0, 0] != "changed"


def test_problem_sets_quote_the_relational_server_figures_of_the_sheet():
    # ps04 Part B sizes relational servers in prose: the figures must be the sheet's (issue 10).
    sheet = reference.throughput().set_index("component")
    row = sheet.loc["Relational database server (depends on the query)"]
    notebook = Path(__file__).parents[2] / "solutions" / "ps04_tradeoffs" / "ps04_tradeoffs.ipynb"
    sources = ["".join(c["source"]) for c in json.loads(notebook.read_text())["cells"]]
    part_b = next(text for text in sources if "## Part B" in text)
    assert f"roughly {row['low']:,.0f} to {row['high']:,.0f} simple" in part_b
