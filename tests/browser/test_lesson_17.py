"""Lesson 17 in real JupyterLab: move the timestamp bits and check the layout table and the bit chart follow.

The expected figures are the bit arithmetic of a Snowflake layout, worked out here: with t timestamp
bits and 10 machine bits the sequence gets 63 - t - 10 bits, a machine issues 2^sequence IDs per
millisecond and the timestamp lasts 2^t ms (365-day years).
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MS_PER_YEAR = 365 * 86_400 * 1000


def layout_row(timestamp_bits: int, machine_bits: int = 10) -> list[str]:
    """The layout table's cells: bits of each field, years, machines, IDs/ms per machine, IDs/s in all."""
    sequence = 63 - timestamp_bits - machine_bits
    years = round(2**timestamp_bits / MS_PER_YEAR, 1)
    every = 2 ** (machine_bits + sequence) * 1000
    return [
        str(x) for x in (timestamp_bits, machine_bits, sequence, years, 2**machine_bits, 2**sequence, every)
    ]


def test_timestamp_bits_change_the_layout_table_and_chart(page, lab):
    open_notebook(page, lab, "notebooks/17_unique_ids.ipynb")
    cells = page.locator(".sd-ids-layout tbody tr").first.locator("td")
    cells.first.scroll_into_view_if_needed()
    expect(cells).to_have_text(layout_row(41), timeout=60_000)
    bars = page.locator(".sd-ids-chart .bartext")
    expect(bars.nth(1)).to_have_text("41", timeout=120_000)

    set_slider(page, "Timestamp bits", 36)

    expect(cells).to_have_text(layout_row(36), timeout=30_000)
    expect(bars.nth(1)).to_have_text("36", timeout=30_000)
    expect(bars.nth(3)).to_have_text(str(63 - 36 - 10))

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/17_unique_ids.ipynb", explorers=1)
