"""Lesson 16 in real JupyterLab: lengthen the lease past the leader's pause, see the stale write go.

Expected values come from ``sim.coordination.paused_leader`` called here with the explorer's story
(A pauses at 2 s for 15 s, writes every second, 30 s run, fencing off), not from the widget: A's
stale writes that the storage accepted (table) and the accepted writes drawn in the chart.
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_until
from playwright.sync_api import expect
from sysdesign.sim.coordination import paused_leader

pytestmark = pytest.mark.browser

# plotly.js keeps the figure's arrays base64-packed in ``data``; ``_fullData`` holds them decoded.
PLOT = "document.querySelector('.sd-coordination-chart .js-plotly-plot')"
ACCEPTED = f"({PLOT} ? {PLOT}._fullData[2].x.length : null)"


def expected(lease_s: int) -> tuple[int, int]:
    run = paused_leader(lease_s, 15.0, fencing=False)
    table = run.table()
    return run.stale_accepted, int(table["accepted"].sum())


def test_lease_slider_changes_the_stale_writes_and_the_chart(page, lab):
    open_notebook(page, lab, "notebooks/16_coordination.ipynb")
    stale = (
        page.locator(".sd-coordination-table tr", has=page.locator("td", has_text="A")).locator("td").nth(4)
    )
    stale.scroll_into_view_if_needed()
    before_stale, before_writes = expected(10)
    expect(stale).to_have_text(str(before_stale), timeout=60_000)
    expect(page.locator(".sd-coordination-chart .js-plotly-plot")).to_have_count(1, timeout=60_000)
    wait_until(page, f"() => {ACCEPTED} === {before_writes}", timeout=30_000)

    set_slider(page, "Lease (s)", 20)

    after_stale, after_writes = expected(20)
    assert (after_stale, after_writes) != (before_stale, before_writes)
    expect(stale).to_have_text(str(after_stale), timeout=30_000)
    wait_until(page, f"() => {ACCEPTED} === {after_writes}", timeout=30_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/16_coordination.ipynb", explorers=1)
