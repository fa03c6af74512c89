"""Lesson 19 in real JupyterLab: slide the diverged keys, see the Merkle repair's rows follow in the
table and in the chart's marker.

The expected rows are counted here from the replicas (``antientropy.diverge``) and the leaf each key
falls in (``antientropy.leaf_of``): a Merkle repair streams every row of each leaf holding a diverged
key. That count does not use the tree code or the widget.
"""

from __future__ import annotations

import numpy as np
import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_until
from playwright.sync_api import expect
from sysdesign.sim import antientropy
from sysdesign.widgets.conflicts import ROWS, START

pytestmark = pytest.mark.browser

PLOT = "document.querySelector('.sd-conflicts-chart .js-plotly-plot')"
MARKER = f"({PLOT} && {PLOT}._fullData[3] ? Array.from({PLOT}._fullData[3].y)[0] : null)"


def rows_streamed(diverged: int, depth: int) -> int:
    leaf = antientropy.leaf_of(ROWS, depth)
    hit = np.unique(leaf[antientropy.diverge(ROWS, diverged).diverged])
    return int(np.isin(leaf, hit).sum())


def test_diverged_keys_slider_changes_the_repair_table_and_chart(page, lab):
    open_notebook(page, lab, "notebooks/19_conflicts.ipynb")
    merkle_rows = (
        page.locator(".sd-conflicts-repair tr", has=page.locator("td", has_text="Merkle tree"))
        .locator("td")
        .nth(3)
    )
    merkle_rows.scroll_into_view_if_needed()
    before = rows_streamed(START["diverged"], START["depth"])
    expect(merkle_rows).to_have_text(str(before), timeout=60_000)
    expect(page.locator(".sd-conflicts-chart .js-plotly-plot")).to_have_count(1, timeout=60_000)
    wait_until(page, f"() => {MARKER} === {before}", timeout=30_000)

    set_slider(page, "Diverged keys", 300)

    after = rows_streamed(300, START["depth"])
    assert after > before
    expect(merkle_rows).to_have_text(str(after), timeout=30_000)
    wait_until(page, f"() => {MARKER} === {after}", timeout=30_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/19_conflicts.ipynb", explorers=1)
