"""Lesson 15 in real JupyterLab: slide the follower lag, see the async loss and the chart follow.

Expected values come from ``sim.replication`` called here (the explorer's run: 200 writes/s for 10 s,
two followers, seed 0, crash at the end), not from the widget: the async row's lost acknowledged
writes, and the peak of the chart's "at risk" line over the run's 400 instants.
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_until
from playwright.sync_api import expect
from sysdesign.sim import replication

pytestmark = pytest.mark.browser

# plotly.js keeps the figure's arrays base64-packed in ``data``; ``_fullData`` holds them decoded.
PLOT = "document.querySelector('.sd-replication-chart .js-plotly-plot')"
PEAK = f"({PLOT} ? Math.max(...Array.from({PLOT}._fullData[0].y)) : null)"


def expected(lag_ms: int) -> tuple[int, int]:
    run = replication.replicate("async", lag_ms, 200, replicas=2, seed=0)
    return run.lost, int(replication.timeline(run, 400)["at risk"].max())


def test_lag_slider_changes_the_async_loss_and_the_chart(page, lab):
    open_notebook(page, lab, "notebooks/15_replication.ipynb")
    lost = (
        page.locator(".sd-replication-table tr", has=page.locator("td", has_text="semi-sync"))
        .locator("xpath=preceding-sibling::tr[1]")
        .locator("td")
        .nth(2)
    )
    lost.scroll_into_view_if_needed()
    chart = page.locator(".sd-replication-chart")
    before_lost, before_peak = expected(100)
    expect(lost).to_have_text(str(before_lost), timeout=60_000)
    expect(chart.locator(".js-plotly-plot")).to_have_count(1, timeout=60_000)
    assert page.evaluate(PEAK) == before_peak

    set_slider(page, "Follower lag (ms)", 400)

    after_lost, after_peak = expected(400)
    assert after_lost > before_lost and after_peak > before_peak
    expect(lost).to_have_text(str(after_lost), timeout=30_000)
    wait_until(page, f"() => {PEAK} === {after_peak}", timeout=30_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/15_replication.ipynb", explorers=1)
