"""Lesson 22 in real JupyterLab: move the bandwidth scale and check the ABR table and chart follow.

The expected switches and bitrates come from the library's pure functions (sim/abr: the explorer's
trace is ``abr.bandwidth(seed=0)``, 4 s segments, a 30 s buffer, headroom 0.8), run here, not read
from the widget.
"""

from __future__ import annotations

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_until
from playwright.sync_api import expect
from sysdesign.sim import abr

pytestmark = pytest.mark.browser

LESSON = "notebooks/22_media_delivery.ipynb"

# The chart's second trace: the throughput rule's bitrate per segment (Mbit/s), from plotly's div
# (plotly.js keeps the figure's arrays base64-packed in ``data``; ``_fullData`` holds them decoded).
BITRATES_EQUAL = """(want) => {
  const plot = document.querySelector('.sd-media-abr-chart .js-plotly-plot');
  if (!plot || !plot._fullData || !plot._fullData[1] || !plot._fullData[1].y) return false;
  const got = Array.from(plot._fullData[1].y);
  return got.length === want.length && got.every((y, i) => Math.abs(y - want[i]) < 1e-9);
}"""


def expected(scale: float) -> tuple[dict[str, str], list[float]]:
    """(switches per rule as shown, the throughput rule's bitrates in Mbit/s) at ``scale``."""
    trace = abr.bandwidth(seed=0) * scale
    runs = {rule: abr.play(rule, trace, segment_s=4, max_buffer_s=30, headroom=0.8) for rule in abr.RULES}
    return {r: str(p.switches) for r, p in runs.items()}, [b / 1e6 for b in runs["throughput"].bitrate_bps]


def switches_cell(page, rule: str):
    row = page.locator(".sd-media-abr-table tr", has=page.locator("td", has_text=rule))
    return row.locator("td").nth(3)


def test_bandwidth_scale_changes_the_abr_table_and_chart(page, lab):
    open_notebook(page, lab, LESSON)
    cells = {rule: switches_cell(page, rule) for rule in abr.RULES}
    cells["throughput"].scroll_into_view_if_needed()
    switches, bitrates = expected(1.0)
    for rule, cell in cells.items():
        expect(cell).to_have_text(switches[rule], timeout=60_000)
    wait_until(page, BITRATES_EQUAL, arg=bitrates, timeout=30_000)

    set_slider(page, "Bandwidth scale (x trace)", 0.5)

    switches_after, bitrates_after = expected(0.5)
    assert switches_after != switches and bitrates_after != bitrates
    for rule, cell in cells.items():
        expect(cell).to_have_text(switches_after[rule], timeout=30_000)
    wait_until(page, BITRATES_EQUAL, arg=bitrates_after, timeout=30_000)

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, LESSON, explorers=2)
