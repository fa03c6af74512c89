"""Lesson 20 in real JupyterLab: move the crash probability and check the table and the chart follow.

The expected numbers come from the library's pure functions (sim/transactions), run here with the
explorer's settings (2,000 orders, seed 0), not read from the widget.
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_until
from playwright.sync_api import expect
from sysdesign.sim import transactions

pytestmark = pytest.mark.browser

LESSON = "notebooks/20_transactions.ipynb"

# The chart's first bar trace: inconsistent orders per pattern, read from plotly's graph div.
BARS_EQUAL = """(want) => {
  const plot = document.querySelector('.sd-transactions-chart .js-plotly-plot');
  return !!plot && !!plot.data && JSON.stringify(Array.from(plot.data[0].y)) === JSON.stringify(want);
}"""


def expected(crash_prob: float) -> tuple[int, list[int]]:
    """(events lost by commit-then-publish, inconsistent orders per pattern) at ``crash_prob``."""
    lost = transactions.publish_orders(transactions.COMMIT_THEN_PUBLISH, orders=2_000, crash_prob=crash_prob)
    table = transactions.compare(crash_prob=crash_prob, orders=2_000)
    return lost.lost, [int(v) for v in table["inconsistent orders"]]


def test_crash_slider_changes_the_table_and_the_chart(page, lab):
    open_notebook(page, lab, LESSON)
    cell = (
        page.locator(
            ".sd-transactions-table tr", has=page.locator("td", has_text=transactions.COMMIT_THEN_PUBLISH)
        )
        .locator("td")
        .nth(1)
    )
    cell.scroll_into_view_if_needed()
    lost, bars = expected(0.05)
    expect(cell).to_have_text(str(lost), timeout=60_000)
    wait_until(page, BARS_EQUAL, arg=bars, timeout=30_000)

    set_slider(page, "Crash probability", 0.12)

    lost_after, bars_after = expected(0.12)
    assert lost_after != lost and bars_after != bars
    expect(cell).to_have_text(str(lost_after), timeout=30_000)
    wait_until(page, BARS_EQUAL, arg=bars_after, timeout=30_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, LESSON, explorers=1)
