"""Lesson 18 in real JupyterLab: move the geohash precision and check the table and the map follow.

The expected row comes from ``geoindex.search`` called here with the explorer's settings (10,000
points around San Francisco, 1 km, seed 0); the expected block edge from ``geoindex.block_bounds`` at
the first rider. Neither is read from the widget.
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_until
from playwright.sync_api import expect
from sysdesign import geoindex

pytestmark = pytest.mark.browser

BLOCK_WEST = "(el) => el.querySelector('.js-plotly-plot')._fullData[2].x[0]"


def block_row(precision: int) -> list[str]:
    """The table's "cell + 8 neighbours" row as its cells read (numbers rounded to 0.1)."""
    t = geoindex.search(1_000, precision, n=10_000).set_index("method")
    name = f"geohash {precision}, cell + 8 neighbours"
    return [name, *(str(round(float(v), 1)) for v in t.loc[name])]


def test_precision_slider_changes_the_table_and_the_block(page, lab):
    open_notebook(page, lab, "notebooks/18_geo_indexing.ipynb")
    row = page.locator(".sd-geo-table tr", has=page.locator("td", has_text="cell + 8 neighbours")).locator(
        "td"
    )
    row.first.scroll_into_view_if_needed()
    expect(row).to_have_text(block_row(5), timeout=60_000)

    set_slider(page, "Geohash precision (characters)", 6)

    expect(row).to_have_text(block_row(6), timeout=30_000)
    rider = geoindex.workload(10_000).riders[0]
    west = float(geoindex.block_bounds(float(rider[0]), float(rider[1]), 6)[2].min())
    chart = page.locator(".sd-geo-chart")
    chart.scroll_into_view_if_needed()
    wait_until(
        page,
        f"([el, west]) => Math.abs(({BLOCK_WEST})(el) - west) < 1e-9",
        arg=[chart.element_handle(), west],
        timeout=30_000,
    )

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/18_geo_indexing.ipynb", explorers=1)
