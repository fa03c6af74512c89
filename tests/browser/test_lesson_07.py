"""Lesson 07 in real JupyterLab: lowering R breaks the quorum overlap, and lowering the celebrity
threshold trades feed writes for read-time merging."""

from __future__ import annotations

import re

import pytest
from chartprobe import every_chart_draws
from jlab import open_notebook, set_slider, wait_text
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_quorum_and_fanout_explorers_respond(page, lab):
    open_notebook(page, lab, "notebooks/07_tradeoffs.ipynb", timeout_ms=240_000)

    # Quorum explorer starts at N = 3, R = W = 2 with one replica cut off: 2 + 2 = 4 > 3.
    wait_text(page, ".sd-quorum-summary", "R + W = 4 > N = 3")
    # Strict quorum on the cut-off side: 1 replica < R = 2, so every read there fails.
    isolated_cp = page.locator(".sd-quorum-outcome tr", has_text=re.compile(r"isolated.*CP", re.S))
    assert re.search(r"error\s+0%\s+0%\s+100%", isolated_cp.first.text_content() or "")

    set_slider(page, "Read quorum (R)", 1)
    # 1 + 2 = 3 is not > 3; the lone replica now answers R = 1 on its own, with data the write missed.
    wait_text(page, ".sd-quorum-summary", "R + W = 3 <= N = 3")
    wait_text(
        page, ".sd-quorum-outcome", re.compile(r"isolated\s*1\s*CP: strict quorum\s*error\s*0%\s*100%\s*0%")
    )

    # Fan-out explorer: the hybrid row of the table and the chart's title follow the threshold slider.
    hybrid = page.locator(".sd-fanout-summary tr", has_text="hybrid").first

    def cells() -> tuple[float, int, float]:
        texts = [t.replace(",", "") for t in hybrid.locator("td").all_text_contents()]
        # strategy, celebrities, writes per post (mean), writes per post (worst), sources per read (mean), ...
        return float(texts[2]), int(texts[3]), float(texts[4])

    expect(hybrid).to_be_visible(timeout=30_000)
    mean_before, worst_before, sources_before = cells()
    assert worst_before < 10_000  # pushed authors have fewer followers than the threshold
    set_slider(page, "Celebrity threshold (followers)", 1000)
    expect(hybrid.locator("td").nth(3)).not_to_have_text(f"{worst_before:,}", timeout=30_000)
    mean_after, worst_after, sources_after = cells()
    wait_text(page, ".sd-fanout-chart .gtitle", "Threshold 1,000:")
    # A lower threshold pulls more accounts: fewer writes per post, more sources merged per read.
    assert worst_after < 1000 and mean_after < mean_before and sources_after > sources_before

    # Then every chart of the lesson draws after each of its explorers' first two controls moves.
    every_chart_draws(page, lab, "notebooks/07_tradeoffs.ipynb", explorers=3)
