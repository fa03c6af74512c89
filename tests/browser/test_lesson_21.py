"""Lesson 21 in real JupyterLab: move the Bloom filter's bits per item, see the chart's title and the
table's Bloom row follow.

Expected values are worked out here: the predicted rate is (1 - e^(-kn/m))^k written out, the measured
one the crawler's simulation (2,000 items, 20,000 lookups, seed 0) called directly, not the widget.
"""

from __future__ import annotations

import math

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_text
from playwright.sync_api import expect
from sysdesign.sim.crawler import bloom_simulation

pytestmark = pytest.mark.browser

PATH = "notebooks/21_structures.ipynb"


def bloom_cells(bits: int, k: int = 7, n: int = 2_000) -> tuple[str, str]:
    """The Bloom row's measured and predicted rates as the table prints them."""
    measured = bloom_simulation(n, bits * n, k, probes=20_000, seed=0)
    return f"{measured:.3%}", f"{(1 - math.exp(-k / bits)) ** k:.3%}"


def test_bits_slider_changes_the_bloom_chart_and_row(page, lab):
    open_notebook(page, lab, PATH)
    row = page.locator(".sd-structures-table tr", has=page.locator("td", has_text="Bloom filter")).locator(
        "td"
    )
    row.first.scroll_into_view_if_needed()
    measured, predicted = bloom_cells(10)
    expect(row.nth(4)).to_have_text(measured, timeout=60_000)
    expect(row.nth(5)).to_have_text(predicted)

    set_slider(page, "Bloom bits per item (m/n)", 14)

    measured, predicted = bloom_cells(14)
    expect(row.nth(4)).to_have_text(measured, timeout=30_000)
    expect(row.nth(5)).to_have_text(predicted)
    expect(row.nth(1)).to_have_text("3.5 KB")  # 2,000 items x 14 bits / 8 = 3,500 B
    wait_text(page, ".sd-structures-chart .gtitle", "14 bits per item", timeout_ms=30_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, PATH, explorers=1)
